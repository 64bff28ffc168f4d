"""Hot pages kept in this process, and the purges it has heard of, so that a hit on a page
checked a moment ago needs no round trip to the cache.

Every process keeps its latest pages unpickled (`kept_bytes` of them, by cache). A copy the
cache vouched for (articles/pagecache/store.py: its stamps read, fresh) answers on its own
until this process hears of a purge; then it is judged on the stamps heard, and sent back
to the cache when one of its keys was purged. Purges are heard:
- on local memory, by the purge itself (the cache is this process's own; other workers'
  purges arrive through the stamp file, store.py);
- on Redis, by every process through a channel that each subscribes to: purge.py publishes
  the stamps it writes. A process not (yet) subscribed, or whose subscription failed (messages
  may be lost meanwhile), vouches for nothing and asks the cache on every hit.
Whatever it heard, a copy is asked about again after TRUST_SECONDS, so that a purge heard
of by no one (a lost message, a cache flushed by hand) is not served for longer.
"""

import json
import logging
import os
import select
import threading
import time
from collections import OrderedDict

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed

from newsroom.redis_cache import warn_now_and_then

log = logging.getLogger(__name__)

# Pages kept unpickled per process, by the size of their bodies (plain and compressed):
# about 130 article pages, so that the long tail of a news site's reading, and not only its
# hottest pages, is answered without a round trip to a shared cache.
LOCAL_BYTES = 8 * 1024 * 1024
TRUST_SECONDS = 1.0
KNOWN_STAMPS = 20_000  # purges remembered; past it, every copy is asked about again
RETRY_SECONDS = 5.0  # between attempts to subscribe
CHANNEL = "pagecache:purges"
FORGET = "*"  # the message of a cache cleared whole


class Copy:
    __slots__ = ("entry", "size", "epoch", "heard", "checked_at")

    def __init__(self, entry):
        self.entry, self.epoch, self.heard, self.checked_at = entry, -1, -1, 0.0
        self.size = sum(len(entry.get(name) or b"") for name in ("body", "br", "gzip"))


class LocalPages:
    """The copies and heard purges of one cache (one per process and cache)."""

    def __init__(self, listener):
        self.listener = listener
        self.lock = threading.RLock()
        self.copies: OrderedDict[str, Copy] = OrderedDict()
        self.size = 0  # of the copies' bodies
        self.known: dict[str, int] = {}  # stamp key -> the latest purge heard
        self.changes = 0  # purges heard
        self.epoch = 0  # moved on when what was heard may be incomplete: nothing vouched holds

    def fresh(self, key: str, now: float) -> dict | None:
        """The copy of `key` when it may answer without asking the cache."""
        with self.lock:
            self.listener.drain(self)
            copy = self.copies.get(key)
            if copy is None or copy.epoch != self.epoch or not self.listener.listening:
                return None
            if (
                time.monotonic() - copy.checked_at > TRUST_SECONDS
                or now >= copy.entry["fresh_until"]
            ):
                return None
            if copy.heard != self.changes:
                from articles.pagecache.store import latest_purges

                if max(latest_purges(copy.entry["keys"], self.known)) >= copy.entry["stored_ns"]:
                    return None
                copy.heard = self.changes
            self.copies.move_to_end(key)
            return copy.entry

    def get(self, key: str) -> dict | None:
        with self.lock:
            copy = self.copies.get(key)
            return copy and copy.entry

    def remember(self, key: str, entry: dict):
        with self.lock:
            copy = self.copies.get(key)
            if copy is None or copy.entry is not entry:
                self.size -= copy.size if copy else 0
                self.copies[key] = copy = Copy(entry)
                self.size += copy.size
            self.copies.move_to_end(key)
            while self.size > self.listener.kept_bytes and len(self.copies) > 1:
                self.size -= self.copies.popitem(last=False)[1].size

    def moment(self) -> tuple[int, int, float]:
        """What has been heard so far: taken before asking the cache about a copy."""
        with self.lock:
            self.listener.drain(self)
            return self.epoch, self.changes, time.monotonic()

    def vouch(self, key: str, entry: dict, moment):
        """The cache found `entry` fresh, asked at `moment`: purges heard since are judged
        on their own stamps."""
        with self.lock:
            copy = self.copies.get(key)
            if copy is not None and copy.entry is entry:
                copy.epoch, copy.heard, copy.checked_at = moment

    def hear(self, stamps: dict):
        """Purges made (`stamps`: stamp key -> time), here or elsewhere."""
        with self.lock:
            if len(self.known) + len(stamps) > KNOWN_STAMPS:
                self.known.clear()
                self.epoch += 1
            for name, ns in stamps.items():
                if ns > self.known.get(name, 0):
                    self.known[name] = ns
            self.changes += 1

    def forget(self):
        with self.lock:
            self.copies.clear()
            self.size = 0
            self.known.clear()
            self.epoch += 1


# Listeners: how a process hears of other processes' purges --------------------------------


class Deaf:
    """A cache whose purges this process cannot hear of (file, database): ask every time."""

    listening = False
    kept_bytes = LOCAL_BYTES

    def drain(self, pages):
        pass

    def publish(self, message):
        pass

    def close(self):
        pass


class OwnMemory(Deaf):
    """Local memory: the cache is this process's, and so are all its purges."""

    listening = True
    # A copy saves only unpickling here, and holds its page a second time: the hottest alone.
    kept_bytes = LOCAL_BYTES // 4


