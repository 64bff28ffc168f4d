"""`make bench`: build a data set, serve it with gunicorn as production would, measure with wrk.

    python tests/benchmarks/bench.py [--articles 1000] [--comments 20] [--large] [--duration 10]

PostgreSQL when DATABASE_URL is set (`make bench` finds one), SQLite otherwise. The data set lives
in its own database (`newsroom_bench`) and a temporary folder; everything started is stopped.
Loopback only, bounded in time: one wrk run per page of --duration seconds, each after a
2-second run that is not counted (workers compile templates, open connections and fill their
caches once; a restarted worker pays that once, a busy hour does not), cold (page cache
off) then warm (page cache on, local memory), then search for one client, then the memory
check (20,000 requests over ~300 pages with the cache on: each rendered once, search every
time), then warm again with Redis as the cache (production's setting: $BENCH_REDIS_URL, else
an empty database of the Redis on 127.0.0.1:6379, else a redis-server of its own on a free
port; flushed before and after) and, behind that gunicorn, the Varnish row (varnish_row.py:
skipped without varnishd and nginx), then the fixed-bytes app, then the floors under the
uncached article page (floor_app.py: its queries alone, through the ORM and as raw SQL), then
where a hit's time goes (hit_profile.py, in-process), and last the churn and attack runs
(churn.py; alone with --churn-only).
"""

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.serve import ROOT, gunicorn  # noqa: E402

CLIENTS, WORKERS = 16, 4
WARM_UP = 2  # seconds of requests before each measured run
MEMORY_REQUESTS = 20_000
# Words of the demo articles, from nearly every article to a few percent of them: the ranked
# pool is full for most, so every one costs what a broad query costs.
SEARCHES = ["missile launch", "tokyo", "sanctions", "scientists", '"wake-up call"']


