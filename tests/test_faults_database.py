"""A running site on its own PostgreSQL: identical comment submissions racing through
gunicorn make one comment; when PostgreSQL goes away readers get the styled 503, /healthz/
says so, and the same processes serve normally again once the database is back.

Runs against a private cluster this test makes and stops itself (tests/throwaway_pg.py),
on every suite run, SQLite's included.
"""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tests.benchmarks.serve import ROOT, gunicorn  # noqa: E402
from tests.throwaway_pg import ThrowawayCluster  # noqa: E402


def fetch(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def wait_for(url: str, status: int, seconds: float) -> tuple[int, str, dict]:
    deadline = time.monotonic() + seconds
    while True:
        result = fetch(url)
        if result[0] == status or time.monotonic() > deadline:
            return result
        time.sleep(0.25)


ARTICLE = """
from django.utils import timezone
from articles.models import Article
Article.objects.create(title="Typhoon", slug="typhoon", status="published",
                       published_at=timezone.now(), comments_open=True)
"""


def post_comment(base: str, form: dict) -> tuple[int, str]:
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(
        base + "/articles/typhoon/comments/", data=data, headers={"Sec-Fetch-Site": "same-origin"}
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=15) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def assert_racing_double_submits_make_one_comment(base: str, cluster) -> None:
    """Eight identical posts at once (a frantic double click) through both workers."""
    import psycopg

    issued = json.loads(fetch(base + "/comments/token/")[1])["issued"]
    form = {"name": "Mariko", "email": "m@example.com", "website": "", "parent": "",
            "address": "", "issued": issued, "body": "Racing myself to the database."}  # fmt: skip
    barrier, results = threading.Barrier(8), []

    def submit():
        barrier.wait()
        results.append(post_comment(base, form))

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM articles_comment")]
    assert len(ids) == 1
    # Every click lands on the one comment (the signed ?held= link may differ by a second).
    assert len(results) == 8
    for status, location in results:
        assert status == 302
        assert location.startswith("/articles/typhoon/?held=")
        assert location.endswith(f"#comment-{ids[0]}")


def recovered(base: str, within: float) -> bool:
    deadline, in_a_row = time.monotonic() + within, 0
    while in_a_row < 10 and time.monotonic() < deadline:
        ok = fetch(base + "/")[0] == 200 and fetch(base + "/healthz/")[0] == 200
        in_a_row = in_a_row + 1 if ok else 0
        time.sleep(0 if ok else 0.25)
    return in_a_row >= 10


@pytest.fixture
def cluster():
    cluster = ThrowawayCluster()
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.remove()


def test_double_submits_make_one_comment_and_an_outage_gives_a_503_then_recovers_by_itself(
    cluster, tmp_path
):
    env = {
        "DATABASE_URL": cluster.url,
        "DJANGO_SETTINGS_MODULE": "tests.fault_settings",
        "SECRET_KEY": "fault-test-" + "k" * 40,
        "DEBUG": "0",
        "VAR_DIR": str(tmp_path),
        "DB_POOL_TIMEOUT": "2",
        "LOG_LEVEL": "WARNING",
        "COMMENTS_MIN_SECONDS": "0",
        "COMMENTS_RATE_PER_MINUTE": "100",  # the race's eight posts all come from 127.0.0.1
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env={**os.environ, **env}, check=True, timeout=120,
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", ARTICLE],
        cwd=ROOT, env={**os.environ, **env}, check=True, timeout=60,
    )  # fmt: skip
    log = (tmp_path / "gunicorn.log").open("w")
    with gunicorn("newsroom.wsgi", env, workers=2, log=log) as (base, process):
        status, body, _ = fetch(base + "/")
        assert status == 200, body[:500]
        status, body, _ = fetch(base + "/healthz/")
        assert (status, json.loads(body)) == (
            200,
            {"status": "ok", "database": "ok", "cache": "ok"},
        )
        assert_racing_double_submits_make_one_comment(base, cluster)

        cluster.stop()
        status, body, headers = wait_for(base + "/", 503, 10)
        assert status == 503, body[:500]
        assert "We’ll be back in a moment" in body
        assert 'class="site-header"' in body and "Traceback" not in body
        assert headers["Retry-After"] == "30"
        status, body, _ = fetch(base + "/healthz/")
        assert status == 503 and json.loads(body)["database"] == "down"
        # No page that needs the database gives a traceback while it is away.
        for path in ["/search/?q=typhoon", "/feed/", "/corrections/", "/sitemap.xml"]:
            assert fetch(base + path)[0] == 503, path

        cluster.start()
        # Every worker and pooled connection healthy again: ten good answers in a row.
        assert recovered(base, within=20), (tmp_path / "gunicorn.log").read_text()[-2000:]
        assert process.poll() is None  # the same gunicorn: no restart
    log.close()
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
