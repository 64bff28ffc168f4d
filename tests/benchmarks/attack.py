"""The attack run's requests: what any outsider can send (issue 14's list), each kind at a
steady rate beside the readers, to show whether it costs the readers anything."""

import secrets
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

IN_FLIGHT = 16  # unanswered requests of one kind at most (each waits 30 s at most)


def _forged_csrf() -> tuple[str, dict]:
    """A CSRF cookie and token of the attacker's own making (they match, so Django accepts them)."""
    token = secrets.token_hex(16)
    return token, {"Cookie": f"csrftoken={token}", "X-CSRFToken": token}


def kinds(hot: list[str], admin_pk: int, username: str) -> dict:
    """Label -> a function (n) -> (method, path, body, headers) making the n-th request."""

    def search(n):
        token, headers = _forged_csrf()
        headers["Cookie"] += f"; sessionid={secrets.token_hex(16)}"
        return "POST", "/search/", {"q": "missile launch", "csrfmiddlewaretoken": token}, headers

    def sign_in(n):
        token, headers = _forged_csrf()
        body = {"username": username, "password": f"guess-{n}", "csrfmiddlewaretoken": token}
        return "POST", "/admin/login/?next=/admin/", body, headers

    def admin_post(n):
        token, headers = _forged_csrf()
        path = f"/admin/articles/article/{admin_pk}/change/"
        return "POST", path, {"title": "x", "csrfmiddlewaretoken": token}, headers

    def fake_session(n):
        return "GET", hot[n % len(hot)], None, {"Cookie": "sessionid=x"}

    def tracking(n):
        query = urlencode({"utm_source": secrets.token_hex(4), "fbclid": secrets.token_hex(8)})
        return "GET", f"{hot[n % len(hot)]}?{query}", None, {}

    def held(n):
        return "GET", f"{hot[n % len(hot)]}?h%65ld={secrets.token_hex(8)}", None, {}

    return {
        "POST /search/, made-up session and CSRF": search,
        "POST /admin/login/, wrong password": sign_in,
        "POST to an admin URL (redirects to login)": admin_post,
        "GET, Cookie: sessionid=x": fake_session,
        "GET, random utm_source/fbclid": tracking,
        "GET, ?h%65ld= link": held,
    }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def send(base: str, method: str, path: str, body, headers) -> int:
    data = urlencode(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with _OPENER.open(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # no answer


class Attacker:
    """Sends one kind of request `rate` times a second until stopped, never waiting for an
    answer before the next (an attacker does not), and counts the answers."""

    def __init__(self, base: str, label: str, make, rate: float):
        self.base, self.label, self.make, self.rate = base, label, make, rate
        self.statuses: Counter = Counter()
        self.seconds: list[float] = []

    def run(self, stop: threading.Event) -> None:
        started, n = time.monotonic(), 0
        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            while not stop.wait(max(0.0, started + n / self.rate - time.monotonic())):
                pool.submit(self.one, n)
                n += 1

    def one(self, n: int) -> None:
        began = time.monotonic()
        self.statuses[send(self.base, *self.make(n))] += 1
        self.seconds.append(time.monotonic() - began)
