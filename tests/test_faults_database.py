"""PostgreSQL goes away under a running gunicorn: readers get the styled 503, /healthz/ says
so, and the same processes serve normally again once the database is back.

Runs against a private cluster this test makes and stops itself (tests/throwaway_pg.py),
on every suite run, SQLite's included.
"""

import json
import sys
import time
import urllib.error
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


def test_readers_get_a_styled_503_while_postgres_is_down_and_the_site_recovers_by_itself(
    cluster, tmp_path
):
    import subprocess

    env = {
        "DATABASE_URL": cluster.url,
        "DJANGO_SETTINGS_MODULE": "tests.fault_settings",
        "SECRET_KEY": "fault-test-" + "k" * 40,
        "DEBUG": "0",
        "VAR_DIR": str(tmp_path),
        "DB_POOL_TIMEOUT": "2",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env={**__import__("os").environ, **env}, check=True, timeout=120,
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
