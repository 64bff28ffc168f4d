"""The comment queue answers in one click per row: Approve, Spam, Trash, Reply, Undo.

Every action is a plain POST (with the changelist form's CSRF token) that comes back to the
queue; moderation.js sends the same POST with fetch and gets JSON (tested in the browser).
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.comments.queue import FILTER_ARTICLES, PendingArticleFilter
from articles.models import Author, Comment, ReplySubscription
from articles.roles import AUTHORS, EDITORS

from .factories import make_article, make_comment, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_comment_changelist")
UNDO = reverse("admin:articles_comment_undo")


def moderate_url(comment, action):
    return reverse("admin:articles_comment_moderate", args=[comment.pk, action])


def reply_url(comment):
    return reverse("admin:articles_comment_reply", args=[comment.pk])


@pytest.fixture
def editor(client):
    user = make_staff("ed", EDITORS, first_name="Emi", last_name="Sato", email="emi@example.com")
    client.force_login(user)
    return user


@pytest.fixture
def article():
    return make_article(title="Typhoon nears Okinawa")


def status_of(comment):
    comment.refresh_from_db()
    return comment.status


@pytest.mark.parametrize(
    ("action", "status"), [("approve", "approved"), ("spam", "spam"), ("trash", "removed")]
)
def test_each_row_button_moderates_its_comment_and_comes_back_to_the_queue(
    client, editor, article, action, status
):
    comment = make_comment(article, status="pending", name="Kenji")
    other = make_comment(article, status="pending", body="Another")
    queue = client.get(CHANGELIST, {"status__exact": "pending"}).content.decode()
    assert f'formaction="{moderate_url(comment, action)}"' in queue
    assert f'name="reply-{comment.pk}"' in queue and f'formaction="{reply_url(comment)}"' in queue
    response = client.post(
        moderate_url(comment, action),
        HTTP_REFERER=f"http://testserver{CHANGELIST}?status__exact=pending",
    )
    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{CHANGELIST}?status__exact=pending"
    assert status_of(comment) == status and status_of(other) == "pending"
    page = client.get(response["Location"]).content.decode()
    assert "The comment by Kenji was" in page
    assert "Last action: the comment by Kenji is" in page


def test_row_actions_need_the_csrf_token(article):
    user = make_staff("ed", EDITORS)
    comment = make_comment(article, status="pending")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(moderate_url(comment, "approve")).status_code == 403
    assert status_of(comment) == "pending"
    page = strict.get(CHANGELIST)
    token = page.cookies["csrftoken"].value
    response = strict.post(moderate_url(comment, "approve"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and status_of(comment) == "approved"


def test_a_get_does_not_moderate(client, editor, article):
    comment = make_comment(article, status="pending")
    assert client.get(moderate_url(comment, "approve")).status_code == 405
    assert status_of(comment) == "pending"


def test_an_unknown_action_or_comment_is_a_404(client, editor, article):
    comment = make_comment(article, status="pending")
    assert client.post(moderate_url(comment, "delete")).status_code == 404
    assert (
        client.post(
            reverse("admin:articles_comment_moderate", args=[999999, "approve"])
        ).status_code
        == 404
    )


def test_authors_read_their_queue_but_cannot_moderate_or_reply(client, article):
    writer = make_staff("aiko", AUTHORS)
    mine = make_article(title="Mine", authors=[Author.objects.create(name="Aiko", user=writer)])
    own = make_comment(mine, status="pending", body="On my story")
    others = make_comment(article, status="pending", body="On someone else's story")
    client.force_login(writer)
    queue = client.get(CHANGELIST).content.decode()
    assert "On my story" in queue and "formaction" not in queue
    assert client.post(moderate_url(own, "approve")).status_code == 403
    assert client.post(moderate_url(others, "approve")).status_code == 404
    assert client.post(reply_url(own), {f"reply-{own.pk}": "Thanks"}).status_code == 403
    denied = client.post(moderate_url(own, "spam"), HTTP_ACCEPT="application/json")
    assert denied.status_code == 403 and denied.json()["ok"] is False
    assert status_of(own) == "pending" and status_of(others) == "pending"
    assert Comment.objects.count() == 2


def test_undo_restores_the_status_the_last_action_replaced(client, editor, article):
    held = make_comment(article, status="pending", name="Kenji")
    client.post(moderate_url(held, "spam"))
    assert status_of(held) == "spam"
    response = client.post(UNDO)
    assert response.status_code == 302 and status_of(held) == "pending"
    assert "Undone: the comment by Kenji is pending." in client.get(CHANGELIST).content.decode()
    # Undone once: nothing left to undo, and a second press says so.
    again = client.post(UNDO, HTTP_ACCEPT="application/json")
    assert again.status_code == 409 and again.json()["message"] == "There is nothing to undo."
    assert status_of(held) == "pending"


def test_undo_of_an_approval_takes_the_comment_off_the_page(client, editor, article):
    held = make_comment(article, status="pending", body="Briefly visible")
    client.post(moderate_url(held, "approve"))
    assert "Briefly visible" in client.get(article.get_absolute_url()).content.decode()
    client.post(UNDO)
    assert "Briefly visible" not in client.get(article.get_absolute_url()).content.decode()


def test_the_json_answer_describes_the_row_for_the_script(client, editor, article):
    comment = make_comment(article, status="pending", name="Kenji")
    response = client.post(moderate_url(comment, "approve"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "The comment by Kenji was approved.",
        "id": comment.pk,
        "status": "approved",
        "status_label": "Approved",
        "undo_url": UNDO,
    }
    undone = client.post(UNDO, HTTP_ACCEPT="application/json").json()
    assert (undone["id"], undone["status"]) == (comment.pk, "pending")


def test_a_staff_reply_is_published_threaded_and_marked_as_staff(client, editor, article):
    Author.objects.create(name="Emi Sato", user=editor)
    question = make_comment(article, status="pending", name="Kenji", body="When does it land?")
    response = client.post(
        reply_url(question), {f"reply-{question.pk}": "Saturday night, we expect."}
    )
    assert response.status_code == 302
    reply = Comment.objects.get(parent=question)
    assert (reply.status, reply.is_staff_reply, reply.user, reply.name) == (
        "approved",
        True,
        editor,
        "Emi Sato",
    )
    assert status_of(question) == "approved"  # replying to a held comment approves it
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Saturday night, we expect." in html
    assert 'class="badge badge-staff"' in html and html.count("badge-staff") == 1
    assert f'id="comment-{reply.pk}"' in html.split('class="children"', 1)[1]


def test_an_empty_reply_gets_a_clear_message_and_saves_nothing(client, editor, article):
    question = make_comment(article, status="pending")
    response = client.post(reply_url(question), {f"reply-{question.pk}": "   "}, follow=True)
    assert "Write a reply first." in response.content.decode()
    assert not Comment.objects.filter(parent=question).exists()
    too_long = client.post(
        reply_url(question), {"body": "x" * 100_000}, HTTP_ACCEPT="application/json"
    )
    assert too_long.status_code == 400 and "at most" in too_long.json()["message"]
    assert status_of(question) == "pending"


def test_the_reader_who_asked_for_reply_emails_hears_of_a_staff_reply(
    client, editor, article, django_capture_on_commit_callbacks
):
    question = make_comment(article, email="kenji@example.com")
    ReplySubscription.objects.create(
        comment=question, email="kenji@example.com", confirmed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reply_url(question), {f"reply-{question.pk}": "Answered."})
    assert [m.to for m in mail.outbox] == [["kenji@example.com"]]
    assert "Answered." in mail.outbox[0].body


def _queue_queries(client, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST, {"status__exact": "pending"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == count
    return len(queries)


def test_the_queue_costs_the_same_queries_for_5_or_60_comments(client, editor):
    articles = [make_article(title=f"Story {n}") for n in range(6)]
    for n in range(5):
        make_comment(articles[n], status="pending", body=f"First {n}")
    few = _queue_queries(client, 5)
    Comment.objects.bulk_create(
        Comment(article=articles[n % 6], name=f"R{n}", body=f"More {n}", status="pending")
        for n in range(55)
    )
    assert _queue_queries(client, 60) == few


def test_the_article_filter_lists_only_articles_with_held_comments_most_first(client, editor):
    busy, quiet, approved_only = (make_article(title=t) for t in ("Busy", "Quiet", "Approved"))
    for n in range(3):
        make_comment(busy, status="pending", body=f"b{n}")
    make_comment(quiet, status="pending")
    make_comment(approved_only)
    response = client.get(CHANGELIST)
    choices = next(
        f for f in response.context["cl"].filter_specs if isinstance(f, PendingArticleFilter)
    ).lookup_choices
    assert choices == [(str(busy.pk), "Busy (3)"), (str(quiet.pk), "Quiet (1)")]
    filtered = client.get(CHANGELIST, {"article__id__exact": quiet.pk})
    assert [c.article_id for c in filtered.context["cl"].result_list] == [quiet.pk]
    assert client.get(CHANGELIST, {"article__id__exact": "x"}).status_code == 200


def test_the_article_filter_stays_short_on_a_big_site(client, editor):
    articles = [make_article(title=f"Story {n}") for n in range(FILTER_ARTICLES + 5)]
    Comment.objects.bulk_create(
        Comment(article=a, name="R", body="Held", status="pending") for a in articles
    )
    html = client.get(CHANGELIST).content.decode()
    assert html.count("article__id__exact=") == FILTER_ARTICLES  # "All" has none


def test_the_start_page_box_links_to_the_whole_queue_with_its_count(client, editor, article):
    for n in range(11):
        make_comment(article, status="pending", body=f"Held {n}")
    make_comment(article)
    html = client.get(reverse("admin:index")).content.decode()
    link = f'href="{CHANGELIST}?status__exact=pending"'
    assert f"{link}>The whole queue: 11 comments awaiting moderation</a>" in html
    queue = client.get(f"{CHANGELIST}?status__exact=pending")
    assert queue.context["cl"].result_count == 11
