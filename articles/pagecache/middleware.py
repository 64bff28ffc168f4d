"""PageCacheMiddleware: serve and store opted-in pages for anonymous readers."""

import re
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse, QueryDict
from django.middleware.gzip import GZipMiddleware
from django.views.decorators.http import require_safe

from articles.memos import NO_SCHEDULE, next_change
from articles.pagecache.store import (
    STALE,
    accepted_codings,
    cache_query,
    latest_purges,
    lookup,
    now_ns,
    page_key,
    release,
    reply,
    stamp_keys,
    store,
)
from newsroom.replicas import replica_allowance_ns

_SESSION_KEY = re.compile(r"[a-z0-9]{32}")  # the shape of the keys Django's sessions make
# Set by the WSGI front when it won the lock to render a stale page (articles/pagecache/wsgi.py).
RENDER_LOCKED = "newsroom.page_cache.locked"


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


def is_cacheable_request(request, *, look_up_sessions=True) -> bool:
    """Whether the stored copy may answer: an anonymous reader's GET or HEAD. Without
    `look_up_sessions` (the WSGI front), a cookie that may be a staff session says no."""
    if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
        return False
    # Decided on the parsed query: `?h%65ld=` is a held link too.
    if "messages" in request.COOKIES or cache_query(request) is None:
        return False
    if is_personal_link(request):
        return False
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not _SESSION_KEY.fullmatch(session):
        return True  # no session Django could have made (`sessionid=x`): no query spent
    return look_up_sessions and not is_staff_session(session)


def is_personal_link(request) -> bool:
    """A link for one reader, rendered live and never stored (the comment ids in them would
    make a copy each): the reply form without JavaScript, or a held comment's signed link.
    A held link whose signature fails shows what everyone sees: it gets the stored copy, so
    that a flood of made-up ones costs no render."""
    from articles.comments.tokens import held_comment_id

    if "replytocom" in request.GET:
        return True
    token = request.GET.get("held")
    return token is not None and held_comment_id(token) is not None


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


class PageCacheMiddleware:
    """Serve stored copies before sessions, URL resolution or templates run; store the
    answers of `@public_page` views with the keys they declared (articles/pagecache/keys.py)."""

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
            return response
        if request.META.get(RENDER_LOCKED):
            key, entry, state = page_key(request), None, "locked"
        else:
            key, entry, state = lookup(request)
        if entry:
            return self.answer(request, entry, state)
        try:
            return self.render(request, key)
        finally:
            if state == "locked":  # the next purge may lock it again
                release(key)

    def render(self, request, key):
        request.page_cache_query = cache_query(request)  # what public_page() shows its view
        # The stored copy is every reader's, and this session is no staff member's
        # (is_cacheable_request()): rendered as for a reader without one, so that a made-up
        # session, which Django answers by deleting it, cannot keep the page from being
        # stored and have every such request render it.
        request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        # Before any query: a purge meanwhile makes this copy stale (and one the replica it
        # may read from has not replayed yet: newsroom/replicas.py).
        started = now_ns() - replica_allowance_ns()
        accepts = request.META.get("HTTP_ACCEPT_ENCODING")
        response = self.get_response(request)
        if accepts is not None:  # taken away in process_view()
            request.META["HTTP_ACCEPT_ENCODING"] = accepts
        if self.is_storable(response):
            entry = store(
                key,
                response,
                stored_ns=started,
                keys=getattr(request, "page_keys", ()),
                max_age=getattr(request, "page_max_age", None),
                until=None if (when := next_change()) == NO_SCHEDULE else when,
            )
            # Its keys purged during the render (a save committed meanwhile): stale at birth,
            # and said so (X-Page-Cache: stale), so that a CDN keeps it as expired.
            # (The keys' own stamps: a soft stamp is as new as any purge of its key.)
            stamps = cache.get_many(stamp_keys(entry["keys"]))
            fresh = latest_purges(entry["keys"], stamps)[0] < started
            return self.answer(request, entry, "miss" if fresh else STALE)
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
    def answer(request, entry, state):
        status, headers, body = reply(entry, request.META, state)
        response = HttpResponse(body, status=status)
        if status == 304:
            del response["Content-Type"]
        for name, value in headers:
            response[name] = value
        return response
