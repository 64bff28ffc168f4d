"""deploy/varnish/newsroom.vcl and the purger, against a real varnishd in front of a small
origin that answers like the app (tests/varnish.py)."""

import itertools
import logging
import socket
import time

import pytest

from articles.pagecache.purgers import NullPurger, VarnishPurger, get_purger, key_batches
from tests.varnish import VCL, Backend, compile_vcl, decoded, running_varnish

STORED = "public, max-age=0, s-maxage=60, stale-while-revalidate=60"  # the app's stored pages
_paths = itertools.count()


@pytest.fixture(scope="module")
def site():
    with Backend() as backend, running_varnish(backend.port) as varnish:
        yield backend, varnish


@pytest.fixture
def path(site):
    """A page of this test's own (the Varnish is shared by the module's tests)."""

    def new_page(key: str = "", cache_control: str = STORED, **headers) -> str:
        page = f"/page{next(_paths)}/"
        if key:
            headers["xkey"] = key
        site[0].page(page, Cache_Control=cache_control, **headers)
        return page

    return new_page


def body(response) -> str:
    return decoded(response[1], response[2])


def purged(varnish, key: str, *, hard: bool) -> None:
    header = "xkey-purge" if hard else "xkey-softpurge"
    status, _, text = varnish.purge(headers={header: key})
    assert status == 200, text


def test_the_shipped_vcl_compiles_with_its_purge_acl_limited_to_loopback():
    result = compile_vcl(VCL)
    assert result.returncode == 0, result.stderr
    text = VCL.read_text()
    acl = text.split("acl purgers {", 1)[1].split("}", 1)[0]
    assert [line.strip() for line in acl.splitlines() if line.strip().startswith('"')] == [
        '"127.0.0.1";',
        '"::1";',
    ]


def test_a_page_is_served_by_varnish_from_the_second_request_on(site, path):
    backend, varnish = site
    page = path("a1 front")
    first, second = varnish.get(page), varnish.get(page)
    assert (first[0], first[1]["X-Cache"], body(first)) == (200, "MISS", f"{page} render 1")
    assert (second[0], second[1]["X-Cache"], body(second)) == (200, "HIT", f"{page} render 1")
    assert backend.renders[page] == 1


def test_a_hard_purge_removes_exactly_the_pages_carrying_the_key(site, path):
    backend, varnish = site
    article_1, article_2, other = path("a901 front"), path("a902 front"), path("a902")
    for page in (article_1, article_2, other):
        varnish.get(page)

    purged(varnish, "a901", hard=True)
    assert body(varnish.get(article_1)) == f"{article_1} render 2"
    assert [varnish.get(page)[1]["X-Cache"] for page in (article_2, other)] == ["HIT", "HIT"]

    purged(varnish, "front", hard=True)
    assert body(varnish.get(article_1)) == f"{article_1} render 3"
    assert body(varnish.get(article_2)) == f"{article_2} render 2"
    assert body(varnish.get(other)) == f"{other} render 1"


def test_a_page_showing_thousands_of_articles_is_cached_and_purged_by_any_of_them(site, path):
    backend, varnish = site
    keys = " ".join(f"a{n}" for n in range(300000, 305000))  # 40 KB of keys
    page = path(keys)
    assert [varnish.get(page)[0], varnish.get(page)[1]["X-Cache"]] == [200, "HIT"]
    purged(varnish, "a304999", hard=True)
    assert varnish.get(page)[1]["X-Cache"] == "MISS"


def test_a_purge_names_several_keys_at_once(site, path):
    backend, varnish = site
    pages = path("a911"), path("a912"), path("a913")
    for page in pages:
        varnish.get(page)
    purged(varnish, "a911 a913", hard=True)
    assert [varnish.get(page)[1]["X-Cache"] for page in pages] == ["MISS", "HIT", "MISS"]


def test_after_a_soft_purge_one_reader_gets_the_old_page_while_the_new_one_is_fetched(site, path):
    backend, varnish = site
    page = path("a921")
    varnish.get(page)
    purged(varnish, "a921", hard=False)

    stale = varnish.get(page)
    assert (stale[1]["X-Cache"], body(stale)) == ("STALE", f"{page} render 1")
    deadline = time.monotonic() + 1
    while body(fresh := varnish.get(page)) != f"{page} render 2":
        assert time.monotonic() < deadline, "the new page was not fetched within 1 s"
    assert fresh[1]["X-Cache"] == "HIT"
    assert backend.renders[page] == 2


def test_readers_keep_getting_the_last_copy_when_the_app_goes_down():
    with Backend() as backend, running_varnish(backend.port) as varnish:
        backend.page("/a/", Cache_Control=STORED, xkey="a1")
        varnish.get("/a/")
        purged(varnish, "a1", hard=False)
        backend.down = True
        for _ in range(3):
            status, headers, text = varnish.get("/a/")
            assert (status, headers["X-Cache"], text) == (200, "STALE", b"/a/ render 1")


