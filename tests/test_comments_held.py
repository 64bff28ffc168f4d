"""The ?held= link: a commenter sees their own comment awaiting moderation, and only that."""

import pytest
from django.urls import reverse

from articles.comments import tokens
from articles.models import Ban, Comment

from .factories import comment_form_data, make_article, make_comment

pytestmark = pytest.mark.django_db

SPAM_BODY = "Cheap pills at https://pills.example/buy today"


@pytest.fixture
def article():
    return make_article()


def held_page(client, article, comment):
    url = article.get_absolute_url()
    return client.get(url, {"held": tokens.held_token(comment)}).content.decode()


def test_a_held_link_to_spam_says_it_awaits_moderation_but_never_shows_it(client, article):
    comment = make_comment(article, status=Comment.Status.SPAM, name="Pills", body=SPAM_BODY)
    html = held_page(client, article, comment)
    assert "Cheap pills" not in html and "pills.example" not in html
    assert "Comment by Pills" not in html
    # The sender learns nothing: to them it looks held, like any first comment.
    assert "Your comment is awaiting moderation." in html
    assert f'id="comment-{comment.pk}"' in html
    assert "0 comments" in html


def test_a_held_link_to_a_removed_comment_shows_nothing(client, article):
    comment = make_comment(article, status=Comment.Status.REMOVED, body="Removed words")
    html = held_page(client, article, comment)
    assert "Removed words" not in html
    assert "awaiting moderation" not in html


def test_a_banned_commenter_following_the_redirect_sees_nothing_published(client, article):
    Ban.objects.create(email="spammer@example.com", reason="Pill spam")
    url = reverse("articles:comment_post", args=[article.slug])
    data = comment_form_data(article, email="spammer@example.com", body=SPAM_BODY)
    response = client.post(url, data)
    assert Comment.objects.get().status == Comment.Status.SPAM
    html = client.get(response["Location"]).content.decode()
    assert "Cheap pills" not in html
    assert "pills.example" not in html
    assert "Your comment is awaiting moderation." in html


def test_a_held_comment_is_shown_marked_with_its_links_not_live(client, article):
    comment = make_comment(
        article,
        status=Comment.Status.PENDING,
        name="Hopeful",
        website="https://hopeful.example",
        body="My take: https://hopeful.example/post",
    )
    html = held_page(client, article, comment)
    assert "Your comment is awaiting moderation." in html
    assert "My take: https://hopeful.example/post" in html
    assert 'href="https://hopeful.example' not in html
    assert "0 comments" in html


def test_a_held_link_shows_only_its_own_comment(client, article):
    mine = make_comment(article, status=Comment.Status.PENDING, body="My held words")
    make_comment(article, status=Comment.Status.PENDING, body="Someone else's held words")
    make_comment(article, status=Comment.Status.SPAM, body="Spam beside it")
    html = held_page(client, article, mine)
    assert "My held words" in html
    assert "Someone else's held words" not in html and "Spam beside it" not in html


def test_a_held_link_for_another_article_shows_nothing(client, article):
    other = make_article(title="Another story")
    comment = make_comment(other, status=Comment.Status.PENDING, body="Held elsewhere")
    assert "Held elsewhere" not in held_page(client, article, comment)


def test_a_held_comment_that_was_approved_shows_as_an_ordinary_comment(client, article):
    comment = make_comment(article, body="Now approved https://ok.example")
    html = held_page(client, article, comment)
    assert "awaiting moderation" not in html
    assert 'href="https://ok.example"' in html
    assert "1 comment<" in html
