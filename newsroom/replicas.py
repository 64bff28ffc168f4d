"""PostgreSQL read replicas: which requests may read from one, and which replica is fit to.

With DATABASE_REPLICA_URLS set, settings add the replicas as `replica_1`, `replica_2`... and
put ReplicaMiddleware first. Only an anonymous reader's GET or HEAD outside the admin may
read from a replica (newsroom/db_router.py); everything else, every write and every request
from a visitor who wrote something in the last DATABASE_PRIMARY_PIN_SECONDS (a cookie set on
their POST) goes to the primary, so that a commenter sees their comment and an author their
edit at once.

A replica is used while it answers and lags at most DATABASE_REPLICA_MAX_LAG seconds. Each
process asks each replica at most every DATABASE_REPLICA_CHECK_SECONDS, on a connection of
its own with a short timeout (never waiting on the pool of a replica that went away); a
replica that fails a query is skipped for DATABASE_REPLICA_RETRY_SECONDS.
"""

import contextvars
import logging
import random
import threading
import time

import psycopg
from django.conf import settings
from django.db import connections

log = logging.getLogger("newsroom.faults")

PIN_COOKIE = "primary_pin"
SAFE_METHODS = ("GET", "HEAD")

# Set by ReplicaMiddleware for the requests that may read from a replica; off everywhere
# else (management commands, task workers, tests), so that they read from the primary.
_reads_allowed = contextvars.ContextVar("replica_reads_allowed", default=False)
_used = contextvars.ContextVar("replica_used", default=None)

# The lag in seconds when every WAL record received is replayed and the stream is up: 0.
# Otherwise the age of the last transaction replayed, which grows while the replica is behind
# (or cut off from the primary).
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
       AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""

_state: dict[str, dict] = {}  # alias -> {"checked": monotonic, "ok": bool, "lag": float}
_lock = threading.Lock()


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def conninfo(alias: str) -> str:
    db = settings.DATABASES[alias]
    options = {k: v for k, v in db.get("OPTIONS", {}).items() if k != "pool"}  # sslmode...
    return psycopg.conninfo.make_conninfo(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=str(db.get("PORT") or "") or None,
        **options,
    )


def replica_lag(alias: str) -> float | None:
    """Seconds behind the primary, or None when the replica does not answer."""
    try:
        with psycopg.connect(conninfo(alias), autocommit=True) as conn:
            return float(conn.execute(LAG_SQL).fetchone()[0])
    except psycopg.Error:
        return None


def replica_status(alias: str) -> dict:
    """{"ok", "lag"} of a replica, asked again when the last answer is older than the check
    interval (or the replica was marked down and its retry time has come)."""
    now = time.monotonic()
    state = _state.get(alias)
    if state and now < state["until"]:
        return state
    with _lock:
        state = _state.get(alias)
        if state and now < state["until"]:
            return state
        lag = replica_lag(alias)
        ok = lag is not None and lag <= settings.DATABASE_REPLICA_MAX_LAG
        if lag is None:
            wait = settings.DATABASE_REPLICA_RETRY_SECONDS
        else:
            wait = settings.DATABASE_REPLICA_CHECK_SECONDS
        if not ok and (state is None or state["ok"]):  # once per change, not every check
            log.warning("replica skipped", extra={"replica": alias, "lag": lag})
        state = _state[alias] = {"ok": ok, "lag": lag, "until": now + wait}
        return state


def mark_down(alias: str) -> None:
    """A query on the replica failed: use the primary until the retry time."""
    until = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS
    _state[alias] = {"ok": False, "lag": None, "until": until}
    log.warning("replica down", extra={"replica": alias})


def read_alias() -> str | None:
    """The replica this request reads from (the same one for the whole request), or None
    for the primary."""
    if not _reads_allowed.get():
        return None
    chosen = _used.get()
    if chosen is None:
        healthy = [alias for alias in replica_aliases() if replica_status(alias)["ok"]]
        chosen = random.choice(healthy) if healthy else ""
        _used.set(chosen)
    return chosen or None


def may_read_from_replica(request) -> bool:
    """An anonymous reader's GET or HEAD, outside the admin, who wrote nothing lately."""
    return (
        request.method in SAFE_METHODS
        and not request.path.startswith("/admin/")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not _pinned(request)
    )


def _pinned(request) -> bool:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReplicaMiddleware:
    """First in MIDDLEWARE: decides where the request reads, pins writers to the primary, and
    answers a read again from the primary when its replica failed under it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_read_from_replica(request):
            response = self._on_primary(request)
        else:
            allowed, used = _reads_allowed.set(True), _used.set(None)
            try:
                response = self.get_response(request)
                failed = _used.get() and connections[_used.get()].errors_occurred
                if failed:
                    mark_down(_used.get())
            finally:
                _reads_allowed.reset(allowed)
                _used.reset(used)
            if failed:
                # A GET changes nothing: answer it again, from the primary.
                from newsroom.middleware import outage_clear

                outage_clear()
                response = self._on_primary(request)
        if request.method not in SAFE_METHODS and response.status_code < 500:
            # A write (a comment, a login, an edit): read your own writes for a while.
            seconds = settings.DATABASE_PRIMARY_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def _on_primary(self, request):
        allowed = _reads_allowed.set(False)
        try:
            return self.get_response(request)
        finally:
            _reads_allowed.reset(allowed)


def replica_allowance_ns() -> int:
    """How old the rows this request reads may be (nanoseconds): 0 on the primary. Cached
    pages and memos count their age from that far back, so that a purge the replica has not
    replayed yet makes them stale at birth rather than keeping the old text until the next."""
    if not _reads_allowed.get():
        return 0
    seconds = settings.DATABASE_REPLICA_MAX_LAG + settings.DATABASE_REPLICA_CHECK_SECONDS
    return int(seconds * 1e9)
