"""Compression: Brotli where the reader takes it, gzip otherwise, by Accept-Encoding's q-values,
for stored pages (articles/pagecache/) and static files (WhiteNoise); search's Cache-Control."""

import gzip

import brotli
import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.factories import make_article
from tests.test_perf_cache import cached, page_cache, wsgi_get  # noqa: F401 (page_cache: a fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("page_cache")
@pytest.mark.parametrize(
    "accepts, coding",
    [
        ("br", "br"),
        ("gzip, deflate, br, zstd", "br"),  # what browsers send
        ("*", "br"),
        ("gzip, br;q=0", "gzip"),
        ("br;q=0.5, gzip", "gzip"),  # the reader's favourite
        ("gzip;q=0, *", "br"),
        ("identity", None),
    ],
)
def test_stored_pages_are_sent_in_the_coding_the_reader_prefers(
    client, django_assert_num_queries, accepts, coding
):
    url = make_article(title="Packed story").get_absolute_url()
    plain = cached(client, url, django_assert_num_queries)
    response = cached(client, url, django_assert_num_queries, accept_encoding=accepts)
    _, headers, body, reached = wsgi_get(url, accept_encoding=accepts)
    assert response.get("Content-Encoding") == headers.get("Content-Encoding") == coding
    assert body == response.content and not reached
    assert "Accept-Encoding" in response["Vary"]
    unpack = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[coding]
    assert unpack(response.content) == plain.content
    assert response["Content-Length"] == str(len(response.content))


@pytest.mark.usefixtures("page_cache")
def test_brotli_copies_are_smaller_than_the_gzip_ones(client, django_assert_num_queries):
    url = make_article(title="Packed story", body="<p>Words.</p>" * 200).get_absolute_url()
    packed = {
        coding: len(cached(client, url, django_assert_num_queries, accept_encoding=coding).content)
        for coding in ("br", "gzip")
    }
    assert packed["br"] < packed["gzip"]


def test_search_results_say_that_no_shared_cache_may_keep_them(client):
    make_article(title="Missile story")
    response = client.get("/search/", {"q": "missile"})
    assert "Missile story" in response.content.decode()
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "max-age=0"} <= cache_control


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Static files collected as in production: hashed names, with .gz and .br copies."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    root = tmp_path_factory.mktemp("static")
    finders = ["django.contrib.staticfiles.finders.FileSystemFinder"]  # the site's own, quicker
    with override_settings(STORAGES=storages, STATIC_ROOT=root, STATICFILES_FINDERS=finders):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


@pytest.mark.usefixtures("page_cache")  # on, as in production: it sits above WhiteNoise
@pytest.mark.parametrize(
    "accepts, coding",
    [
        ("gzip, deflate, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0.5, gzip", "gzip"),
        ("gzip;q=0.5, br", "br"),
        ("gzip;q=0, br;q=0", None),
        ("", None),
    ],
)
def test_static_files_are_sent_with_brotli_or_gzip_as_the_reader_takes_them(
    collected, client, accepts, coding
):
    [css] = collected.glob("css/site.*.css")
    assert css.with_name(css.name + ".br").exists()
    response = client.get(f"/static/css/{css.name}", headers={"accept-encoding": accepts})
    assert response.status_code == 200
    assert response.get("Content-Encoding") == coding
    body = b"".join(response.streaming_content)
    response.close()
    unpack = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[coding]
    assert unpack(body) == css.read_bytes()
