"""Every sitemap is valid against the sitemaps.org schemas (sitemap.xsd, siteindex.xsd) and
the Google News extension (sitemap-news.xsd), busy or quiet: see tests/data/schemas."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from lxml import etree

from .factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "data" / "schemas"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def valid(xml: bytes, checker: etree.XMLSchema) -> list[str]:
    return [] if checker.validate(etree.fromstring(xml)) else [str(e) for e in checker.error_log]


def sitemap_errors(client) -> dict[str, list[str]]:
    """Schema errors of the index and of every sitemap it lists, by path."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    errors = {"/sitemap.xml": valid(index.content, schema("siteindex.xsd"))}
    urlset = schema("urlset-news.xsd")
    for loc in etree.fromstring(index.content).iter(f"{SITEMAP}loc"):
        path = urlsplit(loc.text).path
        response = client.get(path)
        assert response.status_code == 200, path
        errors[path] = valid(response.content, urlset)
    return {path: found for path, found in errors.items() if found}


def listed(client) -> set[str]:
    index = etree.fromstring(client.get("/sitemap.xml").content)
    return {urlsplit(loc.text).path for loc in index.iter(f"{SITEMAP}loc")}


def test_every_sitemap_is_valid_on_a_busy_day(client):
    author = make_author(name="Aiko Tanaka")
    asia = make_section(name="Asia")
    make_article(title="Fresh «news» & more", section=asia, authors=[author], tags=["Japan"])
    make_article(title="Old", published_at=timezone.now() - timedelta(days=5), authors=[author])
    assert "/sitemap-news.xml" in listed(client)
    assert sitemap_errors(client) == {}


def test_a_quiet_two_days_leave_the_news_sitemap_out_and_every_sitemap_valid(client):
    make_article(title="Old", published_at=timezone.now() - timedelta(days=3), tags=["Japan"])
    assert listed(client) == {
        "/sitemap-articles.xml",
        "/sitemap-tags.xml",
        "/sitemap-authors.xml",
    }
    assert sitemap_errors(client) == {}
    # Asked for anyway, the empty news sitemap is a 404, not an invalid empty <urlset>.
    assert client.get("/sitemap-news.xml").status_code == 404


def test_a_site_with_nothing_published_has_no_sitemap_yet(client):
    make_article(title="Draft", published=False)
    assert client.get("/sitemap.xml").status_code == 404
    assert client.get("/sitemap-articles.xml").status_code == 404


def test_the_sitemap_check_catches_an_empty_urlset():
    empty = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'
    assert valid(empty, schema("urlset-news.xsd"))
