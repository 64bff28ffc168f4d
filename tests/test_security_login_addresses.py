"""Client addresses in one spelling: a server bound to [::] sees IPv4 clients as ::ffff:a.b.c.d,
a proxy may add a port; bans, limits and stored comments see the plain address."""

import pytest
from django.test import override_settings
from django.urls import reverse

from articles.models import Ban, Comment
from articles.ratelimit import ip_identity, normalised_ip
from tests.factories import comment_form_data, make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "raw, address",
    [
        ("::ffff:198.51.100.23", "198.51.100.23"),
        ("::FFFF:c633:6417", "198.51.100.23"),
        ("198.51.100.23:4711", "198.51.100.23"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:0DB8:0000::0001", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),
        (" 203.0.113.5 ", "203.0.113.5"),
        ("unknown", None),
        ("", None),
        (None, None),
    ],
)
def test_addresses_are_read_in_one_spelling(raw, address):
    assert normalised_ip(raw) == address


def test_limits_count_ipv6_clients_by_their_64_and_ipv4_by_address():
    assert ip_identity("2001:db8:1:2::a") == ip_identity("2001:db8:1:2:ffff::b")
    assert ip_identity("2001:db8:1:2::a") != ip_identity("2001:db8:1:3::a")
    assert ip_identity("::ffff:192.0.2.1") == ip_identity("192.0.2.1") == "ip:192.0.2.1"
    assert ip_identity("198.51.100.1") != ip_identity("198.51.100.2")
    assert ip_identity(None) == ""


def post_comment(client, **extra):
    article = make_article()
    url = reverse("articles:comment_post", args=[article.slug])
    return client.post(url, comment_form_data(), **extra)


def test_a_comment_from_a_mapped_address_is_stored_with_the_ipv4_address(client):
    assert post_comment(client, REMOTE_ADDR="::ffff:198.51.100.23").status_code == 302
    assert Comment.objects.get().ip_address == "198.51.100.23"


def test_a_ban_on_an_ipv4_range_catches_its_clients_seen_as_mapped_addresses(client):
    Ban.objects.create(ip_range="198.51.100.0/24", reason="Flooding")
    post_comment(client, REMOTE_ADDR="::ffff:198.51.100.23")
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_behind_a_proxy_the_forwarded_address_is_read_in_one_spelling(client):
    with override_settings(BEHIND_PROXY=True, PROXY_COUNT=1):
        post_comment(
            client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="[::ffff:203.0.113.9]:5123"
        )
    assert Comment.objects.get().ip_address == "203.0.113.9"


def test_a_client_address_that_is_no_address_is_not_stored_and_is_no_500(client):
    with override_settings(BEHIND_PROXY=True, PROXY_COUNT=1):
        response = post_comment(client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="unknown")
    assert response.status_code == 302
    assert Comment.objects.get().ip_address is None


@pytest.mark.parametrize(
    ("client", "banned", "matches"),
    [
        ("2001:db8:1:2::99", "2001:db8:1:2::1", True),  # a single IPv6 address bans its /64
        ("2001:db8:1:3::1", "2001:db8:1:2::1", False),
        ("203.0.113.7", "::ffff:203.0.113.7", True),  # banned from an old, mapped spelling
        ("::ffff:203.0.113.7", "203.0.113.7", True),
        ("203.0.113.8", "203.0.113.7", False),
    ],
)
def test_bans_match_mapped_addresses_and_a_single_ipv6_address_by_its_64(client, banned, matches):
    assert Ban(ip_range=banned, reason="spam").matches("", client) is matches
