"""Redis as Django's cache, failing soft: a site whose cache server stops answering serves
live pages (slower) instead of errors.

While Redis is unreachable, reads miss, writes are dropped and `incr` finds no key, as an
empty cache would; a warning is logged at most once a minute per process. /healthz/ still
reports the cache as down, so the load balancer and the on-call person know. Short socket
timeouts (settings.py) keep a server that hangs from holding every worker.
"""

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
WARN_EVERY = 60  # seconds
_last_warning: dict[str, float] = {}  # message -> when it was last logged


def warn_now_and_then(logger: logging.Logger, message: str, *args):
    """A warning logged at most once every WARN_EVERY seconds per process and message: a
    Redis that is down fails every call, and one outage is a line a minute of each kind."""
    if time.monotonic() - _last_warning.get(message, float("-inf")) > WARN_EVERY:
        _last_warning[message] = time.monotonic()
        logger.warning(message, *args)


def _fail_soft(fallback):
    """Answer `fallback(*args)` when Redis fails, and say so in the log now and then."""

    def decorate(method):
        @wraps(method)
        def wrapped(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                warn_now_and_then(log, "cache unreachable, serving without it: %s", error)
                return fallback(*args)

        return wrapped

    return decorate


def _no_key(key, *args):
    raise ValueError(f"Key '{key}' not found (the cache is unreachable).")


class FailSoftRedisClient(RedisCacheClient):
    add = _fail_soft(lambda *args: False)(RedisCacheClient.add)
    get = _fail_soft(lambda key, default: default)(RedisCacheClient.get)
    set = _fail_soft(lambda *args: None)(RedisCacheClient.set)
    touch = _fail_soft(lambda *args: False)(RedisCacheClient.touch)
    delete = _fail_soft(lambda *args: False)(RedisCacheClient.delete)
    get_many = _fail_soft(lambda *args: {})(RedisCacheClient.get_many)
    has_key = _fail_soft(lambda *args: False)(RedisCacheClient.has_key)
    incr = _fail_soft(_no_key)(RedisCacheClient.incr)
    set_many = _fail_soft(lambda *args: None)(RedisCacheClient.set_many)
    delete_many = _fail_soft(lambda *args: None)(RedisCacheClient.delete_many)
    clear = _fail_soft(lambda *args: False)(RedisCacheClient.clear)

    def get_client(self, key=None, *, write=False):
        # Django builds a redis.Redis per call (about a seventh of a page cache hit); one per
        # connection pool is enough, and as thread-safe as the pool.
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if (client := clients.get(id(pool))) is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSoftRedisClient

    def clear(self):
        from articles.pagecache.local import cleared

        super().clear()
        cleared(self)  # every process's copies of the page cache's entries go too

    def validate_key(self, key):
        """Redis takes any key: memcached's rules, checked per key on every call (a tenth of
        a hit with a page's stamps), warn of nothing here."""
