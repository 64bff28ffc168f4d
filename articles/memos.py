"""Small results that views need on every render, kept until what they depend on changes.

Each memo names the page-cache keys it depends on (articles/pagecache/keys.py): a purge of
one of them makes it stale, as it does the pages. One round trip reads a memo and its stamps.
"""

import time

from django.conf import settings
from django.core.cache import cache

from articles.pagecache.keys import CHROME
from articles.pagecache.store import FRESH, judge, now_ns, stamp_keys
from newsroom.replicas import replica_allowance_ns

NO_SCHEDULE = -1.0  # "nothing is scheduled"


def memo(name: str, keys, compute):
    """`compute()` -> (value, until: a timestamp), kept until `until` or a purge of `keys`."""
    keys = (*keys, CHROME)
    found = cache.get_many([f"memo:{name}", *stamp_keys(keys)])
    kept = found.get(f"memo:{name}")
    # Checked on this process's clock, not left to the cache server's expiry alone.
    fresh = kept is not None and time.time() < kept["until"]
    if fresh and judge(kept["stored_ns"], keys, found, grace=0) == FRESH:
        return kept["value"]
    # Before the queries: a purge meanwhile (or not yet replayed by a replica) makes it stale.
    started = now_ns() - replica_allowance_ns()
    value, until = compute()
    kept = {"value": value, "until": until, "stored_ns": started}
    cache.set(f"memo:{name}", kept, max(1, int(until - time.time()) + 1))
    return value


def _default_until() -> float:
    return time.time() + settings.PAGE_CACHE_SECONDS


def next_change() -> float:
    """When a page next changes on its own (a timestamp), or NO_SCHEDULE: a scheduled article
    going live, a banner starting or expiring. Two queries, again once that time has passed."""

    def compute():
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
        return when, (when if when != NO_SCHEDULE else _default_until())

    return memo("next-change", ["schedule"], compute)


def until_next_change() -> float:
    """How long a page or memo stored now may be served: PAGE_CACHE_SECONDS, or less when
    a scheduled change comes first."""
    until = _default_until()
    if (when := next_change()) != NO_SCHEDULE:
        until = min(until, when)
    return until


def list_length(key: str, count) -> int:
    """How many articles the list `key` (a page-cache key: "front", "t12") has (`count()`):
    counting the 30,000 articles of a popular tag takes 100 ms, and the number only changes
    with a publication on it or when a scheduled article goes live."""
    return memo(f"count:{key}", [key], lambda: (count(), until_next_change()))


def site_chrome() -> dict:
    """The sections menu and the current banner, shown on every page: two queries until
    the chrome is purged or a banner starts or ends."""

    def compute():
        from django.utils import timezone

        from articles.models import Banner, Section

        now = timezone.now()
        banners = list(Banner.objects.filter(expires_at__gt=now).order_by("-starts_at", "-id"))
        current = [b for b in banners if b.starts_at <= now]
        turns = [b.starts_at for b in banners if b.starts_at > now]
        turns += [b.expires_at for b in current]
        until = _default_until()
        if turns:
            until = min(until, min(turns).timestamp())
        chrome = {"sections": list(Section.objects.all()), "banner": next(iter(current), None)}
        return chrome, until

    return memo("chrome", [], compute)


def author_list() -> list:
    """Every author's name and slug (the search filter), one query until an author changes."""

    def compute():
        from articles.models import Author

        return list(Author.objects.only("name", "slug")), _default_until()

    return memo("authors", ["authors"], compute)
