"""A fixed-window rate limiter on the cache: atomic `add` then `incr`, no extra package.

    limit = RateLimit("comment-ip", 5, 60)
    if limit.is_exceeded(ip_identity(client_ip(request))): ...

Every call counts one attempt. Windows are aligned to the clock, so a limit of 5 a minute
allows at most 10 in any sliding 60 seconds; that is enough to stop floods cheaply.
"""

import hashlib
import ipaddress
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


def normalised_ip(value: str | None) -> str | None:
    """One spelling per client: `::ffff:a.b.c.d` (how a server bound to [::] sees IPv4
    clients) as a.b.c.d, a proxy's port and brackets and an IPv6 zone dropped, IPv6
    compressed; None for anything that is not an address."""
    text = (value or "").strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def ip_identity(ip: str | None) -> str:
    """What limits count an address as: IPv4 by address, IPv6 by its /64, since a home or
    a server is given a whole /64 and can send from any address in it."""
    ip = normalised_ip(ip)
    if ip is None:
        return ""
    if ":" in ip:
        return f"ip:{ipaddress.ip_network(f'{ip}/64', strict=False)}"
    return f"ip:{ip}"


def client_ip(request) -> str | None:
    """The client's address (newsroom.middleware.ForwardedForMiddleware puts it in
    REMOTE_ADDR behind a proxy), normalised; None if there is none."""
    return normalised_ip(request.META.get("REMOTE_ADDR"))
