"""/healthz/: is the database answering, and the cache? 200 when both are, else 503.
/healthz/lb/: the database only, for load balancers (see healthz_balancer).

Cheap enough for a load balancer to call every second: one `SELECT 1` and one cache
round trip, no template, never cached.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from newsroom.middleware import outage_record, outage_suspected

log = logging.getLogger("newsroom.faults")


def _database_ok() -> bool:
    if outage_suspected():  # seen down a moment ago: don't wait on the pool again
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        outage_record()
        return False


def _cache_ok() -> bool:
    try:
        value = uuid.uuid4().hex
        cache.set("healthz", value, timeout=10)
        return cache.get("healthz") == value
    except Exception:
        return False


@require_safe
@never_cache
def healthz(request):
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    if not healthy:
        log.warning(
            "health check failed", extra={k: ("ok" if v else "down") for k, v in checks.items()}
        )
    body = {"status": "ok" if healthy else "down"} | {
        name: "ok" if ok else "down" for name, ok in checks.items()
    }
    if replicas := _replicas():  # shown, never failing: readers fall back to the primary
        body["replicas"] = replicas
    return JsonResponse(body, status=200 if healthy else 503)


def _replicas() -> dict:
    from newsroom.replicas import replica_aliases, replica_status

    return {
        alias: ("ok" if status["ok"] else "skipped")
        + (f", lag {status['lag']:.1f} s" if status["lag"] is not None else ", down")
        for alias in replica_aliases()
        for status in [replica_status(alias)]
    }


@require_safe
@never_cache
def healthz_balancer(request):
    """/healthz/lb/ for load balancers: 200 while this server can serve pages, so the
    database alone. Without Redis the site still serves (newsroom/redis_cache.py fails
    soft), and Redis down everywhere must not take every server out of the pool at once."""
    healthy = _database_ok()
    body = {"status": "ok" if healthy else "down", "database": "ok" if healthy else "down"}
    return JsonResponse(body, status=200 if healthy else 503)
