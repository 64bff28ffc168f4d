"""A saved body goes through the editor and back unchanged: anchors, tables, corrections and
embeds are read by the editor's extensions, not dropped on the next save."""

import pytest

from articles.body.embeds import embed_html
from articles.models import Article

from .browser import STAFF_PASSWORD, admin_log_in
from .factories import make_article, make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY = (
    '<h2 id="launch-timeline">Timeline</h2>'
    "<p>It flew <del>300 km</del> <ins>350 km</ins>, <s>roughly</s>.</p>"
    "<table><tbody><tr><th><p>Date</p></th><th><p>Launch</p></th></tr>"
    "<tr><td><p>1 December</p></td><td><p>Ballistic</p></td></tr></tbody></table>"
    + embed_html("https://vimeo.com/76979871")
    + "<p>End.</p>"
)


def test_a_saved_body_survives_the_editor(live_server, page_factory):
    user = make_staff("ed", "Editors", password=STAFF_PASSWORD)
    article = make_article(title="Launch timeline", body=BODY, status="draft", published_at=None)
    assert article.body == BODY  # stored as written
    page = page_factory()
    admin_log_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor = page.locator(".prose-editor .ProseMirror[contenteditable]")
    editor.locator("p", has_text="End.").click()
    page.keyboard.press("End")
    page.keyboard.type(" More.")
    assert editor.locator("figure[data-embed]").inner_text() == "Embed: https://vimeo.com/76979871"
    page.click("#publish-primary")
    page.wait_for_selector(".messagelist .success")
    assert Article.objects.get(pk=article.pk).body == BODY.replace("End.", "End. More.")
    assert page.console_errors == []
