"""Running the desk in headless Chromium, counting what each task costs a person.

(1) An editor clears a queue of 20 held comments with the keyboard only, undoes one action
and replies to one comment from the queue; the reader's page shows the reply as staff.
(2) An editor adds an author in one screen; the author sets a password through the emailed
link and signs in. Each test prints its page loads and clicks or key presses.
"""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Comment
from articles.roles import EDITORS, sync_groups

from .browser import STAFF_PASSWORD, admin_log_in
from .factories import make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Tally:
    """What a task costs: documents loaded, clicks, command keys, and fields typed into."""

    def __init__(self, page):
        self.page, self.loads, self.clicks, self.keys, self.fields = page, 0, 0, 0, 0
        page.on("load", lambda _: self._loaded())

    def _loaded(self):
        self.loads += 1

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def key(self, key):
        self.keys += 1
        self.page.keyboard.press(key)

    def type(self, locator, text):
        self.fields += 1
        locator.fill(text)

    def total(self) -> str:
        """The tally once the page in view has finished loading (its load event counted)."""
        self.page.wait_for_load_state("load")
        return str(self)

    def __str__(self):
        return (
            f"{self.loads} page loads, {self.clicks} clicks, {self.keys} key presses, "
            f"{self.fields} fields typed"
        )


def make_editor():
    sync_groups(apps)  # transactional tests flush the groups made by migrations
    editor = User.objects.create_user(
        "emi", password=STAFF_PASSWORD, is_staff=True, first_name="Emi", last_name="Sato"
    )
    editor.groups.add(Group.objects.get(name=EDITORS))
    return editor


