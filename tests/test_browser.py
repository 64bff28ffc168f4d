"""Real pages in headless Chromium; screenshots are kept under var/artifacts/."""

import pytest

from articles.models import Citation, Source

from .factories import image_file, make_article, make_author, make_comment, make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = (390, 844), (1280, 800)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_article_page_renders_cleanly_in_a_browser(live_server, page_factory, artifacts, viewport):
    article = make_article(
        title="North Korea and Tokyo Japan News Today: Rising Tensions",
        dateline="TOKYO",
        section=make_section(name="Asia"),
        authors=[make_author(name="Truth Frontier")],
        tags=["North Korea"],
        hero_image=image_file(size=(1600, 900)),
        hero_alt="A missile launch over the sea",
        hero_caption="A launch seen from the coast.",
        hero_credit="Newsroom",
        body="<h2>Missile Launch Activity</h2><p>Launches toward the Sea of Japan.</p>"
        "<h2>Tokyo's Response</h2><p>Tokyo responded swiftly.</p>",
    )
    Citation.objects.create(
        article=article, source=Source.objects.create(name="BBC"), url="http://www.bbc.com"
    )
    make_comment(article, name="Kenji", body="Stay safe, everyone.")

    page = page_factory(*viewport)
    response = page.goto(live_server.url + article.get_absolute_url())
    assert response.status == 200
    assert page.locator("h1").inner_text() == article.title
    assert page.locator(".body h2").all_inner_texts() == [
        "Missile Launch Activity",
        "Tokyo's Response",
    ]
    assert page.locator(".hero img").evaluate("img => img.naturalWidth") == 1600
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.console_errors == []
    page.screenshot(path=artifacts / f"article-{viewport[0]}.png", full_page=True)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
