"""Which requests the page cache answers, stores and lets invalidate it (articles/pagecache/):
Unicode addresses through the WSGI front, session cookies, held links and query strings."""

import gzip
from urllib.parse import unquote

import pytest
from django.test import override_settings

from articles.comments.tokens import held_token
from articles.models import Article, Comment
from tests.factories import make_article, make_comment, make_section, make_staff
from tests.test_perf_cache import cached, page_cache, wsgi_get  # noqa: F401 (page_cache: a fixture)

# Every test over each cache backend, with the page cache on.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

CSRF = "a" * 32


def front_hit(url, **headers):
    """The body of `url` as the WSGI front sends it from the cache (it must be a hit)."""
    status, headers, body, reached = wsgi_get(url, **headers)
    assert (status, headers["X-Page-Cache"], reached) == ("200 OK", "hit", False)
    return body


# Unicode addresses -------------------------------------------------------------------


def test_unicode_article_section_and_tag_pages_are_served_and_stored_by_the_wsgi_front():
    article = make_article(
        title="東京 Olympics open", section=make_section(name="Ελλάδα"), tags=["中文", "Café"]
    )
    accented = make_article(title="Café culture über alles")
    pages = {
        article.get_absolute_url(): "東京 Olympics open",
        article.section.get_absolute_url(): "Ελλάδα",
        "/tags/中文/": "中文",
        "/tags/café/": "Café",
        accented.get_absolute_url(): "Café culture über alles",
    }
    for url, text in pages.items():  # percent-encoded, as browsers send them
        status, headers, body, _ = wsgi_get(url)
        assert (status, headers["X-Page-Cache"]) == ("200 OK", "miss"), url
        assert text in body.decode()
        assert front_hit(url) == body
        assert front_hit(unquote(url)) == body  # as raw UTF-8, as curl can: the same page


def test_an_address_outside_latin_1_gets_the_sites_404_page_through_the_wsgi_front():
    status, headers, body, reached = wsgi_get("/%E2%82%AC")
    assert (status, reached) == ("404 Not Found", True)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in headers
    assert "<html" in body.decode()


# Session cookies and who may make pages fresh ----------------------------------------


@pytest.mark.parametrize("session", ["x", "a" * 32])
def test_a_session_cookie_that_is_no_staff_session_is_served_from_the_cache(
    client, django_assert_num_queries, django_assert_max_num_queries, session
):
    url = make_article(title="Cached story").get_absolute_url()
    stored = cached(client, url, django_assert_num_queries)
    client.cookies["sessionid"] = session
    with django_assert_max_num_queries(1):  # at most a lookup of the session
        response = client.get(url)
    assert (response["X-Page-Cache"], response.content) == ("hit", stored.content)
    if session == "x":  # not even shaped like a session: the front answers at once
        assert front_hit(url, cookie=f"sessionid={session}") == stored.content
    else:
        _, headers, body, _ = wsgi_get(url, cookie=f"sessionid={session}")
        assert (headers["X-Page-Cache"], body) == ("hit", stored.content)


def test_a_staff_session_still_gets_live_pages(client, django_assert_num_queries):
    article = make_article(title="Live story")
    cached(client, article.get_absolute_url(), django_assert_num_queries)
    client.force_login(make_staff("editor"))
    Article.objects.filter(pk=article.pk).update(title="Changed without signals")
    response = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "Changed without signals" in response.content.decode()


def test_search_takes_no_posts_and_says_so_on_the_styled_page(client):
    response = client.post("/search/", {"q": "anything"})
    assert response.status_code == 405
    assert "take this kind of request" in response.content.decode()
    assert client.head("/search/?q=x").status_code == 200
    # Through the WSGI application, as a server sends it: the whole page, not 0 bytes of it.
    status, headers, body, _ = wsgi_get(
        "/search/", method="POST", cookie=f"csrftoken={CSRF}", x_csrftoken=CSRF
    )
    assert (status, headers["Allow"]) == ("405 Method Not Allowed", "GET, HEAD")
    assert "take this kind of request" in body.decode()
    assert headers["Content-Length"] == str(len(body))


