"""/healthz/: database and cache, 200 when both answer, 503 when either does not."""

import pytest
from django.test import override_settings

from newsroom import middleware


def test_healthz_reports_database_and_cache_ok_in_one_cheap_query(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "newsroom.redis_cache.FailSoftRedisCache",  # as in production
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
        "OPTIONS": {"socket_connect_timeout": 0.5},
    }
}


def test_healthz_is_503_when_the_cache_is_unreachable(client, db):
    with override_settings(CACHES=UNREACHABLE_CACHE):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "ok", "cache": "down"}


def test_healthz_is_503_just_after_the_database_was_seen_down(client, db, monkeypatch):
    """Within a moment of an outage, healthz says so without waiting on the database again."""
    monkeypatch.setattr(middleware, "_outage", {"until": 0.0})
    middleware.outage_record()
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    page = client.get("/")
    assert page.status_code == 503
    assert "We’ll be back in a moment" in page.content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_answers_get_only(client, db, method):
    assert getattr(client, method)("/healthz/").status_code == 405
