"""The page cache: anonymous readers get a stored copy of public pages and feeds.

Views opt in with `@public_page`; `PageCacheMiddleware`, at the top of the stack, stores their
answers and serves them before sessions, URL resolution or templates run. Under a WSGI server,
`PageCacheApp` (newsroom/wsgi.py) serves the stored copies before Django's request handling
even starts; both answer through `fresh_entry()` and `reply()`. Freshness:
- every change to published content calls `pages_changed()` (articles/signals.py), which
  replaces the version that every key includes, so all pages are fresh at once;
- the version also includes the time stamp of a file under VAR_DIR, so that the separate
  local-memory caches of several gunicorn workers on one machine all see the change;
- a stored page is fresh no later than the next scheduled publication (or banner start or
  end), so a scheduled article appears when its time arrives, with nobody saving anything.
Not cached: staff (a session cookie of a signed-in staff member: they see live pages),
requests with a messages cookie, `?held=` and `?replytocom=` links (LIVE_PARAMS), anything but GET/HEAD
answered 200 by an opted-in view. Pages are keyed on the query parameters they read
(KEYED_PARAMS), and their views see only those: `?utm_source=...` gets the stored copy.
Stored copies are compressed once, with Brotli and gzip, and sent as the reader accepts.
"""

import gzip
import hashlib
import os
import re
import secrets
import time
from functools import wraps
from importlib import import_module
from urllib.parse import urlencode

import brotli
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError, transaction
from django.http import HttpResponse, QueryDict
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.functional import LazyObject, empty
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

VERSION_KEY = "page:version"
NO_SCHEDULE = -1.0  # the memo for "nothing is scheduled"
_NONCE = re.compile(r" ?'nonce-[^']*'")
# The query parameters that public pages read (pagination, sitemaps' and WordPress's `p`):
# pages are keyed on these alone, and their views see no others.
KEYED_PARAMS = ("p", "page")
# Links for one reader (a held comment, the reply form without JavaScript): rendered live,
# never stored, so that the comment ids in them cannot make a copy each.
LIVE_PARAMS = ("held", "replytocom")
_NUMBER = re.compile(r"[1-9][0-9]{0,8}")  # the values links on the site give them
_SESSION_KEY = re.compile(r"[a-z0-9]{32}")  # the shape of the keys Django's sessions make
CODINGS = ("br", "gzip")  # the compressed copies kept, the smaller first


def public_page(view):
    """Mark a view's 200 answers as the same for every anonymous reader. Such a page only
    reads: GET and HEAD, and 405 for anything else."""

    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        query = getattr(request, "page_cache_query", None)
        if query is not None:  # the parameters its stored copy is keyed on, nothing else
            request.GET = QueryDict(query)
        response = view(request, *args, **kwargs)
        response.is_public_page = True
        return response

    return wrapped


