"""PageCacheApp: the WSGI front of the page cache (newsroom/wsgi.py)."""

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest

from articles.pagecache.middleware import RENDER_LOCKED, is_cacheable_request
from articles.pagecache.store import lookup, reply


class PageCacheApp:
    """A stored page is sent before Django builds a request, runs middleware or sends
    signals, which is most of what a cached page costs. Anything else (a miss, a bad Host, a
    cache that fails) goes to Django, which answers as usual."""

    STATUS = {200: "200 OK", 304: "304 Not Modified"}

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method in ("GET", "HEAD") and settings.PAGE_CACHE_ENABLED:
            try:
                # On a copy: WSGIRequest writes the decoded path into the environ it is given,
                # which Django's handler would decode a second time (500s and 404s for Unicode).
                request = WSGIRequest(dict(environ))
                cacheable = is_cacheable_request(request, look_up_sessions=False)
                _, entry, state = lookup(request) if cacheable else (None, None, None)
            except Exception:  # a bad Host, a broken request: Django answers as it would
                entry, state = None, None
            if entry:
                status, headers, body = reply(entry, environ, state)
                start_response(self.STATUS[status], headers)
                return [body if method == "GET" else b""]  # HEAD: GET's headers, no body
            if state == "locked":  # this request renders the stale page; the middleware knows
                environ[RENDER_LOCKED] = True
        return self.application(environ, start_response)
