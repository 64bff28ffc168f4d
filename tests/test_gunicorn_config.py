"""Production's gunicorn settings (newsroom/gunicorn.py), on a real gunicorn."""

import socket
import time
import urllib.request

from tests.benchmarks.serve import gunicorn


def test_a_connection_that_sends_nothing_does_not_hold_the_only_worker(tmp_path):
    body = tmp_path / "page.html"
    body.write_bytes(b"<p>The news</p>")
    env = {"FIXED_BODY_FILE": str(body)}
    with gunicorn("tests.benchmarks.fixed_app", env, workers=1) as (base, _):
        host, port = base.removeprefix("http://").split(":")
        silent = [socket.create_connection((host, int(port))) for _ in range(3)]
        time.sleep(0.3)  # the worker would have taken them by now
        began = time.monotonic()
        with urllib.request.urlopen(base + "/", timeout=10) as response:
            assert response.read() == b"<p>The news</p>"
        # Without the setting the worker waits on the first silent one (gunicorn's timeout).
        assert time.monotonic() - began < 2
        for connection in silent:
            connection.close()