def pages_changed():
    """Make every cached page stale, now and again when the current transaction commits
    (a reader who rendered the old rows meanwhile stored them under the old version)."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version():
    cache.set(VERSION_KEY, secrets.token_hex(8), None)
    path = settings.PAGE_CACHE_STAMP
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        # An explicit time keeps nanoseconds (the file system's own clock is coarser).
        now = max(time.time_ns(), path.stat().st_mtime_ns + 1)
        os.utime(path, ns=(now, now))
    except OSError:  # a read-only disk: the cache version alone still works on Redis
        pass


def current_version(stored=None) -> str:
    """The cache's version (`stored`, when already fetched) and the stamp file's time."""
    try:
        stamp = os.stat(settings.PAGE_CACHE_STAMP).st_mtime_ns
    except OSError:
        stamp = 0
    return f"{stored if stored is not None else cache.get(VERSION_KEY) or 0}.{stamp}"


def next_change(version: str) -> float:
    """When a page next changes on its own (a timestamp), or NO_SCHEDULE: a scheduled article
    going live, a banner starting or expiring. Two queries per version, and again once that
    time has passed."""
    key = f"page:next:{version}"
    when = cache.get(key)
    if when is None or NO_SCHEDULE < when <= time.time():
        from django.db.models import Min, Q
        from django.utils import timezone

        from articles.models import Article, Banner

        now = timezone.now()
        times = [
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first(),
            *Banner.objects.filter(expires_at__gt=now)
            .aggregate(start=Min("starts_at", filter=Q(starts_at__gt=now)), end=Min("expires_at"))
            .values(),
        ]
        times = [t.timestamp() for t in times if t is not None]
        when = min(times) if times else NO_SCHEDULE
        cache.set(key, when, settings.PAGE_CACHE_SECONDS)
    return when


def list_length(name: str, count) -> int:
    """How many articles a list has (`count()`), kept per content version: counting the
    30,000 articles of a popular tag takes 100 ms, and the number only changes with content
    (every change makes a new version) or when a scheduled article goes live."""
    version = current_version()
    key = f"count2:{version}:{name}"
    length = _kept(key)
    if length is None:
        length = count()
        until = time.time() + settings.PAGE_CACHE_SECONDS
        if (when := next_change(version)) != NO_SCHEDULE:
            until = min(until, when)
        _keep(key, length, until)
    return length


def site_chrome() -> dict:
    """The sections menu and the current banner, shown on every page: two queries once per
    content version, kept until the next banner starts or ends."""
    key = f"chrome2:{current_version()}"
    chrome = _kept(key)
    if chrome is None:
        from django.utils import timezone

        from articles.models import Banner, Section

        now = timezone.now()
        banners = list(Banner.objects.filter(expires_at__gt=now).order_by("-starts_at", "-id"))
        current = [b for b in banners if b.starts_at <= now]
        turns = [b.starts_at for b in banners if b.starts_at > now]
        turns += [b.expires_at for b in current]
        until = time.time() + settings.PAGE_CACHE_SECONDS
        if turns:
            until = min(until, min(turns).timestamp())
        chrome = {"sections": list(Section.objects.all()), "banner": next(iter(current), None)}
        _keep(key, chrome, until)
    return chrome


def _kept(key):
    """A value that _keep() stored, while its time lasts: checked on this process's clock, as
    the stored pages' `fresh_until` is, not left to the cache server's expiry alone."""
    found = cache.get(key)
    return found[0] if found is not None and time.time() < found[1] else None


def _keep(key, value, until: float):
    cache.set(key, (value, until), max(1, int(until - time.time()) + 1))


def author_list() -> list:
    """Every author's name and slug (the search filter), one query per content version."""
    key = f"authors:{current_version()}"
    authors = cache.get(key)
    if authors is None:
        from articles.models import Author

        authors = list(Author.objects.only("name", "slug"))
        cache.set(key, authors, settings.PAGE_CACHE_SECONDS)
    return authors


def is_cacheable_request(request, *, look_up_sessions=True) -> bool:
    """Whether the stored copy may answer: an anonymous reader's GET or HEAD. Without
    `look_up_sessions` (the WSGI front), a cookie that may be a staff session says no."""
    if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
        return False
    # Decided on the parsed query: `?h%65ld=` is a held link too.
    if "messages" in request.COOKIES or cache_query(request) is None:
        return False
    if any(name in request.GET for name in LIVE_PARAMS):
        return False
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not _SESSION_KEY.fullmatch(session):
        return True  # no session Django could have made (`sessionid=x`): no query spent
    return look_up_sessions and not is_staff_session(session)


def is_staff_session(session_key: str) -> bool:
    """Whether a session cookie is a signed-in, active staff member's: a lookup of the
    session, then of its user when it has one."""
    from django.contrib.auth import SESSION_KEY, get_user_model

    try:
        user_id = import_module(settings.SESSION_ENGINE).SessionStore(session_key).get(SESSION_KEY)
        users = get_user_model()._default_manager
        return (
            user_id is not None and users.filter(pk=user_id, is_active=True, is_staff=True).exists()
        )
    except DatabaseError:  # the stored copy is what a reader gets meanwhile anyway
        return False


