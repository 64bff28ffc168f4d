"""Long reply chains: the thread is walked without recursion and in linear time."""

import gc
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.comments.thread import build_thread
from articles.models import Comment

from .factories import make_article

pytestmark = pytest.mark.django_db

FIRST_ID = 5_000_000  # past any id a sequence hands out in a test


def deep_chain(article, length, **fields):
    """A reply to a reply to ..., `length` long, in one INSERT (ids chosen so each row knows
    its parent); saved oldest first."""
    start = timezone.now() - timedelta(days=1)
    return Comment.objects.bulk_create(
        Comment(
            pk=FIRST_ID + n,
            article=article,
            parent_id=FIRST_ID + n - 1 if n else None,
            name=f"Level {n + 1}",
            email="deep@example.com",
            body=f"Reply number {n + 1}",
            status=Comment.Status.APPROVED,
            created_at=start + timedelta(seconds=n),
            **fields,
        )
        for n in range(length)
    )


def unsaved_thread(length, deep):
    """`length` comments, each replying to the one before (deep) or all top level."""
    start = timezone.now()
    return [
        Comment(
            pk=n + 1, parent_id=n or None if deep else None, created_at=start + timedelta(seconds=n)
        )
        for n in range(length)
    ]


def test_a_chain_deeper_than_the_recursion_limit_renders_in_order(client, settings):
    settings.COMMENTS_MAX_DEPTH = 4
    article = make_article()
    length = sys.getrecursionlimit() * 2
    deep_chain(article, length)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f">{length} comments</h2>" in html
    positions = [html.index(f'id="comment-{FIRST_ID + n}"') for n in range(length)]
    assert positions == sorted(positions)
    # Nested four deep, then flat: the markup stays balanced and shallow.
    area = html[html.index('id="comments"') : html.index('id="respond"')]
    assert area.count("<ol") == area.count("</ol>") == 4
    assert area.count("<li") == area.count("</li>") == length
    assert f'in reply to <a href="#comment-{FIRST_ID + length - 2}">Level {length - 1}</a>' in html


def test_replies_past_the_depth_limit_keep_time_order_across_branches(settings):
    settings.COMMENTS_MAX_DEPTH = 2
    start = timezone.now()
    # root > branch > (a1 > a2), and branch > b1 posted between a1 and a2.
    rows = [(1, None, 0), (2, 1, 1), (3, 2, 2), (4, 3, 5), (5, 2, 3), (6, 1, 4)]
    comments = [
        Comment(pk=pk, parent_id=parent, created_at=start + timedelta(seconds=s))
        for pk, parent, s in rows
    ]
    nodes = build_thread(comments, max_depth=2)
    assert [(n.comment.pk, n.depth) for n in nodes] == [
        (1, 1),
        (2, 2),
        (3, 2),
        (5, 2),
        (4, 2),
        (6, 2),
    ]
    assert [n.in_reply_to.pk if n.in_reply_to else None for n in nodes] == [
        None,
        None,
        2,
        2,
        3,
        None,
    ]


def test_a_deep_thread_costs_no_more_per_comment_than_a_flat_one():
    def cost(comments):
        gc.disable()  # a collection in the middle would time the test's other objects
        try:
            timings = []
            for _ in range(5):
                started = time.perf_counter()
                build_thread(comments, max_depth=4)
                timings.append(time.perf_counter() - started)
        finally:
            gc.enable()
        return min(timings)

    # Walking 8,000 nested replies is about as cheap as 8,000 top-level comments (linear);
    # a walk costing a step per ancestor would take some 4,000 times as long.
    flat, deep = cost(unsaved_thread(8000, deep=False)), cost(unsaved_thread(8000, deep=True))
    assert deep < flat * 6
