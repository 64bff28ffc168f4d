"""Settings come from the environment; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "POOL": db.get("OPTIONS", {}).get("pool"),
    "CONN_MAX_AGE": db.get("CONN_MAX_AGE"),
    "CONN_HEALTH_CHECKS": db.get("CONN_HEALTH_CHECKS"),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "TASKS": settings.TASKS["default"]["BACKEND"],
    "TIME_ZONE": settings.TIME_ZONE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "STATIC": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""
ROOT = Path(__file__).resolve().parent.parent


def load_settings(tmp_path, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="newsroom.settings", VAR_DIR=str(tmp_path), **env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    if result.returncode:
        return {"error": result.stderr}
    return json.loads(result.stdout)


def test_production_defaults_are_safe(tmp_path):
    conf = load_settings(tmp_path, SECRET_KEY="k" * 50)
    assert conf["DEBUG"] is False
    assert conf["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    assert conf["STATIC"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert conf["TIME_ZONE"] == "UTC"


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    conf = load_settings(tmp_path)
    assert "SECRET_KEY must be set when DEBUG is off" in conf["error"]


def test_local_runs_keep_a_generated_secret_key(tmp_path):
    first = load_settings(tmp_path, DEBUG="1")
    second = load_settings(tmp_path, DEBUG="true")
    assert len(first["SECRET_KEY"]) >= 50
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert (tmp_path / "secret_key").read_text() == first["SECRET_KEY"]


def test_sqlite_is_the_default_database(tmp_path):
    conf = load_settings(tmp_path, SECRET_KEY="k")
    assert conf["ENGINE"] == "django.db.backends.sqlite3"
    assert conf["NAME"] == str(tmp_path / "db.sqlite3")


def test_database_url_selects_postgres_with_a_pool(tmp_path):
    conf = load_settings(
        tmp_path, SECRET_KEY="k", DATABASE_URL="postgres://u:p@db.example:5433/news"
    )
    assert conf["ENGINE"] == "django.db.backends.postgresql"
    assert conf["NAME"] == "news"
    assert conf["POOL"]["max_size"] == 8
    assert conf["CONN_MAX_AGE"] == 0
    assert conf["CONN_HEALTH_CHECKS"] is True


def test_redis_url_selects_the_redis_cache(tmp_path):
    assert load_settings(tmp_path, SECRET_KEY="k")["CACHE"].endswith("LocMemCache")
    conf = load_settings(tmp_path, SECRET_KEY="k", REDIS_URL="redis://127.0.0.1:6379/1")
    assert conf["CACHE"] == "newsroom.redis_cache.FailSoftRedisCache"


@pytest.mark.parametrize(
    ("value", "backend"),
    [
        ("", "django.tasks.backends.immediate.ImmediateBackend"),
        ("database", "django_tasks_db.DatabaseBackend"),
    ],
)
def test_tasks_backend_is_chosen_by_environment(tmp_path, value, backend):
    assert load_settings(tmp_path, SECRET_KEY="k", TASKS_BACKEND=value)["TASKS"] == backend


def test_bad_values_fail_with_a_clear_message(tmp_path):
    assert "DEBUG must be a boolean" in load_settings(tmp_path, DEBUG="maybe")["error"]
    assert (
        "TASKS_BACKEND must be one of"
        in load_settings(tmp_path, SECRET_KEY="k", TASKS_BACKEND="celery")["error"]
    )


def test_time_zone_and_https_come_from_the_environment(tmp_path):
    conf = load_settings(tmp_path, SECRET_KEY="k", TIME_ZONE="Asia/Tokyo", SECURE_HTTPS="1")
    assert conf["TIME_ZONE"] == "Asia/Tokyo"
    assert conf["SECURE_SSL_REDIRECT"] is True


def test_pytest_runs_one_test_file_with_no_environment_set(tmp_path):
    """A newcomer's first `pytest tests/test_models.py`, with nothing exported."""
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env["VAR_DIR"] = str(tmp_path)
    pytest_bin = Path(sys.executable).with_name("pytest")
    result = subprocess.run(
        [
            str(pytest_bin),
            "tests/test_models.py",
            "-p",
            "no:randomly",
            "-q",
            "-x",
            "-k",
            "slug_is_derived_from_the_title",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
