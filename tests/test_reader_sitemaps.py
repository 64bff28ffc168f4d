"""Sitemaps for search engines and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from .factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return [loc.text for loc in ET.fromstring(response.content).findall(".//s:loc", NS)]


@pytest.fixture
def content():
    author = make_author(name="Aiko Tanaka")
    asia = make_section(name="Asia")
    make_section(name="Empty")
    hidden = make_author(name="Hidden Writer")
    make_article(title="Fresh", section=asia, authors=[author], tags=["Japan"])
    make_article(title="Old", published_at=timezone.now() - timedelta(days=5), authors=[author])
    make_article(title="Draft", published=False, authors=[hidden], tags=["Secret"])
    make_article(title="Later", published_at=timezone.now() + timedelta(days=1), authors=[hidden])


def test_sitemap_index_lists_every_sitemap_on_the_site_url(client, content, settings):
    settings.SITE_URL = "https://news.example"
    urls = locations(client, "/sitemap.xml")  # asked for on another host
    for name in ("articles", "news", "sections", "tags", "authors"):
        assert f"https://news.example/sitemap-{name}.xml" in urls


def test_article_sitemap_has_published_articles_with_lastmod(client, content):
    response = client.get("/sitemap-articles.xml")
    root = ET.fromstring(response.content)
    urls = {
        u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
        for u in root.findall("s:url", NS)
    }
    assert set(urls) == {
        "http://127.0.0.1:8000/articles/fresh/",
        "http://127.0.0.1:8000/articles/old/",
    }
    assert all(urls.values())


def test_news_sitemap_has_only_the_last_48_hours(client, content):
    response = client.get("/sitemap-news.xml")
    root = ET.fromstring(response.content)
    (url,) = root.findall("s:url", NS)
    assert url.findtext("s:loc", namespaces=NS) == "http://127.0.0.1:8000/articles/fresh/"
    assert url.findtext("news:news/news:title", namespaces=NS) == "Fresh"
    assert url.findtext("news:news/news:publication/news:name", namespaces=NS) == "Newsroom"
    assert url.findtext("news:news/news:publication_date", namespaces=NS)


def test_section_tag_and_author_sitemaps_skip_those_without_published_articles(client, content):
    assert locations(client, "/sitemap-sections.xml") == ["http://127.0.0.1:8000/sections/asia/"]
    assert locations(client, "/sitemap-tags.xml") == ["http://127.0.0.1:8000/tags/japan/"]
    assert locations(client, "/sitemap-authors.xml") == [
        "http://127.0.0.1:8000/authors/aiko-tanaka/"
    ]


def test_unknown_sitemap_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_to_the_sitemaps(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text
    assert "sitemap-news.xml" not in text  # listed in the index while it has articles
    assert "Disallow: /admin/" in text
