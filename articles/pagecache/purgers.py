"""Purgers: tell a cache in front of the app (Varnish, a CDN) which keys changed.

`get_purger()` reads PAGE_CACHE_PURGE_URLS, the base URLs of the Varnish servers running
deploy/varnish/newsroom.vcl (none by default: nothing to tell). `purge()` in this package
calls it when a transaction commits; a purge that fails is logged, never raised, so a Varnish
that is down cannot undo an editor's save (its copies expire after s-maxage anyway).
"""

import http.client
import logging
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT = 0.5  # seconds per request: a slow Varnish must not hold up the save that purges
# Keys per request, as characters of the header: Varnish refuses headers over 8 KB
# (http_req_hdr_len), and a key list takes one header.
MAX_HEADER_CHARS = 4000


class NullPurger:
    """No cache in front: nothing to tell."""

    def purge(self, keys: Iterable[str], hard: bool = False) -> None:
        pass


class VarnishPurger:
    """`PURGE /` with the keys in an `xkey-purge` (hard) or `xkey-softpurge` (soft) header,
    to each Varnish, as newsroom.vcl's vmod xkey expects."""

    def __init__(self, urls: Iterable[str]):
        self.urls = list(urls)

    def purge(self, keys: Iterable[str], hard: bool = False) -> None:
        header = "xkey-purge" if hard else "xkey-softpurge"
        down = set()  # a Varnish that failed once is not waited for again in this purge
        for batch in key_batches(keys):
            for url in self.urls:
                if url not in down and not send_purge(url, header, batch):
                    down.add(url)


def get_purger() -> NullPurger | VarnishPurger:
    urls = getattr(settings, "PAGE_CACHE_PURGE_URLS", [])
    if isinstance(urls, str):
        urls = urls.split(",")
    urls = [url.strip() for url in urls if url.strip()]
    return VarnishPurger(urls) if urls else NullPurger()


def key_batches(keys: Iterable[str], limit: int = MAX_HEADER_CHARS) -> Iterator[str]:
    """The keys, space-separated, in header values of at most `limit` characters."""
    batch, length = [], 0
    for key in sorted(set(keys)):
        if not key or any(c.isspace() for c in key):
            logger.error("Not a purge key: %r", key)  # it would split or break the header
            continue
        if batch and length + 1 + len(key) > limit:
            yield " ".join(batch)
            batch, length = [], 0
        length += len(key) + bool(batch)
        batch.append(key)
    if batch:
        yield " ".join(batch)


def send_purge(url: str, header: str, keys: str) -> bool:
    """One PURGE request; whether Varnish took it (failures are logged)."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    connection_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
    try:
        connection = connection_class(parts.hostname, parts.port, timeout=TIMEOUT)
        try:
            connection.request("PURGE", parts.path or "/", headers={header: keys})
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
    except (OSError, ValueError, http.client.HTTPException) as error:
        logger.warning("Purging at %s failed: %s", url, error)
        return False
    if response.status != 200:
        logger.warning("Purging at %s failed: %s %s", url, response.status, response.reason)
        return False
    return True