def test_a_stale_copy_from_the_app_is_fetched_again_by_the_next_reader(site, path):
    backend, varnish = site
    page = path("a925", X_Page_Cache="stale", ETag='W/"old"')  # another worker renders it
    assert body(varnish.get(page)) == f"{page} render 1"
    backend.pages[page]["X-Page-Cache"] = "miss"
    # Kept as expired (1 ms): the next reader gets it while Varnish fetches again.
    deadline = time.monotonic() + 1
    while body(fresh := varnish.get(page)) != f"{page} render 2":
        assert time.monotonic() < deadline, "the new page was not fetched within 1 s"
    assert fresh[1]["X-Cache"] == "HIT"
    assert "If-None-Match" not in backend.requests_for(page)[-1]  # a whole page, not a 304


def test_a_plain_purge_of_a_url_removes_that_page_in_every_coding(site, path):
    backend, varnish = site
    page, other = path("a931"), path("a931")
    codings = ({"Accept-Encoding": "br"}, {"Accept-Encoding": "gzip"}, {})
    before = [body(varnish.get(page, headers)) for headers in codings]
    varnish.get(other)
    status, _, _ = varnish.purge(page)
    assert status == 200
    after = [body(varnish.get(page, headers)) for headers in codings]
    assert not set(before) & set(after)
    assert varnish.get(other)[1]["X-Cache"] == "HIT"