def test_an_editor_clears_a_queue_of_20_with_the_keyboard_undoes_one_and_replies(
    live_server, page_factory, artifacts
):
    make_editor()
    article = make_article(title="Typhoon nears Okinawa")
    start = timezone.now() - timedelta(hours=2)
    comments = [
        Comment.objects.create(
            article=article,
            name=f"Reader {n:02}",
            email=f"r{n}@example.com",
            body=f"Comment number {n:02}: " + ("buy cheap watches" if n % 7 == 3 else "stay safe"),
            status=Comment.Status.PENDING,
            created_at=start + timedelta(minutes=n),
        )
        for n in range(20)
    ]
    page = page_factory(width=1366, height=768)
    admin_log_in(page, live_server, "emi")
    task = Tally(page)

    # From the start page's box to the whole queue: one click.
    task.click(page.get_by_role("link", name="The whole queue: 20 comments awaiting moderation"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(20)
    expect(rows.nth(0)).to_have_class(re.compile("queue-selected"))
    # Nothing is cut off at 1,366 pixels: no sideways scrolling of the page or the table.
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " document.querySelector('.results').scrollWidth,"
        " document.querySelector('.results').clientWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths
    page.screenshot(path=artifacts / "moderation-queue-1366.png")

    # Newest first. Spam for the watch sellers, trash for one, approve the rest; k and j
    # step back to look at the previous comment once.
    plan = {}
    for index in range(20):
        number = 19 - index
        body = comments[number].body
        key = "s" if "watches" in body else "d" if number == 12 else "a"
        if index == 5:
            task.key("k")
            task.key("j")
        task.key(key)
        plan[number] = {"a": "approved", "s": "spam", "d": "removed"}[key]
        expect(rows.nth(index).locator(".queue-status")).to_have_text(
            {"approved": "Approved", "spam": "Spam", "removed": "Removed"}[plan[number]]
        )
    assert not Comment.objects.filter(status=Comment.Status.PENDING).exists()
    # Undo the last action (the oldest comment's approval), then trash it instead.
    task.key("u")
    expect(page.locator("#queue-undo")).to_contain_text("Undone: the comment by Reader 00 is")
    expect(rows.nth(19).locator(".queue-status")).to_have_text("Pending")
    task.key("d")
    expect(rows.nth(19).locator(".queue-status")).to_have_text("Removed")
    plan[0] = "removed"
    assert dict(Comment.objects.values_list("pk", "status")) == {
        comments[n].pk: status for n, status in plan.items()
    }

    # Reply to Reader 01 (second-oldest, one row up): k, r, type, Ctrl+Enter.
    task.key("k")
    task.key("r")
    reply_box = rows.nth(18).locator("textarea")
    expect(reply_box).to_be_focused()
    task.fields += 1
    page.keyboard.type("Thank you, we will keep this story updated overnight.")
    task.key("Control+Enter")
    expect(page.locator("#queue-undo")).to_contain_text("Your reply to Reader 01 is published.")
    page.screenshot(path=artifacts / "moderation-queue-done.png")
    keyboard_task = task.total()
    assert (task.loads, task.clicks) == (1, 1), keyboard_task
    assert page.console_errors == []

    reply = Comment.objects.get(parent=comments[1])
    assert (reply.status, reply.is_staff_reply) == ("approved", True)
    reader = page_factory()
    reader.goto(live_server.url + article.get_absolute_url())
    staff = reader.locator(f"#comment-{comments[1].pk} .children #comment-{reply.pk}")
    expect(staff).to_contain_text("Thank you, we will keep this story updated overnight.")
    expect(staff.locator(".badge-staff")).to_have_text("Staff")
    expect(staff.locator(".comment-author")).to_have_text("Emi Sato")
    approved = sum(1 for status in plan.values() if status == "approved")
    expect(reader.locator("#comments-heading")).to_have_text(f"{approved + 1} comments")
    expect(reader.locator("#comments")).not_to_contain_text("watches")
    reader.screenshot(path=artifacts / "moderation-staff-reply.png", full_page=True)
    print(f"\nKeyboard queue task (20 comments, undo, reply): {keyboard_task}")


def test_an_editor_adds_an_author_who_signs_in_through_the_emailed_link(
    live_server, page_factory, artifacts
):
    make_editor()
    desk = page_factory(width=1366, height=768)
    admin_log_in(desk, live_server, "emi")
    add = Tally(desk)
    add.click(desk.get_by_role("link", name="Add a staff member"))
    add.type(desk.get_by_label("Name"), "Mariko Ito")
    add.type(desk.get_by_label("Email"), "mariko@example.com")
    expect(desk.get_by_label("Author: writes and edits their own articles")).to_be_checked()
    desk.screenshot(path=artifacts / "staff-add.png", full_page=True)
    add.click(desk.get_by_role("button", name="Add and send the email"))
    expect(desk.locator(".messagelist")).to_contain_text("can sign in as “mariko”")
    editor_task = add.total()
    assert (add.loads, add.clicks) == (2, 2), editor_task

    [email] = mail.outbox
    link = re.search(r"https?://\S+/admin/staff/welcome/\S+", email.body)[0]
    author = page_factory(width=1366, height=768)
    join = Tally(author)
    author.goto(link)  # from the email: one click in the mail program
    join.clicks += 1
    join.type(author.get_by_label("New password"), "plum-harbour-7431")
    join.type(author.get_by_label("Confirm password"), "plum-harbour-7431")
    join.click(author.get_by_role("button", name="Change my password"))
    expect(author.locator(".messagelist")).to_contain_text("Your password is set.")
    join.type(author.locator("#id_username"), "mariko")
    join.type(author.locator("#id_password"), "plum-harbour-7431")
    join.click(author.get_by_role("button", name="Log in"))
    author.wait_for_url(live_server.url + "/admin/")
    expect(author.locator("#desk-my_drafts")).to_be_visible()
    expect(author.locator("#user-tools")).to_contain_text("Mariko")
    author.screenshot(path=artifacts / "staff-author-signed-in.png", full_page=True)
    author_task = join.total()
    user = User.objects.get(username="mariko")
    assert user.author.name == "Mariko Ito" and user.groups.get().name == "Authors"
    assert desk.console_errors == [] and author.console_errors == []
    print(f"\nAdd an author (editor): {editor_task}\nJoin (author): {author_task}")
