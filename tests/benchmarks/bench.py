"""`make bench`: build a data set, serve it with gunicorn as production would, measure with wrk.

    python tests/benchmarks/bench.py [--articles 1000] [--comments 20] [--large] [--duration 10]

PostgreSQL when DATABASE_URL is set (`make bench` finds one), SQLite otherwise. The data set lives
in its own database (`newsroom_bench`) and a temporary folder; everything started is stopped.
Loopback only, bounded in time: one wrk run per page of --duration seconds.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.serve import ROOT, gunicorn  # noqa: E402

CLIENTS, WORKERS = 16, 4


def bench_database_url(url: str) -> str:
    """The same server as `url`, database newsroom_bench, dropped and made anew."""
    import psycopg

    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS newsroom_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE newsroom_bench")
    return urlunsplit(parts._replace(path="/newsroom_bench"))


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, check=True
    )


def pick_pages() -> dict[str, str]:
    """One URL per kind of page, chosen from the data set."""
    from django.db.models import Count, Q
    from taggit.models import Tag

    from articles.models import Article, Comment

    live = Article.objects.published()
    article = (
        live.annotate(n=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED)))
        .filter(n__gte=20)
        .order_by("n")
        .first()
    ) or live.first()
    tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
    last_page = max(1, -(-live.count() // 20))
    return {
        "front": "/",
        "article": article.get_absolute_url(),
        "tag": f"/tags/{tag.slug}/",
        "deep page": f"/?page={last_page}",
        "search": "/search/?q=missile+launch",
        "feed": "/feed/",
    }


def measure_in_process(pages: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """(status, SQL queries, HTML bytes) per page, through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, results = Client(), {}
    for name, url in pages.items():
        client.get(url)  # warm imports and connection
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        results[name] = (response.status_code, len(queries), len(response.content))
    return results


def wrk(url: str, duration: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CLIENTS}", f"-d{duration}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def latency(pct):
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(map(int, sockets.groups())) if sockets else 0),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=20, help="comments per article")
    parser.add_argument("--large", action="store_true", help="100,000 articles, 1,000,000 comments")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    opts = parser.parse_args()
    if opts.large:
        opts.articles, opts.comments = 100_000, 10
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench` installs it (apt-get install wrk).")

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    env = {
        "SECRET_KEY": "benchmark-only",
        "DEBUG": "0",
        "VAR_DIR": str(workdir),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
    }
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = bench_database_url(os.environ["DATABASE_URL"])
    try:
        started = time.monotonic()
        manage(env, "migrate", "--noinput", "-v0")
        manage(
            env,
            "demo",
            "--articles",
            str(opts.articles),
            "--comments-per-article",
            str(opts.comments),
        )
        manage(env, "collectstatic", "--noinput", "-v0")
        print(f"data set ready in {time.monotonic() - started:.0f} s", flush=True)

        os.environ.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
        import django

        django.setup()
        pages = pick_pages()
        in_process = measure_in_process(pages)

        rows = []
        with gunicorn("newsroom.wsgi", env, workers=WORKERS) as (base, _):
            for name, url in pages.items():
                rows.append((name, url, wrk(base + url, opts.duration)))
        body = workdir / "article.html"
        from django.test import Client

        body.write_bytes(Client().get(pages["article"]).content)
        with gunicorn("tests.benchmarks.fixed_app", {**env, "FIXED_BODY_FILE": str(body)}) as (
            base,
            _,
        ):
            ceiling = wrk(base + "/", opts.duration)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    engine = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
    print(f"\n{opts.articles:,} articles, {opts.articles * opts.comments:,} comments, {engine}, "
          f"{WORKERS} gunicorn sync workers, {CLIENTS} clients, {opts.duration} s per page, "
          f"{os.cpu_count()} cores")  # fmt: skip
    print(f"{'page':<10} {'req/s':>8} {'% fixed':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
          f"{'status':>6} {'queries':>7} {'bytes':>7}  url")  # fmt: skip
    for name, url, r in rows:
        status, queries, size = in_process[name]
        print(f"{name:<10} {r['rps']:>8.0f} {100 * r['rps'] / ceiling['rps']:>7.1f}% {r['p50']:>8.1f} "
              f"{r['p99']:>8.1f} {r['errors']:>7} {status:>6} {queries:>7} {size:>7}  {url}")  # fmt: skip
    print(f"{'fixed':<10} {ceiling['rps']:>8.0f} {100.0:>7.1f}% {ceiling['p50']:>8.1f} "
          f"{ceiling['p99']:>8.1f} {ceiling['errors']:>7}  (saved article page, same gunicorn)")  # fmt: skip


if __name__ == "__main__":
    main()
