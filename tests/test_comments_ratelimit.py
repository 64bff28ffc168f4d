"""Rate limits in the cache: polite 429 pages that keep the text, and windows that reset."""

import time

import pytest
from django.urls import reverse

from articles.models import Comment, Report
from articles.ratelimit import RateLimit, any_exceeded

from .factories import comment_form_data, make_article, make_comment

pytestmark = pytest.mark.django_db


def test_a_limit_allows_up_to_its_count_then_refuses():
    limit = RateLimit("test", 3, 60)
    now = 1_000_000.0
    assert [limit.is_exceeded("reader", now) for _ in range(5)] == [False] * 3 + [True] * 2


def test_a_limit_resets_when_its_window_passes():
    limit = RateLimit("test", 2, 60)
    start = 1_000_020.0  # the window runs from 1,000,020 to 1,000,080
    assert [limit.is_exceeded("reader", start) for _ in range(3)] == [False, False, True]
    assert limit.is_exceeded("reader", start + 59) is True
    assert limit.is_exceeded("reader", start + 60) is False


def test_identities_are_counted_separately():
    limit = RateLimit("test", 1, 60)
    assert limit.is_exceeded("a", 0.0) is False
    assert limit.is_exceeded("b", 0.0) is False
    assert limit.is_exceeded("a", 0.0) is True


def test_every_window_counts_every_attempt():
    minute, hour = RateLimit("m", 5, 60), RateLimit("h", 6, 3600)
    now = 7200.0
    results = [any_exceeded([minute, hour], ["ip:1"], now + n * 61) for n in range(7)]
    assert results == [False] * 6 + [True]  # the minute resets, the hour does not


@pytest.mark.parametrize("same", ["ip", "email"])
def test_a_fast_commenter_gets_a_polite_429_with_the_text_kept(client, settings, same):
    settings.COMMENTS_RATE_PER_MINUTE = 2
    article = make_article()
    url = reverse("articles:comment_post", args=[article.slug])
    for n in range(2):
        data = comment_form_data(body=f"Comment number {n}", email=f"r{n}@example.com")
        if same == "email":
            data["email"] = "same@example.com"
        extra = {"REMOTE_ADDR": f"10.0.0.{n}"} if same == "email" else {}
        assert client.post(url, data, **extra).status_code == 302
    data = comment_form_data(body="The third, kept for me", email="same@example.com")
    extra = {"REMOTE_ADDR": "10.0.0.9"} if same == "email" else {}
    response = client.post(url, data, **extra)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Please wait a minute and try again" in html
    assert "The third, kept for me" in html
    assert Comment.objects.count() == 2


def test_reports_are_rate_limited(client, settings):
    settings.COMMENTS_REPORTS_PER_HOUR = 1
    comment = make_comment(make_article())
    url = reverse("articles:comment_report", args=[comment.pk])
    assert client.post(url, {"reason": "spam"}).status_code == 200
    response = client.post(url, {"reason": "abuse"})
    assert response.status_code == 429
    assert Report.objects.count() == 1


def test_the_real_clock_is_used_by_default():
    limit = RateLimit("clock", 1, 3600)
    assert limit.key("x", time.time()) == limit.key("x", time.time())
    assert limit.is_exceeded("x") is False
    assert limit.is_exceeded("x") is True


def test_blank_emails_do_not_share_one_limit(client, settings):
    settings.COMMENTS_RATE_PER_MINUTE = 2
    article = make_article()
    url = reverse("articles:comment_post", args=[article.slug])
    statuses = [
        client.post(url, comment_form_data(email=""), REMOTE_ADDR=f"10.0.1.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [400] * 4  # each is told what is missing; none is rate limited


def test_with_the_cache_server_down_comments_are_still_taken(client, settings):
    """Limits fail open while Redis is unreachable: comments are moderated anyway."""
    from django.test import override_settings

    from tests.test_faults_health import UNREACHABLE_CACHE

    settings.COMMENTS_RATE_PER_MINUTE = 1
    article = make_article()
    url = reverse("articles:comment_post", args=[article.slug])
    with override_settings(CACHES=UNREACHABLE_CACHE):
        for n in range(3):
            data = comment_form_data(body=f"Said during the outage {n}")
            assert client.post(url, data).status_code == 302
    assert Comment.objects.filter(body__startswith="Said during the outage").count() == 3


def test_ipv6_commenters_in_one_64_share_one_limit(client, settings):
    """One home or one server gets a whole /64 and may post from any address in it."""
    settings.COMMENTS_RATE_PER_MINUTE = 2
    article = make_article()
    url = reverse("articles:comment_post", args=[article.slug])
    statuses = [
        client.post(
            url,
            comment_form_data(body=f"Comment {n}", email=f"r{n}@example.com"),
            REMOTE_ADDR=f"2001:db8:5:6::{n + 1}",
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    other = comment_form_data(body="From next door", email="next@example.com")
    assert client.post(url, other, REMOTE_ADDR="2001:db8:5:7::1").status_code == 302


def test_ipv4_commenters_seen_as_mapped_addresses_share_the_ipv4_limit(client, settings):
    settings.COMMENTS_RATE_PER_MINUTE = 2
    article = make_article()
    url = reverse("articles:comment_post", args=[article.slug])
    addresses = ["192.0.2.8", "::ffff:192.0.2.8", "::ffff:c000:208"]
    statuses = [
        client.post(
            url, comment_form_data(body=f"Comment {n}", email=f"r{n}@example.com"), REMOTE_ADDR=ip
        ).status_code
        for n, ip in enumerate(addresses)
    ]
    assert statuses == [302, 302, 429]
