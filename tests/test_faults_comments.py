"""Posting a comment is atomic and idempotent: one comment per submission, however often it
arrives, and nothing half-saved when something fails part way."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.comments import services
from articles.models import Comment, ReplySubscription
from tests.factories import comment_form_data, make_article


@pytest.fixture
def article(db, settings):
    settings.COMMENTS_MODERATION = "none"
    return make_article()


def post(client, article, **data):
    url = reverse("articles:comment_post", args=[article.slug])
    return client.post(url, comment_form_data(**data))


def test_a_double_click_makes_one_comment_and_both_clicks_land_on_it(client, article):
    first = post(client, article, body="Double click me")
    second = post(client, article, body="Double click me")
    comment = Comment.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert first["Location"].endswith(f"#comment-{comment.pk}")


def test_a_retry_after_a_lost_response_makes_no_second_comment(client, article):
    data = comment_form_data(body="Sent on a flaky train connection")
    url = reverse("articles:comment_post", args=[article.slug])
    for _ in range(5):
        assert client.post(url, data).status_code == 302
    assert Comment.objects.count() == 1


def test_the_same_text_as_a_reply_elsewhere_is_a_different_comment(client, article):
    post(client, article, body="Agreed.")
    parent = Comment.objects.get()
    post(client, article, body="Agreed.", parent=str(parent.pk))
    assert Comment.objects.count() == 2


def test_the_database_itself_refuses_a_duplicate_fingerprint(article):
    Comment.objects.create(
        article=article, name="A", email="a@example.com", body="x", fingerprint="f"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            article=article, name="A", email="a@example.com", body="x", fingerprint="f"
        )


def test_a_failure_part_way_leaves_no_half_saved_comment(client, article, monkeypatch):
    """The comment row is written, then the reply subscription fails: all of it rolls back."""

    def broken(comment):
        assert Comment.objects.filter(pk=comment.pk).exists()  # saved, inside the transaction
        raise ConnectionResetError("the database went away mid-request")

    monkeypatch.setattr(services, "subscription_request", broken)
    client.raise_request_exception = False
    response = post(client, article, body="Please email me replies", notify_replies="on")
    assert response.status_code == 500
    assert not Comment.objects.exists()
    assert not ReplySubscription.objects.exists()

    monkeypatch.undo()  # the reader tries again once things work: one comment, subscribed
    response = post(client, article, body="Please email me replies", notify_replies="on")
    assert response.status_code == 302
    assert Comment.objects.count() == ReplySubscription.objects.count() == 1


# Simultaneous identical submissions on real connections: tests/test_faults_database.py
# races them against gunicorn and its own PostgreSQL (a transactional test here would
# flush the shared test database under the tests that use serialized rollback).
