"""Front and article pages in headless Chromium at phone and desktop sizes; screenshots in var/artifacts/."""

import pytest

from articles.models import Correction

from .factories import (
    image_file,
    make_article,
    make_author,
    make_banner,
    make_citation,
    make_comment,
    make_section,
    make_source,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE, DESKTOP = (390, 844), (1280, 800)
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
COLOURS = [(25, 60, 110), (120, 40, 30), (30, 100, 70), (90, 80, 30), (60, 40, 100)]


def newsroom():
    asia = make_section(name="Asia", order=0)
    world = make_section(name="World", order=1)
    business = make_section(name="Business", order=2)
    aiko = make_author(
        name="Aiko Tanaka",
        role="Tokyo correspondent",
        bio="Aiko covers security and diplomacy in East Asia.",
    )
    ren = make_author(name="Ren Ito", role="Photographer")
    headlines = [
        ("Japan and South Korea agree on missile-warning data link", world),
        ("Markets steady as the yen recovers from a two-week slide", business),
        ("Typhoon season ends with record rainfall in Okinawa", asia),
        ("Seoul hosts talks on trilateral maritime cooperation", world),
        ("Chipmakers expand in Kumamoto as demand grows", business),
        ("Analysis: what Pyongyang's test schedule tells us", asia),
    ]
    for n, (title, section) in enumerate(headlines):
        make_article(
            title=title,
            dek="A short summary of the story that tells readers why it matters today.",
            section=section,
            authors=[aiko if n % 2 else ren],
            tags=["Japan"],
            hero_image=image_file(f"photo{n}.jpg", size=(1200, 800), color=COLOURS[n % 5])
            if n % 3
            else None,
            hero_alt="A photograph for the story",
            kind="analysis" if title.startswith("Analysis") else "news",
        )
    article = make_article(
        title="North Korea and Tokyo Japan News Today: Rising Tensions and Regional Responses",
        dek="Missile launches toward the Sea of Japan draw a swift response from Tokyo and its allies.",
        dateline="TOKYO",
        section=asia,
        authors=[aiko, ren],
        tags=["North Korea", "Japan", "Missiles"],
        is_featured=True,
        hero_image=image_file("hero.jpg", size=(1600, 900), color=(20, 40, 70)),
        hero_alt="A missile launch over the sea",
        hero_caption="A launch seen from the coast of Hokkaido.",
        hero_credit="Newsroom",
        body="<p>North Korea continues to rely on missile testing as a tool of strategic messaging.</p>"
        "<h2>Missile Launch Activity</h2><p>In recent days, North Korea carried out missile launches "
        "toward the Sea of Japan. Japanese defense authorities detected the launches.</p>"
        "<h3>Advancement in Missile Technology</h3><p>Analysts believe such tests are political "
        "signals aimed at multiple audiences.</p>"
        "<h2>Tokyo's Response</h2><p>Tokyo responded swiftly, calling the launches "
        "“extremely regrettable”.</p>",
    )
    article.bylines.filter(author=ren).update(role="photos")
    make_citation(
        article, source=make_source(name="Truth Frontier"), url="http://www.truthfrontier.com"
    )
    make_citation(
        article,
        source=make_source(name="BBC"),
        url="http://www.bbc.com",
        title="Missile launch report",
    )
    Correction.objects.create(
        article=article, note="An earlier version misstated the time of the launch."
    )
    make_comment(article, name="Kenji", body="Stay safe, everyone.")
    make_comment(article, name="Mina", body="Thanks for the clear explanation.")
    make_banner(text="Missile alert lifted in Hokkaido", link="http://127.0.0.1/")
    return article


def check_page(page, url, artifacts, name):
    response = page.goto(url)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    # Scroll through so that lazy images load before the checks and the screenshot.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("[...document.images].every(i => i.complete)")
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("h1").count() == 1
    broken = page.evaluate(
        "[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == []
    assert page.console_errors == []
    page.screenshot(path=artifacts / name, full_page=True)


@VIEWPORTS
def test_front_page_renders_cleanly_in_a_browser(live_server, page_factory, artifacts, viewport):
    newsroom()
    page = page_factory(*viewport)
    check_page(page, live_server.url + "/", artifacts, f"front-{viewport[0]}.png")
    assert page.locator(".lead-title").inner_text().startswith("North Korea and Tokyo")
    assert page.locator(".banner").inner_text().endswith("Missile alert lifted in Hokkaido")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"


@VIEWPORTS
def test_article_page_renders_cleanly_in_a_browser(live_server, page_factory, artifacts, viewport):
    article = newsroom()
    page = page_factory(*viewport)
    check_page(
        page, live_server.url + article.get_absolute_url(), artifacts, f"article-{viewport[0]}.png"
    )
    assert page.locator(".body h2").all_inner_texts() == [
        "Missile Launch Activity",
        "Tokyo's Response",
    ]
    hero = page.locator(".hero img")
    assert hero.evaluate("img => img.currentSrc").endswith(".webp")
    assert page.locator(".sources li").count() == 2
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.emulate_media(color_scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 18, 18)"
    page.screenshot(path=artifacts / f"article-{viewport[0]}-dark.png", full_page=True)
