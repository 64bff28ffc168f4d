"""In headless Chromium: an author drops one picture into the body and pastes another, describes
both, publishes, and readers get two responsive figures with captions."""

import pytest

from articles.models import Article, Image

from .browser import STAFF_PASSWORD, admin_log_in, drop_or_paste_picture
from .factories import image_file, make_section, make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EDITOR = ".field-body .ProseMirror[contenteditable]"


def test_dropped_and_pasted_images_become_responsive_figures(
    live_server, page_factory, artifacts, tmp_path
):
    make_staff("aki", "Authors", author_name="Aki Tanaka", password=STAFF_PASSWORD)
    make_section(name="Science")
    page = page_factory()
    admin_log_in(page, live_server, "aki")  # 2 page loads, 2 fills, 1 click
    page.goto(live_server.url + "/admin/articles/article/add/")  # page load 3
    page.fill("#id_title", "Comet visible from the city this weekend")
    page.fill("#id_dek", "Clear skies are forecast for Saturday night.")
    page.select_option("#id_section", label="Science")
    hero = tmp_path / "sky.png"
    hero.write_bytes(image_file("sky.png", size=(1200, 800), fmt="PNG").read())
    page.set_input_files("#id_hero_image", hero)
    page.fill("#id_hero_alt", "The night sky over the harbour")
    page.wait_for_selector(EDITOR)
    page.click(EDITOR)
    page.keyboard.type("The comet rises after midnight.")
    page.keyboard.press("Enter")  # the pictures go below the paragraph

    drop_or_paste_picture(page, "drop", "comet.png", (200, 40, 40))
    page.fill("#media-alt", "A comet with a long tail")
    page.fill("#media-caption", "The comet at 2 a.m.")
    page.fill("#media-credit", "Aki Tanaka")
    page.click(".media-dialog[open] button.default")
    page.wait_for_selector(f"{EDITOR} figure img[data-file]")

    drop_or_paste_picture(page, "paste", "image.png", (40, 40, 200))
    page.fill("#media-alt", "A telescope on a roof")
    page.fill("#media-caption", "Where to watch from")
    page.click(".media-dialog[open] button.default")
    page.locator(f"{EDITOR} figure img[data-file]").nth(1).wait_for()
    page.screenshot(path=artifacts / "media-editor-figures.png", full_page=True)

    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")  # page load 4
    page.wait_for_selector(".messagelist .success")
    article = Article.objects.get()
    assert article.is_live
    dropped, pasted = Image.objects.order_by("pk").exclude(pk=article.hero_id)
    assert (dropped.alt, dropped.credit) == ("A comet with a long tail", "Aki Tanaka")
    assert pasted.alt == "A telescope on a roof"
    assert (
        f'data-file="{dropped.pk}"' in article.body and f'data-file="{pasted.pk}"' in article.body
    )

    page.goto(live_server.url + article.get_absolute_url())  # page load 5
    figures = page.locator(".body figure.body-image")
    assert figures.count() == 2
    for n in range(2):
        image = figures.nth(n).locator("img")
        assert "400w" in image.get_attribute("srcset")
        assert image.get_attribute("loading") == "lazy" and image.get_attribute("width") == "1600"
    # The paste went where the caret was left, after the dropped picture.
    texts = [figures.nth(n).locator("figcaption").text_content() for n in range(2)]
    assert texts == ["The comet at 2 a.m. Aki Tanaka", "Where to watch from"]
    alts = [figures.nth(n).locator("img").get_attribute("alt") for n in range(2)]
    assert alts == ["A comet with a long tail", "A telescope on a roof"]
    assert "<p>The comet rises after midnight.</p>" in page.content()
    page.screenshot(path=artifacts / "media-article-figures.png", full_page=True)

    # In the library, a click on the picture sets the focal point.
    page.goto(f"{live_server.url}/admin/articles/image/{dropped.pk}/change/")  # page load 6
    box = page.locator(".focal-picker img").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.25)
    assert (page.input_value("#id_focal_x"), page.input_value("#id_focal_y")) == ("0.800", "0.250")
    page.click("input[name=_save]")  # page load 7
    page.wait_for_selector(".messagelist .success")
    dropped.refresh_from_db()
    assert dropped.focal_point == (0.8, 0.25) and dropped.renditions["focal"] == [0.8, 0.25]
    assert page.console_errors == []
    # Counted: 7 page loads; 10 fills (2 to sign in), 2 selects, 1 file chosen; 7 clicks; 1 typed
    # sentence and 1 key press; 1 drop and 1 paste.
