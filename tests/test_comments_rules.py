"""Spam and moderation rules: every held or spam comment records why."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Ban, BlocklistEntry, Comment

from .factories import comment_form_data, make_article, make_comment

pytestmark = pytest.mark.django_db

Status, Reason = Comment.Status, Comment.Reason


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def known(article):
    """Mariko has an approved comment, so the first-comment rule lets her through."""
    return make_comment(article, email="mariko@example.com", body="An earlier comment.")


def post(client, article, **kwargs):
    url = reverse("articles:comment_post", args=[article.slug])
    response = client.post(url, comment_form_data(article, **kwargs))
    assert response.status_code == 302, response.content.decode()[:500]
    return Comment.objects.exclude(body="An earlier comment.").latest("id")


def test_a_known_commenter_is_published(client, article, known):
    comment = post(client, article)
    assert (comment.status, comment.hold_reason) == (Status.APPROVED, "")


def test_hold_all_mode_holds_everyone(client, article, known, settings):
    settings.COMMENTS_MODERATION = "all"
    comment = post(client, article)
    assert (comment.status, comment.hold_reason) == (Status.PENDING, Reason.HOLD_ALL)


def test_hold_none_mode_publishes_a_first_comment(client, article, settings):
    settings.COMMENTS_MODERATION = "none"
    assert post(client, article).status == Status.APPROVED


def test_hold_first_mode_holds_a_new_address_until_one_comment_is_approved(client, article):
    first = post(client, article, body="First one here.")
    second = post(client, article, body="Second one here.")
    assert [first.hold_reason, second.hold_reason] == [Reason.FIRST_COMMENT] * 2
    Comment.objects.filter(pk=first.pk).update(status=Status.APPROVED)
    assert post(client, article, body="Third one here.").status == Status.APPROVED


def test_a_filled_honeypot_goes_to_spam(client, article, known):
    comment = post(client, article, address="123 Robot Street")
    assert (comment.status, comment.hold_reason) == (Status.SPAM, Reason.HONEYPOT)


def test_a_form_submitted_too_fast_goes_to_spam_and_is_kept(client, article, known):
    comment = post(client, article, seconds_ago=0, body="Instant text")
    assert (comment.status, comment.hold_reason) == (Status.SPAM, Reason.TOO_FAST)
    assert comment.body == "Instant text"


def test_too_many_links_hold_the_comment(client, article, known, settings):
    settings.COMMENTS_MAX_LINKS = 2
    body = "Read https://a.example and http://b.example and www.c.example"
    comment = post(client, article, body=body)
    assert (comment.status, comment.hold_reason, comment.hold_detail) == (
        Status.PENDING,
        Reason.TOO_MANY_LINKS,
        "3 links",
    )
    assert post(client, article, body="Only https://a.example here").status == Status.APPROVED


def test_the_same_text_posted_by_someone_else_is_held_as_duplicate(client, article, known):
    text = "Buy cheap watches at our wonderful store today, great prices!"
    other = make_article(title="Another story")
    make_comment(other, email="someone@example.com", body=text)
    comment = post(client, article, body=text.upper())
    assert (comment.status, comment.hold_reason) == (Status.PENDING, Reason.DUPLICATE)


def test_short_repeated_text_is_not_a_duplicate(client, article, known):
    make_comment(article, email="someone@example.com", body="Thank you!")
    assert post(client, article, body="Thank you!").status == Status.APPROVED


BLOCKLIST = {
    "word in text": (BlocklistEntry.Kind.WORD, "casino", {"body": "Best CASINO bonus"}),
    "word in name": (BlocklistEntry.Kind.WORD, "casino", {"name": "Casino King"}),
    "email": (BlocklistEntry.Kind.EMAIL, "mariko@example.com", {}),
    "email domain": (BlocklistEntry.Kind.DOMAIN, "example.com", {}),
    "website domain": (
        BlocklistEntry.Kind.DOMAIN,
        "spam.example",
        {"website": "https://spam.example/x"},
    ),
    "ip range": (BlocklistEntry.Kind.IP_RANGE, "127.0.0.0/8", {}),
}


@pytest.mark.parametrize("entry", BLOCKLIST.values(), ids=BLOCKLIST.keys())
def test_a_blocklist_match_goes_to_spam_naming_the_entry(client, article, known, entry):
    kind, value, fields = entry
    blocked = BlocklistEntry.objects.create(kind=kind, value=value)
    comment = post(client, article, **fields)
    assert (comment.status, comment.hold_reason) == (Status.SPAM, Reason.BLOCKLIST)
    assert comment.hold_detail == str(blocked)


def test_a_banned_address_goes_to_spam_with_the_ban_reason(client, article, known):
    Ban.objects.create(email="mariko@example.com", reason="Repeated abuse")
    comment = post(client, article)
    assert (comment.status, comment.hold_reason, comment.hold_detail) == (
        Status.SPAM,
        Reason.BANNED,
        "Repeated abuse",
    )


def test_a_banned_ip_range_goes_to_spam(client, article, known):
    Ban.objects.create(ip_range="127.0.0.0/24", reason="Bot farm")
    assert post(client, article).hold_reason == Reason.BANNED


def test_an_expired_ban_no_longer_applies(client, article, known):
    Ban.objects.create(
        email="mariko@example.com", reason="Cooling off", expires_at=timezone.now() - timedelta(1)
    )
    assert post(client, article).status == Status.APPROVED


def test_a_ban_needs_an_email_or_an_ip_range():
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    with pytest.raises(ValidationError):
        Ban(reason="Nothing").full_clean()
    with pytest.raises(ValidationError):
        Ban(ip_range="not-a-network", reason="Typo").full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Ban.objects.create(reason="Nothing")
