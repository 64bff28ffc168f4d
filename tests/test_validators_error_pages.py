"""Error pages say how long they may be kept: never, except a 404, which a CDN may hold as
briefly as the stored pages (articles/views/site.py explains why)."""

import pytest
from django.test import RequestFactory

from articles.views import site

from .factories import make_article

pytestmark = pytest.mark.django_db


def test_a_not_found_page_may_be_kept_briefly_by_a_cdn_only(client, settings):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert response["Cache-Control"] == (
        f"public, max-age=0, s-maxage={settings.PAGE_CACHE_CDN_SECONDS}"
    )


def test_other_error_pages_are_never_stored(client, settings):
    article = make_article()
    request = RequestFactory().get("/")
    settings.ADMIN_LOGIN_FAILURES_PER_IP = 0
    responses = {
        400: site.bad_request(request),
        403: site.permission_denied(request),
        405: client.get(f"{article.get_absolute_url()}comments/"),
        429: client.post("/admin/login/", {"username": "x", "password": "y"}),
        500: site.server_error(request),
    }
    for status, response in responses.items():
        assert response.status_code == status
        assert "no-store" in response["Cache-Control"], status
