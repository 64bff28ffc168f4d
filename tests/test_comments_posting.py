"""Posting a comment as a reader: the form, its messages, and what the reader sees next."""

import pytest
from django.core import signing
from django.urls import reverse

from articles.comments import tokens
from articles.models import Comment

from .factories import comment_form_data, make_article, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Typhoon nears Okinawa")


def post(client, article, **kwargs):
    headers = kwargs.pop("headers", {})
    url = reverse("articles:comment_post", args=[article.slug])
    return client.post(url, comment_form_data(article, **kwargs), headers=headers)


def test_first_comment_is_held_and_its_author_sees_it_awaiting_moderation(client, article):
    response = post(client, article, body="Stay safe, Okinawa.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == Comment.Reason.FIRST_COMMENT
    assert response.status_code == 302
    assert response["Location"].startswith(article.get_absolute_url() + "?held=")
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    html = client.get(response["Location"]).content.decode()
    assert "Your comment is awaiting moderation." in html
    assert "Stay safe, Okinawa." in html
    assert "0 comments" in html


def test_a_held_comment_is_invisible_to_everyone_else(client, article):
    post(client, article, body="Stay safe, Okinawa.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Stay safe, Okinawa." not in html
    assert "awaiting moderation" not in html


def test_a_forged_held_link_shows_nothing(client, article):
    held = make_comment(article, status=Comment.Status.PENDING, body="Secret held text")
    html = client.get(article.get_absolute_url(), {"held": f"{held.pk}:forged"}).content.decode()
    assert "Secret held text" not in html


def test_address_with_an_approved_comment_is_published_at_once(client, article):
    make_comment(article, email="mariko@example.com", body="Earlier.")
    response = post(client, article, email="MARIKO@example.com", body="Second comment.")
    comment = Comment.objects.get(body="Second comment.")
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Second comment." in html
    assert "2 comments" in html


def test_double_submit_makes_one_comment(client, article):
    data = comment_form_data(article, body="Posted twice by a double click.")
    url = reverse("articles:comment_post", args=[article.slug])
    first = client.post(url, data)
    second = client.post(url, data)
    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_nothing_is_lost_when_a_comment_is_held(client, article):
    body = "Line one.\n\nLine two with https://example.org/a?b=1&c=2 and <b>tags</b>."
    post(client, article, name="Ana", website="https://ana.example", body=body)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert (comment.name, comment.email, comment.website, comment.body) == (
        "Ana",
        "mariko@example.com",
        "https://ana.example",
        body,
    )
    assert comment.ip_address == "127.0.0.1"


@pytest.mark.parametrize(
    "text",
    [
        "台風が沖縄に接近しています。皆さんご無事で。",
        "Stay safe 🙏🏽🌀 👨‍👩‍👧",
        "נא להישאר בבית — ابقوا في منازلكم",
    ],
    ids=["japanese", "emoji", "rtl"],
)
def test_japanese_emoji_and_right_to_left_text_round_trip_intact(client, article, text):
    make_comment(article, email="mariko@example.com", body="Earlier.")
    post(client, article, name=text[:20], body=text)
    comment = Comment.objects.get(body=text)
    assert comment.name == text[:20]
    html = client.get(article.get_absolute_url()).content.decode()
    assert text in html


@pytest.mark.parametrize("field", ["name", "website", "body"])
def test_html_and_script_in_every_field_are_rendered_inert(client, article, field):
    make_comment(article, email="mariko@example.com", body="Earlier.")
    values = {"name": "Mallory", "body": "Hello", "website": ""}
    if field == "website":
        values[field] = 'https://x.example/"><script>alert(1)</script>'
    else:
        values[field] = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    post(client, article, **values)
    assert Comment.objects.count() == 2
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert '"><script>' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("field", ["name", "email", "website", "body"])
def test_typed_html_and_script_come_back_inert_on_a_rejection(client, article, field):
    attack = '"><script>alert(1)</script>'
    values = {"email": "not-an-email", field: attack + "x"}  # always rejected: a bad email
    response = post(client, article, **values)
    html = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_email_address_is_never_in_the_page_source(client, article):
    make_comment(article, email="hidden-address@example.com", body="Visible text")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Visible text" in html
    assert "hidden-address" not in html


def test_urls_in_comments_become_nofollow_links_and_line_breaks_stay(client, article):
    make_comment(article, body="See https://example.org/report\nSecond line")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a rel="nofollow ugc noopener" href="https://example.org/report">' in html
    assert "<br>Second line" in html


def test_a_javascript_website_is_refused(client, article):
    response = post(client, article, website="javascript:alert(1)")
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_a_100_kb_comment_is_refused_with_a_message_and_kept(client, article):
    body = "長い" * 50_000  # 100,000 characters, 300 KB of UTF-8
    response = post(client, article, body=body)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your comment is 100,000 characters long; the limit is 5,000." in html
    assert body in html
    assert Comment.objects.count() == 0


REJECTIONS = {
    "missing name": ({"name": "   "}, 400, "This field is required."),
    "missing email": ({"email": ""}, 400, "This field is required."),
    "bad email": ({"email": "not-an-email"}, 400, "Enter a valid email address."),
    "missing comment": ({"body": ""}, 400, "This field is required."),
    "forged timestamp": ({"issued": "123:forged"}, 400, "This form could not be checked."),
    "form open too long": ({"seconds_ago": 4 * 86400}, 400, "This form had been open too long."),
}


@pytest.mark.parametrize("change", REJECTIONS.values(), ids=REJECTIONS.keys())
def test_the_form_comes_back_filled_after_a_rejection(client, article, change):
    fields, status, message = change
    typed = {"name": "Kenji", "email": "kenji@example.com", "website": "https://kenji.example"}
    typed["body"] = "My carefully typed thoughts."
    typed.update(fields)
    response = post(client, article, **typed)
    html = response.content.decode()
    assert response.status_code == status
    assert message in html
    for key in ("name", "email", "website", "body"):
        if typed[key].strip():
            assert typed[key] in html, key
    assert Comment.objects.count() == 0


def test_a_resubmitted_form_after_a_rejection_is_accepted(client, article):
    response = post(client, article, seconds_ago=4 * 86400)
    fresh = response.context["form"].data["issued"]
    response = post(client, article, issued=fresh)
    assert response.status_code == 302
    # Resubmitting at once is not "too fast": the reader already spent time on the form.
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_closed_article_refuses_comments_and_keeps_the_text(client):
    article = make_article(comments_open=False)
    response = post(client, article, body="Too late?")
    assert response.status_code == 403
    assert "Comments are closed on this article." in response.content.decode()
    assert "Too late?" in response.content.decode()
    assert "Comments are closed." in client.get(article.get_absolute_url()).content.decode()


def test_comments_close_automatically_after_the_configured_days(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    old = make_article(title="Old", published_at=timezone.now() - timedelta(days=15))
    recent = make_article(title="Recent", published_at=timezone.now() - timedelta(days=13))
    assert post(client, old).status_code == 403
    assert post(client, recent).status_code == 302
    assert 'class="comment-form"' not in client.get(old.get_absolute_url()).content.decode()


def test_unpublished_article_refuses_comments_and_keeps_the_text(client):
    article = make_article(published=False, title="Secret draft title")
    response = post(client, article, body="Kept words")
    html = response.content.decode()
    assert response.status_code == 404
    assert "This article is not available for comments." in html
    assert "Kept words" in html
    assert "Secret draft title" not in html


def test_a_post_from_another_site_is_refused_with_the_text_kept(client, article):
    response = post(client, article, body="Kept", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert "Kept" in response.content.decode()
    response = post(client, article, body="Kept", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_a_post_from_the_same_site_is_accepted_without_a_csrf_token(article):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = post(client, article, headers={"Origin": "http://testserver"})
    assert response.status_code == 302
    response = post(client, article, body="Another one", headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 302


def test_reply_to_a_comment_that_is_gone_keeps_the_text(client, article):
    removed = make_comment(article, status=Comment.Status.REMOVED)
    response = post(client, article, parent=str(removed.pk), body="My reply text")
    assert response.status_code == 400
    assert "The comment you replied to is no longer available." in response.content.decode()
    assert "My reply text" in response.content.decode()


def test_remember_me_sets_a_signed_cookie_only_when_ticked(client, article):
    response = post(client, article, body="Not remembered")
    assert response.cookies[tokens.REMEMBER_COOKIE].value == ""
    response = post(client, article, body="Remember me", remember="on", name="Ōta 太郎")
    cookie = response.cookies[tokens.REMEMBER_COOKIE]
    assert not cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert signing.loads(cookie.value, salt=tokens.REMEMBER_SALT) == {
        "name": "Ōta 太郎",
        "email": "mariko@example.com",
        "website": "",
    }
    with pytest.raises(signing.BadSignature):
        signing.loads(cookie.value[:-2] + "xx", salt=tokens.REMEMBER_SALT)


def test_unticking_remember_me_forgets_the_details(client, article):
    post(client, article, body="Remember me", remember="on")
    response = post(client, article, body="Now forget me")
    assert response.cookies[tokens.REMEMBER_COOKIE].value == ""


def test_the_cached_article_page_holds_no_per_visitor_content(client, article):
    post(client, article, body="Remember me", remember="on", name="Private Person")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Private Person" not in html
    assert "csrfmiddlewaretoken" not in html
    assert "Set-Cookie" not in str(client.get(article.get_absolute_url()).headers)


def test_fresh_form_token_endpoint_is_never_cached(client):
    response = client.get(reverse("articles:comment_form_token"))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert response.json()["issued"]


def test_the_database_refuses_a_second_copy_of_one_submission(article):
    from django.db import IntegrityError, transaction

    make_comment(article, fingerprint="f" * 64)
    make_comment(article, body="Imported, no fingerprint")
    make_comment(article, body="Another without one")
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_comment(article, body="Same submission", fingerprint="f" * 64)
