"""Site search: ranked on PostgreSQL with highlighted snippets, a plain match on SQLite."""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article

from .factories import make_article, make_author, make_comment, make_section

pytestmark = pytest.mark.django_db

on_postgres = connection.vendor == "postgresql"


def results(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response, [a.title for a in response.context["page_obj"]]


def test_search_finds_words_in_title_dek_body_tags_and_author_names(client):
    make_article(title="Missile launch over the sea", body="<p>Nothing else.</p>", dek="")
    make_article(title="Dek story", dek="A quiet missile programme.", body="<p>Text.</p>")
    make_article(title="Body story", dek="", body="<p>Radar saw the missile.</p>")
    make_article(title="Tagged story", dek="", body="<p>Text.</p>", tags=["Missile"])
    make_article(
        title="Bylined story",
        dek="",
        body="<p>Text.</p>",
        authors=[make_author(name="Missile Jones")],
    )
    make_article(title="Unrelated", dek="", body="<p>Weather.</p>")
    _, titles = results(client, q="missile")
    assert set(titles) == {
        "Missile launch over the sea",
        "Dek story",
        "Body story",
        "Tagged story",
        "Bylined story",
    }


def test_search_never_shows_drafts_or_scheduled_articles(client):
    make_article(title="Public missile story")
    make_article(title="Draft missile story", published=False)
    make_article(title="Scheduled missile story", published_at=timezone.now() + timedelta(hours=3))
    _, titles = results(client, q="missile")
    assert titles == ["Public missile story"]


def test_search_filters_by_section_and_author(client):
    asia = make_section(name="Asia")
    aiko = make_author(name="Aiko Tanaka")
    make_article(title="Asia missile story", section=asia)
    make_article(title="Aiko missile story", authors=[aiko])
    make_article(title="Other missile story")
    assert results(client, q="missile", section="asia")[1] == ["Asia missile story"]
    assert results(client, q="missile", author="aiko-tanaka")[1] == ["Aiko missile story"]


def test_unknown_filter_gets_a_clear_message_not_an_error(client):
    make_article(title="Missile story")
    response = client.get("/search/", {"q": "missile", "section": "atlantis"})
    assert response.status_code == 200
    assert "That section does not exist" in response.content.decode()
    assert 'value="missile"' in response.content.decode()
    assert [a.title for a in response.context["page_obj"]] == ["Missile story"]


@pytest.mark.parametrize("query", ["", "   ", "!!!", "zzzzqqqq", "'\"<>", "a" * 500, "-", "OR"])
def test_empty_and_nonsense_queries_are_handled_kindly(client, query):
    make_article(title="Missile story")
    response = client.get("/search/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html.split("<main", 1)[1]
    assert any(
        text in html
        for text in ("Type a word or phrase", "result", "Ensure this value has at most")
    )


def test_search_results_are_paginated_and_keep_the_query(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(5):
        make_article(title=f"Missile story {n}")
    response, titles = results(client, q="missile", page=2)
    assert len(titles) == 2
    assert "q=missile&amp;page=3" in response.content.decode()
    assert client.get("/search/", {"q": "missile", "page": 9}).status_code == 404


def test_a_broad_search_ranks_the_newest_matches_and_says_so(client, monkeypatch):
    monkeypatch.setattr("articles.models.article.SEARCH_POOL", 3)
    monkeypatch.setattr(importlib.import_module("articles.views.search"), "SEARCH_POOL", 3)
    asia = make_section(name="Asia")
    make_article(title="Oldest missile story", section=asia, published_at=_hours_ago(9))
    for n in range(4):
        make_article(title=f"Missile story {n}", published_at=_hours_ago(n + 1))
    response, titles = results(client, q="missile")
    assert sorted(titles) == ["Missile story 0", "Missile story 1", "Missile story 2"]
    assert "3 or more results: the best matches among the newest 3." in response.content.decode()
    # Filters narrow the matches before the newest are taken: older articles are reachable.
    response, titles = results(client, q="missile", section="asia")
    assert titles == ["Oldest missile story"]
    assert "1 result<" in response.content.decode()


def _hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def test_title_matches_rank_first_with_highlighted_snippets_on_postgresql(client):
    make_article(
        title="Weather report",
        dek="Okinawa braces.",
        body="<p>Later, a typhoon reached <b>Okinawa</b>.</p>",
        published_at=timezone.now() - timedelta(minutes=1),
    )
    make_article(
        title="Typhoon hits Okinawa",
        dek="",
        body="<p>Strong winds.</p>",
        published_at=timezone.now() - timedelta(days=3),
    )
    response, titles = results(client, q="typhoon")
    html = response.content.decode()
    if on_postgres:
        assert titles == ["Typhoon hits Okinawa", "Weather report"]
        assert "Later, a <mark>typhoon</mark> reached Okinawa" in html
    else:  # the SQLite fallback: newest first, the dek as the snippet
        assert titles == ["Weather report", "Typhoon hits Okinawa"]
        assert '<p class="snippet">Okinawa braces.</p>' in html


def test_websearch_syntax_supports_phrases_and_exclusions_on_postgresql(client):
    make_article(title="Missile test in the sea", dek="", body="<p>A test.</p>")
    make_article(title="Missile defence", dek="", body="<p>Shield.</p>")
    if on_postgres:
        assert results(client, q='"missile test"')[1] == ["Missile test in the sea"]
        assert results(client, q="missile -test")[1] == ["Missile defence"]
    else:  # the SQLite fallback ignores the syntax and needs every word
        assert results(client, q='"missile test"')[1] == ["Missile test in the sea"]


def test_search_vector_has_a_gin_index_only_on_postgresql():
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Article._meta.db_table)
    gin = [name for name, info in indexes.items() if info.get("type") == "gin"]
    assert gin == (["article_search_vector_gin"] if on_postgres else [])


def test_search_page_query_count_does_not_grow(client, django_assert_num_queries):
    asia = make_section(name="Asia")
    for n in range(2):
        make_comment(make_article(title=f"Missile {n}", section=asia, tags=["Japan"]))
    # Once per content version: the menu and the banner, the authors of the filter, and the
    # menu's sections with articles and the footer's pages (articles/context_processors.py).
    with django_assert_num_queries(3 + 5):
        client.get("/search/", {"q": "missile"})
    # The ranked ids, the page's rows, their bylines: the filters' choices cost nothing.
    with django_assert_num_queries(3):
        client.get("/search/", {"q": "missile"})
    for n in range(10):
        article = make_article(title=f"More missile {n}", section=asia, tags=["Japan", "Korea"])
        make_comment(article)
        article.bylines.create(author=make_author(name=f"Writer {n}"), order=1)
    client.get("/search/", {"q": "missile"})
    with django_assert_num_queries(3):
        response = client.get("/search/", {"q": "missile", "section": "asia"})
    assert len(response.context["page_obj"]) == 12


def test_search_filters_list_every_section_and_author_and_a_new_one_at_once(client):
    make_section(name="Asia")
    make_author(name="Aiko Tanaka")
    html = client.get("/search/", {"q": "missile"}).content.decode()
    assert '<option value="asia">Asia</option>' in html
    assert '<option value="aiko-tanaka">Aiko Tanaka</option>' in html
    make_section(name="Europe")
    make_author(name="Ben Okafor")
    html = client.get("/search/", {"q": "missile", "author": "ben-okafor"}).content.decode()
    assert '<option value="europe">Europe</option>' in html
    assert '<option value="ben-okafor" selected>Ben Okafor</option>' in html
    assert "That author does not exist" not in html


def test_renamed_authors_and_tags_are_found_under_their_new_names(client):
    author = make_author(name="Aiko Tanaka")
    make_article(title="Story", dek="", body="<p>Text.</p>", authors=[author], tags=["Typhoons"])
    author.name = "Aiko Watanabe"
    author.save()
    tag = Tag.objects.get(name="Typhoons")
    tag.name = "Cyclones"
    tag.save()
    assert results(client, q="watanabe")[1] == ["Story"]
    assert results(client, q="cyclones")[1] == ["Story"]


@pytest.mark.skipif(not on_postgres, reason="search vectors exist on PostgreSQL only")
def test_demo_and_imported_articles_are_searchable_by_tag_and_author(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("demo", "--articles", "40", "--comments-per-article", "1", stdout=StringIO())
    article = Article.objects.published().filter(bylines__isnull=False, tags__isnull=False).first()
    author = article.bylines.first().author.name.split()[-1]
    tag = article.tags.first().name
    html = client.get("/search/", {"q": f"{author} {tag}"}).content.decode()
    assert article.title.replace("'", "&#x27;") in html


@pytest.mark.skipif(not on_postgres, reason="snippets come from the body on PostgreSQL only")
def test_snippets_show_the_bodys_ampersands_and_quotes_as_written(client):
    make_article(
        title="Markets",
        dek="",
        body='<p>Salt &amp; pepper, &quot;fish&quot; &lt;chips&gt; and a <a href="/x">typhoon</a>.</p>',
    )
    html = client.get("/search/", {"q": "typhoon"}).content.decode()
    assert "Salt &amp; pepper, &quot;fish&quot; &lt;chips&gt; and a <mark>typhoon</mark>" in html
