"""Fragments (articles/fragments.py): what did not change is not rendered again, and every
change shows on the next render, with nothing for one reader kept for the others."""

import re
import time
from contextlib import contextmanager

import pytest
from django.core import signing
from django.core.cache import caches
from django.urls import reverse

from articles.comments import tokens
from articles.comments.forms import TOKEN_SALT
from articles.models import Article, Comment
from tests.factories import (
    comment_form_data,
    make_article,
    make_author,
    make_citation,
    make_comment,
    make_section,
    make_source,
)

CACHE_METHODS = ("get", "get_many", "set", "set_many", "add", "incr", "delete", "delete_many")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_caches():
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def story():
    """An article with what its page shows: section, author, tag, source, a related story."""
    section = make_section(name="Asia")
    author = make_author(name="Aiko Tanaka", bio="Tokyo correspondent.")
    article = make_article(
        title="Missiles over Hokkaido", section=section, authors=[author], tags=["Japan"]
    )
    make_citation(article, source=make_source(name="NHK"), title="NHK report")
    make_article(title="Earlier launch", section=section, authors=[author], tags=["Japan"])
    make_comment(article, name="Mariko", body="First comment.")
    return article


def page(client, article, **params) -> str:
    response = client.get(article.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def test_after_a_new_comment_the_article_page_costs_two_queries(
    client, story, django_assert_num_queries
):
    page(client, story)  # renders everything once: fragments, kept rows, chosen boxes
    make_comment(story, name="Kenji", body="A second opinion.")
    # The article and its comments: bylines, tags, sources and the boxes' cards are kept.
    with django_assert_num_queries(2):
        html = page(client, story)
    assert "2 comments" in html
    assert "A second opinion." in html
    assert "First comment." in html
    assert "Earlier launch" in html  # the related box and the author box, from the cache
    assert "NHK report" in html


@contextmanager
def cache_calls(monkeypatch):
    """Every call made to a cache (on Redis, a round trip each), as (method, what it reads):
    the first key without its digests, "memo:cards" or "frag1:comment"."""
    calls, depth = [], []

    def counted(method, name):
        def call(keys, *args, **kwargs):
            if not depth:  # local memory's get_many() calls its own get()
                first = keys if isinstance(keys, str) else next(iter(keys), "")
                calls.append((name, ":".join(first.split(":")[:2])))
            depth.append(name)
            try:
                return method(keys, *args, **kwargs)
            finally:
                depth.pop()

        return call

    for cache in caches.all():
        for name in CACHE_METHODS:
            monkeypatch.setattr(cache, name, counted(getattr(cache, name), name))
    yield calls


def test_after_a_new_comment_the_article_page_makes_six_cache_calls(client, story, monkeypatch):
    page(client, story)
    make_comment(story, name="Kenji", body="A second opinion.")
    with cache_calls(monkeypatch) as calls:
        html = page(client, story)
    assert "A second opinion." in html
    assert calls == [
        ("get_many", "memo:page-rows2"),  # bylines, tags, corrections, sources, boxes' choice
        ("get_many", "memo:cards"),  # the related and author boxes' articles
        # Every comment and the article's, author box's and related box's fragments: one read
        ("get_many", "frag1:comment"),
        ("set_many", "frag1:comment"),  # the new comment, rendered
        ("get_many", "memo:chrome"),  # the banner (base.html)
        ("get_many", "memo:menu"),  # the sections menu and the footer's pages, read once
    ]


def test_the_page_rendered_from_fragments_is_the_page_rendered_afresh(client, story):
    first = page(client, story)
    again = page(client, story)
    live = re.compile(r'nonce="[^"]*"|name="issued" value="[^"]*"')  # per reader, per second
    assert live.sub("", first) == live.sub("", again)


def test_an_edited_article_shows_at_once(client, story):
    page(client, story)
    story.title = "Missiles over Hokkaido, Tokyo says"
    story.body = "<p>New details emerged overnight.</p>"
    story.save()
    html = page(client, story)
    assert "Missiles over Hokkaido, Tokyo says" in html
    assert "New details emerged overnight." in html


def test_an_edited_author_shows_at_once_in_byline_and_author_box(client, story):
    page(client, story)
    author = story.bylines.get().author
    author.name, author.bio = "Aiko Sato", "Seoul bureau chief."
    author.save()
    html = page(client, story)
    assert html.count("Aiko Sato") >= 3  # byline, author box, structured data
    assert "Aiko Tanaka" not in html
    assert "Seoul bureau chief." in html
    assert "Tokyo correspondent." not in html


def test_a_renamed_tag_source_and_section_show_at_once(client, story):
    page(client, story)
    tag = story.tags.get()
    tag.name = "Japan politics"
    tag.save()
    source = story.citations.get().source
    source.name = "NHK World"
    source.save()
    section = story.section
    section.name = "Asia Pacific"
    section.save()
    html = page(client, story)
    assert "Japan politics" in html
    assert "NHK World" in html
    assert "Asia Pacific" in html


def test_an_edited_or_removed_comment_shows_at_once(client, story):
    page(client, story)
    comment = story.comments.get()
    comment.body = "First comment, edited by a moderator."
    comment.save()
    assert "edited by a moderator" in page(client, story)
    Comment.objects.filter(pk=comment.pk).update(is_editors_pick=True)  # the admin's action
    assert "Editor's pick" in page(client, story)
    comment.status = Comment.Status.REMOVED
    comment.save()
    html = page(client, story)
    assert "First comment" not in html
    assert "0 comments" in html


def test_the_related_box_shows_an_edit_or_unpublish_of_its_articles_at_once(client, story):
    assert "Earlier launch" in page(client, story)
    earlier = Article.objects.get(title="Earlier launch")
    earlier.title = "The earlier launch, revisited"
    earlier.save()
    assert "The earlier launch, revisited" in page(client, story)
    earlier.status = Article.Status.DRAFT
    earlier.save()
    assert "earlier launch" not in page(client, story).lower()


def test_a_card_shows_a_new_comment_count_and_an_edited_title_on_lists(client, story):
    assert "1 comment<" in client.get("/").content.decode()
    make_comment(story, name="Kenji")
    assert "2 comments" in client.get("/").content.decode()
    story.title = "Missiles over Hokkaido: what we know"
    story.save()
    assert "Missiles over Hokkaido: what we know" in client.get("/sections/asia/").content.decode()


def test_a_held_comment_is_shown_to_its_author_and_to_nobody_else(client, story):
    held = make_comment(story, name="Hiro", body="Held for review.", status=Comment.Status.PENDING)
    mine = page(client, story, held=tokens.held_token(held))
    assert "Held for review." in mine
    assert "awaiting moderation" in mine
    theirs = page(client, story)
    assert "Held for review." not in theirs
    assert "awaiting moderation" not in theirs
    assert "Held for review." in page(client, story, held=tokens.held_token(held))


def test_the_comment_form_and_script_nonces_are_rendered_for_each_reader(client, story):
    page(client, story)
    replying = page(client, story, replytocom=story.comments.get().pk)
    assert "Reply to Mariko" in replying
    plain = client.get(story.get_absolute_url())
    html = plain.content.decode()
    assert "Reply to Mariko" not in html
    assert "Leave a reply" in html
    nonces = set(re.findall(r'<script[^>]* nonce="([^"]+)"', html))
    assert nonces, "the page's scripts carry a nonce"
    assert all(f"'nonce-{n}'" in plain["Content-Security-Policy"] for n in nonces)
    assert not nonces & set(re.findall(r'nonce="([^"]+)"', replying))


def test_a_preview_is_rendered_live_not_from_what_readers_were_shown(admin_client, client, story):
    assert "share-links" in page(client, story)  # the article's fragment, with sharing
    preview = admin_client.get(reverse("articles:article_preview", args=[story.pk]))
    html = preview.content.decode()
    assert "Missiles over Hokkaido" in html
    assert "share-links" not in html  # a preview offers no sharing
    assert "Preview" in html


def test_a_new_author_on_the_byline_gets_an_author_box_at_once(client, story):
    other = make_author(name="Kenji Watanabe", bio="Defence reporter.")
    make_article(title="Radar sites on alert", authors=[other])
    assert "Kenji Watanabe" not in page(client, story)
    story.bylines.create(author=other, order=2)
    html = page(client, story)
    assert "Defence reporter." in html  # his author box
    assert "Radar sites on alert" in html  # with his other article


def test_a_comment_edited_after_a_new_comment_shows_with_it(client, story):
    page(client, story)
    make_comment(story, name="Kenji", body="A second opinion.")
    comment = story.comments.get(name="Mariko")
    comment.name, comment.body = "Mariko S.", "First comment, corrected."
    comment.save()
    html = page(client, story)
    assert "A second opinion." in html
    assert "Mariko S." in html
    assert "First comment, corrected." in html
    assert "First comment." not in html


def test_the_kept_comment_form_carries_a_fresh_signed_time(client, story, monkeypatch):
    page(client, story)  # keeps the empty form with the article's fragments
    later = time.time() + 3600
    monkeypatch.setattr("articles.comments.forms.time.time", lambda: later)
    issued = re.search(r'name="issued" value="([^"]+)"', page(client, story))[1]
    assert signing.loads(issued, salt=TOKEN_SALT) == int(later)


def test_a_readers_rejected_text_is_never_kept_for_the_next_reader(client, story):
    page(client, story)
    url = reverse("articles:comment_post", args=[story.slug])
    typed = comment_form_data(story, name="Kenji", body="My unfinished thoughts.", email="")
    rejected = client.post(url, typed).content.decode()
    assert "My unfinished thoughts." in rejected  # given back to its writer
    html = page(client, story)
    assert "My unfinished thoughts." not in html
    assert "Kenji" not in html
    assert "Leave a reply" in html


def test_closed_comments_show_no_form(client, story):
    story.comments_open = False
    story.save()
    html = page(client, story)
    assert "Comments are closed." in html
    assert 'name="issued"' not in html
