"""On a 390 px phone: the desk's history pages fit the screen, and the site's section menu
shows every section."""

import pytest

from .browser import STAFF_PASSWORD, admin_log_in
from .factories import image_file, make_article, make_author, make_section, make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = 390
WIDTH = "() => document.documentElement.scrollWidth"


def test_history_and_revision_pages_fit_a_phone(live_server, page_factory, artifacts):
    editor = make_staff("eda", "Editors", author_name="Eda Editor", password=STAFF_PASSWORD)
    article = make_article(
        title="Council approves the long-delayed riverside cycling bridge after a decade",
        authors=[editor.author],
        section=make_section(name="City"),
        hero_image=image_file(),
        hero_alt="An artist's drawing of the bridge",
        body="<p>"
        + "https://council.example/minutes/2026/riverside-bridge-final-vote " * 3
        + "</p>",
    )
    article.title = "Council approves the riverside bridge"
    article.save()
    record = article.history.order_by("history_id").first()
    page = page_factory(width=PHONE, height=800)
    admin_log_in(page, live_server, "eda")
    admin = f"{live_server.url}/admin/articles/article/{article.pk}"
    for name, url in [
        ("history", f"{admin}/history/"),
        ("revision", f"{admin}/history/{record.history_id}/"),
    ]:
        page.goto(url)
        page.screenshot(path=artifacts / f"admin-{name}-390.png", full_page=True)
        assert page.evaluate(WIDTH) <= PHONE, f"the {name} page scrolls sideways"
        crumbs = page.locator("ol.breadcrumbs")
        assert crumbs.is_visible()
        background = crumbs.evaluate("e => getComputedStyle(e).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the admin's style
    assert page.console_errors == []


def test_every_section_in_the_phone_menu_can_be_seen(live_server, page_factory, artifacts):
    author = make_author()
    for order, name in enumerate(["World", "Politics", "Business", "Opinion", "Science"]):
        # The menu lists the sections that have a published article.
        section = make_section(name=name, order=order)
        make_article(title=f"A story filed under {name}", section=section, authors=[author])
    page = page_factory(width=PHONE, height=800)
    page.goto(live_server.url + "/")
    page.screenshot(path=artifacts / "site-section-menu-390.png")
    assert page.evaluate(WIDTH) <= PHONE
    for name in ["Latest", "World", "Politics", "Business", "Opinion", "Science"]:
        link = page.locator(".section-menu a", has_text=name)
        box = link.bounding_box()
        assert link.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, name
    assert page.console_errors == []
