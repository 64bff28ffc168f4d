"""Settings for several servers, by environment variables alone: object storage for media,
read replicas and the router, the load balancer's health check. (The real thing, servers and
replica running, is in test_cluster_servers.py and test_replica_reads.py.)"""

import os
import subprocess
import sys

import pytest
from django.test import override_settings

from newsroom import replicas
from newsroom.db_router import ReplicaRouter
from tests.benchmarks.serve import ROOT

SHOW = (
    "from django.conf import settings as s; import json; "
    "print(json.dumps([s.STORAGES['default'], s.SECURE_CSP['img-src'], s.MIDDLEWARE[0], "
    "sorted(s.DATABASES), s.DATABASE_ROUTERS], default=str))"
)


def settings_with(**env) -> subprocess.CompletedProcess:
    """The settings module as a server would load it with `env` (in a process of its own)."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {SHOW}"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings",
             "SECRET_KEY": "x" * 50, "DEBUG": "0", **env},
    )  # fmt: skip


def test_media_go_to_s3_compatible_storage_with_a_years_immutable_caching():
    import json

    result = settings_with(
        MEDIA_STORAGE_URL="s3://newsroom-media/site?endpoint_url=http://127.0.0.1:9000&region=eu-west-1"
    )
    assert result.returncode == 0, result.stderr
    storage, img_src, *_ = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["location"]) == ("newsroom-media", "site")
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["object_parameters"] == {"CacheControl": "public, max-age=31536000, immutable"}
    assert options["querystring_auth"] is False and options["file_overwrite"] is False
    assert "http://127.0.0.1:9000" in img_src  # the page's CSP lets its images load


def test_local_disk_stays_the_default_and_a_bad_storage_url_is_refused_clearly():
    import json

    result = settings_with(MEDIA_STORAGE_URL="", DATABASE_REPLICA_URLS="")
    storage, img_src, first_middleware, databases, routers = json.loads(result.stdout)
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert databases == ["default"] and routers == []
    assert first_middleware != "newsroom.replicas.ReplicaMiddleware"

    result = settings_with(MEDIA_STORAGE_URL="https://bucket.example/")
    assert result.returncode != 0
    assert "MEDIA_STORAGE_URL must look like s3://bucket" in result.stderr


def test_replica_urls_add_replicas_the_router_and_its_middleware_first():
    import json

    result = settings_with(
        DATABASE_URL="postgres://app@db1:5432/newsroom",
        DATABASE_REPLICA_URLS="postgres://app@db2:5432/newsroom, postgres://app@db3/newsroom",
    )
    assert result.returncode == 0, result.stderr
    _, _, first_middleware, databases, routers = json.loads(result.stdout)
    assert databases == ["default", "replica_1", "replica_2"]
    assert routers == ["newsroom.db_router.ReplicaRouter"]
    assert first_middleware == "newsroom.replicas.ReplicaMiddleware"

    result = settings_with(DATABASE_REPLICA_MAX_LAG="a while")
    assert result.returncode != 0 and "DATABASE_REPLICA_MAX_LAG must be a number" in result.stderr


@pytest.mark.parametrize(
    ("method", "path", "cookies", "replica"),
    [
        ("GET", "/articles/typhoon/", {}, True),
        ("HEAD", "/", {}, True),
        ("POST", "/articles/typhoon/comments/", {}, False),
        ("GET", "/admin/articles/article/", {}, False),
        ("GET", "/", {"sessionid": "abc"}, False),  # signed in: an author sees their edit
        ("GET", "/", {replicas.PIN_COOKIE: "9999999999"}, False),  # wrote a moment ago
        ("GET", "/", {replicas.PIN_COOKIE: "1"}, True),  # long ago
        ("GET", "/", {replicas.PIN_COOKIE: "soon"}, True),
    ],
)
def test_only_anonymous_reads_outside_the_admin_may_use_a_replica(
    rf, method, path, cookies, replica
):
    request = getattr(rf, method.lower())(path)
    request.COOKIES.update(cookies)
    assert replicas.may_read_from_replica(request) is replica


def test_the_router_writes_and_migrates_on_the_primary_and_reads_there_outside_requests():
    router = ReplicaRouter()
    assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None  # no request allowed a replica: the primary
    assert router.allow_migrate("default", "articles") is True
    assert router.allow_migrate("replica_1", "articles") is False


@pytest.mark.django_db
def test_a_post_pins_its_visitor_to_the_primary_for_a_while(client, settings):
    settings.MIDDLEWARE = ["newsroom.replicas.ReplicaMiddleware", *settings.MIDDLEWARE]
    settings.DATABASE_PRIMARY_PIN_SECONDS = 15
    response = client.post("/articles/nothing-here/comments/", {"body": "x"})
    cookie = response.cookies[replicas.PIN_COOKIE]
    assert cookie["max-age"] == 15 and cookie["httponly"]
    assert client.get("/").status_code == 200
    assert replicas.PIN_COOKIE not in client.get("/").cookies  # reads set nothing


UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "newsroom.redis_cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        "OPTIONS": {"socket_connect_timeout": 0.5},
    }
}


@pytest.mark.django_db
def test_the_load_balancer_check_stays_200_when_only_redis_is_down(client):
    with override_settings(CACHES=UNREACHABLE_CACHE):
        assert client.get("/healthz/").status_code == 503
        response = client.get("/healthz/lb/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_pages_read_from_a_replica_count_their_age_from_the_lag_it_may_have(settings):
    """A page or memo rendered from a replica may show rows up to the lag bound old: it is
    dated that much earlier, so a purge the replica has not replayed makes it stale at birth."""
    settings.DATABASE_REPLICA_MAX_LAG, settings.DATABASE_REPLICA_CHECK_SECONDS = 5, 2
    assert replicas.replica_allowance_ns() == 0  # on the primary: no allowance
    token = replicas._reads_allowed.set(True)
    try:
        assert replicas.replica_allowance_ns() == 7 * 10**9
    finally:
        replicas._reads_allowed.reset(token)


def test_the_varnish_director_of_docs_deploy_compiles_with_the_shipped_vcl(tmp_path):
    """docs/deploy.md's round-robin director over two app servers, put into
    deploy/varnish/newsroom.vcl as the doc says, is VCL that Varnish accepts."""
    import re

    from tests.varnish import VCL, compile_vcl

    doc = (ROOT / "docs" / "deploy.md").read_text()
    snippet = re.search(r"```vcl\n(.*?)```", doc, re.S).group(1)
    text = VCL.read_text()
    backend = re.search(r"backend app \{.*?\n\}\n", text, re.S).group(0)
    servers = "".join(
        backend.replace("backend app {", f"backend app{n} {{").replace("127.0.0.1", f"10.0.0.1{n}")
        for n in (1, 2)
    )
    imports = "".join(line + "\n" for line in snippet.splitlines() if line.startswith("import "))
    rest = "\n".join(line for line in snippet.splitlines() if not line.startswith("import "))
    text = text.replace("import xkey;\n", "import xkey;\n" + imports).replace(
        backend, servers + rest
    )
    assert "directors.round_robin()" in text and "backend app2" in text
    (tmp_path / "cluster.vcl").write_text(text)
    result = compile_vcl(tmp_path / "cluster.vcl")
    assert result.returncode == 0, result.stderr[-2000:]
