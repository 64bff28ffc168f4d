"""The Varnish row of the benchmarks: a cached page through Varnish (deploy/varnish/
newsroom.vcl, started as tests/varnish.py does) against nginx sending the same bytes as a
static file, both measured with wrk like the other rows.

    python tests/benchmarks/varnish_row.py http://127.0.0.1:8000 /articles/some-slug/

against a running app (`make serve`); bench.py can call `run(base, path, duration)` with its
own gunicorn. Both servers answer a gzip reader (as browsers are) with the page's gzip bytes:
Varnish from its cache, nginx from a file with `Content-Encoding: gzip`. Needs varnish,
varnish-modules and nginx (Debian packages); loopback only, everything started is stopped.
"""

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench import CLIENTS, measure  # noqa: E402
from tests.varnish import free_port, running_varnish, wait_for_port  # noqa: E402

NGINX_CONF = """\
worker_processes {workers};
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
    server {{
        listen 127.0.0.1:{port};
        location = /page {{
            default_type "text/html; charset=utf-8";
            add_header Content-Encoding gzip;
            add_header Vary Accept-Encoding;
            alias {dir}/page.html.gz;
        }}
    }}
}}
"""


@contextlib.contextmanager
def nginx(directory: Path, workers: int = 2):
    """Yield the URL of an nginx sending directory/page.html.gz at /page; stop it after."""
    port = free_port()
    conf = directory / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=workers, dir=directory, port=port))
    log = open(directory / "nginx.out", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(directory), "-g", "daemon off;"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process, "nginx", Path(log.name))
        yield f"http://127.0.0.1:{port}/page"
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


def run(base: str, path: str, duration: int, clients: int = CLIENTS) -> dict:
    """wrk's figures for `path` through Varnish in front of `base`, and for nginx."""
    with tempfile.TemporaryDirectory(prefix="varnish-row-") as tmp:
        directory = Path(tmp)
        os.chmod(directory, 0o755)  # nginx's workers run as nobody under root
        script = directory / "gzip.lua"
        script.write_text('wrk.headers["Accept-Encoding"] = "gzip"\n')
        with running_varnish(urlsplit(base).port, small=False) as varnish:
            gzip_reader = {"Accept-Encoding": "gzip"}
            varnish.get(path, gzip_reader)
            status, headers, body = varnish.get(path, gzip_reader)
            assert (status, headers["X-Cache"], headers.get("Content-Encoding")) == (
                200,
                "HIT",
                "gzip",
            ), f"{path} is not a cached gzip page through Varnish"
            (directory / "page.html.gz").write_bytes(body)
            with nginx(directory) as static:
                return {
                    "nginx": measure(static, duration, clients=clients, script=script),
                    "varnish": measure(
                        varnish.url + path, duration, clients=clients, script=script
                    ),
                    "bytes": len(body),
                }


def table(rows: dict) -> str:
    nginx_rps = rows["nginx"]["rps"]
    lines = [
        f"{'server':<26} {'req/s':>8} {'% nginx':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
    ]
    for name, label in (("nginx", "nginx, static file"), ("varnish", "Varnish, cached page")):
        r = rows[name]
        lines.append(
            f"{label:<26} {r['rps']:>8.0f} {100 * r['rps'] / nginx_rps:>7.1f}% "
            f"{r['p50']:>8.2f} {r['p99']:>8.2f} {r['errors']:>7}"
        )
    lines.append(f"(the same {rows['bytes']:,} gzip bytes, {CLIENTS} clients)")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the app's base URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("path", help="a cached page, e.g. /articles/some-slug/")
    parser.add_argument("--duration", type=int, default=10)
    opts = parser.parse_args()
    print(table(run(opts.base, opts.path, opts.duration)))


if __name__ == "__main__":
    main()
