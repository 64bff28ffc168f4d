"""After a soft purge, one reader renders the page while the others get the previous copy for
PAGE_CACHE_GRACE_SECONDS at most; hard purges never serve it; stored pages name their keys."""

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from articles.pagecache import slots
from articles.pagecache.store import lock_key, page_key
from articles.services import article_save, article_unpublish
from newsroom.wsgi import application
from tests.factories import make_article, make_comment
from tests.test_perf_cache import cached, clock, page_cache  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("page_cache")


def hold_render_lock(url):
    """As if another reader were rendering `url` right now."""
    assert cache.add(lock_key(page_key(RequestFactory().get(url))), 1, timeout=60)


@pytest.mark.django_db
def test_a_reader_during_a_render_gets_the_previous_copy_without_a_query(
    client, django_assert_num_queries
):
    article = make_article(title="Old headline")
    url = article.get_absolute_url()
    cached(client, url, django_assert_num_queries)
    article.title = "New headline"
    article_save(article)
    hold_render_lock(url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response["X-Page-Cache"] == "stale" and "Old headline" in response.content.decode()
    cache.delete(lock_key(page_key(RequestFactory().get(url))))
    assert "New headline" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_reader_who_wins_the_lock_after_another_rendered_the_page_serves_that_copy(
    client, django_assert_num_queries, monkeypatch
):
    article = make_article(title="Old headline")
    url = article.get_absolute_url()
    cached(client, url, django_assert_num_queries)
    article.title = "New headline"
    article_save(article)
    take = slots.take

    def another_reader_renders_first():
        """Between this reader's finding the copy stale and its taking the lock, another
        renders the page, stores it and lets go of the lock."""
        monkeypatch.setattr(slots, "take", take)
        assert client.get(url)["X-Page-Cache"] == "miss"
        return take()

    monkeypatch.setattr(slots, "take", another_reader_renders_first)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit" and "New headline" in response.content.decode()


@pytest.mark.django_db
def test_the_previous_copy_is_not_served_once_the_grace_is_over(
    client, settings, django_assert_num_queries, request
):
    traveller = request.getfixturevalue("clock")
    article = make_article(title="Old headline")
    url = article.get_absolute_url()
    cached(client, url, django_assert_num_queries)
    article.title = "New headline"
    article_save(article)
    hold_render_lock(url)
    traveller.shift(timedelta(seconds=settings.PAGE_CACHE_GRACE_SECONDS + 1))
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "New headline" in response.content.decode()


@pytest.mark.django_db
def test_a_hard_purge_never_serves_the_previous_copy(client, django_assert_num_queries):
    article = make_article(title="Withdrawn story")
    url = article.get_absolute_url()
    cached(client, url, django_assert_num_queries)
    cached(client, "/", django_assert_num_queries)
    article_unpublish(article)
    hold_render_lock(url)
    assert client.get(url).status_code == 404
    assert "Withdrawn story" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_stored_pages_name_their_keys_for_a_cdn_on_misses_and_hits(
    client, django_assert_num_queries
):
    article = make_article(title="Keyed story", tags=["Japan"])
    make_comment(article)
    url = article.get_absolute_url()
    first = client.get(url)
    hit = cached(client, url, django_assert_num_queries)
    for response in (first, hit):
        keys = response["Surrogate-Key"].split(" ")
        assert {f"a{article.pk}", f"c{article.pk}", "chrome"} <= set(keys)
        assert response["xkey"] == response["Surrogate-Key"]
        assert response["Cache-Tag"].split(",") == keys
    front = client.get("/")
    assert {f"k{article.pk}", "front", "chrome"} <= set(front["Surrogate-Key"].split(" "))
    feed = client.get("/tags/japan/feed/")
    tag_pk = article.tags.get().pk
    assert {f"a{article.pk}", f"t{tag_pk}"} <= set(feed["Surrogate-Key"].split(" "))
    assert "sitemap" in client.get("/sitemap.xml")["Surrogate-Key"].split(" ")


def _get(url, results, barrier):
    environ = RequestFactory().get(url).environ
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    barrier.wait()
    try:
        body = b"".join(application(environ, start_response))
        results.append((answer["status"], answer["headers"].get("X-Page-Cache"), body))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sixteen_readers_right_after_a_soft_purge_cause_one_render(client):
    article = make_article(title="Hot story")
    for n in range(25):
        make_comment(article, body=f"Comment {n}")
    url = article.get_absolute_url()
    client.get(url)
    make_comment(article, body="The newest comment")  # a soft purge of the article's page
    results, barrier = [], threading.Barrier(16)
    threads = [threading.Thread(target=_get, args=(url, results, barrier)) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _, _ in results] == ["200 OK"] * 16
    states = sorted(state for _, state, _ in results)
    assert states.count("miss") == 1, states  # one render; the others: the previous copy
    assert set(states) <= {"miss", "stale", "hit"}
    rendered = next(body for _, state, body in results if state == "miss")
    assert "The newest comment" in rendered.decode()
    assert "The newest comment" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_page_past_its_time_is_rendered_once_while_readers_get_the_previous_copy(
    client, settings, django_assert_num_queries, request, monkeypatch
):
    monkeypatch.setattr("articles.pagecache.store.EXPIRY_SPREAD", 0)  # due at its lifetime
    traveller = request.getfixturevalue("clock")
    url = make_article(title="Aging story").get_absolute_url()
    cached(client, url, django_assert_num_queries)
    traveller.shift(timedelta(seconds=settings.PAGE_CACHE_SECONDS))
    hold_render_lock(url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "stale"


@pytest.mark.django_db
def test_a_scheduled_article_is_never_kept_waiting_by_the_grace(
    client, django_assert_num_queries, request
):
    traveller = request.getfixturevalue("clock")
    make_article(title="Older story")
    make_article(title="Embargoed story", published_at=timezone.now() + timedelta(minutes=5))
    assert "Embargoed story" not in cached(client, "/", django_assert_num_queries).content.decode()
    traveller.shift(timedelta(minutes=5))
    hold_render_lock("/")
    assert "Embargoed story" in client.get("/").content.decode()


@pytest.mark.django_db
def test_pages_stored_together_fall_due_apart_within_their_lifetime(client, settings, request):
    """Or every page stored after a deploy would be rendered again in one burst, each
    lifetime after."""
    traveller = request.getfixturevalue("clock")
    urls = [make_article(title=f"Story {n}").get_absolute_url() for n in range(20)]
    for url in urls:
        client.get(url)

    def states():
        return [client.get(url)["X-Page-Cache"] for url in urls]

    lifetime = settings.PAGE_CACHE_SECONDS
    traveller.shift(timedelta(seconds=lifetime * 0.79))
    assert set(states()) == {"hit"}  # none falls due before four fifths of its lifetime
    traveller.shift(timedelta(seconds=lifetime * 0.11))
    at_nine_tenths = states()
    assert set(at_nine_tenths) == {"hit", "miss"}  # some rendered again, not all
    traveller.shift(timedelta(seconds=lifetime * 0.1))
    at_full = states()
    assert all(at_full[i] == "miss" for i, s in enumerate(at_nine_tenths) if s == "hit")
