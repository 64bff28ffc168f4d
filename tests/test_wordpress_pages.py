"""The site's own pages (imported from WordPress or written here) behind the page cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Page
from tests.test_perf_cache import page_cache  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def queries_to_get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_a_stored_page_and_every_footer_change_when_a_page_is_edited(client):
    page = Page.objects.create(title="Ethics", body="<p>Our first policy.</p>")
    client.get("/pages/ethics/")
    client.get("/")
    response, queries = queries_to_get(client, "/pages/ethics/")
    assert queries == 0 and "Our first policy." in response.content.decode()  # stored
    page.title, page.body = "Ethics policy", "<p>Our second policy.</p>"
    page.save()
    response, queries = queries_to_get(client, "/pages/ethics/")
    assert queries and "Our second policy." in response.content.decode()
    front, _ = queries_to_get(client, "/")
    assert '<a href="/pages/ethics/">Ethics policy</a>' in front.content.decode()
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_an_unpublished_page_leaves_the_site(client):
    page = Page.objects.create(title="Contact", body="<p>Write to us.</p>")
    assert client.get("/pages/contact/").status_code == 200
    page.is_published = False
    page.save()
    assert client.get("/pages/contact/").status_code == 404
    assert "/pages/contact/" not in client.get("/").content.decode()
