"""The comments area under an article: threading, replies without JavaScript, picks, queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Comment
from articles.templatetags.comments import comment_text

from .factories import make_article, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article()


def chain(article, length):
    """A reply to a reply to a reply..., `length` comments long."""
    comments, parent = [], None
    for n in range(1, length + 1):
        parent = make_comment(article, parent=parent, name=f"Level {n}", body=f"Body {n}")
        comments.append(parent)
    return comments


def nesting(html, comment):
    """How many comment lists enclose the comment's <li> (1 = top level)."""
    before = html[: html.index(f'id="comment-{comment.pk}"')]
    return before.count("<ol") - before.count("</ol>")


def test_replies_nest_up_to_the_depth_limit_then_continue_flat(client, article, settings):
    settings.COMMENTS_MAX_DEPTH = 3
    levels = chain(article, 6)
    html = client.get(article.get_absolute_url()).content.decode()
    assert [nesting(html, c) for c in levels] == [1, 2, 3, 3, 3, 3]
    # Past the limit, each reply says whom it answers, and the thread stays in time order.
    assert f'in reply to <a href="#comment-{levels[3].pk}">Level 4</a>' in html
    positions = [html.index(f'id="comment-{c.pk}"') for c in levels]
    assert positions == sorted(positions)
    assert html.count("<ol") == html.count("</ol>")
    area = html[html.index('id="comments"') : html.index('id="respond"')]
    assert area.count("<li") == area.count("</li>") == 6


def test_flattened_replies_follow_their_own_branch_in_time_order(client, article, settings):
    settings.COMMENTS_MAX_DEPTH = 2
    root = make_comment(article, name="Root")
    branch = make_comment(article, parent=root, name="Branch")
    deep_a = make_comment(article, parent=branch, name="Deep A")
    other = make_comment(article, parent=root, name="Other branch")
    deep_b = make_comment(article, parent=deep_a, name="Deep B")
    html = client.get(article.get_absolute_url()).content.decode()
    order = [html.index(f'id="comment-{c.pk}"') for c in (root, branch, deep_a, deep_b, other)]
    assert order == sorted(order)
    assert [nesting(html, c) for c in (root, branch, deep_a, deep_b, other)] == [1, 2, 2, 2, 2]


def test_a_depth_of_one_shows_every_comment_flat(client, article, settings):
    settings.COMMENTS_MAX_DEPTH = 1
    levels = chain(article, 3)
    html = client.get(article.get_absolute_url()).content.decode()
    assert [nesting(html, c) for c in levels] == [1, 1, 1]


def test_the_heading_counts_approved_comments_only(client, article):
    make_comment(article)
    make_comment(article, status=Comment.Status.PENDING, body="Held")
    make_comment(article, status=Comment.Status.SPAM, body="Spam")
    html = client.get(article.get_absolute_url()).content.decode()
    assert ">1 comment</h2>" in html
    assert "Held" not in html and "Spam" not in html


def test_a_reply_whose_parent_is_not_approved_still_shows(client, article):
    parent = make_comment(article, status=Comment.Status.REMOVED, body="Removed parent")
    reply = make_comment(article, parent=parent, body="Orphaned reply")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Orphaned reply" in html and "Removed parent" not in html
    assert nesting(html, reply) == 1


def test_reply_links_work_without_javascript(client, article):
    comment = make_comment(article, name="Kenji")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="?replytocom={comment.pk}#respond"' in html
    html = client.get(article.get_absolute_url(), {"replytocom": comment.pk}).content.decode()
    assert "Reply to Kenji" in html
    assert re.search(rf'name="parent" value="{comment.pk}"', html)
    assert 'class="cancel-reply"' in html


def test_a_reply_link_to_an_unknown_comment_is_ignored(client, article):
    html = client.get(article.get_absolute_url(), {"replytocom": "999999"}).content.decode()
    assert "Leave a reply" in html


def test_each_comment_has_a_permalink_anchor_date_and_linked_name(client, article):
    comment = make_comment(article, name="Ana", website="https://ana.example")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert f'<a href="#comment-{comment.pk}"><time datetime=' in html
    assert '<a href="https://ana.example" rel="nofollow ugc noopener">Ana</a>' in html


def test_editors_picks_are_shown_first_and_marked(client, article):
    make_comment(article, body="An ordinary comment")
    make_comment(article, body="A brilliant comment", is_editors_pick=True)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Editors' picks" in html
    assert html.index("A brilliant comment") < html.index("An ordinary comment")
    assert "Editor's pick</span>" in html


def test_the_article_page_query_count_stays_constant_from_0_to_500_comments(
    client, article, django_assert_num_queries
):
    url = article.get_absolute_url()
    client.get(url)  # the menu and banner are then kept (articles/memos.py)
    with CaptureQueriesContext(connection) as empty:
        assert client.get(url).status_code == 200
    roots = Comment.objects.bulk_create(
        Comment(
            article=article, name=f"R{n}", email="r@example.com", body="Root", status="approved"
        )
        for n in range(250)
    )
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=roots[n % 250],
            name=f"Reply {n}",
            email="r@example.com",
            body="Reply https://example.org",
            status="approved",
            is_editors_pick=n % 50 == 0,
        )
        for n in range(250)
    )
    with django_assert_num_queries(len(empty.captured_queries)):
        html = client.get(url).content.decode()
    assert ">500 comments</h2>" in html


@given(st.text(max_size=300))
def test_any_comment_text_renders_to_only_paragraphs_breaks_and_nofollow_links(text):
    text += " mail@example.org www.example.org"  # always some links among the noise
    html = comment_text(text)
    tags = re.findall(r"<(/?[a-zA-Z]+)([^>]*)>", html)
    assert {name for name, _ in tags} <= {"p", "/p", "br", "a", "/a"}
    for name, attributes in tags:
        if name == "a":
            assert re.match(r' rel="nofollow ugc noopener" href="(https?://|mailto:)', attributes)
    assert re.sub(r"<[^>]*>", "", html).count("<") == 0


def test_a_bare_www_address_becomes_an_https_link(client, article):
    make_comment(article, body="More at www.example.org today")
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<a rel="nofollow ugc noopener" href="https://www.example.org">www.example.org</a>' in html
    )
