"""Stored pages: keys, entries, and whether an entry may still answer.

An entry is stored with the time its rendering started (`stored_ns`) and the keys it shows.
A purge writes, per key, `pk:<key>` = soft_ns and, when hard, `pkh:<key>` = hard_ns too
(articles/pagecache/purge.py: two keys, so that no purge has to read and rewrite another's
stamp). A hit reads the stamps of the entry's keys in one `get_many`, whatever their number:
- fresh: every stamp older than the entry;
- stale: a soft stamp is newer, within PAGE_CACHE_GRACE_SECONDS of that purge: served to
  every reader but the one that wins a short lock in the cache (and one of the machine's
  render slots: slots.py) and renders the page again;
- dead: a hard stamp is newer, or the grace is over, or a scheduled change is due.
An entry past its `fresh_until` (PAGE_CACHE_SECONDS, or a minute for lists showing comment
counts, each less up to a fifth drawn at random) is stale in the same way for a grace,
unless a scheduled change made it end.
With local memory (a cache per gunicorn worker), a purge by another worker of the machine is
seen through the mtime of the stamp file, as a hard purge of everything.
A copy found fresh that way answers again without reading anything until this process hears
of a purge of one of its keys (articles/pagecache/local.py).
"""

import gzip
import hashlib
import os
import random
import re
import threading
import time
from functools import lru_cache
from urllib.parse import urlencode

import brotli
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.http import http_date, parse_http_date_safe

from articles.pagecache import slots
from articles.pagecache.keys import CHROME
from articles.pagecache.local import local_pages

FRESH, STALE = "hit", "stale"
# The query parameters that public pages read (pagination, sitemaps' and WordPress's `p`):
# pages are keyed on these alone, and their views see no others.
KEYED_PARAMS = ("p", "page")
_NUMBER = re.compile(r"[1-9][0-9]{0,8}")  # the values links on the site give them
_NONCE = re.compile(r" ?'nonce-[^']*'")
CODINGS = ("br", "gzip")  # the compressed copies kept, the smaller first
EXPIRY_SPREAD = 0.2  # a page stored now falls due within the last fifth of its lifetime

_clock_lock = threading.Lock()
_clock = {"ns": 0}


def now_ns() -> int:
    """The wall clock in nanoseconds, increasing in this process while the clock stands
    still (a page stored right after a purge is newer than it, even under a frozen test
    clock), but following it back when it is set back by more than a millisecond."""
    with _clock_lock:
        now, last = time.time_ns(), _clock["ns"]
        _clock["ns"] = last + 1 if now <= last < now + 1_000_000 else now
        return _clock["ns"]


def stamp_key(key: str, *, hard: bool = False) -> str:
    return f"pkh:{key}" if hard else f"pk:{key}"


def stamp_keys(keys) -> list[str]:
    """The soft and hard stamps of `keys` (and of the chrome, which every page shows)."""
    keys = {*keys, CHROME}
    return [stamp_key(k) for k in keys] + [stamp_key(k, hard=True) for k in keys]


def latest_purges(keys, stamps: dict) -> tuple[int, int]:
    """(soft, hard): the latest purges of `keys` among `stamps` (a hard one is soft too)."""
    keys = {*keys, CHROME}
    soft = max((stamps.get(stamp_key(k)) or 0 for k in keys), default=0)
    hard = max((stamps.get(stamp_key(k, hard=True)) or 0 for k in keys), default=0)
    return max(soft, hard), hard


# The stamp file: local memory only -----------------------------------------------------

_file = {"own": 0, "foreign": 0}


def uses_stamp_file() -> bool:
    """Whether purges must reach other processes of this machine through the stamp file:
    Redis is shared by every worker already."""
    return not isinstance(caches["default"], RedisCache)


def foreign_purge_ns() -> int:
    """The time of the latest purge another process made on this machine (0 with Redis)."""
    if not uses_stamp_file():
        return 0
    try:
        mtime = os.stat(settings.PAGE_CACHE_STAMP).st_mtime_ns
    except OSError:
        return _file["foreign"]
    if mtime != _file["own"] and mtime > _file["foreign"]:
        _file["foreign"] = mtime
    return _file["foreign"]


def touch_stamp_file(ns: int):
    foreign_purge_ns()  # what another process wrote last is remembered before it is replaced
    path = settings.PAGE_CACHE_STAMP
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        ns = max(ns, path.stat().st_mtime_ns + 1)
        os.utime(path, ns=(ns, ns))  # nanoseconds: the file system's own clock is coarser
        _file["own"] = ns
    except OSError:  # a read-only disk: the stamps in the cache still work on one worker
        pass


def judge(stored_ns: int, keys, stamps: dict, grace: float) -> str | None:
    """FRESH, STALE (servable within `grace` seconds of the purge) or None (render)."""
    soft, hard = latest_purges(keys, stamps)
    if max(hard, foreign_purge_ns()) >= stored_ns:
        return None
    if soft < stored_ns:
        return FRESH
    return STALE if time.time_ns() - soft < grace * 1e9 else None


# Keys of pages -------------------------------------------------------------------------


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
    # "page4": the stored format; a deploy that changes it must not read the old copies.
    return "page4:" + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def lock_key(key: str) -> str:
    return f"lock:{key}"


