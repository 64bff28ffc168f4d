"""A reader comments and replies in headless Chromium; an editor approves both in the admin."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User

from articles.models import Comment
from articles.roles import EDITORS, sync_groups

from .factories import make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def approve_all_pending(page, base):
    page.goto(base + "/admin/articles/comment/?status__exact=pending")
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "approve")
    page.get_by_role("button", name="Run").or_(page.get_by_role("button", name="Go")).click()
    assert "approved" in page.locator(".messagelist").inner_text()


def test_reader_posts_a_comment_and_a_reply_and_an_editor_approves_them(
    live_server, page_factory, artifacts, settings
):
    settings.COMMENTS_MODERATION = "all"
    settings.COMMENTS_MIN_SECONDS = 0
    sync_groups(apps)  # transactional tests flush the groups made by migrations
    editor = User.objects.create_user("editor", password="correct horse battery", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    article = make_article(title="Typhoon nears Okinawa")
    url = live_server.url + article.get_absolute_url()

    reader = page_factory()
    reader.goto(url)
    reader.fill("#id_body", "Stay safe, Okinawa 🌀\nThinking of you.")
    reader.fill("#id_name", "Mariko 真理子")
    reader.fill("#id_email", "mariko@example.com")
    reader.check("#id_remember")
    reader.get_by_role("button", name="Post comment").click()
    held = reader.locator(".comment.is-held")
    assert "Your comment is awaiting moderation." in held.inner_text()
    assert "Thinking of you." in held.inner_text()

    desk = page_factory()
    desk.goto(live_server.url + "/admin/")
    desk.fill("#id_username", "editor")
    desk.fill("#id_password", "correct horse battery")
    desk.get_by_role("button", name="Log in").click()
    queue = desk.locator("#desk-comments")
    assert "Comments awaiting moderation 1" in " ".join(queue.locator("h2").inner_text().split())
    desk.goto(live_server.url + "/admin/articles/comment/")
    assert "Every comment is held" in desk.locator("#result_list").inner_text()
    desk.screenshot(path=artifacts / "comments-admin-queue.png", full_page=True)
    approve_all_pending(desk, live_server.url)

    reader.goto(url)
    assert reader.locator("#comments-heading").inner_text() == "1 comment"
    # Remembered details come back from the signed cookie; the page itself holds none.
    assert reader.input_value("#id_name") == "Mariko 真理子"
    assert reader.input_value("#id_email") == "mariko@example.com"
    comment = Comment.objects.get()
    reader.locator(f"#comment-{comment.pk} a.comment-reply").click()
    assert reader.locator(f"#comment-{comment.pk} #respond").count() == 1  # form moved under it
    assert "Reply to Mariko" in reader.locator("#reply-title").inner_text()
    reader.fill("#id_body", "Update: the storm has passed.")
    reader.get_by_role("button", name="Post comment").click()
    reply = Comment.objects.get(parent=comment)
    assert reply.status == Comment.Status.PENDING
    assert (
        reader.locator(f"#comment-{comment.pk} .children #comment-{reply.pk}.is-held").count() == 1
    )

    approve_all_pending(desk, live_server.url)
    reader.goto(url)
    assert reader.locator("#comments-heading").inner_text() == "2 comments"
    nested = reader.locator(f"#comment-{comment.pk} .children #comment-{reply.pk}")
    assert "Update: the storm has passed." in nested.inner_text()
    assert reader.locator(".is-held").count() == 0
    reader.screenshot(path=artifacts / "comments-thread.png", full_page=True)
    assert reader.console_errors == []
    # Not asserted for the admin page: it has no icon link, so Chromium's own /favicon.ico
    # request is logged as a 404 there, unrelated to comments.
