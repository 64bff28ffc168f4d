"""What the cluster tests start on loopback: a redis-server, moto's S3 server, a streaming
replica of a throwaway PostgreSQL cluster, and a small HTTP client with cookies that fills in
forms as a browser would. Each is stopped (and its files removed) by the test that made it.

Needs redis-server (scripts/install_cluster_tools.sh, run by `make test`), moto[server] (a dev
dependency) and PostgreSQL's binaries (initdb, pg_ctl, pg_basebackup), as tests/throwaway_pg.py.
"""

import contextlib
import http.cookiejar
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import lxml.html

from tests.benchmarks.serve import ROOT, free_port
from tests.throwaway_pg import ThrowawayCluster
from tests.varnish import wait_for_port


@contextlib.contextmanager
def stopping(process: subprocess.Popen):
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running_redis():
    """A redis-server of the test's own, keeping nothing on disk; yields its URL."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    assert Path(binary).exists(), "run scripts/install_cluster_tools.sh (make test)"
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="redis-") as workdir:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", workdir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        with stopping(process):
            wait_for_port(port, process, "redis-server")
            yield f"redis://127.0.0.1:{port}/0"


@contextlib.contextmanager
def running_s3(bucket: str = "newsroom-media"):
    """moto's standalone S3 server with one bucket; yields MEDIA_STORAGE_URL and the
    environment that gives its (made-up) keys."""
    import boto3

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with stopping(process):
        wait_for_port(port, process, "moto_server")
        endpoint = f"http://127.0.0.1:{port}"
        keys = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.create_bucket(Bucket=bucket)
        # As deployed: readers fetch media without keys (deploy/s3/public-read-policy.json).
        policy = (ROOT / "deploy" / "s3" / "public-read-policy.json").read_text()
        client.put_bucket_policy(Bucket=bucket, Policy=policy.replace("BUCKET", bucket))
        url = f"s3://{bucket}?endpoint_url={endpoint}&region=us-east-1"
        yield {"MEDIA_STORAGE_URL": url, **keys}


# A primary and its streaming replica ---------------------------------------------------


class ReplicatedCluster(ThrowawayCluster):
    """A throwaway primary (initdb's pg_hba lets local replication connections in) and a
    standby made from it with pg_basebackup, streaming on a port of its own."""

    def __init__(self):
        super().__init__()
        self.replica_data = self.root / "replica"
        self.replica_port = free_port()

    @property
    def replica_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.replica_port}/newsroom"

    def init(self) -> None:
        super().init()
        self._run(
            str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "postgres", "-D", str(self.replica_data), "-X", "stream", "-R",
            "--checkpoint=fast",
        )  # fmt: skip
        self.start_replica()

    def start_replica(self) -> None:
        options = (
            f"-p {self.replica_port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.replica_data),
            "-l", str(self.root / "replica.log"), "-w", "-o", options, "start",
        )  # fmt: skip

    def stop_replica(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.replica_data), "-m", "fast", "-w", "stop"
        )

    def remove(self) -> None:
        subprocess.run(
            [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.replica_data),
             "-m", "immediate", "stop"],
            capture_output=True,
        )  # fmt: skip
        super().remove()

    def sql(self, query: str, *, replica: bool = False):
        import psycopg

        port = self.replica_port if replica else self.port
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/newsroom") as conn:
            conn.autocommit = True
            cursor = conn.execute(query)
            return cursor.fetchall() if cursor.description else None

    def wait_replayed(self, timeout: float = 20) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        (lsn,) = self.sql("SELECT pg_current_wal_lsn()::text")[0]
        deadline = time.monotonic() + timeout
        while not self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn", replica=True)[0][
            0
        ]:
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.05)


# A client with cookies -----------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser: its own cookies, sent to whichever server it asks (all on 127.0.0.1)."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None):
        """(status, headers, text); redirects are answers, not followed."""
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def get(self, url: str):
        return self.request(url)

    def post(self, url: str, fields, files: dict | None = None, referer: str = ""):
        """A form post as a browser sends it (with the CSRF cookie, Origin and Referer)."""
        origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(url))
        headers = {"Origin": origin, "Referer": referer or url, "Sec-Fetch-Site": "same-origin"}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request(url, body, headers | {"Content-Type": content_type})

    def submit(self, url: str, form_id: str, changes: dict, files: dict | None = None):
        """GET `url`, fill the form as the page shows it with `changes`, and post it."""
        status, _, text = self.get(url)
        assert status == 200, text[:500]
        form = lxml.html.fromstring(text).get_element_by_id(form_id)
        fields = [(name, value) for name, value in form.form_values() if name not in changes]
        fields += list(changes.items())
        action = urllib.parse.urljoin(url, form.get("action") or url)
        return self.post(action, fields, files, referer=url)

    def login(self, base: str, username: str, password: str):
        return self.submit(
            base + "/admin/login/", "login-form", {"username": username, "password": password}
        )


def multipart(fields, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def run_manage(env: dict, *args: str, timeout: float = 120) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env={**os.environ, **env}, check=True, timeout=timeout,
    )  # fmt: skip
