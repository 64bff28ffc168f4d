"""Hot pages answered from this process's own copy (articles/pagecache/local.py): no round trip
to the cache while no purge was heard of, and every purge heard of at once, on local memory
and on Redis, including purges made by other processes."""

import json
import socket

import pytest
import redis
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from articles.pagecache import local, wsgi
from articles.pagecache.store import now_ns, stamp_key
from articles.services import article_save
from tests.factories import make_article
from tests.test_perf_cache import BACKENDS, REDIS_URL, page_cache, wsgi_get  # noqa: F401 (page_cache: a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]
CACHE_CALLS = ("get", "get_many", "add", "set", "set_many", "has_key")


@pytest.fixture
def cache_calls(monkeypatch):
    """The calls made to this thread's cache backend."""
    calls = []
    backend = caches["default"]
    for name in CACHE_CALLS:
        method = getattr(backend, name)

        def counted(*args, _method=method, _name=name, **kwargs):
            calls.append(_name)
            return _method(*args, **kwargs)

        monkeypatch.setattr(backend, name, counted)
    return calls


def checked_hit(client, url):
    """A stored page, then a hit that asks the cache about it (and vouches for the copy)."""
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"


def purge_elsewhere(keys, *, publish=True):
    """What another server's purge does: the stamps written in the cache, and published."""
    now = now_ns()
    stamps = {stamp_key(key): now for key in keys}
    cache.set_many(stamps, 60)
    if publish:
        channel = cache.make_key(local.CHANNEL)
        redis.Redis.from_url(REDIS_URL).publish(channel, json.dumps(stamps))


def test_a_hit_on_a_page_checked_a_moment_ago_asks_the_cache_nothing(
    client, cache_calls, django_assert_num_queries
):
    article = make_article(title="Hot story")
    checked_hit(client, article.get_absolute_url())
    cache_calls.clear()
    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert "Hot story" in response.content.decode()
    assert cache_calls == []


def test_a_purge_made_here_is_heard_by_the_next_hit(client):
    article = make_article(title="Hot story")
    checked_hit(client, article.get_absolute_url())
    article.title = "Hot story, corrected"
    article_save(article)
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] in ("miss", "stale")  # rendered, or the grace copy
    assert "Hot story, corrected" in client.get(article.get_absolute_url()).content.decode()


def test_a_purge_of_another_page_keeps_the_copy_answering_without_a_round_trip(client, cache_calls):
    article, other = make_article(title="Hot story"), make_article(title="Another")
    checked_hit(client, article.get_absolute_url())
    other.title = "Another, edited"
    article_save(other)
    cache_calls.clear()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    assert cache_calls == []


def test_clearing_the_cache_forgets_the_copies(client, cache_calls, monkeypatch):
    article = make_article(title="Hot story")
    checked_hit(client, article.get_absolute_url())
    # Redis's FLUSHDB would empty the database under the other test workers too: only the
    # copies are forgotten here, which is what this test is about.
    monkeypatch.setattr(RedisCache, "clear", lambda self: None)
    cache.clear()
    cache_calls.clear()
    client.get(article.get_absolute_url())
    assert "get" in cache_calls  # the copy was forgotten: the entry read from the cache


# A purge by another process reaches this one through Redis (local memory is per process).
on_redis = pytest.mark.parametrize(
    "page_cache", [name for name in BACKENDS if name == "redis"], indirect=True
)


@on_redis
def test_a_purge_published_by_another_server_is_heard_by_the_next_hit(client):
    article = make_article(title="Hot story")
    checked_hit(client, article.get_absolute_url())
    purge_elsewhere([f"a{article.pk}"])
    assert client.get(article.get_absolute_url())["X-Page-Cache"] in ("miss", "stale")


@on_redis
def test_a_cache_cleared_by_another_server_is_heard_by_the_next_hit(client, cache_calls):
    article = make_article(title="Hot story")
    checked_hit(client, article.get_absolute_url())
    redis.Redis.from_url(REDIS_URL).publish(cache.make_key(local.CHANNEL), local.FORGET)
    cache_calls.clear()
    client.get(article.get_absolute_url())
    assert "get" in cache_calls  # the copy was forgotten: read from Redis again


@on_redis
def test_a_purge_no_one_heard_of_is_served_no_longer_than_the_trust_window(client, monkeypatch):
    article = make_article(title="Hot story")
    checked_hit(client, article.get_absolute_url())
    purge_elsewhere([f"a{article.pk}"], publish=False)  # a lost message, a hand-made stamp
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    monkeypatch.setattr(local, "TRUST_SECONDS", 0.0)  # the window is over
    assert client.get(article.get_absolute_url())["X-Page-Cache"] in ("miss", "stale")


@on_redis
def test_a_lost_subscription_makes_every_hit_ask_the_cache(client, cache_calls):
    article = make_article(title="Hot story")
    checked_hit(client, article.get_absolute_url())
    local.local_pages().listener.connection._sock.shutdown(socket.SHUT_RDWR)  # Redis restarted
    purge_elsewhere([f"a{article.pk}"], publish=False)  # while no one was listening
    assert client.get(article.get_absolute_url())["X-Page-Cache"] in ("miss", "stale")
    cache_calls.clear()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    assert "get_many" in cache_calls  # not vouched for until subscribed again


def test_the_wsgi_front_parses_a_known_url_once(client, monkeypatch):
    article = make_article(title="Hot story")
    url = article.get_absolute_url()
    checked_hit(client, url)
    parsed = []
    real = wsgi.WSGIRequest
    monkeypatch.setattr(wsgi, "WSGIRequest", lambda environ: parsed.append(1) or real(environ))
    for _ in range(3):
        status, headers, body, reached_django = wsgi_get(url)
        assert status == "200 OK" and not reached_django and b"Hot story" in body
    assert len(parsed) == 1
    wsgi_get(url, cookie="theme=dark")  # a cookie may make a page personal: parsed again
    assert len(parsed) == 2
    status, *_ = wsgi_get(url, host="evil.example")
    assert status.startswith("400")


def test_the_copies_kept_are_bounded_by_the_size_of_their_pages(monkeypatch):
    monkeypatch.setattr(local.Deaf, "kept_bytes", 1000)
    pages = local.LocalPages(local.Deaf())
    for n in range(5):
        pages.remember(f"p{n}", {"body": b"x" * 200, "br": b"y" * 50, "gzip": b"z" * 50})
    assert list(pages.copies) == ["p2", "p3", "p4"], "the oldest go past 1,000 bytes"
    pages.remember("p2", {"body": b"x" * 300})  # a page stored again replaces its copy
    assert list(pages.copies) == ["p3", "p4", "p2"] and pages.size == 900
    pages.remember("huge", {"body": b"x" * 5000})
    assert list(pages.copies) == ["huge"], "one page larger than the bound is kept alone"
    pages.forget()
    assert pages.size == 0 and not pages.copies
