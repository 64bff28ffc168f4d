"""What an uncached article page costs to render, in process: cold, and after one new comment.

    DATABASE_URL=postgres://... python tests/benchmarks/render_bench.py [--articles 200] [--renders 30]

The page cache is off throughout (every request renders); the fragment cache
(articles/fragments.py) is on, in the configured cache (Redis when REDIS_URL is set, local
memory otherwise). Rows, each the median of --renders requests through the test client:
- cold: the cache emptied before each request (no fragments, no memos);
- new comment: one approved comment added before each request, fragments kept (the issue's
  "re-rendering an article page with 25 comments after one new comment");
- unchanged: the same page again, nothing changed;
- new comment, form: as "new comment", with the article's comments open (the page then shows
  the comment form; the article measured is older than COMMENTS_CLOSE_AFTER_DAYS, so the
  rows above show none), as on an article that readers are commenting on.
CPU ms is this process's own time (Python, templates, the ORM), which a busy machine or
database server inflates less than the wall-clock time.
The data set lives in its own database ($BENCH_DB, newsroom_render_bench), made anew.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench import bench_database_url, manage  # noqa: E402

COMMENTS = 25


def measure(client, url, before, renders):
    """(median ms, median CPU ms of this process, queries of the last request) over `renders` requests, `before()` each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu = [], []
    for _ in range(renders):
        before()
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), statistics.median(cpu), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep the data set of a past run")
    opts = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="newsroom-render-bench-")
    env = {"SECRET_KEY": "benchmark-only", "DEBUG": "0", "VAR_DIR": workdir, "PAGE_CACHE": "0"}
    env.update(ALLOWED_HOSTS="testserver", LOG_LEVEL="WARNING", REQUEST_LOG_LEVEL="WARNING")
    if os.environ.get("DATABASE_URL"):
        name = os.environ.setdefault("BENCH_DB", "newsroom_render_bench")
        url = os.environ["DATABASE_URL"]
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{name}"
        if not opts.reuse:
            env["DATABASE_URL"] = bench_database_url(url)
    if not opts.reuse:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "demo", "--articles", str(opts.articles), "--comments-per-article", "0")
    manage(env, "collectstatic", "--noinput", "-v0")  # into the temporary VAR_DIR
    os.environ.update(env, DJANGO_SETTINGS_MODULE="newsroom.settings")
    import django

    django.setup()
    from django.core.cache import caches
    from django.db.models import Count
    from django.test import Client, override_settings

    from articles.models import Article, Comment

    # The most related article (tags, authors): the page with the most fragments to keep.
    article = Article.objects.published().annotate(n=Count("tags")).order_by("-n", "-pk").first()
    article.comments.all().delete()  # a past run's (--reuse)
    for n in range(COMMENTS):
        Comment.objects.create(
            article=article, name=f"Reader {n}", body=f"Comment {n}: see https://example.com/{n}",
            status=Comment.Status.APPROVED,
        )  # fmt: skip
    url, client = article.get_absolute_url(), Client()
    for _ in range(5):  # imports, templates, the connection
        client.get(url)

    def new_comment():
        article.comments.filter(name="Late reader").delete()  # so that there are 26, not 55
        Comment.objects.create(
            article=article, name="Late reader", body="One more thought.",
            status=Comment.Status.APPROVED,
        )  # fmt: skip

    rows = {
        "cold": measure(client, url, lambda: [c.clear() for c in caches.all()], opts.renders),
        "new comment": measure(client, url, new_comment, opts.renders),
        "unchanged": measure(client, url, lambda: None, opts.renders),
    }
    with override_settings(COMMENTS_CLOSE_AFTER_DAYS=0):
        client.get(url)  # the comments, now with their Reply links, and the form
        rows["new comment, form"] = measure(client, url, new_comment, opts.renders)
    engine = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
    backend = "Redis" if os.environ.get("REDIS_URL") else "local memory"
    print(f"\narticle page {url}, {COMMENTS}+ comments, {engine}, cache on {backend}, "
          f"page cache off, median of {opts.renders}")  # fmt: skip
    print(f"{'render':<18} {'ms':>7} {'CPU ms':>7} {'queries':>8}")
    for name, (ms, cpu, queries) in rows.items():
        print(f"{name:<18} {ms:>7.1f} {cpu:>7.1f} {queries:>8}")


if __name__ == "__main__":
    main()
