"""In headless Chromium: a hero image chosen once survives a refused publish, and the
preview of the saved article says it is a preview."""

import pytest

from articles.models import Article

from .browser import STAFF_PASSWORD, admin_log_in
from .factories import image_file, make_section, make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_refused_publish_keeps_the_chosen_image(live_server, page_factory, artifacts, tmp_path):
    make_staff("aki", "Authors", author_name="Aki Tanaka", password=STAFF_PASSWORD)
    make_section(name="Science")
    page = page_factory()
    admin_log_in(page, live_server, "aki")
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.fill("#id_title", "Comet visible from the city this weekend")
    page.fill("#id_dek", "Clear skies are forecast for Saturday night.")
    page.select_option("#id_section", label="Science")
    photo = tmp_path / "comet.png"
    photo.write_bytes(image_file("comet.png", size=(800, 450), fmt="PNG").read())
    page.set_input_files("#id_hero_image", photo)
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")  # no alt text: publishing is refused

    page.wait_for_selector(".errornote")
    assert "comet.png is uploaded, it will be saved" in page.locator(".upload-kept").inner_text()
    page.screenshot(path=artifacts / "admin-upload-kept.png", full_page=True)
    page.fill("#id_hero_alt", "A comet with a long tail over rooftops")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    article = Article.objects.get()
    assert article.is_live and article.hero_image.name.endswith(".png")

    page.goto(
        live_server.url + page.get_by_role("link", name="Preview").first.get_attribute("href")
    )
    assert "Preview – published" in page.locator(".preview-banner").inner_text()
    page.screenshot(path=artifacts / "admin-preview-banner.png")
    assert page.console_errors == []
