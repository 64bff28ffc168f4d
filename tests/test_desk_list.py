"""The article list: authors, section, status, comment count and last change, each
filterable, in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import make_article, make_author, make_comment, make_section, make_staff

pytestmark = pytest.mark.django_db
LIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor(client):
    user = make_staff("eda", "Editors")
    client.force_login(user)
    return user


def cells(html, name) -> list[str]:
    found = re.findall(rf'<t[dh] class="field-{name}[^"]*">(.*?)</t[dh]>', html, re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in found]


def queries_for(client, url=LIST) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_articles(n, section):
    for i in range(n):
        article = make_article(
            title=f"Story number {i}", section=section,
            authors=[make_author(name=f"Writer {i}"), make_author(name=f"Helper {i}")],
        )  # fmt: skip
        make_comment(article)


def test_the_list_shows_authors_section_status_comments_and_last_change(client, editor):
    article = make_article(
        authors=[make_author(name="Aiko Tanaka"), make_author(name="Ben Ode")],
        section=make_section(name="Asia"),
    )
    make_comment(article)
    make_comment(article)
    make_comment(article, status="pending")  # readers do not see it: not counted
    html = client.get(LIST).text
    assert cells(html, "author_names") == ["Aiko Tanaka, Ben Ode"]
    assert cells(html, "section") == ["Asia"]
    assert cells(html, "status_label") == ["Published"]
    assert cells(html, "comment_count") == ["2"]
    assert cells(html, "last_change")[0]


def test_each_column_is_a_filter(client, editor):
    quiet = make_article(title="No comments here", section=make_section(name="Sport"))
    busy = make_article(title="Lots to say", section=make_section(name="Asia"))
    make_comment(busy)
    assert cells(client.get(LIST + "?comments=none").text, "title") == [quiet.title]
    assert cells(client.get(LIST + "?comments=some").text, "title") == [busy.title]
    author = busy.bylines.get().author
    assert cells(client.get(LIST + f"?authors__id__exact={author.pk}").text, "title") == [
        busy.title
    ]
    assert cells(client.get(LIST + f"?section__id__exact={busy.section_id}").text, "title") == [
        busy.title
    ]
    assert cells(client.get(LIST + "?modified_at__gte=2000-01-01+00:00:00%2B00:00").text, "title")
    assert len(cells(client.get(LIST + "?timing=live").text, "title")) == 2


def test_the_list_costs_the_same_queries_for_three_or_twelve_articles(client, editor):
    section = make_section()
    add_articles(3, section)
    few = queries_for(client)
    add_articles(9, section)
    assert queries_for(client) == few
