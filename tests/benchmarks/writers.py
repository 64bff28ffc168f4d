"""The newsroom at work during the churn run: readers comment, authors save drafts, editors edit
and publish, each through the real forms over HTTP, and how long each change takes to show.

Every writer is a thread with its own browser (cookies kept, redirects not followed). After a
public change, a poller reads the article page and the front page as an anonymous reader every
POLL seconds until the change shows there (or VISIBLE_TIMEOUT passes).
"""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlencode

POLL = 0.05  # seconds between two looks at a page that should show a change
VISIBLE_TIMEOUT = 20.0  # a change not seen by then is reported as never seen


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: keeps its cookies, sends Origin on POSTs, follows no redirect."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            _NoRedirect, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str, headers=None) -> tuple[int, str, dict]:
        return self._open(urllib.request.Request(self.base + path, headers=headers or {}))

    def post(self, path: str, fields: list[tuple[str, str]], headers=None) -> tuple[int, str, dict]:
        headers = {"Origin": self.base, "Sec-Fetch-Site": "same-origin", **(headers or {})}
        data = urlencode(fields).encode()
        return self._open(urllib.request.Request(self.base + path, data=data, headers=headers))

    def _open(self, request) -> tuple[int, str, dict]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(errors="replace"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers


class FormFields(HTMLParser):
    """The fields the form with id `form_id` submits, as a browser would send them untouched."""

    SKIPPED = {"submit", "button", "image", "file", "reset"}

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None
        self.text, self.options = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        name, kind = a.get("name"), (a.get("type") or "text").lower()
        if tag == "input" and name and kind not in self.SKIPPED:
            if kind not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, []
        elif tag == "select" and name:
            self.select, self.options = (name, "multiple" in a), []
        elif tag == "option" and self.select:
            self.options.append([a.get("value"), "selected" in a, ""])

    def handle_data(self, data):
        if self.textarea:
            self.text.append(data)
        elif self.select and self.options:
            self.options[-1][2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            text = "".join(self.text)  # browsers drop the newline that opens a textarea
            self.fields.append((self.textarea, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [o for o in self.options if o[1]] or ([] if multiple else self.options[:1])
            self.fields += [(name, o[0] if o[0] is not None else o[2].strip()) for o in chosen]
            self.select = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def with_changes(fields: list[tuple[str, str]], changes: dict) -> list[tuple[str, str]]:
    """`fields` with the values of `changes` in place of theirs (added when missing)."""
    kept = [(k, v) for k, v in fields if k not in changes]
    return kept + list(changes.items())


def form_errors(html: str) -> str:
    """The first error messages of a refused form, for the report."""
    found = re.findall(r'class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', html, re.S)
    return "; ".join(re.sub(r"<[^>]+>", "", e).strip() for e in found[:3]) or "no message"


def login(base: str, username: str, password: str) -> Browser:
    browser = Browser(base)
    _, html, _ = browser.get("/admin/login/")
    fields = with_changes(
        form_fields(html, "login-form"), {"username": username, "password": password}
    )
    status, _, _ = browser.post("/admin/login/?next=/admin/", fields)
    if status != 302:
        raise RuntimeError(f"{username} could not sign in to the admin (status {status})")
    return browser


@dataclass
class Write:
    """One write: its POST's status, the time to read the form and post it, and when it
    showed on each page (seconds after the POST was answered)."""

    status: int = 0
    post_s: float = 0.0
    error: str = ""
    visible: dict = field(default_factory=dict)  # page -> seconds, or None if never seen


class Writer:
    """A person doing `act(n)` every `every` seconds, the first time after `first` seconds.
    With `crowd`, many people: each write starts on time even if the previous one is still
    waiting for its answer (readers comment independently; one editor saves one form at a
    time)."""

    def __init__(self, label: str, every: float, first: float, act, *, crowd: bool = False):
        self.label, self.every, self.first, self.act = label, every, first, act
        self.crowd = crowd
        self.writes: list[Write] = []
        self.pollers: list[threading.Thread] = []
        self.done, self.worked = 0, 0.0  # writes begun, and seconds at work over every run()

    def run(self, stop: threading.Event) -> None:
        """Write on schedule until `stop`; a later run() goes on where this one stopped."""
        started = time.monotonic() - self.worked
        with ThreadPoolExecutor(8 if self.crowd else 1) as pool:
            while not stop.wait(
                max(0.0, started + self.first + self.done * self.every - time.monotonic())
            ):
                if self.crowd:
                    pool.submit(self.one, self.done)
                else:
                    self.one(self.done)
                self.done += 1
            self.worked = time.monotonic() - started

    def one(self, n: int) -> None:
        write = Write()
        began = time.monotonic()
        try:
            checks = self.act(n, write)
        except Exception as error:  # reported in the table; the run goes on
            write.error, checks = f"{type(error).__name__}: {error}"[:120], []
        write.post_s = time.monotonic() - began
        self.writes.append(write)
        if checks:
            poller = threading.Thread(target=watch, args=(checks, write), daemon=True)
            poller.start()
            self.pollers.append(poller)

    def join_pollers(self) -> None:
        for poller in self.pollers:
            poller.join(VISIBLE_TIMEOUT + 5)


def watch(checks: dict, write: Write) -> None:
    """Read each page (name -> (base, path, test)) until its test passes; note when it did."""
    started, waiting = time.monotonic(), dict(checks)
    reader = {}  # one anonymous browser per page: no cookie, like any reader
    while waiting and time.monotonic() - started < VISIBLE_TIMEOUT:
        for name, (base, path, seen) in list(waiting.items()):
            browser = reader.setdefault(name, Browser(base))
            try:
                status, html, _ = browser.get(path)
            except OSError:
                continue
            if seen(status, html):
                write.visible[name] = time.monotonic() - started
                del waiting[name]
        time.sleep(POLL)
    for name in waiting:
        write.visible[name] = None


def shows(text: str):
    """A test that a page answers 200 and contains `text` (HTML-escaped as templates do)."""
    needle = escape(text)
    return lambda status, html: status == 200 and needle in html


# The four kinds of writes ------------------------------------------------------------------


def comment_writer(base: str, hot: list[str]):
    """(a) A reader comments on a hot article through the comment form."""
    reader = Browser(base)

    def act(n: int, write: Write) -> dict:
        path = hot[n % len(hot)]
        _, token, _ = reader.get("/comments/token/")
        issued = re.search(r'"issued":\s*"([^"]+)"', token).group(1)
        marker = f"Churn comment {n} {uuid.uuid4().hex[:12]}"
        fields = [
            ("name", f"Churn reader {n}"), ("email", f"churn{n}@example.com"), ("website", ""),
            ("body", f"{marker}: a reader's view while the story breaks."), ("parent", ""),
            ("address", ""), ("issued", issued),
        ]  # fmt: skip
        write.status, html, _ = reader.post(f"{path}comments/", fields)
        if write.status != 302:
            write.error = form_errors(html)
            return {}
        return {"article": (base, path, shows(marker))}

    return act


def change_form_writer(browser: Browser, *, pk_for, changes_for, checks_for):
    """A staff member opening an article's change form, changing fields and saving it."""

    def act(n: int, write: Write) -> dict:
        pk = pk_for(n)
        form = f"/admin/articles/article/{pk}/change/"
        status, html, _ = browser.get(form)
        if status != 200:
            raise RuntimeError(f"GET {form}: {status}")
        changes = {**changes_for(n), "_continue": "Save and continue editing"}
        write.status, html, _ = browser.post(
            form, with_changes(form_fields(html, "article_form"), changes)
        )
        if write.status != 302:
            write.error = form_errors(html)
            return {}
        return checks_for(n)

    return act