# Finding an entry ------------------------------------------------------------------------


def lookup(request) -> tuple[str, dict | None, str | None]:
    """(page key, entry, FRESH or STALE) when a stored copy answers, else (page key, None,
    "locked" when this request won the right to render a stale page, or None)."""
    return lookup_key(page_key(request))


def lookup_key(key: str, *, again: bool = True) -> tuple[str, dict | None, str | None]:
    pages = local_pages()
    now = time.time()
    entry = pages.fresh(key, now)
    if entry is not None and foreign_purge_ns() < entry["stored_ns"]:
        return key, entry, FRESH  # checked a moment ago, and no purge heard of since
    moment = pages.moment()
    entry, stamps = pages.get(key), None
    if entry is not None:  # one round trip: is it still the stored copy, and its stamps
        stamps = cache.get_many([f"pv:{key}", *stamp_keys(entry["keys"])])
        if stamps.get(f"pv:{key}") != entry["stored_ns"]:
            entry = None
    if entry is None:
        entry = cache.get(key)
        if entry is None:
            return key, None, None
        stamps = cache.get_many(stamp_keys(entry["keys"]))
        pages.remember(key, entry)
    grace = settings.PAGE_CACHE_GRACE_SECONDS
    state = judge(entry["stored_ns"], entry["keys"], stamps, grace)
    if state and (late := now - entry["fresh_until"]) >= 0:
        # Its time is up. A scheduled change (an article going live, a banner) is due now;
        # mere age (PAGE_CACHE_SECONDS, the lists' minute) may wait a grace for one render.
        state = STALE if late < grace and not entry.get("scheduled") else None
    if state == FRESH:
        pages.vouch(key, entry, moment)
    if state == STALE and slots.take():
        if cache.add(lock_key(key), 1, timeout=max(1, int(grace))):
            # Another reader may have rendered and stored the page, and let go of the lock,
            # since this one read the stale copy: then that new copy answers.
            if not again or cache.get(f"pv:{key}") == entry["stored_ns"]:
                return key, None, "locked"  # readers get the old copy while this one renders
            release(key)
            return lookup_key(key, again=False)
        slots.give_back()
    return key, (entry if state else None), state


def release(key: str):
    cache.delete(lock_key(key))
    slots.give_back()


# Storing an entry ----------------------------------------------------------------------


def store(key: str, response, *, stored_ns: int, keys, max_age: int | None, until: float | None):
    """Store `response` (rendered from `stored_ns` on) as the entry of `key`, fresh until the
    next scheduled change (`until`) at the latest; returns it."""
    now = time.time()
    lifetime = settings.PAGE_CACHE_SECONDS
    if max_age is not None:
        lifetime = min(lifetime, max_age)
    # Pages stored together (after a deploy, a purge of the chrome) would fall due together,
    # and again each lifetime after, their renders in one burst: each is kept its lifetime
    # less up to EXPIRY_SPREAD of it, drawn at random, so that they fall due apart.
    fresh_until = now + lifetime * (1 - EXPIRY_SPREAD * random.random())
    scheduled = until is not None and until <= fresh_until
    if scheduled:
        fresh_until = until
    keys = tuple(sorted({*keys, CHROME}))
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
    headers = {name: value for name, value in response.items() if name.lower() != "content-length"}
    # One stored copy serves many readers: a nonce in it would be guessable, and these
    # pages run no inline script (their JSON-LD blocks are data, outside the policy).
    for name in ("Content-Security-Policy", "Content-Security-Policy-Report-Only"):
        if name in headers:
            headers[name] = _NONCE.sub("", headers[name])
    cdn = settings.PAGE_CACHE_CDN_SECONDS
    headers["Cache-Control"] = f"public, max-age=0, s-maxage={cdn}, stale-while-revalidate={cdn}"
    # What the page shows, for a CDN or Varnish to purge by (Fastly, Varnish xkey, Cloudflare).
    headers["Surrogate-Key"] = headers["xkey"] = " ".join(keys)
    headers["Cache-Tag"] = ",".join(keys)
    headers["ETag"] = f'W/"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
    headers["Last-Modified"] = http_date(now)
    entry = {
        "stored_ns": stored_ns,
        "keys": keys,
        "fresh_until": fresh_until,
        "scheduled": scheduled,  # fresh until a scheduled change, not for a time
        "modified": int(now),
        "headers": headers,
        "body": body,
        **compressed,  # once here rather than once per reader
    }
    # Stale copies are kept a grace longer than they are fresh, to be served while rendering.
    timeout = max(1, int(fresh_until - now + settings.PAGE_CACHE_GRACE_SECONDS) + 1)
    cache.set_many({key: entry, f"pv:{key}": stored_ns}, timeout)
    local_pages().remember(key, entry)
    return entry


# Answering from an entry -----------------------------------------------------------------

_NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary")


@lru_cache(maxsize=256)  # browsers send a handful of different headers
def accepted_codings(header: str) -> tuple[tuple[str, float], ...]:
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
    return tuple(
        (coding, quality) for quality, _, coding in sorted(ranked, reverse=True) if quality > 0
    )


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