def _is_staff_user(request) -> bool:
    """Whether the user that answered was signed-in staff, as AuthenticationMiddleware found
    it; a user never loaded means no view asked who it was, so no admin view ran."""
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, LazyObject) and user._wrapped is empty):
        return False
    return user.is_active and user.is_staff


def cache_query(request) -> str | None:
    """The query string a public page is keyed and rendered with: KEYED_PARAMS as views read
    them (QueryDict.get(): the last value), by name, empty ones left out. None when one has a
    value that no link on the site makes (`page=02`): such a page is rendered live and not
    stored, so that odd spellings cannot fill the cache with copies."""
    params = []
    for name in KEYED_PARAMS:
        if value := request.GET.get(name):
            if not _NUMBER.fullmatch(value):
                return None
            params.append((name, value))
    return urlencode(params)


def page_key(request) -> str:
    path = escape_uri_path(request.path)
    url = f"{request.scheme}://{request.get_host()}{path}?{cache_query(request)}"
    # "page3": the stored format; a deploy that changes it must not read the old copies.
    return "page3:" + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def accepted_codings(header: str) -> list[tuple[str, float]]:
    """The CODINGS that an Accept-Encoding header takes, with their q-values, the reader's
    favourite first (0 refuses; `*` stands for the codings not named; Brotli on a tie)."""
    qualities = {}
    for item in header.lower().split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[coding] = quality
    ranked = [(qualities.get(c, qualities.get("*", 0.0)), -i, c) for i, c in enumerate(CODINGS)]
    return [(coding, quality) for quality, _, coding in sorted(ranked, reverse=True) if quality > 0]


def fresh_entry(request) -> tuple[str, str, dict | None]:
    """(key, current version, the stored copy of this page if it is still fresh, else None)."""
    key = page_key(request)
    found = cache.get_many([VERSION_KEY, key])
    version = current_version(found.get(VERSION_KEY) or 0)
    entry = found.get(key)
    if entry and entry["version"] == version and time.time() < entry["fresh_until"]:
        return key, version, entry
    return key, version, None


_NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary")


def reply(entry, meta, state) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body answering a request (its `meta`) from a stored copy:
    304 when the reader's copy is current, gzip when the reader takes it."""
    headers = entry["headers"]
    etag = meta.get("HTTP_IF_NONE_MATCH")
    since = parse_http_date_safe(meta.get("HTTP_IF_MODIFIED_SINCE") or "")
    if (etag and etag == headers["ETag"]) or (
        not etag and since is not None and since >= entry["modified"]
    ):
        return (
            304,
            [(name, headers[name]) for name in _NOT_MODIFIED_HEADERS if name in headers],
            b"",
        )
    body, extra = entry["body"], []
    for coding, _ in accepted_codings(meta.get("HTTP_ACCEPT_ENCODING", "")):
        if entry.get(coding):
            body, extra = entry[coding], [("Content-Encoding", coding)]
            break
    extra += [("Content-Length", str(len(body))), ("X-Page-Cache", state)]
    return 200, [*headers.items(), *extra], body


class PageCacheApp:
    """The WSGI front of the page cache: a stored page is sent before Django builds a request,
    runs middleware or sends signals, which is most of what a cached page costs. Anything
    else (a miss, a bad Host, a cache that fails) goes to Django, which answers as usual."""

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
                entry = fresh_entry(request)[2] if cacheable else None
            except Exception:  # a bad Host, a broken request: Django answers as it would
                entry = None
            if entry:
                status, headers, body = reply(entry, environ, "hit")
                start_response(self.STATUS[status], headers)
                return [body if method == "GET" else b""]  # HEAD: GET's headers, no body
        return self.application(environ, start_response)


