"""The attack run's requests: what any outsider can send (issue 14's list), each kind at a
steady rate beside the readers, to show whether it costs the readers anything."""

import secrets
import socket
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

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


def send(base: str, method: str, path: str, body, headers) -> int:
    """One request on a connection of its own, its answer read to the end: the status, or 0
    for no answer. Raw bytes, as wrk sends them: urllib's parsing took half of the outsiders'
    CPU, which the readers share here, while outsiders' tools run on machines of their own."""
    address = urlsplit(base)
    data = urlencode(body).encode() if body is not None else b""
    head = [f"{method} {path} HTTP/1.1", f"Host: {address.netloc}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    if body is not None:
        head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(data)}"]
    try:
        with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
            sock.sendall("\r\n".join(head).encode() + b"\r\n\r\n" + data)
            answer = b"".join(iter(lambda: sock.recv(65536), b""))
        return int(answer.split(b" ", 2)[1])  # HTTP/1.1 200 OK
    except (OSError, IndexError, ValueError):
        return 0


class Attacker:
    """Sends one kind of request `rate` times a second until stopped, in the seconds of the
    clock where `at_work(second)` (every one by default), never waiting for an answer before
    the next (an attacker does not), and counts the answers."""

    def __init__(self, base: str, label: str, make, rate: float, at_work=None):
        self.base, self.label, self.make, self.rate = base, label, make, rate
        self.at_work = at_work or (lambda second: True)
        self.statuses: Counter = Counter()
        self.seconds: list[float] = []

    def run(self, stop: threading.Event) -> None:
        started, n = time.monotonic(), 0
        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            while not stop.wait(max(0.0, started + n / self.rate - time.monotonic())):
                if self.at_work(int(time.time())):
                    pool.submit(self.one, n)
                n += 1

    def one(self, n: int) -> None:
        began = time.monotonic()
        self.statuses[send(self.base, *self.make(n))] += 1
        self.seconds.append(time.monotonic() - began)
