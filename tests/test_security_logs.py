"""Structured logs: one JSON object a line, no email address or IP address in them."""

import json
import logging

import pytest

from newsroom.logs import JsonFormatter, PlainFormatter
from tests.factories import comment_form_data, make_article


@pytest.fixture
def log_lines(settings):
    """Every log line the site writes during the test, formatted as in production."""
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield lines
    root.removeHandler(handler)
    root.setLevel(level)


def test_each_request_is_one_json_line_with_the_route_not_the_address(client, db, log_lines):
    article = make_article()
    client.get(article.get_absolute_url(), REMOTE_ADDR="203.0.113.9")
    entries = [json.loads(line) for line in log_lines]
    request = next(e for e in entries if e["logger"] == "newsroom.request")
    assert request["view"] == "articles:article_detail"
    assert request["status"] == 200 and request["method"] == "GET" and request["ms"] >= 0
    assert "203.0.113.9" not in "".join(log_lines)


def test_emails_and_ips_never_reach_the_logs(client, db, log_lines, settings):
    article = make_article()
    data = comment_form_data(email="private.person@example.org")
    client.post(f"{article.get_absolute_url()}comments/", data, REMOTE_ADDR="198.51.100.23")
    logging.getLogger("articles").warning(
        "odd comment from %s at %s (%s)",
        "private.person@example.org",
        "198.51.100.23",
        "2001:db8::7",
    )
    text = "\n".join(log_lines)
    assert log_lines
    assert "private.person@example.org" not in text
    assert "198.51.100.23" not in text and "2001:db8::7" not in text
    assert "[email]" in text and "[ip]" in text


def test_errors_keep_their_traceback_masked_as_well():
    try:
        raise ValueError("bad address me@example.org")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
        import sys

        record.exc_info = sys.exc_info()
    for formatter in (JsonFormatter(), PlainFormatter()):
        line = formatter.format(record)
        assert "me@example.org" not in line and "ValueError" in line


@pytest.mark.parametrize(
    "address", ["::ffff:198.51.100.23", "[::ffff:198.51.100.23]:4711", "64:ff9b::192.0.2.33"]
)
def test_ipv6_addresses_with_an_ipv4_tail_are_masked_whole(address):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "from %s", (address,), None)
    for formatter in (JsonFormatter(), PlainFormatter()):
        line = formatter.format(record)
        assert "[ip]" in line and "[ip][ip]" not in line
        assert not any(part in line for part in ["ffff", "ff9b", "198.51", "192.0.2"])