class PageCacheMiddleware:
    """Serve and store opted-in pages for anonymous readers; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        self.show_accepted_codings(request.META)
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if getattr(response, "is_public_page", False):
                # Staff pages and ?held= links: personal, never stored on the way.
                response["Cache-Control"] = "private, no-store"
            elif (
                request.method == "POST" and response.status_code < 400 and _is_staff_user(request)
            ):
                # Admin actions that change rows without model signals (bulk updates, merges).
                pages_changed()
            return response
        key, version, entry = fresh_entry(request)
        if entry:
            return self.answer(request, entry, "hit")
        request.page_cache_query = cache_query(request)  # what public_page() shows its view
        accepts = request.META.get("HTTP_ACCEPT_ENCODING")
        response = self.get_response(request)
        if accepts is not None:  # taken away in process_view()
            request.META["HTTP_ACCEPT_ENCODING"] = accepts
        if self.is_storable(response):
            return self.answer(request, self.store(key, version, response), "miss")
        return self.gzip.process_response(request, response)  # as if never taken away

    @staticmethod
    def show_accepted_codings(meta):
        """The layers below (GZipMiddleware, WhiteNoise) look for "gzip" or "br" anywhere in
        Accept-Encoding, q-values unread (`gzip;q=0` got gzip): show them only the codings the
        reader takes, less liked ones left out, except gzip, the only coding of live pages."""
        if accepted := accepted_codings(meta.get("HTTP_ACCEPT_ENCODING", "")):
            best = accepted[0][1]
            shown = [f"{c};q={q:g}" for c, q in accepted if q == best or c == "gzip"]
            meta["HTTP_ACCEPT_ENCODING"] = ", ".join(shown)
        else:
            meta.pop("HTTP_ACCEPT_ENCODING", None)

    @staticmethod
    def process_view(request, view_func, view_args, view_kwargs):
        """A page that may be stored is rendered plain, whatever this reader takes (store()
        compresses it once). Here, not before the layers below: static files, which WhiteNoise
        sends before any view, are sent their compressed copies."""
        if getattr(request, "page_cache_query", None) is not None:
            request.META.pop("HTTP_ACCEPT_ENCODING", None)

    @staticmethod
    def is_storable(response) -> bool:
        return (
            getattr(response, "is_public_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        )

    @staticmethod
    def store(key, version, response) -> dict:
        now = time.time()
        fresh_until = now + settings.PAGE_CACHE_SECONDS
        scheduled = next_change(version)
        if scheduled != NO_SCHEDULE:
            fresh_until = min(fresh_until, scheduled)
        body = response.content
        compressed = {}
        if len(body) >= 200:
            # Brotli's quality 5: about 10% smaller than gzip in about the same time (0.25 ms
            # for an article page); 11 saves another 10% for 50 times that on every miss.
            compressed = {
                "br": brotli.compress(body, quality=5),
                "gzip": gzip.compress(body, 6, mtime=0),
            }
            patch_vary_headers(response, ("Accept-Encoding",))
        headers = {
            name: value for name, value in response.items() if name.lower() != "content-length"
        }
        # One stored copy serves many readers: a nonce in it would be guessable, and these
        # pages run no inline script (their JSON-LD blocks are data, outside the policy).
        for name in ("Content-Security-Policy", "Content-Security-Policy-Report-Only"):
            if name in headers:
                headers[name] = _NONCE.sub("", headers[name])
        cdn = settings.PAGE_CACHE_CDN_SECONDS
        headers["Cache-Control"] = (
            f"public, max-age=0, s-maxage={cdn}, stale-while-revalidate={cdn}"
        )
        digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
        headers["ETag"] = f'W/"{digest}"'
        headers["Last-Modified"] = http_date(now)
        entry = {
            "version": version,
            "fresh_until": fresh_until,
            "modified": int(now),
            "headers": headers,
            "body": body,
            **compressed,  # once here rather than once per reader
        }
        timeout = max(1, int(fresh_until - now) + 1)
        cache.set(key, entry, timeout)
        return entry

    @staticmethod
    def answer(request, entry, state):
        status, headers, body = reply(entry, request.META, state)
        response = HttpResponse(body, status=status)
        if status == 304:
            del response["Content-Type"]
        for name, value in headers:
            response[name] = value
        return response