@pytest.mark.parametrize(
    "url, data",
    [
        ("/search/", {"q": "x"}),
        ("/admin/login/", {"username": "nobody", "password": "wrong"}),
        ("/admin/articles/article/", {"action": "unpublish_selected"}),
    ],
)
def test_posts_without_a_staff_login_leave_the_stored_pages_alone(
    client, django_assert_num_queries, url, data
):
    make_article(title="Quiet story")
    cached(client, "/", django_assert_num_queries)
    client.cookies["sessionid"] = "x"
    client.cookies["csrftoken"] = CSRF
    response = client.post(url, data, headers={"x-csrftoken": CSRF})
    assert response.status_code < 500
    del client.cookies["sessionid"]
    cached(client, "/", django_assert_num_queries)


def test_a_staff_members_admin_post_that_changes_nothing_purges_nothing(
    client, django_assert_num_queries
):
    """Signed-in POSTs no longer empty the cache: what changes purges the pages showing it."""
    make_article(title="Quiet story")
    cached(client, "/", django_assert_num_queries)
    client.force_login(make_staff("chief", is_superuser=True))
    response = client.post(
        "/admin/articles/article/", {"action": "unpublish_selected", "_selected_action": []}
    )
    assert response.status_code == 200  # "Items must be selected": nothing changed
    client.logout()
    cached(client, "/", django_assert_num_queries)


# Held-comment links --------------------------------------------------------------------


def test_percent_encoded_held_links_are_neither_stored_nor_served_to_others(
    client, django_assert_num_queries
):
    article = make_article()
    url = article.get_absolute_url()
    held = make_comment(article, body="Awaiting a moderator", status=Comment.Status.PENDING)
    for held_url in (f"{url}?h%65ld={held_token(held)}", f"{url}?%68eld={held_token(held)}"):
        response = client.get(held_url)
        assert "Awaiting a moderator" in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"
        _, headers, body, reached = wsgi_get(held_url)
        assert reached and "Awaiting a moderator" in body.decode()
    assert "Awaiting a moderator" not in client.get(url).content.decode()


@pytest.mark.parametrize("token", ["x", "MTIx:1xZ6XD:forged", ""])
def test_made_up_held_links_get_the_stored_copy_and_cost_no_render(
    client, django_assert_num_queries, token
):
    """Only a signed link shows a held comment; a flood of made-up ones must not render."""
    url = make_article().get_absolute_url()
    stored = cached(client, url, django_assert_num_queries)
    with django_assert_num_queries(0):
        response = client.get(f"{url}?h%65ld={token}")
    assert (response["X-Page-Cache"], response.content) == ("hit", stored.content)
    assert wsgi_get(f"{url}?held={token}")[3] is False  # answered by the WSGI front


# Query strings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "junk", ["utm_source=facebook&utm_medium=social", "fbclid=IwAR0abc", "gclid=xyz", "x=1"]
)
def test_unknown_query_parameters_are_served_the_pages_stored_copy(
    client, django_assert_num_queries, junk
):
    make_article(title="Shared story")
    stored = cached(client, "/", django_assert_num_queries)
    with django_assert_num_queries(0):
        response = client.get(f"/?{junk}")
    assert (response["X-Page-Cache"], response.content) == ("hit", stored.content)
    assert front_hit(f"/?{junk}") == stored.content


@override_settings(ARTICLES_PER_PAGE=1)
def test_a_page_first_asked_for_with_tracking_parameters_is_stored_without_them(
    client, django_assert_num_queries
):
    for title in ("One", "Two", "Three"):
        make_article(title=title)
    first = client.get("/?utm_source=newsletter&page=2&fbclid=abc")
    assert first["X-Page-Cache"] == "miss"
    assert "utm_source" not in first.content.decode()  # nor in its pagination links
    assert "?page=3" in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get("/?page=2")
    assert (again["X-Page-Cache"], again.content) == ("hit", first.content)