class RedisChannel(Deaf):
    """A subscription to the purges published on Redis, read without waiting on every hit.

    A plain connection rather than redis-py's PubSub, which reconnects on its own and would
    hide the messages lost meanwhile: here a failed connection moves the epoch on."""

    def __init__(self, backend: RedisCache):
        self.backend = backend
        self.channel = backend.make_key(CHANNEL)
        self.connection = self.poller = None
        self.retry_at = 0.0

    @property
    def listening(self) -> bool:
        return self.connection is not None

    def drain(self, pages: LocalPages):
        if self.connection is None:
            if time.monotonic() >= self.retry_at:
                self.subscribe(pages)
            return
        if not self.poller.poll(0):
            return
        try:
            while self.connection.can_read(0):
                kind, _, data = self.connection.read_response()[:3]
                if kind != b"message":
                    continue
                if data == FORGET.encode():
                    pages.forget()
                else:
                    pages.hear(json.loads(data))
        except Exception as error:  # noqa: BLE001 (whatever it was, messages may be lost)
            warn_now_and_then(
                log, "page cache: purge channel lost, asking Redis on every hit: %s", error
            )
            self.close()
            pages.epoch += 1
            self.retry_at = time.monotonic() + RETRY_SECONDS

    def subscribe(self, pages: LocalPages):
        self.retry_at = time.monotonic() + RETRY_SECONDS
        connection = None
        try:
            pool = self.backend._cache._get_connection_pool(write=True)
            connection = pool.connection_class(**self.connection_options(pool))
            connection.connect()
            connection.send_command("SUBSCRIBE", self.channel, check_health=False)
            if connection.read_response()[0] != b"subscribe":
                raise ConnectionError("no subscription")
        except Exception as error:  # noqa: BLE001 (a cache that fails serves as before)
            if connection is not None:
                connection.disconnect()
            warn_now_and_then(log, "page cache: cannot subscribe to purges: %s", error)
            return
        self.connection, self.poller = connection, select.poll()
        self.poller.register(connection._sock.fileno(), select.POLLIN)
        pages.epoch += 1

    @staticmethod
    def connection_options(pool) -> dict:
        """The pool's, in RESP2 (where messages are plain replies, not pushes that redis-py's
        RESP3 parser hands elsewhere), never waiting long: it is read on readers' time."""
        options = {
            name: value
            for name, value in pool.connection_kwargs.items()
            if not name.startswith("maint_notifications")  # RESP3 only
        }
        return options | {
            "protocol": 2,
            "socket_timeout": options.get("socket_timeout") or 1.0,
            "socket_connect_timeout": options.get("socket_connect_timeout") or 1.0,
        }

    def publish(self, message):
        try:
            self.backend._cache.get_client(write=True).publish(self.channel, message)
        except Exception as error:  # noqa: BLE001 (other workers trust copies TRUST_SECONDS)
            warn_now_and_then(log, "page cache: cannot publish a purge: %s", error)

    def close(self):
        connection, self.connection, self.poller = self.connection, None, None
        if connection is not None:
            connection.disconnect()


# One LocalPages per cache, found from its backend -----------------------------------------

_registry: OrderedDict = OrderedDict()  # cache identity -> LocalPages
_registry_lock = threading.Lock()
_generation = [0]  # moved on in a forked child: the parent's subscription is not its own


def _identity(backend):
    """What makes two backend objects (one per thread, new ones after a settings change) the
    same cache, and how to hear of its purges."""
    if isinstance(backend, LocMemCache):
        return ("locmem", id(backend._cache)), OwnMemory
    if isinstance(backend, RedisCache):
        servers = tuple(backend._servers)
        return ("redis", servers, backend.key_prefix, backend.version), RedisChannel
    return ("other", id(backend)), Deaf


def pages_of(backend) -> LocalPages:
    generation, pages = backend.__dict__.get("_local_pages", (None, None))
    if generation == _generation[0]:
        return pages
    with _registry_lock:
        identity, listener = _identity(backend)
        if (pages := _registry.get(identity)) is None:
            args = (backend,) if listener is RedisChannel else ()
            pages = _registry[identity] = LocalPages(listener(*args))
            while len(_registry) > 8:  # tests make a cache per case; a site one or two
                _registry.popitem(last=False)[1].listener.close()
        backend._local_pages = (_generation[0], pages)
        return pages


def _after_fork():
    global _registry_lock
    _registry_lock = threading.Lock()  # another thread may have held it at the fork
    _registry.clear()  # dropped, not closed: the connections are the parent's
    _generation[0] += 1


os.register_at_fork(after_in_child=_after_fork)


def local_pages() -> LocalPages:
    return pages_of(caches["default"])


def heard(stamps: dict):
    """A purge made here: this process knows at once, and the others are told."""
    pages = local_pages()
    pages.hear(stamps)
    pages.listener.publish(json.dumps(stamps))


def cleared(backend):
    """`backend` was emptied (cache.clear()): no copy of it holds, here or elsewhere."""
    pages = pages_of(backend)
    pages.forget()
    pages.listener.publish(FORGET)


def _forget_all(**kwargs):
    """A setting changed (tests): what a copy was judged by may have too."""
    with _registry_lock:
        for pages in _registry.values():
            pages.forget()


setting_changed.connect(_forget_all)
