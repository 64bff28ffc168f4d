"""PageCacheApp: the WSGI front of the page cache (newsroom/wsgi.py)."""

import threading

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed

from articles.pagecache.middleware import RENDER_LOCKED, is_cacheable_request
from articles.pagecache.store import lookup_key, page_key, reply

# What a request's page key is made of: its URL as Django builds it (scheme, host, path,
# query), proxies' headers included. A request with a cookie is never memoized: cookies say
# whether it may be cached at all.
KEYED_ENVIRON = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
)
KNOWN_URLS = 4096


class PageCacheApp:
    """A stored page is sent before Django builds a request, runs middleware or sends
    signals, which is most of what a cached page costs. Anything else (a miss, a bad Host, a
    cache that fails) goes to Django, which answers as usual."""

    STATUS = {200: "200 OK", 304: "304 Not Modified"}

    def __init__(self, application):
        self.application = application
        self.keys = {}  # cookie-less requests already found cacheable -> their page key
        self.keys_lock = threading.Lock()
        self.forget_keys()
        setting_changed.connect(self.forget_keys, weak=False)

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method in ("GET", "HEAD") and settings.PAGE_CACHE_ENABLED:
            try:
                key = self.page_key(environ)
                _, entry, state = lookup_key(key) if key else (None, None, None)
            except Exception:  # a bad Host, a broken request: Django answers as it would
                entry, state = None, None
            if entry:
                status, headers, body = reply(entry, environ, state)
                start_response(self.STATUS[status], headers)
                return [body if method == "GET" else b""]  # HEAD: GET's headers, no body
            if state == "locked":  # this request renders the stale page; the middleware knows
                environ[RENDER_LOCKED] = True
        return self.application(environ, start_response)

    def page_key(self, environ) -> str | None:
        """The page key of a request that a stored copy may answer, else None."""
        url = None if environ.get("HTTP_COOKIE") else tuple(map(environ.get, self.fields))
        if url is not None and (key := self.keys.get(url)):
            return key  # parsing the request again would find what it found before
        # On a copy: WSGIRequest writes the decoded path into the environ it is given,
        # which Django's handler would decode a second time (500s and 404s for Unicode).
        request = WSGIRequest(dict(environ))
        if not is_cacheable_request(request, look_up_sessions=False):
            return None
        key = page_key(request)
        if url is not None:
            with self.keys_lock:
                if len(self.keys) >= KNOWN_URLS:  # made-up query strings: start again
                    self.keys.clear()
                self.keys[url] = key
        return key

    def forget_keys(self, **kwargs):
        """ALLOWED_HOSTS, FORCE_SCRIPT_NAME and the like make keys: tests change them."""
        proxy = settings.SECURE_PROXY_SSL_HEADER
        with self.keys_lock:
            self.fields = KEYED_ENVIRON + ((proxy[0],) if proxy else ())
            self.keys.clear()
