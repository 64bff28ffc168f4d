"""The body editor's link tool in headless Chromium: after a link is set, typing goes on
after it as plain text, and never replaces or extends the linked words."""

import pytest

from articles.models import Article

from .browser import STAFF_PASSWORD, admin_log_in
from .factories import make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def editor_page(live_server, page_factory):
    make_staff("aki", "Authors", author_name="Aki Tanaka", password=STAFF_PASSWORD)
    page = page_factory()
    admin_log_in(page, live_server, "aki")
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.fill("#id_title", "Claims about the flood checked")
    return page


def add_link(page, words, href):
    for _ in range(len(words)):
        page.keyboard.press("Shift+ArrowLeft")
    page.locator("button[data-name=link]").click()
    page.fill("dialog[open] input[name=href]", href)
    page.click("dialog[open] button[type=submit]")
    page.wait_for_function(
        "() => !document.querySelector('dialog[open]')"
        " && document.activeElement.classList.contains('ProseMirror')"
    )


def saved_body(page):
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    body = Article.objects.get(title="Claims about the flood checked").body
    return body.replace(' title=""', "")  # the dialog's empty title field


def test_typing_after_a_new_link_adds_plain_text_after_it(editor_page, artifacts):
    page = editor_page
    page.locator(".prose-editor .ProseMirror[contenteditable]").click()
    page.keyboard.type("Source: Truth Frontier")
    add_link(page, "Truth Frontier", "https://truth.example/")
    page.keyboard.type(", checked on Monday.")
    page.screenshot(path=artifacts / "admin-editor-link.png")
    assert saved_body(page) == (
        '<p>Source: <a href="https://truth.example/">Truth Frontier</a>, checked on Monday.</p>'
    )
    assert page.console_errors == []


def test_typing_at_the_end_of_an_existing_link_does_not_extend_it(editor_page):
    page = editor_page
    page.locator(".prose-editor .ProseMirror[contenteditable]").click()
    page.keyboard.type("Read the notes")
    add_link(page, "notes", "https://observatory.example/notes")
    page.keyboard.press("Home")
    paragraph = page.locator(".ProseMirror p").last
    box = paragraph.bounding_box()
    paragraph.click(position={"x": box["width"] - 2, "y": box["height"] / 2})  # after the link
    page.wait_for_function("() => getSelection().isCollapsed && getSelection().anchorOffset > 0")
    page.keyboard.type("; today")
    assert saved_body(page) == (
        '<p>Read the <a href="https://observatory.example/notes">notes</a>; today</p>'
    )
