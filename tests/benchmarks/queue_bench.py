"""The comment queue on a big site, by hand: 20,000 articles, comments on 18,668 of them,
2,000 held. Times the queue (held comments, as the start page links to it) with the old
article filter (every article with a comment) and with the new one (articles with held
comments only), and counts queries and filter entries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_queue_bench SECRET_KEY=x \\
        .venv/bin/python manage.py migrate -v0
    DATABASE_URL=... SECRET_KEY=x .venv/bin/python -m tests.benchmarks.queue_bench
"""

import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.contrib import admin  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Comment  # noqa: E402
from articles.roles import EDITORS  # noqa: E402

ARTICLES, COMMENTED, HELD = 20_000, 18_668, 2_000
URL = "/admin/articles/comment/?status__exact=pending"


def fill():
    if Article.objects.count() >= ARTICLES:
        return
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"Bench story {n}",
            slug=f"bench-story-{n}",
            status=Article.Status.PUBLISHED,
            published_at=now - timezone.timedelta(minutes=n),
            body="<p>Text.</p>",
        )
        for n in range(ARTICLES)
    )
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True)[:COMMENTED])
    approved = [
        Comment(article_id=pk, name="Reader", body="Fine.", status=Comment.Status.APPROVED)
        for pk in ids
    ]
    held = [
        Comment(article_id=ids[n % 500], name=f"R{n}", body=f"Held {n}", status="pending")
        for n in range(HELD)
    ]
    Comment.objects.bulk_create(approved + held, batch_size=5000)


def editor_client():
    user, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=EDITORS))
    client = Client()
    client.force_login(user)
    return client


def measure(client, label, runs=7):
    client.get(URL)  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(URL)
        times.append(time.perf_counter() - started)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    html = response.content.decode()
    print(
        f"{label}: median {statistics.median(times) * 1000:.0f} ms over {runs} "
        f"(min {min(times) * 1000:.0f}), {len(queries)} queries, "
        f"{html.count('article__id__exact=')} articles in the filter, "
        f"{len(html) // 1024} KB"
    )


def main():
    fill()
    print(
        f"{connection.vendor}: {Article.objects.count():,} articles, "
        f"{Comment.objects.values('article').distinct().count():,} with comments, "
        f"{Comment.objects.pending().count():,} held"
    )
    client = editor_client()
    comment_admin = admin.site._registry[Comment]
    new_filters = comment_admin.list_filter
    comment_admin.list_filter = [
        *new_filters[:-1],
        ("article", admin.RelatedOnlyFieldListFilter),
    ]
    measure(client, "before (every commented article in the filter)")
    comment_admin.list_filter = new_filters
    measure(client, "after (articles with held comments only)")


if __name__ == "__main__":
    # Static files from the source tree (no collectstatic), and the test client's host.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]):
        main()
