"""The ceiling: a WSGI app that returns a saved copy of the article page, nothing else."""

import os
from pathlib import Path

BODY = Path(os.environ["FIXED_BODY_FILE"]).read_bytes()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
