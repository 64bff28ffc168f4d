"""A real streaming replica (pg_basebackup of a throwaway primary, both on loopback) behind
gunicorn with DATABASE_REPLICA_URLS: anonymous pages read from the replica, writes and the
admin use the primary, a commenter sees their own comment at once, a replica lagging past
DATABASE_REPLICA_MAX_LAG is skipped, and pages keep working when the replica stops.

The replica is made visibly behind by pausing its replay (pg_wal_replay_pause()): what a
page shows then says which server it was read from.
"""

import json
import os
import time

import pytest

from newsroom.replicas import LAG_SQL
from tests.benchmarks.serve import gunicorn
from tests.cluster import ReplicatedCluster, Visitor, run_manage

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="streaming replicas and workers on several machines need PostgreSQL (not SQLite)",
)

PASSWORD = "correct horse battery staple 19"
MAX_LAG = 8  # seconds: room for the readers' steps below on a busy machine
SETUP = f"""
from django.contrib.auth.models import User
from django.utils import timezone
from articles.models import Article
Article.objects.create(title="Typhoon Mawar nears Okinawa", slug="typhoon", status="published",
                       published_at=timezone.now(), comments_open=True)
User.objects.create_superuser("chief", "chief@example.com", "{PASSWORD}")
"""


@pytest.fixture(scope="module")
def cluster():
    cluster = ReplicatedCluster()
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def site(cluster, tmp_path_factory):
    var = tmp_path_factory.mktemp("replica-site")
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.fault_settings",
        "DATABASE_URL": cluster.url,
        "SECRET_KEY": "replica-test-" + "k" * 40,
        "DEBUG": "0",
        "VAR_DIR": str(var),
        "LOG_LEVEL": "WARNING",
        "PAGE_CACHE": "0",  # every page read from a database, to see which
        "COMMENTS_MODERATION": "none",
        "COMMENTS_MIN_SECONDS": "0",
    }
    run_manage(env, "migrate", "--noinput", "-v0")
    run_manage(env, "shell", "-c", SETUP)
    env |= {
        "REDIS_URL": "",
        "DATABASE_REPLICA_URLS": cluster.replica_url,
        "DATABASE_REPLICA_MAX_LAG": str(MAX_LAG),
        "DATABASE_REPLICA_CHECK_SECONDS": "0.2",
        "DATABASE_REPLICA_RETRY_SECONDS": "30",
    }
    with (
        (var / "gunicorn.log").open("w") as log,
        gunicorn("newsroom.wsgi", env, workers=2, log=log) as (base, _),
    ):
        yield base
    assert "Traceback" not in (var / "gunicorn.log").read_text()


def title_on(visitor: Visitor, base: str) -> str:
    status, _, text = visitor.get(base + "/articles/typhoon/")
    assert status == 200, text[:500]
    return "makes landfall" if "makes landfall" in text else "nears"


def test_readers_use_the_replica_writers_and_the_admin_the_primary_and_a_laggard_is_skipped(
    cluster, site
):
    cluster.sql("SELECT txid_current()")  # a fresh commit for the replica's replay clock
    cluster.wait_replayed()
    cluster.sql("SELECT pg_wal_replay_pause()", replica=True)
    paused = time.monotonic()
    cluster.sql(
        "UPDATE articles_article SET title = 'Typhoon Mawar makes landfall' WHERE slug = 'typhoon'"
    )

    # Anonymous readers get the replica's page: the edit is not replayed there yet.
    reader = Visitor()
    assert title_on(reader, site) == "nears"

    # A comment is written to the primary, and its writer reads from the primary after it.
    commenter = Visitor()
    issued = json.loads(commenter.get(site + "/comments/token/")[2])["issued"]
    form = {"name": "Mariko", "email": "m@example.com", "website": "", "parent": "",
            "address": "", "issued": issued, "body": "Stay safe everyone in Naha."}  # fmt: skip
    status, headers, _ = commenter.post(site + "/articles/typhoon/comments/", form)
    assert status == 302
    status, _, text = commenter.get(site + headers["Location"].split("#")[0])
    assert "Stay safe everyone in Naha." in text and "makes landfall" in text
    assert cluster.sql("SELECT count(*) FROM articles_comment")[0][0] == 1
    status, _, text = reader.get(site + "/articles/typhoon/")
    assert "Stay safe everyone" not in text and "makes landfall" not in text  # still the replica

    # The admin reads from the primary (the paused replica has not the new title, whenever).
    editor = Visitor()
    assert editor.login(site, "chief", PASSWORD)[0] == 302
    status, _, text = editor.get(site + "/admin/articles/article/")
    assert status == 200 and "Typhoon Mawar makes landfall" in text

    # Past DATABASE_REPLICA_MAX_LAG behind, the replica is skipped: readers get the primary.
    while title_on(reader, site) == "nears":
        assert time.monotonic() - paused < MAX_LAG + 5, "the lagging replica was never skipped"
        time.sleep(0.2)
    (lag,) = cluster.sql(LAG_SQL, replica=True)[0]
    assert lag >= MAX_LAG - 0.5  # not skipped before it lagged that much
    health = json.loads(Visitor().get(site + "/healthz/")[2])
    assert health["status"] == "ok" and health["replicas"]["replica_1"].startswith("skipped")

    # Replaying again, then stopped: pages keep working, from the primary.
    cluster.sql("SELECT pg_wal_replay_resume()", replica=True)
    cluster.wait_replayed()
    cluster.stop_replica()
    for _ in range(10):
        status, _, text = Visitor().get(site + "/articles/typhoon/")
        assert status == 200 and "makes landfall" in text and "Stay safe everyone" in text
    status, _, text = Visitor().get(site + "/healthz/")
    assert status == 200 and json.loads(text)["replicas"]["replica_1"] == "skipped, down"


ENQUEUE = """
from articles.renditions import refresh_renditions
for n in range(40):
    refresh_renditions.enqueue("articles.article", 10_000_000 + n)
"""


def test_task_workers_on_several_machines_run_each_task_once(cluster, site):
    """django-tasks-db's db_worker claims a task with SELECT ... FOR UPDATE SKIP LOCKED in the
    transaction that marks it running: three workers on one queue never share a task."""
    import subprocess
    import sys

    from tests.benchmarks.serve import ROOT

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.fault_settings",
        "DATABASE_URL": cluster.url,
        "SECRET_KEY": "replica-test-" + "k" * 40,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "database",
        "REDIS_URL": "",
    }
    run_manage(env, "shell", "-c", ENQUEUE)
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--interval",
                "0",
                "--worker-id",
                f"machine-{n}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for n in range(3)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors[-2000:]
    rows = cluster.sql(
        "SELECT status, worker_ids::text FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE '%refresh_renditions'"
    )
    assert len(rows) == 40
    assert {status for status, _ in rows} == {"SUCCESSFUL"}
    assert all(len(json.loads(ids)) == 1 for _, ids in rows)  # each ran on one machine only
