"""Hostile input on every public route: a 4xx with a styled page (or the page itself), never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import comment_form_data, make_article, make_comment, make_source

LONG = "a" * 10_000
STYLED = 'class="site-header"'  # every page of ours, error pages included, has the masthead


@pytest.fixture
def site(db):
    article = make_article(title="Typhoon season starts early", tags=["weather"])
    source = make_source(name="Kyodo")
    comment = make_comment(article)
    return {"article": article, "source": source, "comment": comment}


@pytest.fixture
def browser_client():
    """A client that checks CSRF tokens the way a real browser session meets them."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def reader_urls(site):
    article = site["article"]
    return [
        "/",
        article.get_absolute_url(),
        f"/authors/{article.bylines.first().author.slug}/",
        "/tags/weather/",
        f"/sources/{site['source'].slug}/",
        "/corrections/",
        "/search/",
        "/feed/",
        "/sitemap.xml",
    ]


HOSTILE_QUERIES = [
    "page=0",
    "page=-1",
    "page=abc",
    "page=1e3",
    "page=99999999999999999999999999",
    "page=2%3B%20DROP%20TABLE%20articles_article",
    "page=%00",
    "page=%ff%fe",
    "page=1&page=2&page=abc",
    f"q={LONG}",
    f"q=typhoon&{LONG}=1",
    "q=%00",
    "q=%ff%fe%fd",
    "q=%C0%AE%C0%AE%2F",
    "q=%E2%80%AE%E2%80%8B",
    "q=*:*%20OR%201=1--",
    "q=%27%22%3B%5C",
    "section=%00&author=%00",
    "section=nope&author=99999999999999999999",
    "utm_source=x&fbclid=y&__proto__=1&debug=1",
    "held=forged-token&replytocom=abc",
    "replytocom=99999999999999999999",
    "p=%00",
    "p=99999999999999999999999",
    "format=json&callback=alert",
]


def test_hostile_query_strings_never_give_a_server_error(client, site):
    client.raise_request_exception = False
    failures = []
    for url in reader_urls(site):
        for query in HOSTILE_QUERIES:
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                failures.append(f"{url}?{query[:60]} -> {response.status_code}")
            elif response.status_code >= 400 and "html" in response["Content-Type"]:
                assert STYLED in response.content.decode(), f"{url}?{query[:60]}"
    assert failures == []


@pytest.mark.parametrize(
    "path",
    [
        "/articles/%00/",
        "/articles/a%00b/",
        "/tags/%00/",
        "/authors/x%00/",
        "/sources/%00/feed/",
        "/articles/%ff%fe/",
        "/tags/%C0%AE%C0%AE/",
        "/articles/" + "a" * 10_000 + "/",
        "/comments/99999999999999999999999/report/",
        "/../../etc/passwd",
        "/static/../newsroom/settings.py",
        "/sitemap-nonexistent.xml",
    ],
)
def test_hostile_paths_get_a_styled_client_error(client, site, path):
    client.raise_request_exception = False
    response = client.get(path)
    assert 400 <= response.status_code < 500, path
    if "html" in response.get("Content-Type", ""):
        assert STYLED in response.content.decode()


def test_null_bytes_in_a_query_are_a_400_with_a_styled_page(client, site):
    response = client.get("/search/?q=typhoon%00")
    assert response.status_code == 400
    assert "We couldn’t understand that request" in response.content.decode()


def test_an_overlong_search_is_explained_not_run(client, site):
    response = client.get("/search/", {"q": "typhoon " * 1250})
    assert response.status_code == 200
    assert "Ensure this value has at most 200 characters" in response.content.decode()


def test_wrong_methods_get_a_styled_405(client, site):
    article = site["article"]
    for url in [reverse("articles:comment_post", args=[article.slug]), "/robots.txt"]:
        response = client.get(url) if "comments" in url else client.post(url)
        assert response.status_code == 405
        assert "doesn’t take this kind of request" in response.content.decode()
        assert response["Allow"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsafe_methods_on_reader_pages_are_refused_with_a_styled_page(
    browser_client, site, method
):
    for url in reader_urls(site):
        data = {"x": "1"} if method == "post" else "x=1"
        response = getattr(browser_client, method)(url, data=data)
        assert response.status_code in {403, 405}, (method, url)
        assert STYLED in response.content.decode()


def test_an_unknown_host_gets_a_styled_400(client, db):
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "We couldn’t understand that request" in response.content.decode()


def test_hostile_comment_posts_are_refused_with_the_text_kept(client, site, settings):
    settings.COMMENTS_RATE_PER_MINUTE = settings.COMMENTS_RATE_PER_HOUR = 1000
    url = reverse("articles:comment_post", args=[site["article"].slug])
    cases = [
        {"body": "nul\x00byte"},
        {"name": "x" * 10_000},
        {"parent": "abc"},
        {"parent": "99999999999999999999999"},
        {"parent": "-1"},
        {"email": "a" * 5000 + "@example.com"},
        {"issued": "forged"},
        {"issued": ""},
        {"website": "javascript:alert(1)"},
        {"body": LONG * 2},
        {"unknown": "field", "body": ""},
    ]
    client.raise_request_exception = False
    for case in cases:
        response = client.post(url, comment_form_data(**case))
        assert 400 <= response.status_code < 500, case
        assert STYLED in response.content.decode(), case
    assert site["article"].comments.count() == 1  # only the fixture's


def test_invalid_utf8_in_a_comment_post_is_refused_or_kept_never_a_500(client, site, settings):
    url = reverse("articles:comment_post", args=[site["article"].slug])
    body = "&".join(f"{k}={v}" for k, v in comment_form_data().items() if k != "body")
    response = client.post(
        url, data=body + "&body=%ff%fe%c3%28", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in {302, 400}


def test_a_huge_form_is_refused_with_a_styled_400(client, site, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    client.raise_request_exception = False
    url = reverse("articles:comment_post", args=[site["article"].slug])
    data = comment_form_data() | {f"f{i}": "x" for i in range(500)}
    response = client.post(url, data)
    assert response.status_code == 400
    assert STYLED in response.content.decode()
