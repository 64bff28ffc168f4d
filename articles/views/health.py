"""/healthz/: is the database answering, and the cache? 200 when both are, else 503.

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
    return JsonResponse(body, status=200 if healthy else 503)
