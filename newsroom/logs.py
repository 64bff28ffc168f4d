"""Structured logs: one JSON object per line, with emails and IP addresses masked.

Moderation keeps the addresses it needs in the database; logs never need them.
"""

import json
import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# IPv6 ending in an IPv4 address (::ffff:192.0.2.1, as a server bound to [::] sees IPv4
# clients): masked whole, before IPV4 would leave its head behind.
IPV6_V4_TAIL = re.compile(r"(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,6}(?:\d{1,3}\.){3}\d{1,3}\b")
# Full (eight groups) or compressed ("::") forms; clock times like 07:00:00 are neither.
IPV6 = re.compile(
    r"(?<![\w:])(?:(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}"
    r"|(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{0,4}::(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{0,4})(?![\w:])"
)
# What LogRecord carries on its own; anything else came through `extra=`.
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# Django's request loggers attach the request object; it is not data for a log line.
SKIPPED = {"request", "server_time"}


def redact(text: str) -> str:
    text = IPV6_V4_TAIL.sub("[ip]", EMAIL.sub("[email]", text))
    return IPV6.sub("[ip]", IPV4.sub("[ip]", text))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD and key not in SKIPPED and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        line = json.dumps(entry, ensure_ascii=False, default=str)
        return redact(line)


class PlainFormatter(logging.Formatter):
    """key=value lines for a terminal, masked the same way."""

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(
            f"{key}={value}"
            for key, value in vars(record).items()
            if key not in STANDARD and key not in SKIPPED and not key.startswith("_")
        )
        line = f"{self.formatTime(record)} {record.levelname} {record.name} {record.getMessage()}"
        if extras:
            line += " " + extras
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return redact(line)
