"""Load under production conditions: mixed reading plus comment posts, then a consistency check.

    python tests/benchmarks/load.py [--seconds 60] [--posts 500] [--clients 32] [--articles 200]

Serves a demo data set with gunicorn as production would (DEBUG off, 4 sync workers,
hashed static files), on loopback only. 32 client threads read pages (front page, articles,
tags, search, feeds) for --seconds while --posts comment posts are spread over the run, with
the comment rate limits raised through the environment so that the posts are really accepted.
Then it reports the error rate and latency, and checks that every comment that got a success
response is in the database, and no other. Bounded: at most --posts posts, reads stop at
--seconds, and the whole run is cut off at twice that.

PostgreSQL when DATABASE_URL is set (its own database, newsroom_load, dropped and made
anew), else SQLite. Exit status 1 if the database and the responses disagree.
"""

import argparse
import os
import platform
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench import manage  # noqa: E402
from tests.benchmarks.serve import gunicorn  # noqa: E402

WORKERS = 4
MARKER = "Load-test comment"


def load_database_url(url: str) -> str:
    """The same server as `url`, database newsroom_load, dropped and made anew."""
    import psycopg

    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS newsroom_load WITH (FORCE)")
        conn.execute("CREATE DATABASE newsroom_load")
    return urlunsplit(parts._replace(path="/newsroom_load"))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def request(url: str, data: bytes | None = None, headers=None) -> tuple[int, bytes, dict]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with OPENER.open(req, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


class Run:
    """Shared state of the client threads; lists are appended to under the GIL."""

    def __init__(self, base, pages, articles, posts, seconds):
        self.base, self.pages, self.articles = base, pages, articles
        self.posts, self.seconds = posts, seconds
        self.started = time.monotonic()
        self.next_post = 0
        self.lock = threading.Lock()
        self.reads: list[tuple[int, float]] = []  # (status or 0 for a failure, seconds)
        self.post_results: list[tuple[str, int, float, str]] = []  # (marker, status, s, location)

    def claim_post(self) -> int | None:
        """The next post number if its turn has come (posts are spread over the run)."""
        with self.lock:
            if self.next_post >= self.posts:
                return None
            due = self.started + self.next_post * (self.seconds * 0.9) / self.posts
            if time.monotonic() < due and self.elapsed() < self.seconds:
                return None
            self.next_post += 1
            return self.next_post

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def client(self, number: int) -> None:
        rng = random.Random(number)
        hard_stop = self.seconds * 2
        while self.elapsed() < hard_stop:
            post = self.claim_post()
            if post is not None:
                self.post_comment(post, rng)
            elif self.elapsed() < self.seconds:
                self.read(rng.choice(self.pages))
            elif self.next_post >= self.posts:
                return
            else:
                time.sleep(0.01)

    def read(self, path: str) -> None:
        started = time.monotonic()
        try:
            status, _, _ = request(self.base + path)
        except OSError:
            status = 0
        self.reads.append((status, time.monotonic() - started))

    def post_comment(self, number: int, rng: random.Random) -> None:
        marker = f"{MARKER} {number} {uuid.uuid4().hex}"
        slug = rng.choice(self.articles)
        started = time.monotonic()
        status, location = 0, ""
        try:
            _, token, _ = request(self.base + "/comments/token/")
            issued = re.search(rb'"issued":\s*"([^"]+)"', token).group(1).decode()
            form = {
                "name": f"Load reader {number}",
                "email": f"load{number}@example.com",
                "website": "",
                "body": f"{marker}\nA comment posted while many people read the site.",
                "parent": "",
                "address": "",
                "issued": issued,
            }
            status, _, headers = request(
                f"{self.base}/articles/{slug}/comments/",
                urlencode(form).encode(),
                {"Sec-Fetch-Site": "same-origin", "Origin": self.base},
            )
            location = headers.get("Location", "")
        except (OSError, AttributeError):
            pass
        self.post_results.append((marker, status, time.monotonic() - started, location))


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * pct / 100))] * 1000


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--articles", type=int, default=200)
    opts = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
    limit = str(opts.posts * 10)
    env = {
        "SECRET_KEY": "load-test-only-" + "k" * 40,
        "DEBUG": "0",
        "VAR_DIR": str(workdir),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
        "REQUEST_LOG_LEVEL": "WARNING",
        # Every client is 127.0.0.1: raise the per-address limits so that posts are accepted.
        "COMMENTS_RATE_PER_MINUTE": limit,
        "COMMENTS_RATE_PER_HOUR": limit,
        "COMMENTS_MIN_SECONDS": "0",
        "COMMENTS_MODERATION": "none",
        "COMMENTS_CLOSE_AFTER_DAYS": "0",  # demo articles are of all ages
    }
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = load_database_url(os.environ["DATABASE_URL"])
    engine = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "demo", "--articles", str(opts.articles), "--comments-per-article", "5")
        manage(env, "collectstatic", "--noinput", "-v0")
        os.environ.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
        import django

        django.setup()
        from taggit.models import Tag

        from articles.models import Article, Comment

        published = Article.objects.published()
        live = list(published.values_list("slug", flat=True)[:100])
        commentable = list(published.filter(comments_open=True).values_list("slug", flat=True))
        tags = list(Tag.objects.values_list("slug", flat=True)[:20])
        pages = (
            ["/"] * 4
            + [f"/articles/{slug}/" for slug in live]
            + [f"/tags/{slug}/" for slug in tags]
            + ["/?page=2", "/search/?q=missile", "/search/?q=election+result", "/feed/"]
        )
        before = Comment.objects.count()

        with gunicorn("newsroom.wsgi", env, workers=WORKERS) as (base, _):
            run = Run(base, pages, commentable, opts.posts, opts.seconds)
            threads = [
                threading.Thread(target=run.client, args=(n,), daemon=True)
                for n in range(opts.clients)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(max(1.0, opts.seconds * 2 + 30 - run.elapsed()))
            wall = run.elapsed()

        from django.db import connection

        connection.close()  # a fresh look at what the server committed
        stored = dict(
            Comment.objects.filter(body__startswith=MARKER).values_list("body", "pk").iterator()
        )
        stored_by_marker = {body.split("\n", 1)[0]: pk for body, pk in stored.items()}
        total_after = Comment.objects.count()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    reads_ok = [s for status, s in run.reads if 200 <= status < 400]
    read_errors = len(run.reads) - len(reads_ok)
    succeeded = {m: loc for m, status, _, loc in run.post_results if status == 302}
    failed = [m for m, status, _, _ in run.post_results if status != 302]
    missing = [m for m in succeeded if m not in stored_by_marker]
    wrong_target = [
        m for m, loc in succeeded.items()
        if m in stored_by_marker and not loc.endswith(f"#comment-{stored_by_marker[m]}")
    ]  # fmt: skip
    unexpected = [m for m in stored_by_marker if m not in succeeded]
    requests_total = len(run.reads) + len(run.post_results)
    errors_total = read_errors + len(failed)

    print(f"\nmachine: {machine()}")
    print(
        f"setup: {engine}, {opts.articles} demo articles, gunicorn {WORKERS} sync workers, "
        f"{opts.clients} client threads on the same machine, loopback"
    )
    print(f"wall time: {wall:.1f} s (reads for {opts.seconds} s)")
    print(
        f"reads: {len(run.reads)} ({len(run.reads) / min(wall, opts.seconds):.0f}/s), "
        f"errors {read_errors}, p50 {percentile([s for _, s in run.reads], 50):.0f} ms, "
        f"p99 {percentile([s for _, s in run.reads], 99):.0f} ms"
    )
    post_times = [s for _, _, s, _ in run.post_results]
    print(
        f"comment posts: {len(run.post_results)} sent, {len(succeeded)} succeeded, "
        f"{len(failed)} failed, p50 {percentile(post_times, 50):.0f} ms, "
        f"p99 {percentile(post_times, 99):.0f} ms"
    )
    statuses = Counter(status for _, status, _, _ in run.post_results)
    print(
        "post statuses: "
        + ", ".join(f"{k or 'no answer'}: {v}" for k, v in sorted(statuses.items()))
    )
    print(
        f"error rate: {100 * errors_total / max(1, requests_total):.2f}% of {requests_total} requests"
    )
    print(
        f"database: {len(stored_by_marker)} load-test comments stored "
        f"({total_after - before} new rows in all); succeeded but missing {len(missing)}, "
        f"stored without a success {len(unexpected)}, redirected to the wrong comment "
        f"{len(wrong_target)}"
    )
    consistent = not missing and not unexpected and not wrong_target
    print("consistency: OK" if consistent else "consistency: FAILED")
    sys.exit(0 if consistent else 1)


if __name__ == "__main__":
    main()
