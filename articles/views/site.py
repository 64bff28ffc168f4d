"""Site-wide responses: robots.txt and the error pages.

The error pages are static templates rendered without the database or context processors,
so that they work whatever went wrong (a bad Host header, the database away).
"""

import sys

from django.conf import settings
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.template import loader
from django.urls import reverse
from django.utils.csp import build_policy
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from articles.pagecache import keys
from newsroom.middleware import is_database_outage, outage_record, unavailable_response


@require_GET
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        # The index lists the news sitemap while it has articles (it is a 404 when empty).
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap_index')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _error(response_class, template: str):
    """A static error page with its own frame and CSP headers: a 400 raised early (a bad
    Host header) never reaches the middleware that would add them."""
    response = response_class(
        loader.get_template(template).render({"site_name": settings.SITE_NAME})
    )
    response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
    response.headers.setdefault("Content-Security-Policy", build_policy(settings.SECURE_CSP))
    response["Cache-Control"] = ERROR_CACHE_CONTROL
    return response


# Error pages answer one request's fault or a passing one (a 500 cached would outlive its
# cause), so nothing stores them; newsroom/middleware.py gives the same to Django's own (405).
ERROR_CACHE_CONTROL = "no-store"


def page_not_found(request, exception):
    """The 404 page. A CDN may keep it as long as it keeps stored pages (s-maxage, browsers
    revalidate): scanners ask for thousands of missing URLs, and an article published
    meanwhile is then seen at most that late, as a stored front page would show it."""
    response = defaults.page_not_found(request, exception)
    response["Cache-Control"] = f"public, max-age=0, s-maxage={settings.PAGE_CACHE_CDN_SECONDS}"
    # A publication purges these at the CDN (its URL answered 404 a moment ago).
    response["Surrogate-Key"] = response["xkey"] = f"{keys.MISSING} {keys.CHROME}"
    response["Cache-Tag"] = f"{keys.MISSING},{keys.CHROME}"
    return response


def bad_request(request, exception=None):
    return _error(HttpResponseBadRequest, "400.html")


def permission_denied(request, exception=None):
    return _error(HttpResponseForbidden, "403.html")


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token (an old tab, cookies off): the styled 403."""
    return _error(HttpResponseForbidden, "403.html")


def server_error(request):
    """The 500 page; a database outage met outside a view gets the 503 page instead."""
    exception = sys.exc_info()[1]
    if exception is not None and is_database_outage(exception):
        outage_record()
        return unavailable_response()
    return _error(HttpResponseServerError, "500.html")
