from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Citation, Comment, Correction, Source

from .factories import make_article, make_author, make_comment, make_section

pytestmark = pytest.mark.django_db


def test_front_page_lists_published_articles_newest_first(client):
    make_article(title="Older story", published_at=timezone.now() - timedelta(days=2))
    make_article(title="Newer story")
    make_article(title="Secret draft", published=False)
    make_article(title="Embargoed story", published_at=timezone.now() + timedelta(days=1))
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Newer story") < html.index("Older story")
    assert "Secret draft" not in html
    assert "Embargoed story" not in html


def test_every_page_has_a_working_skip_link(client):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html
    assert '<html lang="en">' in html


def test_front_page_shows_sections_in_the_header(client):
    make_section(name="Asia", order=1)
    make_section(name="World", order=0)
    html = client.get("/").content.decode()
    assert html.index('href="/sections/world/"') < html.index('href="/sections/asia/"')


def test_front_page_query_count_does_not_grow_with_articles(client, django_assert_num_queries):
    for n in range(3):
        make_article(title=f"Story {n}", tags=["Japan", "Missiles"])
    with django_assert_num_queries(5):
        client.get("/")
    for n in range(3, 12):
        make_article(title=f"Story {n}", tags=["Japan"], authors=[make_author(name=f"A{n}")])
    with django_assert_num_queries(5):
        client.get("/")


@pytest.mark.parametrize("page", ["0", "99", "abc", "-1"])
def test_pages_that_do_not_exist_are_404(client, page):
    make_article()
    assert client.get("/", {"page": page}).status_code == 404


def test_article_page_shows_everything_a_reader_needs(client):
    author = make_author(name="Aiko Tanaka", role="Tokyo correspondent")
    section = make_section(name="Asia")
    article = make_article(
        title="North Korea and Tokyo: rising tensions",
        dek="Missile launches draw a swift response.",
        dateline="TOKYO",
        section=section,
        authors=[author],
        tags=["North Korea"],
        body="<h2>Missile launch activity</h2><p>Launches toward the Sea of Japan.</p>",
    )
    bbc = Source.objects.create(name="BBC", homepage_url="https://www.bbc.com")
    Citation.objects.create(
        article=article, source=bbc, url="https://www.bbc.com/news/asia", title="Launch report"
    )
    Correction.objects.create(article=article, note="An earlier version misstated the date.")
    make_comment(article, name="Kenji", body="Worrying <b>news</b>.\nStay safe.")
    make_comment(article, name="Hidden", status=Comment.Status.PENDING)

    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>North Korea and Tokyo: rising tensions</h1>" in html
    assert "Missile launches draw a swift response." in html
    assert "TOKYO" in html
    assert "<h2>Missile launch activity</h2>" in html
    assert 'href="/authors/aiko-tanaka/"' in html
    assert "More posts by Aiko Tanaka" in html
    assert 'href="/tags/north-korea/"' in html
    assert '<a href="https://www.bbc.com/news/asia">Launch report</a>' in html
    assert "An earlier version misstated the date." in html
    assert "Worrying &lt;b&gt;news&lt;/b&gt;.<br>Stay safe." in html
    assert "Hidden" not in html
    assert "1 comment" in html
    assert "<time datetime=" in html


def test_drafts_and_scheduled_articles_are_not_found(client):
    draft = make_article(title="Draft", published=False)
    scheduled = make_article(title="Later", published_at=timezone.now() + timedelta(hours=1))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_article_page_query_count_does_not_grow_with_comments(client, django_assert_num_queries):
    article = make_article(tags=["Japan"])
    make_comment(article)
    with django_assert_num_queries(7):
        client.get(article.get_absolute_url())
    for n in range(20):
        make_comment(article, name=f"Reader {n}")
    article.tags.add("Missiles", "Diplomacy")
    with django_assert_num_queries(7):
        client.get(article.get_absolute_url())


def test_author_section_tag_and_source_pages_list_their_articles(client):
    author = make_author(name="Aiko Tanaka")
    section = make_section(name="Security")
    article = make_article(title="Listed story", authors=[author], section=section, tags=["Japan"])
    source = Source.objects.create(name="NHK")
    Citation.objects.create(article=article, source=source, url="https://www3.nhk.or.jp/news/")
    for url in ("/authors/aiko-tanaka/", "/sections/security/", "/tags/japan/", "/sources/nhk/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Listed story" in response.content.decode(), url
    assert client.get("/authors/nobody/").status_code == 404


def test_healthz_reports_the_database(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
