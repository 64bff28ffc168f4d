"""Floors under the uncached article page: what its database work alone costs, served by the
same gunicorn as the page, answering with the saved page (FIXED_BODY_FILE).

    /orm/  the page's ORM work for the article FLOOR_SLUG (`article_context`): its eight
           queries and their rows as model objects; no middleware, no template
    /sql/  the same eight SQL statements, rows as tuples; no ORM
Each request takes a connection from the pool and gives it back, as a Django request does.
"""

import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.db import close_old_connections, connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.views.reader import article_context  # noqa: E402

BODY = Path(os.environ["FIXED_BODY_FILE"]).read_bytes()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]
SLUG = os.environ["FLOOR_SLUG"]


def orm_work():
    article_context(Article.objects.published(), slug=SLUG)


with CaptureQueriesContext(connection) as captured:
    orm_work()
STATEMENTS = [query["sql"] for query in captured.captured_queries]
close_old_connections()


def sql_work():
    with connection.cursor() as cursor:
        for statement in STATEMENTS:
            cursor.execute(statement)
            cursor.fetchall()


def application(environ, start_response):
    work = sql_work if environ["PATH_INFO"].startswith("/sql/") else orm_work
    close_old_connections()  # as Django's request_started and request_finished signals do
    try:
        if environ["PATH_INFO"] != "/healthz/":
            work()
    finally:
        close_old_connections()
    start_response("200 OK", HEADERS)
    return [BODY]
