"""The seed article typed in as an author would, in headless Chromium: headings and the
Index, two pictures (one dropped, one pasted) described and captioned, a table with a header
row, a YouTube embed, a correction struck out and inserted, links cited from the body in one
click; then the public page as a reader gets it (responsive figures, the embed loads nothing
from YouTube before the click), checked with axe-core.

The steps are counted (page loads, clicks, key presses besides the words themselves), for
comparison with other editors: see `Steps` and the test's last lines."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest

from articles.models import Article, Citation

from .browser import STAFF_PASSWORD, drop_or_paste_picture
from .factories import image_file, make_section, make_source, make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
EDITOR = ".prose-editor .ProseMirror[contenteditable]"
THIRD_PARTIES = ("youtube", "ytimg", "vimeo", "google", "doubleclick", "twitter", "x.com")
TITLE = "North Korea and Tokyo Japan News Today: Rising Tensions and Regional Responses"
DEK = (
    "The relationship between North Korea and Japan, particularly centered around Tokyo, "
    "remains one of the most sensitive security issues in East Asia."
)


class Steps:
    """A page that counts what the author did: page loads, clicks, key presses (Enter, Tab,
    shortcuts, selections) and text typed (counted per field, not per character)."""

    def __init__(self, page):
        self.page = page
        self.loads = self.clicks = self.keys = self.texts = 0

    def goto(self, url):
        self.loads += 1
        self.page.goto(url)

    def click(self, selector, *, loads=False, **kwargs):
        self.clicks += 1
        if loads:
            self.loads += 1
            with self.page.expect_navigation():
                self.page.click(selector, **kwargs)
        else:
            self.page.click(selector, **kwargs)

    def fill(self, selector, text):
        self.texts += 1
        self.page.fill(selector, text)

    def type(self, text):
        self.texts += 1
        self.page.keyboard.type(text)

    def press(self, key, times=1):
        self.keys += times
        for _ in range(times):
            self.page.keyboard.press(key)

    def drop_or_paste(self, kind, name, colour):
        """A picture dropped on the editor or pasted into it (one action), then its dialog."""
        self.clicks += 1
        drop_or_paste_picture(self.page, kind, name, colour)

    def select(self, selector, value):
        self.clicks += 2  # open the list, pick
        self.page.select_option(selector, value)

    def select_back(self, words):
        """Select the last `words` typed, as Shift+Left would, and let the editor see it."""
        self.press("Shift+ArrowLeft", len(words))
        # The editor takes the selection from `selectionchange`, a task of its own: a click on
        # a mark's button before that task ran marked nothing (a flake, once in a while).
        self.page.wait_for_function("w => document.getSelection().toString() === w", arg=words)
        self.page.evaluate(
            "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
        )


def paragraph_with_link(steps, before, words, href, after):
    steps.type(before + words)
    steps.select_back(words)
    steps.click("button[data-name=link]")
    steps.fill("dialog[open] input[name=href]", href)
    steps.click("dialog[open] button[type=submit]")
    steps.page.wait_for_function("() => !document.querySelector('dialog[open]')")
    steps.press("End")
    steps.type(after)
    steps.press("Enter")


def test_author_types_the_seed_article_and_readers_get_it_whole(
    live_server, page_factory, artifacts, tmp_path
):
    make_staff("aki", "Authors", author_name="Aki Tanaka", password=STAFF_PASSWORD)
    asia = make_section(name="Asia")
    make_source(name="Truth Frontier", homepage_url="http://www.truthfrontier.com")
    make_source(name="BBC", homepage_url="https://www.bbc.com")
    hero = tmp_path / "launch.jpg"
    hero.write_bytes(image_file("launch.jpg", size=(1600, 900)).read())

    page = page_factory()
    steps = Steps(page)
    steps.goto(live_server.url + "/admin/login/")
    steps.fill("#id_username", "aki")
    steps.fill("#id_password", STAFF_PASSWORD)
    steps.click("input[type=submit]", loads=True)
    steps.goto(live_server.url + "/admin/articles/article/add/")
    steps.fill("#id_title", TITLE)
    steps.fill("#id_dek", DEK)

    # The body: headings by Markdown shortcuts, links by the link tool.
    steps.click(EDITOR)
    steps.type("## North Korea’s Recent Actions and Military Signaling")
    steps.press("Enter")
    paragraph_with_link(
        steps,
        "Pyongyang frames its tests as defensive, as reported by ",
        "Truth Frontier",
        "http://www.truthfrontier.com/north-korea-tokyo",
        ".",
    )
    steps.type("### Missile Launch Activity Toward the Sea of Japan")
    steps.press("Enter")
    paragraph_with_link(
        steps,
        "Japanese radar tracked the launches, according to ",
        "the BBC",
        "https://www.bbc.com/news/world-asia",
        ".",
    )
    # A correction: the wrong figure struck out, the right one inserted.
    steps.type("The missiles flew 300 km")
    steps.select_back("300 km")
    steps.click("button[title='Correction: mark as deleted']")
    steps.press("End")
    steps.click("button[title='Correction: mark as deleted']")  # stop striking out
    steps.type(" 350 km")
    steps.select_back("350 km")
    steps.click("button[title='Correction: mark as inserted']")
    steps.press("End")
    steps.click("button[title='Correction: mark as inserted']")
    steps.type(" before falling into the sea.")
    steps.press("Enter")
    steps.type("## Tokyo’s Immediate Response and National Security Measures")
    steps.press("Enter")
    steps.type("Tokyo responded swiftly to the missile activity.")
    steps.press("Enter")
    # Two pictures: one dropped from the desktop, one pasted, each described in the dialog.
    steps.drop_or_paste("drop", "radar.png", (200, 40, 40))
    steps.fill("#media-alt", "Radar screens tracking the launch")
    steps.fill("#media-caption", "The radar room in Tokyo.")
    steps.click(".media-dialog[open] button.default")
    page.wait_for_selector(f"{EDITOR} figure img[data-file]")
    steps.drop_or_paste("paste", "image.png", (40, 40, 200))
    steps.fill("#media-alt", "Ministers at a press conference")
    steps.fill("#media-caption", "The defence minister speaks.")
    steps.click(".media-dialog[open] button.default")
    page.locator(f"{EDITOR} figure img[data-file]").nth(1).wait_for()
    steps.press("ArrowRight")  # out of the caption, after the figure
    # A YouTube embed, by its URL.
    steps.click("button[title='Embed a post or video by its URL']")
    steps.fill("dialog[open] input[name=url]", "https://youtu.be/dQw4w9WgXcQ")
    steps.click("dialog[open] button[type=submit]")
    page.wait_for_selector(".ProseMirror figure[data-embed]")
    # A table with a header row, filled cell by cell with Tab.
    steps.click("button[title='Insert table']")
    steps.fill("dialog[open] input[name=rows]", "3")
    steps.fill("dialog[open] input[name=cols]", "2")
    steps.select("dialog[open] select[name=withHeaderRow]", "Yes")
    steps.click("dialog[open] button[type=submit]")
    page.wait_for_selector(".ProseMirror table th")
    for n, cell in enumerate(["Date", "Launch", "1 December", "Ballistic missile", "2 December"]):
        if n:
            steps.press("Tab")
        steps.type(cell)
    steps.press("Tab")
    steps.type("Cruise missile")

    page.set_input_files("#id_hero_image", str(hero))
    steps.clicks += 1  # choosing the file: one click in the file dialog
    steps.fill("#id_hero_alt", "A missile launch seen from the coast")
    steps.select("#id_section", str(asia.pk))
    steps.select("#id_status", "published")
    steps.click("#publish-primary", loads=True)
    assert page.locator(".messagelist .success").count() == 1, page.content()[:3000]
    article = Article.objects.get(title=TITLE)

    # Citations from the body: each link one click away, then one save.
    links = page.locator(".body-links button.body-link-cite")
    assert links.count() == 2
    steps.click(".body-links button[data-url*='truthfrontier']")
    steps.click(".body-links button[data-url*='bbc.com']")
    steps.fill("#id_change_note", "Cited the sources")
    steps.click("#publish-primary", loads=True)
    cited = Citation.objects.filter(article=article).order_by("order", "id")
    assert [(c.source.name, c.url, c.title) for c in cited] == [
        ("Truth Frontier", "http://www.truthfrontier.com/north-korea-tokyo", "Truth Frontier"),
        ("BBC", "https://www.bbc.com/news/world-asia", "the BBC"),
    ]
    assert page.locator(".body-links").count() == 0  # nothing left to cite

    body = Article.objects.get(pk=article.pk).body
    assert "<del>300 km</del>" in body and "<ins>350 km</ins>" in body
    assert '<figure data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' in body
    assert re.search(r"<table>.*<th[^>]*><p>Date</p></th>.*</table>", body)
    assert body.count("data-file=") == 2

    # The reader's page: nothing from YouTube until the reader asks for it.
    reader = page_factory()
    requests = []
    reader.on("request", lambda r: requests.append(r.url))
    reader.goto(live_server.url + article.get_absolute_url())
    reader.wait_for_load_state("networkidle")
    outside = [u for u in requests if urlsplit(u).hostname not in ("localhost", "127.0.0.1")]
    assert outside == []
    card = reader.locator("figure.embed-youtube")
    assert card.locator(".embed-provider").inner_text() == "YouTube"
    assert card.locator("a").get_attribute("href") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"

    # The pictures as responsive figures, described and captioned.
    figures = reader.locator(".body figure.body-image")
    assert figures.count() == 2
    for n, (alt, caption) in enumerate(
        [
            ("Radar screens tracking the launch", "The radar room in Tokyo."),
            ("Ministers at a press conference", "The defence minister speaks."),
        ]
    ):
        image = figures.nth(n).locator("img")
        assert "400w" in image.get_attribute("srcset") and image.get_attribute("alt") == alt
        assert figures.nth(n).locator("figcaption").text_content().startswith(caption)

    # The Index links to every heading of the body.
    index = reader.locator("nav.index a")
    headings = reader.locator(".body h2, .body h3")
    assert index.count() == headings.count() == 3
    for n in range(index.count()):
        target = index.nth(n).get_attribute("href")
        assert reader.locator(f".body {target}").inner_text() == index.nth(n).inner_text()
    assert reader.locator(".body table th[scope=col]").count() == 2
    assert reader.locator(".body del").inner_text() == "300 km"
    assert reader.locator(".body ins").inner_text() == "350 km"

    violations = axe_violations(reader)
    assert violations == [], violations
    reader.screenshot(path=artifacts / "writing-seed-public.png", full_page=True)

    # The click loads the player (this machine is offline: the request is made, then fails).
    with reader.expect_request(lambda r: urlsplit(r.url).hostname == "www.youtube-nocookie.com"):
        card.get_by_role("button", name="Load YouTube content").click()
    frame = reader.locator("figure.embed-youtube iframe")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert frame.get_attribute("title") == "YouTube content"
    assert not [e for e in reader.console_errors if "Content Security Policy" in e]
    assert page.console_errors == []
    print(
        f"\nSeed article: {steps.loads} page loads, {steps.clicks} clicks, {steps.keys} key "
        f"presses besides the text, typed into {steps.texts} fields or blocks."
    )


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2 A/AA violations on the page, as 'rule: target' lines."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
    )
    assert len(result["passes"]) > 10  # axe really ran
    return [f"{v['id']}: {node['target']}" for v in result["violations"] for node in v["nodes"]]
