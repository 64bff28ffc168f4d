"""A fixed-window rate limiter on the cache: atomic `add` then `incr`, no extra package.

    limit = RateLimit("comment-ip", 5, 60)
    if limit.is_exceeded(request_ip(request)): ...

Every call counts one attempt. Windows are aligned to the clock, so a limit of 5 a minute
allows at most 10 in any sliding 60 seconds; that is enough to stop floods cheaply.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class RateLimit:
    name: str
    limit: int
    period: int  # seconds

    def key(self, identity: str, now: float) -> str:
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        return f"ratelimit:{self.name}:{self.period}:{int(now // self.period)}:{digest}"

    def hit(self, identity: str, now: float | None = None) -> int:
        """Count one attempt by `identity` and return the attempts in this window."""
        key = self.key(identity, time.time() if now is None else now)
        cache.add(key, 0, timeout=self.period + 1)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=self.period + 1)
            return 1

    def is_exceeded(self, identity: str, now: float | None = None) -> bool:
        return self.hit(identity, now) > self.limit

    def count(self, identity: str, now: float | None = None) -> int:
        """The attempts by `identity` in this window, without counting one more."""
        return cache.get(self.key(identity, time.time() if now is None else now), 0)

    def reset(self, identity: str, now: float | None = None) -> None:
        cache.delete(self.key(identity, time.time() if now is None else now))


def any_exceeded(limits, identities, now: float | None = None) -> bool:
    """Count the attempt against every (limit, identity) pair; True if any is over."""
    # Count them all (no short-circuit) so that every window sees every attempt.
    results = [
        limit.is_exceeded(identity, now) for limit in limits for identity in identities if identity
    ]
    return any(results)


def client_ip(request) -> str | None:
    """The client's address; behind a proxy, set the proxy to pass the real one in REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None
