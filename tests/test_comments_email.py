"""Emails about comments: authors, editors, and replies with double opt-in and unsubscribe."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from articles.comments import services
from articles.models import Author, Comment, ReplySubscription
from articles.roles import AUTHORS, EDITORS

from .factories import comment_form_data, make_article, make_comment, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    writer = make_staff("aiko", AUTHORS, email="aiko@newsroom.test")
    return make_article(authors=[Author.objects.create(name="Aiko", user=writer)])


@pytest.fixture
def post(client, article, django_capture_on_commit_callbacks):
    def post(**kwargs):
        url = reverse("articles:comment_post", args=[article.slug])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, comment_form_data(article, **kwargs))
        assert response.status_code == 302
        return Comment.objects.latest("id")

    return post


def test_the_author_is_emailed_about_each_new_comment(article, post):
    make_comment(article, email="mariko@example.com", body="Earlier.")
    comment = post(body="Great reporting <3")
    [message] = mail.outbox
    assert message.to == ["aiko@newsroom.test"]
    assert article.title in message.subject
    assert "Great reporting <3" in message.body
    assert f"#comment-{comment.pk}" in message.body


def test_editors_are_emailed_about_held_comments(article, post):
    make_staff("ed", EDITORS, email="ed@newsroom.test")
    post(body="My first comment ever.")
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["aiko@newsroom.test", "ed@newsroom.test"]
    held = next(m for m in mail.outbox if m.to == ["ed@newsroom.test"])
    assert "First comment from this address" in held.body


def test_spam_emails_nobody(article, post):
    make_staff("ed", EDITORS)
    post(address="I am a robot")
    assert mail.outbox == []


def test_reply_emails_need_a_confirmed_address(client, article, post):
    make_comment(article, email="mariko@example.com", body="Earlier.")
    parent = post(body="Tell me about replies.", notify_replies="on")
    [confirm] = [m for m in mail.outbox if m.to == ["mariko@example.com"]]
    assert "Confirm" in confirm.subject
    mail.outbox.clear()

    reply = make_comment(article, parent=parent, email="other@example.com", status="pending")
    services.comment_set_status([reply], Comment.Status.APPROVED)
    assert mail.outbox == []  # not confirmed yet: nothing is sent

    url = re.search(r"http://\S+", confirm.body).group(0).removeprefix("http://127.0.0.1:8000")
    assert "Yes, email me replies" in client.get(url).content.decode()
    assert ReplySubscription.objects.get().confirmed_at is None  # a GET confirms nothing
    assert "Thank you" in client.post(url).content.decode()
    assert ReplySubscription.objects.get().is_active


def test_an_approved_reply_reaches_a_confirmed_subscriber_with_one_click_unsubscribe(
    client, article, post, django_capture_on_commit_callbacks
):
    make_comment(article, email="mariko@example.com", body="Earlier.")
    ReplySubscription.objects.create(
        comment=make_comment(article, email="old@x.example"),
        email="mariko@example.com",
        confirmed_at="2026-01-01T00:00Z",
    )
    parent = post(body="Second request: confirmed already.", notify_replies="on")
    assert ReplySubscription.objects.get(comment=parent).is_active
    mail.outbox.clear()
    reply = make_comment(
        article, parent=parent, name="Kenji", email="k@example.com", status="pending"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_set_status([reply], Comment.Status.APPROVED)
    [message] = mail.outbox
    assert message.to == ["mariko@example.com"]
    assert "Kenji replied" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe.removeprefix("http://127.0.0.1:8000")
    assert unsubscribe in message.body
    # A mail client's one-click POST needs no token or cookie.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not ReplySubscription.objects.filter(unsubscribed_at__isnull=True).exists()

    mail.outbox.clear()
    second = make_comment(article, parent=parent, email="z@example.com", status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_set_status([second], Comment.Status.APPROVED)
    assert mail.outbox == []


def test_no_email_about_your_own_reply(article, post, django_capture_on_commit_callbacks):
    make_comment(article, email="mariko@example.com", body="Earlier.")
    parent = make_comment(article, email="mariko@example.com", body="Parent")
    ReplySubscription.objects.create(
        comment=parent, email="mariko@example.com", confirmed_at="2026-01-01T00:00Z"
    )
    post(parent=str(parent.pk), body="Replying to myself.")
    assert [m for m in mail.outbox if "replied" in m.body] == []


def test_forged_confirmation_and_unsubscribe_links_are_404(client):
    assert client.get("/comments/replies/confirm/forged/").status_code == 404
    assert client.post("/comments/replies/unsubscribe/forged/").status_code == 404