def test_brotli_and_gzip_readers_each_get_their_coding_from_the_cache(site, path):
    backend, varnish = site
    page = path("a941")
    for _ in range(2):
        br = varnish.get(page, {"Accept-Encoding": "gzip, deflate, br"})
        gz = varnish.get(page, {"Accept-Encoding": "gzip, deflate"})
        plain = varnish.get(page)
    assert br[1]["Content-Encoding"] == "br" and gz[1]["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain[1]
    assert all(body(r).startswith(f"{page} render") for r in (br, gz, plain))
    assert backend.renders[page] == 2  # one copy for br, one for gzip (unzipped for plain)
    assert [r[1]["X-Cache"] for r in (br, gz, plain)] == ["HIT", "HIT", "HIT"]


def test_readers_who_refuse_brotli_are_not_sent_it(site, path):
    backend, varnish = site
    page = path("a942")
    varnish.get(page, {"Accept-Encoding": "gzip, br"})
    response = varnish.get(page, {"Accept-Encoding": "gzip, br;q=0"})
    assert response[1]["Content-Encoding"] == "gzip"


@pytest.mark.parametrize(
    "cookie", ["sessionid=0123456789abcdef0123456789abcdef", "csrftoken=x; messages=abc"]
)
def test_signed_in_staff_and_readers_with_a_message_always_reach_the_app(site, path, cookie):
    backend, varnish = site
    page = path("a951")
    varnish.get(page)  # stored for anonymous readers
    for _ in range(2):
        response = varnish.get(page, {"Cookie": cookie})
        assert response[1]["X-Cache"] == "PASS"
    assert backend.renders[page] == 3
    assert backend.requests_for(page)[-1]["Cookie"] == cookie


def test_other_cookies_are_not_sent_to_the_app_and_the_page_is_still_a_hit(site, path):
    backend, varnish = site
    page = path("a961")
    first = varnish.get(page, {"Cookie": "csrftoken=abc; _ga=GA1.2.3"})
    second = varnish.get(page, {"Cookie": "_ga=GA1.9.9"})
    assert (first[1]["X-Cache"], second[1]["X-Cache"]) == ("MISS", "HIT")
    assert "Cookie" not in backend.requests_for(page)[0]


@pytest.mark.parametrize("prefix", ["/admin/", "/preview/"])
def test_the_admin_and_previews_are_never_cached_and_keep_their_cookies(site, prefix):
    backend, varnish = site
    page = f"{prefix}{next(_paths)}/"
    backend.page(page, Cache_Control=STORED)
    for _ in range(2):
        assert varnish.get(page, {"Cookie": "csrftoken=abc"})[1]["X-Cache"] == "PASS"
    assert backend.requests_for(page)[-1]["Cookie"] == "csrftoken=abc"


def test_tracking_parameters_share_the_page_without_them(site, path):
    backend, varnish = site
    page = path("a971")
    varnish.get(f"{page}?page=2")
    response = varnish.get(f"{page}?utm_source=news&page=2&fbclid=x1&gclid=y2&utm_medium=m")
    assert response[1]["X-Cache"] == "HIT"
    assert varnish.get(f"{page}?utm_campaign=c")[1]["X-Cache"] == "MISS"
    assert [m for m, p, _ in backend.seen if p.startswith(page)] == ["GET", "GET"]
    assert [p for _, p, _ in backend.seen if p.startswith(page)] == [f"{page}?page=2", page]


def test_posts_always_reach_the_app(site, path):
    backend, varnish = site
    page = path("a981")
    varnish.get(page)
    for _ in range(2):
        status, headers, _ = varnish.request("POST", page, {"Cookie": "csrftoken=a"}, b"x=1")
        assert (status, headers["X-Cache"]) == (200, "PASS")
    posts = backend.requests_for(page, "POST")
    assert len(posts) == 2 and posts[0]["Cookie"] == "csrftoken=a"


@pytest.mark.parametrize(
    "headers",
    [
        {"Cache_Control": STORED, "Set_Cookie": "csrftoken=abc; Path=/"},
        {"Cache_Control": "private, no-store"},
        {"Cache_Control": "no-store"},
        {"Cache_Control": "public, max-age=0, s-maxage=60", "Vary": "*"},
        {},  # no Cache-Control at all (the comment form's token)
    ],
    ids=["set-cookie", "private", "no-store", "vary-star", "unlabelled"],
)
def test_responses_the_app_does_not_mark_shareable_are_not_cached(site, headers):
    backend, varnish = site
    page = f"/page{next(_paths)}/"
    backend.pages[page] = {name.replace("_", "-"): v for name, v in headers.items()}
    assert [body(varnish.get(page)) for _ in range(2)] == [
        f"{page} render 1",
        f"{page} render 2",
    ]


def test_a_purge_from_outside_the_purge_acl_is_refused_and_keys_are_not_shown():
    with Backend() as backend, running_varnish(backend.port, purgers=["192.0.2.1"]) as varnish:
        backend.page("/a/", Cache_Control=STORED, xkey="a1")
        first = varnish.get("/a/")
        assert "xkey" not in first[1]
        for headers in ({"xkey-purge": "a1"}, {"xkey-softpurge": "a1"}, {}):
            status, _, text = varnish.purge("/a/", headers)
            assert status == 403, text
        assert varnish.get("/a/")[1]["X-Cache"] == "HIT"


def test_a_purge_through_a_proxy_in_front_of_varnish_is_refused(site, path):
    backend, varnish = site
    page = path("a995")
    varnish.get(page)
    headers = {"xkey-purge": "a995", "X-Forwarded-For": "203.0.113.9"}  # as nginx sends it
    assert varnish.purge(headers=headers)[0] == 403
    assert varnish.get(page)[1]["X-Cache"] == "HIT"


def test_the_app_servers_are_shown_the_keys(site, path):
    backend, varnish = site
    page = path("a991 front")
    assert varnish.get(page)[1]["xkey"] == "a991 front"


# The purger (articles/pagecache/purgers.py), as the app uses it on commit.


def test_without_purge_urls_nothing_is_sent(settings):
    settings.PAGE_CACHE_PURGE_URLS = []
    assert isinstance(get_purger(), NullPurger)
    get_purger().purge(["a1"], hard=True)


def test_the_purger_hard_purges_its_keys_at_every_varnish(site, path, settings):
    backend, varnish = site
    page, other = path("a1001"), path("a1002")
    with running_varnish(backend.port) as second:
        for server in (varnish, second):
            server.get(page), server.get(other)
        settings.PAGE_CACHE_PURGE_URLS = f"{varnish.url}, {second.url}/"
        get_purger().purge(["a1001"], hard=True)
        for server in (varnish, second):
            assert server.get(page)[1]["X-Cache"] == "MISS"
            assert server.get(other)[1]["X-Cache"] == "HIT"


def test_the_purger_soft_purges_by_default(site, path, settings):
    backend, varnish = site
    page = path("a1011")
    varnish.get(page)
    settings.PAGE_CACHE_PURGE_URLS = [varnish.url]
    get_purger().purge({"a1011"})
    assert varnish.get(page)[1]["X-Cache"] == "STALE"


def test_a_long_key_list_is_sent_in_requests_varnish_accepts(site, path):
    backend, varnish = site
    keys = [f"a{n}" for n in range(200000, 203000)]  # an author with 3,000 articles
    first, last = path(keys[0]), path(keys[-1])
    varnish.get(first), varnish.get(last)
    assert len(list(key_batches(keys))) > 1
    VarnishPurger([varnish.url]).purge(keys, hard=True)
    assert [varnish.get(page)[1]["X-Cache"] for page in (first, last)] == ["MISS", "MISS"]


def test_a_varnish_that_is_down_or_hangs_is_logged_and_not_waited_for(site, path, caplog):
    backend, varnish = site
    page = path("a1021")
    varnish.get(page)
    with socket.socket() as hanging, socket.socket() as closed:
        hanging.bind(("127.0.0.1", 0))
        hanging.listen()  # accepts connections, never answers
        closed.bind(("127.0.0.1", 0))  # bound, not listening: refuses
        urls = [f"http://127.0.0.1:{s.getsockname()[1]}" for s in (hanging, closed)]
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="articles.pagecache.purgers"):
            VarnishPurger([*urls, varnish.url]).purge([f"k{n}" for n in range(2000)] + ["a1021"])
        assert time.monotonic() - started < 2  # one 0.5 s timeout, not one per batch
    assert [r.message.split(" failed")[0] for r in caplog.records] == [
        f"Purging at {urls[0]}",
        f"Purging at {urls[1]}",
    ]
    assert varnish.get(page)[1]["X-Cache"] == "STALE"  # the working Varnish was purged


def test_keys_that_would_break_the_header_are_left_out(caplog):
    assert list(key_batches(["a1", "a 2", "", "front\r\nX: y", "a1"])) == ["a1"]
    assert len(caplog.records) == 3
