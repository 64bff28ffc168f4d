"""Purging: the pages (and memos) carrying a key are stale from now on, on every worker.

`purge(keys)` writes each key's stamp now and again when the transaction commits (a reader
who rendered the old rows meanwhile stored them after the first stamp), then hands the keys
to the CDN purger (articles/pagecache/purgers.py; none by default).
"""

import logging
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from articles.pagecache.keys import CHROME
from articles.pagecache.local import heard
from articles.pagecache.store import now_ns, stamp_key, touch_stamp_file, uses_stamp_file

log = logging.getLogger(__name__)


def purge(keys, *, hard: bool = False):
    """Soft: readers may get the old copy for PAGE_CACHE_GRACE_SECONDS while one of them
    renders the page again. Hard (unpublish, delete, takedown): the old copy is never served."""
    keys = sorted(set(keys))
    if not keys:
        return
    if transaction.get_connection().in_atomic_block:
        _write(keys, hard)
    transaction.on_commit(partial(_write_and_forward, keys, hard))


def purge_all(*, hard: bool = False):
    """Every page and memo: they all carry the site's chrome."""
    purge([CHROME], hard=hard)


def _write(keys, hard: bool):
    now = now_ns()
    stamps = {stamp_key(k): now for k in keys}
    if hard:
        stamps |= {stamp_key(k, hard=True): now for k in keys}
    # Kept longer than any entry that the stamps may have to judge (entries and memos live
    # PAGE_CACHE_SECONDS at most, plus the grace).
    cache.set_many(stamps, 2 * settings.PAGE_CACHE_SECONDS + settings.PAGE_CACHE_GRACE_SECONDS)
    heard(stamps)  # after the stamps: a process that hears of them finds them written
    if uses_stamp_file():
        touch_stamp_file(now)


def _write_and_forward(keys, hard: bool):
    _write(keys, hard)
    try:
        from articles.pagecache.purgers import get_purger
    except ImportError:  # no CDN purger in this build
        return
    try:
        get_purger().purge(keys, hard=hard)
    except Exception:  # a CDN that fails must not fail the save that purged it
        log.exception("CDN purge failed for %s", " ".join(keys))
