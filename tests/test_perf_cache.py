"""The page cache (articles/pagecache/) against the real cache: local memory, and Redis when a
server answers (REDIS_URL, else 127.0.0.1:6379). Without one, the Redis cases are not collected."""

import gzip
import os
import socket
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

import brotli
import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from articles.comments.services import comment_set_status
from articles.comments.tokens import held_token
from articles.models import Article, Comment
from articles.services import article_publish, article_unpublish, preview_token

# At collection: importing it sets up logging again, which would drop caplog's handler.
from newsroom.wsgi import application
from tests.factories import (
    image_file,
    make_article,
    make_banner,
    make_comment,
    make_section,
    make_staff,
)
from tests.test_faults_health import UNREACHABLE_CACHE

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_answers() -> bool:
    if os.environ.get("REDIS_URL"):
        return True  # asked for explicitly: a dead server must fail the run, not hide it
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.2) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.django_db
LOCMEM = {"default": {"BACKEND": "newsroom.locmem_cache.AnyKeyLocMemCache"}}

BACKENDS = ["locmem", "redis"] if redis_answers() else ["locmem"]


@pytest.fixture(params=BACKENDS)
def page_cache(request, settings):
    """The page cache switched on, over each real backend."""
    settings.PAGE_CACHE_ENABLED = True
    if request.param == "locmem":  # even when REDIS_URL sets Redis for the rest of the suite
        with local_memory_cache():
            yield request.param
        return
    prefix = f"test-{uuid.uuid4().hex}"
    backend = {
        "BACKEND": "newsroom.redis_cache.FailSoftRedisCache",  # as in production
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": backend}):
        yield request.param
        from django.core.cache import cache

        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


@contextmanager
def local_memory_cache():
    """Local memory as the cache, empty (its store outlives the settings that name it)."""
    from django.core.cache import cache

    with override_settings(CACHES=LOCMEM):
        cache.clear()
        yield
        cache.clear()


@pytest.fixture
def clock():
    """A frozen clock that the test moves on: no sleeping, and no deadline that a loaded
    machine can miss."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def cached(client, url, django_assert_num_queries, **headers):
    """The second of two requests: it must come from the cache, with no query at all."""
    client.get(url, headers=headers)
    with django_assert_num_queries(0):
        response = client.get(url, headers=headers)
    assert response["X-Page-Cache"] == "hit"
    return response


@pytest.mark.parametrize(
    "url", ["/", "/sections/asia/", "/tags/japan/", "/authors/aiko-tanaka/", "/feed/"]
)
def test_anonymous_pages_and_feeds_are_served_from_the_cache_without_queries(
    page_cache, client, django_assert_num_queries, url
):
    make_article(title="Cached story", section=make_section(name="Asia"), tags=["Japan"])
    response = cached(client, url, django_assert_num_queries)
    assert response.status_code == 200
    assert "Cached story" in response.content.decode()


def test_article_page_is_cached_with_cdn_headers_and_answers_304(
    page_cache, client, django_assert_num_queries
):
    article = make_article(title="Cached story")
    make_comment(article, body="First!")
    response = cached(client, article.get_absolute_url(), django_assert_num_queries)
    assert "First!" in response.content.decode()
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=" in cache_control
    assert "stale-while-revalidate=" in cache_control
    assert "nonce-" not in response["Content-Security-Policy"]
    with django_assert_num_queries(0):
        again = client.get(article.get_absolute_url(), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    since = client.get(
        article.get_absolute_url(), headers={"if-modified-since": response["Last-Modified"]}
    )
    assert since.status_code == 304


def test_cached_html_is_gzipped_once_for_readers_who_accept_it(
    page_cache, client, django_assert_num_queries
):
    article = make_article(title="Cached story")
    plain = cached(client, article.get_absolute_url(), django_assert_num_queries)
    packed = cached(
        client, article.get_absolute_url(), django_assert_num_queries, accept_encoding="gzip"
    )
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2


def test_pages_that_are_never_cached_are_still_gzipped(page_cache, client):
    make_article(title="Missile story")
    response = client.get("/search/", {"q": "missile"}, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Missile story" in gzip.decompress(response.content).decode()
    assert "X-Page-Cache" not in response


def ready_draft(title):
    """A draft that passes the publish checklist."""
    return make_article(
        title=title,
        published=False,
        status=Article.Status.DRAFT,
        section=make_section(),
        hero_image=image_file(),
        hero_alt="Launch site",
    )


def test_publishing_shows_the_article_on_the_front_page_at_once(
    page_cache, client, django_assert_num_queries
):
    make_article(title="Older story")
    cached(client, "/", django_assert_num_queries)
    draft = ready_draft("Fresh scoop")
    assert "Fresh scoop" not in client.get("/").content.decode()
    article_publish(draft, when=timezone.now())
    assert "Fresh scoop" in client.get("/").content.decode()


@override_settings(PAGE_CACHE_ENABLED=False, ARTICLES_PER_PAGE=1)
def test_a_list_counts_its_pages_anew_when_an_article_is_published_or_goes_live(client, clock):
    # The length of a list is kept per content version even with the page cache off.
    make_article(title="First")
    make_article(title="Second")
    assert "Page 1 of 2" in client.get("/").content.decode()
    draft = ready_draft("Third story")
    assert "Page 1 of 2" in client.get("/").content.decode()
    article_publish(draft, when=timezone.now())
    assert "Page 1 of 3" in client.get("/").content.decode()
    make_article(title="Embargoed", published_at=timezone.now() + timedelta(minutes=5))
    assert "Page 1 of 3" in client.get("/").content.decode()
    clock.shift(timedelta(minutes=5))
    assert "Page 1 of 4" in client.get("/").content.decode()
    assert client.get("/?page=4").status_code == 200


def test_updating_an_article_changes_its_cached_page(page_cache, client, django_assert_num_queries):
    article = make_article(title="First headline")
    cached(client, article.get_absolute_url(), django_assert_num_queries)
    article.title = "Corrected headline"
    article.save()
    assert "Corrected headline" in client.get(article.get_absolute_url()).content.decode()


def test_unpublishing_removes_the_article_and_its_cached_page(
    page_cache, client, django_assert_num_queries
):
    article = make_article(title="Withdrawn story")
    cached(client, article.get_absolute_url(), django_assert_num_queries)
    cached(client, "/", django_assert_num_queries)
    article_unpublish(article)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Withdrawn story" not in client.get("/").content.decode()


def test_a_scheduled_article_appears_when_its_time_arrives(
    page_cache, client, clock, django_assert_num_queries
):
    make_article(title="Older story")
    make_article(title="Embargoed story", published_at=timezone.now() + timedelta(minutes=5))
    response = cached(client, "/", django_assert_num_queries)
    assert "Embargoed story" not in response.content.decode()
    clock.shift(timedelta(minutes=4, seconds=59))
    assert "Embargoed story" not in cached(client, "/", django_assert_num_queries).content.decode()
    clock.shift(timedelta(seconds=1))
    assert "Embargoed story" in client.get("/").content.decode()


def test_a_banner_disappears_when_it_expires(page_cache, client, clock, django_assert_num_queries):
    make_article(title="Story")
    make_banner(text="Storm warning", expires_at=timezone.now() + timedelta(minutes=5))
    assert "Storm warning" in cached(client, "/", django_assert_num_queries).content.decode()
    clock.shift(timedelta(minutes=5))
    assert "Storm warning" not in client.get("/").content.decode()


def test_approving_and_removing_a_comment_change_the_cached_page(
    page_cache, client, django_assert_num_queries
):
    article = make_article()
    held = make_comment(article, body="Held for a moment", status=Comment.Status.PENDING)
    url = article.get_absolute_url()
    assert (
        "Held for a moment" not in cached(client, url, django_assert_num_queries).content.decode()
    )
    comment_set_status([held], Comment.Status.APPROVED)
    assert "Held for a moment" in cached(client, url, django_assert_num_queries).content.decode()
    comment_set_status(Comment.objects.filter(pk=held.pk), Comment.Status.REMOVED)
    assert "Held for a moment" not in client.get(url).content.decode()


def test_a_held_comment_posted_by_a_reader_does_not_empty_the_cache(
    page_cache, client, django_assert_num_queries
):
    article = make_article()
    cached(client, article.get_absolute_url(), django_assert_num_queries)
    make_comment(article, body="Spam spam", status=Comment.Status.SPAM)
    cached(client, article.get_absolute_url(), django_assert_num_queries)


def test_held_links_are_neither_served_from_nor_stored_in_the_cache(
    page_cache, client, django_assert_num_queries
):
    article = make_article()
    url = article.get_absolute_url()
    cached(client, url, django_assert_num_queries)
    held = make_comment(article, body="Awaiting a moderator", status=Comment.Status.PENDING)
    held_url = f"{url}?held={held_token(held)}"
    for _ in range(2):
        response = client.get(held_url)
        assert "Awaiting a moderator" in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"
    assert "Awaiting a moderator" not in client.get(url).content.decode()


def test_staff_always_see_live_pages_that_no_cache_keeps(
    page_cache, client, django_assert_num_queries
):
    article = make_article(title="Live story")
    cached(client, article.get_absolute_url(), django_assert_num_queries)
    client.force_login(make_staff("editor"))
    response = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"
    Article.objects.filter(pk=article.pk).update(title="Changed without signals")
    assert "Changed without signals" in client.get(article.get_absolute_url()).content.decode()


def test_previews_are_never_cached(page_cache, client, django_assert_num_queries):
    draft = make_article(title="Secret draft", published=False, status=Article.Status.DRAFT)
    url = f"/preview/link/{preview_token(draft)}/"
    for _ in range(2):
        response = client.get(url)
        assert "Secret draft" in response.content.decode()
        assert "X-Page-Cache" not in response
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@local_memory_cache()
@override_settings(PAGE_CACHE_ENABLED=True)
def test_another_worker_invalidating_reaches_this_one_through_the_stamp_file(
    client, settings, django_assert_num_queries
):
    """Each gunicorn worker has its own local-memory cache; the stamp file is shared (Redis
    is shared by all workers already: there, no stamp file is read)."""
    article = make_article(title="Story")
    cached(client, article.get_absolute_url(), django_assert_num_queries)
    now = time.time_ns() + 1_000_000
    os.utime(settings.PAGE_CACHE_STAMP, ns=(now, now))
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"


def test_with_the_page_cache_off_pages_render_live(client):
    article = make_article(title="Uncached story")
    response = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "Uncached story" in response.content.decode()


# The WSGI front (newsroom/wsgi.py): stored pages are sent before Django's handling starts.


def wsgi_get(url, method="GET", **headers):
    """(status, headers, body) of a GET (or `method`) through the production WSGI application,
    and whether Django's request handling started for it."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import RequestFactory

    request = RequestFactory().generic(method, url, headers=headers)
    # As a WSGI server passes it (PEP 3333): the path's bytes read as Latin-1; the request's
    # own environ holds the decoded path that WSGIRequest wrote back.
    environ = {**request.environ, "PATH_INFO": request.path_info.encode().decode("latin-1")}
    started, answer = [], {}

    def on_start(**kwargs):
        started.append(True)

    def start_response(status, response_headers, exc_info=None):
        answer.update(status=status, headers=dict(response_headers))

    # As Django's test client does: closing the connection would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.connect(on_start)
    try:
        body = b"".join(application(environ, start_response))
    finally:
        request_started.disconnect(on_start)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body, bool(started)


def test_the_wsgi_front_sends_stored_pages_without_reaching_django(
    page_cache, client, django_assert_num_queries
):
    article = make_article(title="Front story")
    make_comment(article, body="Seen from the front")
    url = article.get_absolute_url()
    status, headers, body, reached = wsgi_get(url)
    assert (status, headers["X-Page-Cache"], reached) == ("200 OK", "miss", True)
    with django_assert_num_queries(0):
        status, headers, stored, reached = wsgi_get(url)
    assert (status, headers["X-Page-Cache"], reached) == ("200 OK", "hit", False)
    assert stored == body and "Seen from the front" in stored.decode()
    assert headers["Content-Length"] == str(len(stored))
    assert "s-maxage=" in headers["Cache-Control"] and "Content-Security-Policy" in headers
    # The stored copy is the one Django itself serves.
    assert client.get(url).content == stored

    status, headers, packed, reached = wsgi_get(url, accept_encoding="gzip")
    assert (headers["Content-Encoding"], reached) == ("gzip", False)
    assert gzip.decompress(packed) == stored
    status, headers, packed, reached = wsgi_get(url, accept_encoding="gzip, br")
    assert (headers["Content-Encoding"], reached) == ("br", False)
    assert brotli.decompress(packed) == stored
    status, headers, empty, reached = wsgi_get(url, if_none_match=headers["ETag"])
    assert (status, empty, reached) == ("304 Not Modified", b"", False)
    assert "Content-Type" not in headers and headers["ETag"]


def test_the_wsgi_front_answers_head_requests_with_the_stored_headers_and_no_body(page_cache):
    url = make_article(title="Front story").get_absolute_url()
    _, stored_headers, body, _ = wsgi_get(url)
    status, headers, empty, reached = wsgi_get(url, method="HEAD")
    assert (status, headers["X-Page-Cache"], reached, empty) == ("200 OK", "hit", False, b"")
    assert headers["ETag"] == stored_headers["ETag"]
    assert headers["Content-Length"] == str(len(body))


def test_images_made_after_a_page_was_stored_show_at_once(page_cache, client, monkeypatch):
    from types import SimpleNamespace

    from articles import signals
    from articles.renditions import refresh_renditions

    # As with a task worker: the article is read before its renditions are made.
    monkeypatch.setattr(signals, "refresh_renditions", SimpleNamespace(enqueue=lambda *args: None))
    article = make_article(hero_image=image_file(size=(1600, 900)), hero_alt="A launch")
    url = article.get_absolute_url()
    assert 'type="image/webp"' not in client.get(url).content.decode()  # the original alone
    assert client.get(url)["X-Page-Cache"] == "hit"
    refresh_renditions.call("articles.article", article.pk)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert 'type="image/webp"' in response.content.decode()


def test_the_wsgi_front_never_serves_a_stale_page(page_cache):
    article = make_article(title="Old headline")
    url = article.get_absolute_url()
    wsgi_get(url)
    article.title = "New headline"
    article.save()
    status, headers, body, reached = wsgi_get(url)
    assert (headers["X-Page-Cache"], reached) == ("miss", True)
    assert "New headline" in body.decode() and "Old headline" not in body.decode()


def test_the_wsgi_front_leaves_everything_else_to_django(page_cache, client):
    article = make_article(title="Front story")
    url = article.get_absolute_url()
    wsgi_get(url)
    # Another host is refused by Django, not answered from another site's copy.
    status, _, _, reached = wsgi_get(url, host="evil.example")
    assert (status, reached) == ("400 Bad Request", True)
    # Staff (a session cookie) and held-comment links get live pages.
    staff = make_staff("editor")
    client.force_login(staff)
    session = client.cookies["sessionid"].value
    status, headers, _, reached = wsgi_get(url, cookie=f"sessionid={session}")
    assert (reached, headers["Cache-Control"]) == (True, "private, no-store")
    held = make_comment(article, status=Comment.Status.PENDING)
    _, headers, _, reached = wsgi_get(f"{url}?held={held_token(held)}")
    assert reached and "X-Page-Cache" not in headers


def test_with_the_cache_server_down_readers_get_live_pages(page_cache, client, caplog, monkeypatch):
    from newsroom import redis_cache as cache

    monkeypatch.setattr(cache, "_last_warning", {})
    article = make_article(title="Front story", tags=["Japan"])
    make_comment(article, body="Still here")
    with override_settings(CACHES=UNREACHABLE_CACHE):
        status, headers, body, reached = wsgi_get(article.get_absolute_url())
        assert (status, reached) == ("200 OK", True)
        assert "Still here" in body.decode()
        for url in ["/", "/tags/japan/", "/feed/", "/search/?q=front"]:
            assert client.get(url).status_code == 200
        assert client.get("/healthz/").status_code == 503  # still reported
    assert "cache unreachable" in caplog.text


def test_local_memory_takes_the_keys_the_site_makes_without_memcached_checks():
    """Stamps, memos and pages may have long keys; no per-key warning check on every hit."""
    from newsroom.locmem_cache import AnyKeyLocMemCache

    local = AnyKeyLocMemCache("test-any-key", {})
    key = "memo:" + "k" * 300  # past memcached's 250 characters: Django's own cache warns
    local.set_many({key: 1, "pk:a1 b": 2})
    assert local.get_many([key, "pk:a1 b"]) == {key: 1, "pk:a1 b": 2}
