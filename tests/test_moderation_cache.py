"""The queue's row actions keep the page cache right: what readers see changes at once,
and moves between held and spam re-render nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Comment
from articles.roles import EDITORS
from tests.factories import make_comment, make_staff
from tests.test_pagecache_triggers import Site
from tests.test_perf_cache import clock, page_cache  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def desk():
    client = Client()
    client.force_login(make_staff("ed", EDITORS))
    return client


def act(desk, comment, action):
    url = reverse("admin:articles_comment_moderate", args=[comment.pk, action])
    assert desk.post(url, HTTP_ACCEPT="application/json").status_code == 200


def test_row_actions_undo_and_replies_purge_exactly_the_article_page(client, desk):
    site = Site()
    held = make_comment(site.hot, status=Comment.Status.PENDING, body="Held remark")
    other = make_comment(site.hot, status=Comment.Status.PENDING, body="Buy watches")
    site.warm(client)

    act(desk, other, "spam")  # held -> spam: nothing readers see
    assert site.rendered(client) == set()
    act(desk, held, "approve")
    assert site.rendered(client) == {"hot"}
    assert "Held remark" in client.get(site.pages["hot"]).text
    desk.post(reverse("admin:articles_comment_undo"), HTTP_ACCEPT="application/json")
    assert site.rendered(client) == {"hot"}
    assert "Held remark" not in client.get(site.pages["hot"]).text

    reply = reverse("admin:articles_comment_reply", args=[held.pk])
    desk.post(reply, {f"reply-{held.pk}": "Thanks, corrected."}, HTTP_ACCEPT="application/json")
    assert site.rendered(client) == {"hot"}
    page = client.get(site.pages["hot"]).text
    assert "Thanks, corrected." in page and "Held remark" in page and "badge-staff" in page
