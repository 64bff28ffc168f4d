"""The desk shows every date and time in one format, the admin's own, in local time."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from .factories import make_article, make_comment, make_section, make_staff

pytestmark = pytest.mark.django_db


def shown(value) -> str:
    """How Django's admin shows a date and time in its own columns and fields."""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def cell(html, name) -> str:
    match = re.search(rf'<td class="field-{name}[^"]*">(.*?)</td>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.fixture
def editor(client):
    user = make_staff("editor", "Editors", author_name="Eda Editor")
    client.force_login(user)
    return user


@pytest.fixture
def scheduled(editor):
    when = timezone.now().replace(microsecond=0) + timedelta(days=3, hours=2)
    return make_article(authors=[editor.author], section=make_section(), published_at=when)


def test_the_status_column_shows_the_scheduled_time_like_the_date_column(client, scheduled):
    html = client.get(reverse("admin:articles_article_changelist")).text
    assert cell(html, "status_label") == f"Scheduled for {shown(scheduled.published_at)}"
    assert cell(html, "published_at") == shown(scheduled.published_at)
    assert "+00:00" not in html


def test_the_start_page_shows_scheduled_times_in_the_same_format(client, scheduled):
    html = client.get(reverse("admin:index")).text
    assert shown(scheduled.published_at) in html


def test_history_and_revision_pages_use_the_same_format(client, editor, scheduled):
    record = scheduled.history.get()
    history = client.get(reverse("admin:articles_article_history", args=[scheduled.pk])).text
    assert shown(record.history_date) in history
    revision_url = reverse("admin:articles_article_revision", args=[scheduled.pk, record.pk])
    revision = client.get(revision_url).text
    assert f"Revision of {shown(record.history_date)}" in revision
    assert shown(scheduled.published_at) in revision  # the published-at row of the diff


def test_comment_dates_use_the_same_format(client, editor, scheduled):
    comment = make_comment(scheduled)
    html = client.get(reverse("admin:articles_comment_changelist")).text
    assert cell(html, "created_at") == shown(comment.created_at)


@pytest.mark.parametrize("page", ["history", "revision"])
def test_history_pages_have_the_admins_styled_breadcrumbs(client, editor, scheduled, page):
    record = scheduled.history.first()
    url = (
        reverse("admin:articles_article_history", args=[scheduled.pk])
        if page == "history"
        else reverse("admin:articles_article_revision", args=[scheduled.pk, record.pk])
    )
    html = client.get(url).text
    trail = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', html, re.S)
    assert trail, "no breadcrumbs the admin's stylesheet styles"
    assert '<li aria-current="page">' in trail.group(1)
    assert reverse("admin:articles_article_change", args=[scheduled.pk]) in trail.group(1)
