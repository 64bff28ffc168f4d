"""`make bench-cluster` (and the end of `make bench`): one app server against two behind
nginx as a plain load balancer, page cache off and on (Redis), and Varnish in front.

    python tests/benchmarks/cluster.py [--articles 200] [--duration 10] [--workers 2]

Each server is a gunicorn with --workers sync workers; both share one database
($DATABASE_URL's server, database `newsroom_bench_cluster`, made anew; SQLite without it) and
one Redis (a redis-server of its own, or $BENCH_REDIS_URL). wrk requests the front page and
20 article pages in turn with 16 clients. Loopback only; everything started is stopped. On one
machine the two servers share its cores with nginx, Varnish, the database and wrk, so the
second server adds capacity only where the first left cores idle: the figures say what the
layers cost, not what a second machine would add (docs/deploy.md).
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
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench import (  # noqa: E402
    CLIENTS,
    bench_database_url,
    bench_redis,
    flush,
    lua_rotation,
    manage,
    measure,
)
from tests.benchmarks.serve import free_port, gunicorn  # noqa: E402
from tests.cluster import stopping  # noqa: E402
from tests.varnish import wait_for_port  # noqa: E402

NGINX_LB = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
{upstream}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://newsroom;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
        }}
    }}
}}
"""


def upstream_block(bases: list[str]) -> str:
    """The upstream of deploy/nginx/newsroom.conf, pointed at `bases`."""
    text = (Path(__file__).resolve().parents[2] / "deploy/nginx/newsroom.conf").read_text()
    block = re.search(r"upstream newsroom \{.*?\n\}", text, re.S).group(0)
    servers = "".join(
        f"    server {base.split('//')[1]} max_fails=3 fail_timeout=10s;\n" for base in bases
    )
    return re.sub(r"(?m)^\s*server \S+.*;\n", "", block).replace("{\n", "{\n" + servers, 1)


@contextlib.contextmanager
def nginx_balancer(bases: list[str]):
    """An nginx balancing `bases` round robin; yields its URL."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    with tempfile.TemporaryDirectory(prefix="nginx-lb-") as workdir:
        os.chmod(workdir, 0o755)
        port = free_port()
        conf = Path(workdir) / "nginx.conf"
        conf.write_text(NGINX_LB.format(dir=workdir, port=port, upstream=upstream_block(bases)))
        process = subprocess.Popen([binary, "-c", str(conf), "-p", workdir, "-g", "daemon off;"])
        with stopping(process):
            wait_for_port(port, process, "nginx")
            yield f"http://127.0.0.1:{port}"


def article_paths(base: str, count: int = 20) -> list[str]:
    html = urllib.request.urlopen(base + "/", timeout=30).read().decode()
    found = list(dict.fromkeys(re.findall(r'href="(/articles/[^"/]+/)"', html)))
    return ["/", *found[:count]]


def static_headers(bases: list[str]) -> str:
    """A stylesheet's hashed URL, the same on both servers, with its Cache-Control."""
    found = []
    for base in bases:
        html = urllib.request.urlopen(base + "/", timeout=30).read().decode()
        url = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
        with urllib.request.urlopen(base + url, timeout=30) as response:
            found.append((url, response.headers["Cache-Control"]))
    assert found[0] == found[1], found
    return f"static files: {found[0][0]} on both servers, Cache-Control: {found[0][1]}"


def row(label: str, r: dict, one: float) -> str:
    return (
        f"{label:<44} {r['rps']:>8.0f} {r['rps'] / one:>6.2f}x {r['p50']:>8.1f} "
        f"{r['p99']:>8.1f} {r['errors']:>7}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    opts = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench` installs it (apt-get install wrk).")
    has_nginx = shutil.which("nginx") or Path("/usr/sbin/nginx").exists()
    has_varnish = shutil.which("varnishd") or Path("/usr/sbin/varnishd").exists()

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-cluster-"))
    env = {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": "benchmark-only",
        "DEBUG": "0",
        "VAR_DIR": str(workdir),
        "LOG_LEVEL": "WARNING",
        "REQUEST_LOG_LEVEL": "WARNING",
    }
    if os.environ.get("DATABASE_URL"):
        os.environ.setdefault("BENCH_DB", "newsroom_bench_cluster")
        env["DATABASE_URL"] = bench_database_url(os.environ["DATABASE_URL"])
    results, stack = {}, contextlib.ExitStack()
    load = Path("/proc/loadavg").read_text().split()[0]
    try:
        redis_url = stack.enter_context(bench_redis(workdir))
        if not redis_url:
            sys.exit("no Redis: `make bench` installs redis-server")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "demo", "--articles", str(opts.articles), "--comments-per-article", "5")
        manage(env, "collectstatic", "--noinput", "-v0")
        for cached in (False, True):
            server_env = {**env, "REDIS_URL": redis_url, "PAGE_CACHE": "1" if cached else "0"}
            with contextlib.ExitStack() as servers:
                bases = [
                    servers.enter_context(
                        gunicorn("newsroom.wsgi", server_env, workers=opts.workers)
                    )[0]
                    for _ in range(2)
                ]
                paths = article_paths(bases[0])
                static = static_headers(bases)
                script = lua_rotation(workdir / "rotation.lua", paths)
                kind = "cached" if cached else "uncached"
                results[f"one server, {kind}"] = measure(
                    bases[0] + "/", opts.duration, script=script
                )
                if has_nginx:
                    with nginx_balancer(bases) as balancer:
                        results[f"two servers behind nginx, {kind}"] = measure(
                            balancer + "/", opts.duration, script=script
                        )
                        if cached and has_varnish:
                            from urllib.parse import urlsplit

                            from tests.varnish import running_varnish

                            port = urlsplit(balancer).port
                            with running_varnish(port, small=False) as varnish:
                                results["Varnish, then nginx, two servers (hits)"] = measure(
                                    varnish.url + "/", opts.duration, script=script
                                )
            flush(redis_url)
    finally:
        stack.close()
        shutil.rmtree(workdir, ignore_errors=True)

    engine = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
    print(
        f"\nCluster: {opts.articles} articles, {engine}, Redis; {opts.workers} sync workers per "
        f"server, {CLIENTS} clients, the front page and 20 articles in turn, "
        f"{opts.duration} s per run, {os.cpu_count()} cores, load before: {load} "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})"
    )
    print(f"{'':<44} {'req/s':>8} {'vs one':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in ("uncached", "cached"):
        one = results[f"one server, {kind}"]["rps"]
        for label, r in results.items():
            if label.endswith(f", {kind}"):
                print(row(label, r, one))
    if "Varnish, then nginx, two servers (hits)" in results:
        print(row("Varnish, then nginx, two servers (hits)",
                  results["Varnish, then nginx, two servers (hits)"],
                  results["one server, cached"]["rps"]))  # fmt: skip
    print(static)
    if not has_nginx:
        print("nginx rows skipped: nginx missing (`make bench` installs it)")


if __name__ == "__main__":
    main()
