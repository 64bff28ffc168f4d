"""Render slots: after a purge of many pages, at most PAGE_CACHE_RENDER_SLOTS of them are
rendered again at once on a machine; the readers of the others get their previous copy
meanwhile, and pages that may not be served stale never wait for a slot."""

import errno
import fcntl
import os
import threading
import time
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory

from articles.pagecache import slots
from articles.pagecache.middleware import PageCacheMiddleware
from articles.pagecache.store import lock_key, page_key
from articles.services import article_save, article_unpublish
from newsroom.wsgi import application
from tests.factories import make_article
from tests.test_perf_cache import cached, page_cache  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("page_cache")


@contextmanager
def slots_taken(settings):
    """As if other workers of this machine were rendering in every slot right now."""
    settings.PAGE_CACHE_RENDER_SLOTS_DIR.mkdir(parents=True, exist_ok=True)
    held = []
    try:
        for n in range(settings.PAGE_CACHE_RENDER_SLOTS):
            fd = os.open(settings.PAGE_CACHE_RENDER_SLOTS_DIR / f"slot-{n}", os.O_RDWR | os.O_CREAT)
            held.append(fd)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        for fd in held:
            os.close(fd)


def wsgi_get(url) -> tuple[str, str | None, bytes]:
    """A GET through the WSGI front, as gunicorn sends it: (status, X-Page-Cache, body)."""
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    body = b"".join(application(RequestFactory().get(url).environ, start_response))
    return answer["status"], answer["headers"].get("X-Page-Cache"), body


def edited(article, title):
    article.title = title
    article_save(article)  # a soft purge of every page showing it


def test_slots_bound_renders_across_threads_and_processes(settings):
    settings.PAGE_CACHE_RENDER_SLOTS = 2
    taken, done = [], threading.Event()

    def render_elsewhere():
        taken.append(slots.take())
        done.wait()  # rendering...
        slots.give_back()

    busy = threading.Thread(target=render_elsewhere)
    busy.start()
    try:
        while not taken:
            time.sleep(0.01)
        assert slots.take() is True  # the second slot
        other = threading.Thread(target=lambda: taken.append(slots.take()))
        other.start()
        other.join()
        assert taken == [True, False], "two slots, two renders"
        slots.give_back()
        assert slots.take() is True
        slots.give_back()
    finally:
        done.set()
        busy.join()
    with slots_taken(settings):  # other processes of the machine
        assert slots.take() is False
    settings.PAGE_CACHE_RENDER_SLOTS = 0
    assert slots.take() is True, "0: no bound"


def test_where_slots_cannot_be_kept_renders_are_not_held_back(settings, monkeypatch, tmp_path):
    settings.PAGE_CACHE_RENDER_SLOTS = 1
    (tmp_path / "a-file").write_text("not a directory")
    settings.PAGE_CACHE_RENDER_SLOTS_DIR = tmp_path / "a-file" / "slots"
    assert slots.take() is True
    shared = tmp_path / "made-by-anyone"  # another user could hold its slots forever
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    settings.PAGE_CACHE_RENDER_SLOTS_DIR = shared
    with slots_taken(settings):
        assert slots.take() is True
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "pointer").symlink_to(tmp_path / "elsewhere")
    settings.PAGE_CACHE_RENDER_SLOTS_DIR = tmp_path / "pointer"
    with slots_taken(settings):
        assert slots.take() is True
    settings.PAGE_CACHE_RENDER_SLOTS_DIR = tmp_path / "slots"

    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(slots.fcntl, "flock", no_locks)
    elsewhere = threading.Thread(target=slots.take)  # renders, never giving a slot back
    elsewhere.start()
    elsewhere.join()
    assert slots.take() is True


@pytest.mark.django_db
def test_with_every_slot_taken_a_stale_page_gets_its_previous_copy_without_a_query(
    client, settings, django_assert_num_queries
):
    article = make_article(title="Old headline")
    url = article.get_absolute_url()
    cached(client, url, django_assert_num_queries)
    edited(article, "New headline")
    with slots_taken(settings):
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response["X-Page-Cache"] == "stale"
        assert "Old headline" in response.content.decode()
        assert cache.get(lock_key(page_key(RequestFactory().get(url)))) is None, "not locked"
    response = client.get(url)  # a slot is free again: this reader renders it
    assert response["X-Page-Cache"] == "miss" and "New headline" in response.content.decode()


@pytest.mark.django_db
def test_pages_that_may_not_be_served_stale_never_wait_for_a_slot(
    client, settings, django_assert_num_queries
):
    withdrawn, fresh = make_article(title="Withdrawn story"), make_article(title="New story")
    cached(client, withdrawn.get_absolute_url(), django_assert_num_queries)
    cached(client, "/", django_assert_num_queries)
    article_unpublish(withdrawn)  # a hard purge
    with slots_taken(settings):
        assert client.get(withdrawn.get_absolute_url()).status_code == 404
        front = client.get("/")
        assert front["X-Page-Cache"] == "miss" and "Withdrawn story" not in front.content.decode()
        never_stored = client.get(fresh.get_absolute_url())
        assert never_stored.status_code == 200 and never_stored["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_each_render_gives_its_slot_back(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_RENDER_SLOTS = 1
    articles = [make_article(title=f"Story {n}") for n in range(3)]
    for article in articles:
        cached(client, article.get_absolute_url(), django_assert_num_queries)
        edited(article, f"{article.title}, updated")
    for article in articles:  # one after the other, each finds the slot free
        response = client.get(article.get_absolute_url())
        assert response["X-Page-Cache"] == "miss" and article.title in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sixteen_readers_of_eight_stale_pages_render_one_at_a_time_with_one_slot(
    client, settings, monkeypatch
):
    settings.PAGE_CACHE_RENDER_SLOTS = 1
    articles = [make_article(title=f"Story {n}") for n in range(8)]
    urls = [a.get_absolute_url() for a in articles]
    for url in urls:
        client.get(url)
    for article in articles:
        edited(article, f"{article.title}, updated")

    rendering, most, lock = [0], [0], threading.Lock()
    render = PageCacheMiddleware.render

    def counted(self, request, key):
        with lock:
            rendering[0] += 1
            most[0] = max(most[0], rendering[0])
        try:
            return render(self, request, key)
        finally:
            with lock:
                rendering[0] -= 1

    monkeypatch.setattr(PageCacheMiddleware, "render", counted)
    results, barrier = [], threading.Barrier(16)

    def read(url):
        barrier.wait()
        try:
            results.append((url, *wsgi_get(url)))
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(urls[n % 8],)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for _, status, _, _ in results] == ["200 OK"] * 16
    assert most[0] == 1, "one render at a time"
    for url, _, state, body in results:
        title = articles[urls.index(url)].title
        assert state in ("miss", "stale", "hit")  # a hit: stored by a render meanwhile
        assert (title in body.decode()) == (state != "stale")  # stale: the previous copy
    for url, article in zip(urls, articles, strict=True):  # every slot was given back
        assert article.title in client.get(url).content.decode()
