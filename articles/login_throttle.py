"""Admin sign-in throttling: which password checks may run now, and what a failure costs.

Failures are counted in the cache (articles.ratelimit) for
ADMIN_LOGIN_LOCKOUT_SECONDS, three ways:

- per (username, address): ADMIN_LOGIN_FAILURES_PER_USER failures lock that pair;
- per address (IPv6 by its /64): ADMIN_LOGIN_FAILURES_PER_IP failures lock the address;
- per username, from any address: no lock, a wait. Past ADMIN_LOGIN_FAILURES_PER_USER
  failures the next check for that username waits 1 s, then 2, 4 ... up to
  ADMIN_LOGIN_USER_DELAY_MAX, and one check at a time runs for it.

Why not lock the username: then anyone could lock any staff member out with five wrong
passwords. The wait is answered at once ("try again in N seconds", Retry-After): no
request sleeps, so a flood cannot tie up workers. The owner, from their own address, waits
at most the cap, and a browser they signed in with before (a signed device cookie) skips
the wait; guessing one account from many addresses gets one try per wait.
"""

import hashlib
import math
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from articles.ratelimit import RateLimit, client_ip, ip_identity

DEVICE_COOKIE = "newsroom_admin_device"
DEVICE_SALT = "articles.login_throttle.device"
DEVICE_MAX_AGE = 180 * 24 * 3600
# A request that dies mid-check frees the one-at-a-time turn after this.
TURN_SECONDS = 10


@dataclass(frozen=True)
class Refusal:
    reason: str  # for the log
    message: str
    retry_after: int  # seconds


def _limit(name: str, count: int) -> RateLimit:
    return RateLimit(name, count, settings.ADMIN_LOGIN_LOCKOUT_SECONDS)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class LoginAttempt:
    """One POST to the admin login: refuse() before the password check, then record()."""

    def __init__(self, request):
        self.now = time.time()
        self.username = request.POST.get("username", "").strip().lower()[:150]
        self.address = ip_identity(client_ip(request)) or "ip:unknown"
        self.user = f"user:{self.username}" if self.username else ""
        self.pair = f"{self.address}|{self.user}" if self.username else ""
        self.device = _device_nonce(request, self.username)
        self.by_ip = _limit("admin-login-ip", settings.ADMIN_LOGIN_FAILURES_PER_IP)
        self.by_pair = _limit("admin-login-pair", settings.ADMIN_LOGIN_FAILURES_PER_USER)
        self.by_user = _limit("admin-login-user", settings.ADMIN_LOGIN_FAILURES_PER_USER)
        self.by_device = _limit("admin-login-device", settings.ADMIN_LOGIN_FAILURES_PER_USER)
        self.has_turn = False

    def _locks(self):
        yield self.by_ip, self.address
        if self.pair:
            yield self.by_pair, self.pair

    @property
    def _last_failure_key(self) -> str:
        return f"admin-login-user-last:{_digest(self.user)}"

    @property
    def _turn_key(self) -> str:
        return f"admin-login-user-turn:{_digest(self.user)}"

    def is_trusted_device(self) -> bool:
        device = f"device:{self.device}"
        return bool(self.device) and self.by_device.count(device, self.now) < self.by_device.limit

    def refuse(self) -> Refusal | None:
        """Why this attempt may not check a password now; None if it may (then record())."""
        for limit, identity in self._locks():
            if limit.count(identity, self.now) >= limit.limit:
                seconds = math.ceil(limit.period - self.now % limit.period)
                return Refusal("locked", _locked_message(seconds), seconds)
        if not self.user or self.is_trusted_device():
            return None
        if not self._take_turn():
            return Refusal("busy", _wait_message(1), 1)
        if wait := self.user_wait():
            self.release()
            return Refusal("wait", _wait_message(wait), wait)
        return None

    def user_wait(self) -> int:
        """Seconds before the username's next check: 0, then doubling past the free failures."""
        over = self.by_user.count(self.user, self.now) - self.by_user.limit
        if over < 0:
            return 0
        delay = min(2**over, settings.ADMIN_LOGIN_USER_DELAY_MAX)
        last = cache.get(self._last_failure_key) or 0.0
        return max(0, math.ceil(last + delay - self.now))

    def _take_turn(self) -> bool:
        """One check at a time per username, or parallel requests would all pass the wait."""
        cache.add(self._turn_key, 0, timeout=TURN_SECONDS)
        try:
            self.has_turn = cache.incr(self._turn_key) == 1
        except ValueError:  # the cache is unreachable (limits fail open) or the turn expired
            return True
        return self.has_turn

    def release(self) -> None:
        if self.has_turn:
            cache.delete(self._turn_key)
            self.has_turn = False

    def record(self, succeeded: bool) -> None:
        if succeeded:
            # The owner's own slips are forgiven; other addresses' failures stay counted.
            for limit, identity in [(self.by_pair, self.pair), (self.by_user, self.user)]:
                if identity:
                    limit.reset(identity, self.now)
        else:
            self.by_ip.hit(self.address, self.now)
            if self.user:
                self.by_pair.hit(self.pair, self.now)
                self.by_user.hit(self.user, self.now)
                timeout = settings.ADMIN_LOGIN_LOCKOUT_SECONDS
                cache.set(self._last_failure_key, self.now, timeout=timeout)
            if self.device:
                self.by_device.hit(f"device:{self.device}", self.now)
        self.release()


def _locked_message(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return (
        "Too many failed sign-in attempts. For your security, signing in is paused for up to "
        f"{minutes} minute{'s' if minutes != 1 else ''}. Please wait and try again, or ask an "
        "administrator to reset your password."
    )


def _wait_message(seconds: int) -> str:
    return (
        "Too many failed sign-in attempts for this account. "
        f"Please wait {seconds} second{'s' if seconds != 1 else ''} and try again."
    )


def _device_nonce(request, username: str) -> str:
    """The nonce of a device cookie this browser got by signing in as `username`, or ""."""
    value = request.get_signed_cookie(
        DEVICE_COOKIE, default="", salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
    )
    nonce, _, name = value.partition(":")
    return nonce if username and name == username else ""


def device_remember(response, username: str) -> None:
    """Mark this browser as one `username` signs in with (see the module docstring)."""
    response.set_signed_cookie(
        DEVICE_COOKIE,
        f"{secrets.token_urlsafe(16)}:{username.strip().lower()}",
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        path=reverse("admin:index"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