def bench_database_url(url: str) -> str:
    """The same server as `url`, database $BENCH_DB (newsroom_bench), dropped and made anew."""
    import psycopg

    name = os.environ.get("BENCH_DB", "newsroom_bench")
    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


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
    # The issue's comparison: an article page with 25 comments (else the most commented).
    commented = live.annotate(
        n=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED))
    )
    article = commented.filter(n__gte=25).order_by("n").first() or commented.order_by("-n").first()
    tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
    deep = min(1000, max(1, -(-live.count() // 20)))  # page 1,000, or the last
    return {
        "front": "/",
        "article": article.get_absolute_url(),
        "tag": f"/tags/{tag.slug}/",
        "page 2": "/?page=2",
        "deep page": f"/?page={deep}",
        "search": "/search/?q=missile+launch",
        "feed": "/feed/",
    }


def rotation(pages: dict[str, str]) -> list[str]:
    """Many different pages, for the memory check: articles, sections, tags, authors."""
    from taggit.models import Tag

    from articles.models import Article, Author, Section

    urls = list(pages.values())
    urls += [a.get_absolute_url() for a in Article.objects.published().order_by("?")[:200]]
    urls += [s.get_absolute_url() for s in Section.objects.all()]
    urls += [a.get_absolute_url() for a in Author.objects.all()[:50]]
    urls += [f"/tags/{t.slug}/" for t in Tag.objects.all()[:50]]
    urls += [f"/search/?q={quote_plus(q)}" for q in SEARCHES]
    return urls


def measure_in_process(pages: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """(status, SQL queries, HTML bytes) per page, through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, results = Client(), {}
    for name, url in pages.items():
        client.get(url)  # warm imports, the connection, the cached menu and banner
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        results[name] = (response.status_code, len(queries), len(response.content))
    return results


def lua_rotation(path: Path, urls: list[str]) -> Path:
    """A wrk script that requests `urls` in turn."""
    listed = ", ".join(f'"{u}"' for u in urls)
    path.write_text(
        f"local paths = {{{listed}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
    )
    return path


def measure(url: str, duration: int, **options) -> dict:
    wrk(url, WARM_UP, **options)
    return wrk(url, duration, **options)


def wrk(url: str, duration: int, *, clients: int = CLIENTS, script: Path | None = None) -> dict:
    command = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{duration}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def ms(value, unit):
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]

    def latency(pct):
        return ms(*re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)", out, re.M).groups())

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    peak = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "max": ms(*peak.groups()),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(map(int, sockets.groups())) if sockets else 0),
    }


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), from /proc."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def memory_check(base: str, master_pid: int, script: Path) -> dict:
    """Worker RSS after half of MEMORY_REQUESTS and after all of them (time-bounded)."""
    done, halfway, deadline = 0, None, time.monotonic() + 300
    while done < MEMORY_REQUESTS and time.monotonic() < deadline:
        done += wrk(base + "/", 5, script=script)["requests"]
        if halfway is None and done >= MEMORY_REQUESTS // 2:
            halfway = worker_rss_mb(master_pid)
    return {"requests": done, "halfway": halfway or [], "end": worker_rss_mb(master_pid)}


@contextlib.contextmanager
def bench_redis(workdir: Path):
    """Yield the URL of an empty Redis database for the runs (None without one), and make it
    the one churn.py and hit_profile.py use ($BENCH_REDIS_URL). Without a Redis answering,
    start a redis-server of our own on a free loopback port, stopped afterwards."""
    from tests.benchmarks.churn import bench_redis_url
    from tests.benchmarks.serve import free_port

    url, server = bench_redis_url(), None
    if not url and shutil.which("redis-server"):
        port = free_port()
        server = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
             "--appendonly", "no", "--dir", str(workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        candidate = f"redis://127.0.0.1:{port}/0"
        for _ in range(50):
            os.environ["BENCH_REDIS_URL"] = candidate
            if url := bench_redis_url():
                break
            time.sleep(0.1)
        else:
            os.environ.pop("BENCH_REDIS_URL")
    if url:
        os.environ["BENCH_REDIS_URL"] = url
    try:
        yield url
    finally:
        if server:
            server.terminate()
            server.wait(timeout=15)


def flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=20, help="comments per article")
    parser.add_argument("--large", action="store_true", help="100,000 articles, 1,000,000 comments")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory check")
    parser.add_argument("--churn-only", action="store_true", help="only the churn and attack runs")
    parser.add_argument("--churn-seconds", type=int, default=60, help="length of the churn run")
    parser.add_argument("--no-churn", action="store_true", help="skip the churn and attack runs")
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
        "REQUEST_LOG_LEVEL": "WARNING",  # a line per request would flood the terminal
        "REDIS_URL": "",  # local memory, but for the rows that say Redis
    }
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = bench_database_url(os.environ["DATABASE_URL"])
    stack = contextlib.ExitStack()
    try:
        redis_url = stack.enter_context(bench_redis(workdir))
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
        if "DATABASE_URL" in env:  # as autovacuum would, soon after a bulk load
            import psycopg

            with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        print(f"data set ready in {time.monotonic() - started:.0f} s", flush=True)

        os.environ.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
        import django

        django.setup()
        from tests.benchmarks import churn

        if opts.churn_only:  # the runs below only read: the churn runs, which write, come last
            print(churn.run(env, workdir, churn_seconds=opts.churn_seconds))
            return
        pages = pick_pages()
        from django.test import override_settings

        with override_settings(PAGE_CACHE_ENABLED=False):
            in_process = measure_in_process(pages)
        with override_settings(PAGE_CACHE_ENABLED=True):
            cached = measure_in_process(pages)
        load_before = Path("/proc/loadavg").read_text().split()[0]

        urls = rotation(pages)
        script = lua_rotation(workdir / "rotation.lua", urls)
        searches = lua_rotation(
            workdir / "search.lua", [f"/search/?q={quote_plus(q)}" for q in SEARCHES]
        )
        cold, warm, warm_redis, varnish = [], [], [], None
        with gunicorn("newsroom.wsgi", {**env, "PAGE_CACHE": "0"}, workers=WORKERS) as (base, proc):
            for name, url in pages.items():
                cold.append((name, url, measure(base + url, opts.duration)))
            search_one = measure(base + "/", opts.duration, clients=1, script=searches)
            search_many = measure(base + "/", opts.duration, script=searches)
        with gunicorn("newsroom.wsgi", {**env, "PAGE_CACHE": "1"}, workers=WORKERS) as (base, proc):
            for name, url in pages.items():
                warm.append((name, url, measure(base + url, opts.duration)))
            memory = memory_check(base, proc.pid, script) if not opts.no_memory else None
            if not redis_url:
                varnish = varnish_row(base, pages["article"], opts.duration)
        if redis_url:
            redis_env = {**env, "PAGE_CACHE": "1", "REDIS_URL": redis_url}
            try:
                with gunicorn("newsroom.wsgi", redis_env, workers=WORKERS) as (base, _):
                    for name, url in pages.items():
                        if name != "search":  # never stored: the row above says it all
                            warm_redis.append((name, url, measure(base + url, opts.duration)))
                    varnish = varnish_row(base, pages["article"], opts.duration)
            finally:
                flush(redis_url)
        body = workdir / "article.html"
        from django.test import Client

        body.write_bytes(Client().get(pages["article"]).content)
        with gunicorn("tests.benchmarks.fixed_app", {**env, "FIXED_BODY_FILE": str(body)}) as (
            base,
            _,
        ):
            ceiling = measure(base + "/", opts.duration)
        slug = pages["article"].strip("/").split("/")[-1]
        floor_env = {**env, "PAGE_CACHE": "0", "FIXED_BODY_FILE": str(body), "FLOOR_SLUG": slug}
        with gunicorn("tests.benchmarks.floor_app", floor_env, workers=WORKERS) as (base, _):
            floors = {kind: measure(f"{base}/{kind}/", opts.duration) for kind in ("orm", "sql")}
        profiled = subprocess.run(
            [sys.executable, str(ROOT / "tests/benchmarks/hit_profile.py")],
            env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        churned = "" if opts.no_churn else churn.run(env, workdir, churn_seconds=opts.churn_seconds)
    finally:
        stack.close()
        shutil.rmtree(workdir, ignore_errors=True)

    engine = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
    print(f"\n{opts.articles:,} articles, {opts.articles * opts.comments:,} comments, {engine}, "
          f"{WORKERS} gunicorn sync workers, {CLIENTS} clients, {opts.duration} s per run, "
          f"{os.cpu_count()} cores, load before: {load_before}")  # fmt: skip
    print(f"{'page':<10} {'cache':<5} {'req/s':>8} {'% fixed':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'errors':>7} {'status':>6} {'queries':>7} {'bytes':>7}  url")  # fmt: skip
    for label, rows in (("off", cold), ("local", warm), ("redis", warm_redis)):
        for name, url, r in rows:
            status, queries, size = (in_process if label == "off" else cached)[name]
            print(f"{name:<10} {label:<5} {r['rps']:>8.0f} {100 * r['rps'] / ceiling['rps']:>7.1f}% "
                  f"{r['p50']:>8.1f} {r['p99']:>8.1f} {r['errors']:>7} {status:>6} {queries:>7} "
                  f"{size:>7}  {url}")  # fmt: skip
    print(f"{'fixed':<10} {'':<5} {ceiling['rps']:>8.0f} {100.0:>7.1f}% {ceiling['p50']:>8.1f} "
          f"{ceiling['p99']:>8.1f} {ceiling['errors']:>7}  (saved article page, same gunicorn)")  # fmt: skip
    for kind, what in (("orm", "through the ORM"), ("sql", "as raw SQL, no ORM")):
        r = floors[kind]
        print(f"{'floor ' + kind:<10} {'off':<5} {r['rps']:>8.0f} {100 * r['rps'] / ceiling['rps']:>7.1f}% "
              f"{r['p50']:>8.1f} {r['p99']:>8.1f} {r['errors']:>7}  (the article page's queries "
              f"alone, {what}: no middleware, no template)")  # fmt: skip
    print(against_targets(warm, warm_redis, ceiling))
    if not redis_url:
        print("redis rows skipped: no Redis on 127.0.0.1:6379 or $BENCH_REDIS_URL, and no "
              "redis-server to start (`make bench` installs it)")  # fmt: skip
    print(varnish)
    print(f"\nsearch, 1 client, {len(SEARCHES)} queries in turn: p50 {search_one['p50']:.1f} ms, "
          f"p99 {search_one['p99']:.1f} ms, max {search_one['max']:.1f} ms; "
          f"{CLIENTS} clients: p99 {search_many['p99']:.1f} ms, max {search_many['max']:.1f} ms, "
          f"{search_many['errors']} errors")  # fmt: skip
    if memory:
        growth = [b - a for a, b in zip(memory["halfway"], memory["end"], strict=False)]
        print(f"memory, {memory['requests']:,} requests over {len(urls)} pages (cache on): "
              f"worker RSS {', '.join(f'{m:.0f}' for m in memory['end'])} MB; growth over the "
              f"second half {', '.join(f'{g:+.1f}' for g in growth)} MB")  # fmt: skip
    print(
        profiled.stdout if profiled.returncode == 0 else f"\nhit profile failed:\n{profiled.stderr}"
    )
    print(churned)


def varnish_row(base: str, path: str, duration: int) -> str:
    """The Varnish row's table, or the line saying why it was skipped."""
    missing = [
        name
        for name in ("varnishd", "nginx")
        if not shutil.which(name) and not shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    ]
    if missing:
        return (
            f"\nVarnish row skipped: {' and '.join(missing)} missing (`make bench` installs "
            "them as root: nginx, varnish, varnish-modules)"
        )
    from tests.benchmarks import varnish_row

    try:
        rows = varnish_row.run(base, path, duration)
    except (AssertionError, OSError, RuntimeError, subprocess.CalledProcessError) as error:
        return f"\nVarnish row failed: {error}"
    return f"\n{path} through Varnish, against nginx sending the same bytes:\n" + (
        varnish_row.table(rows)
    )


def against_targets(warm: list, warm_redis: list, ceiling: dict) -> str:
    """The issue's targets for cached pages, read off the rows: % of the fixed-bytes app."""
    parts = []
    for label, rows, target in (("local memory", warm, 60), ("Redis", warm_redis, 50)):
        shares = {name: 100 * r["rps"] / ceiling["rps"] for name, _, r in rows if name != "search"}
        if shares:
            parts.append(
                f"{label} {min(shares.values()):.0f}–{max(shares.values()):.0f}% "
                f"(article {shares['article']:.0f}%; target {target}%)"
            )
    return "cached pages against the fixed-bytes app: " + ", ".join(parts)


if __name__ == "__main__":
    main()