@override_settings(ARTICLES_PER_PAGE=1)
def test_repeated_empty_and_reordered_parameters_find_the_copy_the_view_would_render(
    client, django_assert_num_queries
):
    for title in ("One", "Two", "Three"):
        make_article(title=title)
    article = make_article(title="Discussed")
    comment = make_comment(article, body="Reply to me")
    page_two = cached(client, "/?page=2", django_assert_num_queries)
    for same in ("/?page=3&page=2", "/?page=&page=2&x=1"):  # the view reads the last value
        with django_assert_num_queries(0):
            assert client.get(same).content == page_two.content, same
    front = cached(client, "/", django_assert_num_queries)
    for same in ("/?page=", "/?page=2&page="):
        with django_assert_num_queries(0):
            assert client.get(same).content == front.content, same
    url = article.get_absolute_url()
    reply = client.get(f"{url}?replytocom={comment.pk}")
    assert "X-Page-Cache" not in reply and "Reply to me" in reply.content.decode()


@pytest.mark.parametrize("link", ["?replytocom={pk}", "?replytocom=99999", "?replytocom={pk}&x=1"])
def test_reply_links_are_rendered_live_and_never_stored(client, link):
    """One reader's reply form; every comment id stored as a copy would fill the cache."""
    article = make_article()
    comment = make_comment(article, body="Reply to me")
    url = article.get_absolute_url() + link.format(pk=comment.pk)
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200 and "X-Page-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"


def test_an_unknown_wordpress_post_id_is_a_404_not_another_copy_of_the_front_page(client):
    make_article()
    for junk in ("/?p=12345", "/?p=67890", "/?p=abc"):
        client.get(junk)
        response = client.get(junk)
        assert response.status_code == 404 and "X-Page-Cache" not in response, junk


def test_odd_values_of_the_pages_parameters_are_answered_live_and_not_stored(client):
    url = make_article().get_absolute_url()
    for junk in ("?page=abc", "?page=02", "?replytocom=1e3", "?page=1.0"):
        client.get(url + junk)
        response = client.get(url + junk)
        assert "X-Page-Cache" not in response, junk
    assert client.get("/?page=abc").status_code == 404


# Accept-Encoding with q-values -----------------------------------------------------------


@pytest.mark.parametrize("accepts", ["gzip;q=0", "gzip; q=0.000, identity", "*;q=0, identity"])
def test_a_reader_who_refuses_gzip_gets_no_gzip(client, django_assert_num_queries, accepts):
    url = make_article(title="Plain story").get_absolute_url()
    plain = cached(client, url, django_assert_num_queries)
    response = cached(client, url, django_assert_num_queries, accept_encoding=accepts)
    assert "Content-Encoding" not in response and response.content == plain.content
    _, headers, body, _ = wsgi_get(url, accept_encoding=accepts)
    assert "Content-Encoding" not in headers and body == plain.content
    # Pages never stored (search), and staff's live pages, likewise.
    search = client.get("/search/", {"q": "plain"}, headers={"accept-encoding": accepts})
    assert "Content-Encoding" not in search
    client.force_login(make_staff("editor"))
    live = client.get(url, headers={"accept-encoding": accepts})
    assert "Content-Encoding" not in live and "Plain story" in live.content.decode()


def test_gzip_with_a_quality_above_zero_is_still_gzipped(client, django_assert_num_queries):
    url = make_article(title="Packed story").get_absolute_url()
    plain = cached(client, url, django_assert_num_queries)
    response = cached(client, url, django_assert_num_queries, accept_encoding="GZIP;Q=0.5")
    assert gzip.decompress(response.content) == plain.content


@pytest.mark.parametrize("method", ["put", "post", "delete", "patch"])
@pytest.mark.parametrize("path", ["/", "/sitemap.xml", "/corrections/"])
def test_public_pages_only_read_and_answer_other_methods_with_405(client, method, path):
    make_article()
    response = getattr(client, method)(path)
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_a_made_up_session_cookie_cannot_keep_a_page_from_being_stored(
    client, django_assert_num_queries
):
    """Django deletes a session cookie it does not know; a render that deletes one must still
    be stored, or a flood of such requests would each render the page."""
    article = make_article(title="Quiet story")
    client.cookies["sessionid"] = "x"
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss" and "sessionid" not in first.cookies
    with django_assert_num_queries(0):
        again = client.get(article.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    assert "Quiet story" in again.content.decode()
