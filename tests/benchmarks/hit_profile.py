"""Where a cached page's time goes: one hit of the article page through the WSGI front
(`newsroom.wsgi.application`, as gunicorn calls it), in-process, and each of its parts
timed alone, on Redis and on local memory.

    python tests/benchmarks/hit_profile.py [--hits 2000]

Reads the database in DATABASE_URL (else the local SQLite), which needs published articles
(`manage.py demo`; bench.py passes its own data set). Redis: $BENCH_REDIS_URL, else the first
empty database of the Redis on 127.0.0.1:6379, flushed before and after (as churn.py does);
without one, the Redis column is left out. Every figure is the median of --hits calls, in
microseconds, so a busy neighbour moves it less than a mean.
"""

import argparse
import io
import os
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

# The settings read these once, at setup.
os.environ["PAGE_CACHE"] = "1"
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("REQUEST_LOG_LEVEL", "WARNING")  # no line per request
os.environ["REDIS_URL"] = ""  # local memory first; Redis through override_settings()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

LOCAL_MEMORY = {
    "default": {"BACKEND": "newsroom.locmem_cache.AnyKeyLocMemCache"},
    "fragments": {"BACKEND": "newsroom.locmem_cache.AnyKeyLocMemCache"},
}


def redis_caches(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "newsroom.redis_cache.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "hit-profile",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }


def median_us(call, times: int) -> float:
    """The median of `times` calls of `call`, in microseconds."""
    spent = []
    for _ in range(times):
        started = time.perf_counter_ns()
        call()
        spent.append(time.perf_counter_ns() - started)
    spent.sort()
    return spent[len(spent) // 2] / 1000


def environ_for(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def raw_entry(key: str) -> bytes:
    """The entry's bytes as the cache holds them (pickled), without unpickling them."""
    from django.core.cache import cache

    made = cache.make_and_validate_key(key)
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):  # Redis
        return cache._cache.get_client(made).get(made)
    return cache._cache[made]  # local memory: a dict of pickles


def profile(path: str, hits: int) -> dict[str, float | None]:
    """The figures of one cache backend (the one configured now)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIRequest

    from articles.pagecache import local, store
    from articles.pagecache.middleware import is_cacheable_request
    from articles.pagecache.wsgi import PageCacheApp
    from newsroom.wsgi import application

    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    def hit():
        for _ in application(environ_for(path), start_response):
            pass

    def hit_asking_the_cache():
        local.TRUST_SECONDS = -1.0  # the copy is checked against the stamps every time
        try:
            hit()
        finally:
            local.TRUST_SECONDS = trust

    def hit_without_copy():
        local.local_pages().forget()
        hit()

    trust = local.TRUST_SECONDS
    local.local_pages().forget()
    hit()  # a miss: rendered and stored
    hit()
    hit()  # the copy vouched for
    assert seen["headers"].get("X-Page-Cache") == "hit", f"{path} is not served from the cache"
    key = store.page_key(WSGIRequest(environ_for(path)))
    entry = cache.get(key)
    stamps = store.stamp_keys(entry["keys"])
    raw = raw_entry(key)
    is_redis = not store.uses_stamp_file()
    if not is_redis:  # a stamp file to stat, as after any purge
        settings.PAGE_CACHE_STAMP.parent.mkdir(parents=True, exist_ok=True)
        settings.PAGE_CACHE_STAMP.touch()
    found = cache.get_many(stamps)
    asked = [f"pv:{key}", *stamps]
    made_entry = cache.make_and_validate_key(key)
    made = [cache.make_and_validate_key(k) for k in asked]
    # Redis: one client kept, as a bare redis-py user would, to time the commands alone.
    client = cache._cache.get_client() if is_redis else None

    def parse():
        request = WSGIRequest(dict(environ_for(path)))
        is_cacheable_request(request, look_up_sessions=False)
        store.page_key(request)

    def answer():
        status, headers, body = store.reply(entry, environ_for(path), "hit")
        start_response(PageCacheApp.STATUS[status], headers)

    figures = {
        "hit": median_us(hit, hits),
        "hit, asking": median_us(hit_asking_the_cache, hits),
        "hit, no copy": median_us(hit_without_copy, hits),
        "parse": median_us(parse, hits),
        "stamps and version": median_us(lambda: cache.get_many(asked), hits),
        "mget": median_us(lambda: client.mget(made), hits) if is_redis else None,
        "client": median_us(lambda: cache._cache.get_client(made[0]), hits) if is_redis else None,
        "make keys": median_us(lambda: [cache.make_and_validate_key(k) for k in asked], hits),
        "stamps": median_us(lambda: cache.get_many(stamps), hits),
        "entry": median_us(lambda: cache.get(key), hits),
        "get": median_us(lambda: client.get(made_entry), hits) if is_redis else None,
        "unpickle": median_us(lambda: pickle.loads(raw), hits),
        "stat": None if is_redis else median_us(lambda: os.stat(settings.PAGE_CACHE_STAMP), hits),
        "judge": median_us(lambda: store.judge(entry["stored_ns"], entry["keys"], found, 10), hits),
        "answer": median_us(answer, hits),
        "ping": median_us(cache._cache.get_client().ping, hits) if is_redis else None,
        "entry KB": len(raw) / 1024,
        "keys": len(stamps),
    }
    local.local_pages().forget()
    return figures


ROWS = [
    ("hit", "a whole hit: the worker's copy, no purge since"),
    ("hit, asking", "a whole hit: the copy checked in the cache"),
    ("hit, no copy", "a whole hit, without a copy"),
    ("parse", "  WSGIRequest, cacheable?, page key (once)"),
    ("stamps and version", "  stamps + version marker: 1 get_many"),
    ("mget", "    of which the bare MGET round trip"),
    ("client", "    of which get_client(): a new redis.Redis"),
    ("make keys", "    of which make_and_validate_key()"),
    ("stamps", "  stamps alone: 1 get_many (no copy)"),
    ("entry", "  the entry: 1 get (no copy)"),
    ("get", "    of which the bare GET round trip"),
    ("unpickle", "    of which unpickling it"),
    ("stat", "  stamp file: 1 stat() (local memory)"),
    ("judge", "  judge(): fresh, stale or dead"),
    ("answer", "  reply(): headers, start_response"),
    ("ping", "one Redis PING (a bare round trip)"),
]


def table(columns: dict[str, dict], hits: int) -> str:
    names = list(columns)
    lines = [f"{'µs per hit, median of ' + format(hits, ','):<44}" + "".join(
        f"{name:>14}" for name in names)]  # fmt: skip
    for field, label in ROWS:
        cells = []
        for name in names:
            value = columns[name][field]
            cells.append(f"{'-' if value is None else format(value, '.1f'):>14}")
        lines.append(f"{label:<44}" + "".join(cells))
    any_column = columns[names[0]]
    lines.append(
        f"(article page entry: {any_column['entry KB']:.0f} KB pickled, "
        f"{any_column['keys']} stamp keys read per hit)"
    )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=2000, help="calls timed per figure")
    opts = parser.parse_args()

    import django

    django.setup()
    from django.test import override_settings

    from tests.benchmarks.bench import pick_pages
    from tests.benchmarks.churn import bench_redis_url

    path = pick_pages()["article"]
    columns = {}
    redis_url = bench_redis_url()
    if redis_url:
        try:
            with override_settings(CACHES=redis_caches(redis_url)):
                columns["Redis"] = profile(path, opts.hits)
        finally:
            import redis

            redis.Redis.from_url(redis_url).flushdb()
    with override_settings(CACHES=LOCAL_MEMORY):
        columns["local memory"] = profile(path, opts.hits)
    print(f"\nwhere a hit's time goes, in-process through newsroom.wsgi ({path}):")
    print(table(columns, opts.hits))
    if not redis_url:
        print("(no Redis answered on 127.0.0.1:6379 or $BENCH_REDIS_URL: its column is left out)")


if __name__ == "__main__":
    main()
