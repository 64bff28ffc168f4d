"""A varnishd of the tests' own: deploy/varnish/newsroom.vcl on a free loopback port, in front
of a backend on loopback, with its own working directory; stopped afterwards.

Needs Debian's varnish and varnish-modules (scripts/install_varnish.sh, run by `make test`).
"""

import contextlib
import gzip
import http.client
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"


def varnishd() -> str:
    found = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")
    assert found, "The Varnish tests need varnishd: run scripts/install_varnish.sh (make test)."
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vcl_text(backend_port: int, purgers: list[str] | None = None) -> str:
    """The shipped VCL, its backend pointed at 127.0.0.1:`backend_port` and, given `purgers`,
    its purge ACL replaced by those addresses."""
    text = VCL.read_text()
    text, hosts = re.subn(r'\.host = "[^"]*";', '.host = "127.0.0.1";', text, count=1)
    text, ports = re.subn(r'\.port = "[^"]*";', f'.port = "{backend_port}";', text, count=1)
    assert hosts == ports == 1, "newsroom.vcl's backend has no .host/.port to point elsewhere"
    if purgers is not None:
        entries = "".join(f'    "{address}";\n' for address in purgers)
        text, acls = re.subn(
            r"acl purgers \{.*?\n\}", f"acl purgers {{\n{entries}}}", text, count=1, flags=re.S
        )
        assert acls == 1, "newsroom.vcl has no `acl purgers`"
    return text


def compile_vcl(path: Path) -> subprocess.CompletedProcess:
    """`varnishd -C`: compiles the VCL to C and stops, as a syntax and vmod check."""
    with tempfile.TemporaryDirectory(prefix="varnish-c-") as workdir:
        return subprocess.run(
            [varnishd(), "-C", "-j", "none", "-n", workdir, "-f", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )


@dataclass
class Varnish:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, headers: dict | None = None, body=None):
        """(status, headers, body) of one request, on a connection of its own."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def get(self, path: str, headers: dict | None = None):
        return self.request("GET", path, headers)

    def purge(self, path: str = "/", headers: dict | None = None):
        return self.request("PURGE", path, headers)


@contextlib.contextmanager
def running_varnish(backend_port: int, *, purgers: list[str] | None = None, small: bool = True):
    """Yield a Varnish serving the VCL in front of 127.0.0.1:`backend_port`; stop it after.
    `small`: few threads (tests on a shared machine); else Varnish's defaults (benchmarks)."""
    # A short path: varnishd's working directory holds sockets (108-byte limit).
    with tempfile.TemporaryDirectory(prefix="varnish-") as workdir:
        vcl = Path(workdir) / "newsroom.vcl"
        vcl.write_text(vcl_text(backend_port, purgers))
        port = free_port()
        log = open(Path(workdir) / "varnishd.log", "w")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(
            [varnishd(), "-F", "-j", "none", "-n", f"{workdir}/n", "-a", f"127.0.0.1:{port}",
             "-T", "none", "-f", str(vcl), "-s", "malloc,256m",
             # As docs/varnish.md advises: room for the keys of long lists in one header.
             "-p", "http_resp_hdr_len=64k", "-p", "http_resp_size=128k",
             # No threads to spare on a shared machine; starting 200 takes a second.
             *(["-p", "thread_pools=1", "-p", "thread_pool_min=10"] if small else [])],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for_port(port, process, "varnishd", Path(log.name))
            yield Varnish(port, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def wait_for_port(
    port: int, process: subprocess.Popen, name: str, log: Path | None = None, timeout: float = 30
) -> None:
    """Until `process` (`name`) listens on `port`; its `log` is shown if it stops first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{name} stopped:\n{log.read_text() if log else ''}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start listening on {port}") from None
            time.sleep(0.05)


class Backend:
    """A tiny origin on loopback answering like the app: each page has its headers (xkey,
    Cache-Control...), and its body names how many times it was rendered. Records requests."""

    def __init__(self):
        self.pages: dict[str, dict] = {}
        self.renders: dict[str, int] = {}
        self.seen: list[tuple[str, str, dict]] = []  # method, path, headers
        self.down = False
        backend = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                backend.answer(self)

            do_POST = do_HEAD = do_GET

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def page(self, path: str, **headers: str) -> None:
        """Serve `path`; header names with underscores for dashes (Cache_Control=...)."""
        self.pages[path] = {name.replace("_", "-"): value for name, value in headers.items()}

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        self.seen.append((handler.command, handler.path, dict(handler.headers)))
        if self.down:  # as a crashed worker: the connection closes with no answer
            handler.close_connection = True
            return
        path = handler.path.split("?")[0]  # a page answers whatever its query
        if handler.headers.get("Content-Length"):
            handler.rfile.read(int(handler.headers["Content-Length"]))
        if path in ("/healthz/", "/healthz/lb/"):
            status, headers, body = 200, {"Cache-Control": "no-store"}, b"ok"
        elif path in self.pages:
            self.renders[path] = self.renders.get(path, 0) + 1
            status, headers = 200, {"Content-Type": "text/html", **self.pages[path]}
            body = f"{path} render {self.renders[path]}".encode()
            coding = encoding_for(handler.headers.get("Accept-Encoding", ""))
            if coding:
                body = brotli.compress(body) if coding == "br" else gzip.compress(body)
                vary = ", ".join(filter(None, [headers.get("Vary"), "Accept-Encoding"]))
                headers |= {"Content-Encoding": coding, "Vary": vary}
        else:
            status, headers, body = 404, {"Cache-Control": "no-store"}, b"not found"
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)

    def requests_for(self, path: str, method: str = "GET") -> list[dict]:
        return [headers for m, p, headers in self.seen if p == path and m == method]

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def encoding_for(accept_encoding: str) -> str | None:
    """The origin's choice, like the app's stored pages: br if taken, else gzip if taken."""
    codings = {part.split(";")[0].strip() for part in accept_encoding.split(",")}
    return next((coding for coding in ("br", "gzip") if coding in codings), None)


def decoded(headers, body: bytes) -> str:
    coding = headers.get("Content-Encoding")
    if coding == "br":
        body = brotli.decompress(body)
    elif coding == "gzip":
        body = gzip.decompress(body)
    return body.decode()
