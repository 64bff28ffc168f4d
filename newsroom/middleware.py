"""Site-wide middleware: security headers, styled error pages, request logs.

- ForwardedForMiddleware: the client's address behind a reverse proxy.
- PermissionsPolicyMiddleware: Django has no setting for the Permissions-Policy header.
- ServiceUnavailableMiddleware: when the database is unreachable, readers get the styled
  503 page (no database needed to render it) instead of a traceback; the next request
  tries again, so the site recovers by itself when the database is back.
- RejectNullBytesMiddleware: 400 for NUL characters in the URL or a form.
- StyledErrorMiddleware: Django's bare 405 (and other empty 4xx bodies) get a styled page.
- RequestLogMiddleware: one structured line per request, with the route, not the path
  (paths can carry signed email tokens), and never the client's address.
"""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse

from articles.ratelimit import normalised_ip

request_log = logging.getLogger("newsroom.request")
fault_log = logging.getLogger("newsroom.faults")


class ForwardedForMiddleware:
    """Behind a reverse proxy (BEHIND_PROXY=1), REMOTE_ADDR is the proxy's own address; the
    client's is the one the last trusted proxy appended to X-Forwarded-For. Rate limits and
    the admin lockout count per client, so they need it. Addresses further left are
    whatever the client chose to send, and are ignored.

    Either way the address is written in one spelling (gunicorn bound to [::] reports IPv4
    clients as ::ffff:a.b.c.d), so that bans, limits and stored comments agree; a value
    that is no address becomes empty rather than reach a database column for addresses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = request.META.get("REMOTE_ADDR", "")
        if settings.BEHIND_PROXY:
            hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            hops = [h for h in hops if h]
            proxies = max(1, settings.PROXY_COUNT)
            if len(hops) >= proxies:
                address = hops[-proxies]
        request.META["REMOTE_ADDR"] = normalised_ip(address) or ""
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def unavailable_response() -> HttpResponse:
    """The styled 503: a static template (no database, no context processors)."""
    html = loader.get_template("503.html").render({"site_name": settings.SITE_NAME})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


# After an outage is seen, each process answers 503 at once for this long instead of
# making every request wait for the pool's timeout; then one request tries again.
OUTAGE_RETRY_SECONDS = 2.0
_outage = {"until": 0.0}


def outage_record() -> None:
    _outage["until"] = time.monotonic() + OUTAGE_RETRY_SECONDS


def outage_clear() -> None:
    """A replica failed, not the primary (newsroom/replicas.py): no reason to wait."""
    _outage["until"] = 0.0


def outage_suspected() -> bool:
    return time.monotonic() < _outage["until"]


def is_database_outage(exception: BaseException) -> bool:
    """OperationalError and InterfaceError: the server is down, restarting or unreachable.

    Other database errors (a bad query, an integrity error) are bugs and stay 500s.
    """
    return isinstance(exception, (OperationalError, InterfaceError))


class ServiceUnavailableMiddleware:
    """A view that finds the database down answers 503; errors elsewhere reach handler500,
    which does the same (articles.views.site.server_error). For OUTAGE_RETRY_SECONDS
    after that, requests get the 503 without waiting on the database. Django closes the
    broken connection when the request finishes, and the pool checks each connection it
    hands out (CONN_HEALTH_CHECKS), so the next try connects afresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # /healthz/ answers for itself, in JSON (articles/views/health.py).
        if outage_suspected() and request.path != reverse("articles:healthz"):
            return unavailable_response()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            outage_record()
            fault_log.error(
                "database unavailable",
                extra={"error": type(exception).__name__, "view": _route(request)},
            )
            return unavailable_response()
        return None


def _has_null(values) -> bool:
    return any("\x00" in value for value in values)


class RejectNullBytesMiddleware:
    """A NUL character has no business in a URL or a form, and PostgreSQL refuses it in
    any query (a ValueError, so a 500): answer 400 before any view or lookup sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_null(request.GET.keys())
            or _has_null(v for values in request.GET.lists() for v in values[1])
            or (
                request.method == "POST"
                and request.content_type != "multipart/form-data"
                and (
                    _has_null(request.POST.keys())
                    or _has_null(v for values in request.POST.lists() for v in values[1])
                )
            )
        ):
            html = loader.get_template("400.html").render({"site_name": settings.SITE_NAME})
            return HttpResponse(html, status=400)
        return self.get_response(request)


STYLED_STATUSES = {400: "400.html", 403: "403.html", 405: "405.html", 429: "429.html"}


class StyledErrorMiddleware:
    """Give empty 4xx responses (Django's 405 for a wrong method, mostly) a styled page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        template = STYLED_STATUSES.get(response.status_code)
        if template and not response.streaming and not response.content:
            html = loader.get_template(template).render({"site_name": settings.SITE_NAME})
            response.content = html.encode()
            response["Content-Type"] = "text/html; charset=utf-8"
            # CommonMiddleware (below) already set it for the empty body: servers send 0 bytes.
            response["Content-Length"] = str(len(response.content))
        if response.status_code >= 400:
            response.headers.setdefault("Cache-Control", "no-store")  # see views/site.py
        return response


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "-"
    return match.view_name or match.route or "-"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        request_log.info(
            "request",
            extra={
                "method": request.method,
                "view": _route(request),
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response
