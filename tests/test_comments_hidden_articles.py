"""Drafts, scheduled and withdrawn articles answer comment requests as an unknown slug does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import comment_form_data, make_article, make_comment

pytestmark = pytest.mark.django_db

SLUG = "hidden-story"

HIDDEN = {
    "draft": {"published": False},
    "scheduled": {"published_at": timezone.now() + timedelta(days=1)},
    "withdrawn": {
        "published": False,
        "published_at": timezone.now() - timedelta(days=1),
    },
    "draft with comments closed": {"published": False, "comments_open": False},
}

ASKS = {
    "a valid comment": {},
    "an invalid form": {"email": "not an address", "body": ""},
    "a reply": {},  # to an approved comment on the article
    "a post from another site": {"headers": {"Sec-Fetch-Site": "cross-site"}},
}


def answer(response):
    """Everything a client can observe of a response (but the clock, in Expires)."""
    templates = [t.name for t in response.templates]
    headers = sorted((k, v) for k, v in response.items() if k != "Expires")
    return response.status_code, templates, headers, response.content


def post(client, slug, headers=None, **data):
    url = reverse("articles:comment_post", args=[slug])
    return client.post(url, comment_form_data(**data), headers=headers or {})


def unknown(make_request):
    """The same request once the hidden article is gone."""
    Article.objects.filter(slug=SLUG).delete()
    return answer(make_request())


@pytest.mark.parametrize("ask", ASKS)
@pytest.mark.parametrize("kind", HIDDEN)
def test_a_comment_on_a_hidden_article_is_answered_as_for_an_unknown_slug(client, kind, ask):
    article = make_article(slug=SLUG, title="Secret merger talks", **HIDDEN[kind])
    data = {"body": "Kept words", **ASKS[ask]}
    if ask == "a reply":
        data["parent"] = str(make_comment(article).pk)

    def request():
        return post(client, SLUG, **data)

    hidden = answer(request())
    assert hidden == unknown(request)
    assert hidden[0] == 404
    assert b"Secret merger talks" not in hidden[3]


def test_a_hidden_article_is_not_revealed_by_the_rate_limit(client, settings):
    settings.COMMENTS_RATE_PER_MINUTE = 0
    make_article(slug=SLUG, published=False)

    def request():
        return post(client, SLUG, body="Kept words")

    hidden = answer(request())
    assert hidden == unknown(request)
    assert hidden[0] == 404


def test_the_text_of_a_comment_on_a_hidden_article_is_kept(client):
    make_article(slug=SLUG, published=False)
    html = post(client, SLUG, body="Words worth keeping").content.decode()
    assert "This article is not available for comments." in html
    assert "Words worth keeping" in html


@pytest.mark.parametrize("kind", HIDDEN)
def test_a_reply_link_to_a_hidden_article_is_answered_as_for_an_unknown_slug(client, kind):
    article = make_article(slug=SLUG, title="Secret merger talks", **HIDDEN[kind])
    comment = make_comment(article, name="Insider")
    url = reverse("articles:article_detail", args=[SLUG])

    def request():
        return client.get(url, {"replytocom": comment.pk})

    hidden = answer(request())
    assert hidden == unknown(request)
    assert hidden[0] == 404


def test_a_report_link_to_a_comment_on_a_draft_is_answered_as_for_an_unknown_comment(client):
    comment = make_comment(make_article(slug=SLUG, published=False))
    url = reverse("articles:comment_report", args=[comment.pk])
    hidden = answer(client.get(url))
    assert hidden == unknown(lambda: client.get(url))
    assert hidden[0] == 404


def test_a_closed_live_article_still_says_its_comments_are_closed(client):
    make_article(slug=SLUG, comments_open=False)
    response = post(client, SLUG, body="Too late?")
    assert response.status_code == 403
    assert "Comments are closed on this article." in response.content.decode()
