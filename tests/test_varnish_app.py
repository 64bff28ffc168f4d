"""The real app behind a real Varnish (deploy/varnish/newsroom.vcl), purging it by key:
each change a reader must see shows through Varnish within a second, and only the pages
that show it are fetched again."""

import itertools
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_comment
from tests.varnish import decoded, running_varnish

# The live server reads committed rows; serialized rollback puts back what migrations made
# (a plain flush would leave it to post_migrate, and tests restoring it would then collide).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def varnish(live_server, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    with running_varnish(urlsplit(live_server.url).port) as server:
        settings.PAGE_CACHE_PURGE_URLS = [server.url]
        yield server


BROWSERS = ("gzip, deflate, br", "gzip, deflate")  # Varnish keeps a copy for each


def page(varnish, path: str, accept_encoding: str = BROWSERS[0]):
    """(status, X-Cache, text) of a page through Varnish, as a browser asks for it."""
    status, headers, body = varnish.get(path, {"Accept-Encoding": accept_encoding})
    return status, headers["X-Cache"], decoded(headers, body)


def cached(varnish, *paths: str) -> None:
    for path, coding in itertools.product(paths, BROWSERS):
        page(varnish, path, coding)
        status, state, _ = page(varnish, path, coding)
        assert (status, state) == (200, "HIT"), f"{path} ({coding})"


def within_a_second(varnish, path: str, shows) -> None:
    """Poll the page through Varnish, for each browser's copy, until `shows(status, text)`
    holds; at most 1 s."""
    deadline = time.monotonic() + 1
    for coding in BROWSERS:
        while not shows(*page(varnish, path, coding)[::2]):
            assert time.monotonic() < deadline, f"{path} ({coding}) did not change within 1 s"
            time.sleep(0.02)


def test_a_publication_shows_through_varnish_within_a_second(varnish):
    other = make_article(title="Rice harvest breaks records")
    cached(varnish, "/", other.get_absolute_url())
    draft = make_article(title="Typhoon Mawar reaches Okinawa", published=False)
    assert page(varnish, "/")[1] == "HIT"  # a draft purges nothing

    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now() - timedelta(minutes=1)
    draft.save()

    within_a_second(varnish, "/", lambda status, text: "Typhoon Mawar" in text)
    status, _, text = page(varnish, draft.get_absolute_url())
    assert status == 200 and "Typhoon Mawar reaches Okinawa" in text


def test_an_edit_shows_through_varnish_within_a_second(varnish):
    article = make_article(title="Typhoon Mawar nears Okinawa")
    cached(varnish, "/", article.get_absolute_url())

    article.title = "Typhoon Mawar makes landfall in Okinawa"
    article.save()

    for path in (article.get_absolute_url(), "/"):
        within_a_second(varnish, path, lambda status, text: "makes landfall" in text)


def test_an_approved_comment_shows_through_varnish_within_a_second_and_only_on_its_article(
    varnish,
):
    article = make_article(title="Typhoon Mawar nears Okinawa")
    other = make_article(title="Rice harvest breaks records")
    cached(varnish, "/", article.get_absolute_url(), other.get_absolute_url())

    make_comment(article, body="Stay safe everyone in Naha.")

    within_a_second(
        varnish, article.get_absolute_url(), lambda status, text: "Stay safe everyone" in text
    )
    assert page(varnish, other.get_absolute_url())[1] == "HIT"
    assert page(varnish, "/")[1] == "HIT"  # comment counts on cards may lag (60 s)


def test_an_unpublished_article_is_gone_from_varnish_at_once(varnish):
    make_article(title="Rice harvest breaks records")  # the sitemaps stay, without it
    article = make_article(title="Typhoon Mawar nears Okinawa")
    lists = ("/", "/feed/", "/sitemap-articles.xml", "/sitemap-news.xml")
    cached(varnish, article.get_absolute_url(), *lists)

    article.status = Article.Status.DRAFT
    article.save()

    for coding in BROWSERS:  # hard: not even once stale
        assert page(varnish, article.get_absolute_url(), coding)[0] == 404
    for path in lists:
        within_a_second(varnish, path, lambda status, text: article.slug not in text)


def test_a_save_committed_while_the_page_renders_shows_through_varnish_within_a_second(
    varnish, monkeypatch
):
    import articles.pagecache.middleware as middleware

    article = make_article(title="Typhoon Mawar nears Okinawa")
    store, saved = middleware.store, []

    def store_after_a_save(*args, **kwargs):  # an editor's save commits during the render
        if not saved:
            saved.append(Article.objects.get(pk=article.pk))
            saved[0].title = "Typhoon Mawar makes landfall in Okinawa"
            saved[0].save()
        return store(*args, **kwargs)

    monkeypatch.setattr(middleware, "store", store_after_a_save)
    assert "nears Okinawa" in page(varnish, article.get_absolute_url())[2]
    within_a_second(varnish, article.get_absolute_url(), lambda s, text: "makes landfall" in text)


def test_an_article_published_at_a_url_that_answered_404_shows_through_varnish_at_once(varnish):
    draft = make_article(title="Quake hits Noto", published=False)
    path = draft.get_absolute_url()
    assert page(varnish, path)[0] == 404
    assert page(varnish, path)[:2] == (404, "HIT")  # kept for s-maxage, like scanners' 404s
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
    draft.save()
    within_a_second(varnish, path, lambda status, text: status == 200 and "Noto" in text)
