"""The desk in headless Chromium: an author writes, previews and publishes; an editor
merges tags; text typed before a lost session can be put back."""

import pytest
from django.urls import reverse

from articles.models import Article

from .browser import STAFF_PASSWORD, admin_log_in
from .factories import image_file, make_article, make_section, make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_author_writes_previews_and_publishes_an_article(
    live_server, page_factory, artifacts, tmp_path
):
    make_staff("aki", "Authors", author_name="Aki Tanaka", password=STAFF_PASSWORD)
    make_section(name="Science")
    make_article(title="Last month's meteor shower", tags=["Astronomy"])
    page = page_factory()
    admin_log_in(page, live_server, "aki")
    page.click("text=Write a new article")

    page.fill("#id_title", "Comet visible from the city this weekend")
    page.fill("#id_dek", "Clear skies are forecast for Saturday night.")
    page.select_option("#id_section", label="Science")
    photo = tmp_path / "comet.png"
    photo.write_bytes(image_file("comet.png", size=(800, 450), fmt="PNG").read())
    page.set_input_files("#id_hero_image", photo)
    page.fill("#id_hero_alt", "A comet with a long tail over rooftops")
    page.locator("#id_tags").press_sequentially("Night sky, astr")
    suggestion = page.locator("#id_tags-suggestions option")
    suggestion.first.wait_for(state="attached")
    assert suggestion.first.get_attribute("value") == "Night sky, Astronomy"
    with page.expect_response(lambda response: "tag-suggestions" in response.url):
        page.fill("#id_tags", "Night sky, Astronomy")  # wait for its lookup to finish
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    hero_url = page.locator(".field-hero_image a").first.get_attribute("href")
    dek_check = page.locator("#publish-checklist [data-check=dek]")
    assert dek_check.get_attribute("class") == "check-ok"
    assert page.locator("[data-check=hero]").get_attribute("class") == "check-ok"
    page.fill("#id_dek", "")
    page.wait_for_function(
        "() => document.querySelector('[data-check=dek]').className === 'check-fail'"
    )
    page.fill("#id_dek", "Clear skies are forecast for Saturday night.")

    editor = page.locator(".prose-editor .ProseMirror[contenteditable]")
    editor.click()
    page.locator(".prose-menubar__selected").click()
    page.locator(".prose-menubar__option[data-name=heading2]").click()
    page.keyboard.type("Where to look")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the observatory notes")
    for _ in range(len("notes")):
        page.keyboard.press("Shift+ArrowLeft")
    page.locator("button[data-name=link]").click()
    page.fill("dialog[open] input[name=href]", "https://observatory.example/notes")
    page.click("dialog[open] button[type=submit]")
    # The dialog hands focus back to the editor, its cursor just after the new link.
    page.wait_for_function(
        "() => document.activeElement.classList.contains('ProseMirror')"
        " && proseEditor.state.selection.empty"
    )
    page.keyboard.press("Enter")
    page.keyboard.type("The chart below shows the way.")
    page.locator("button[data-name=figure]").click()
    page.fill("dialog[open] input[name=imageUrl]", hero_url)
    page.fill("dialog[open] input[name=altText]", "Star chart for Saturday")
    page.click("dialog[open] button[type=submit]")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    article = Article.objects.get(title="Comet visible from the city this weekend")
    assert sorted(article.tags.names()) == ["Astronomy", "Night sky"]
    assert "<h2>Where to look</h2>" in article.body
    assert 'href="https://observatory.example/notes"' in article.body
    assert 'alt="Star chart for Saturday"' in article.body
    assert [b.author.name for b in article.bylines.all()] == ["Aki Tanaka"]

    page.click("button[name=_preview]")  # the panel's Preview saves the draft, then shows it
    page.wait_for_url(f"**/preview/{article.pk}/")
    assert page.locator("h1").inner_text() == "Comet visible from the city this weekend"
    assert page.locator(".body h2").inner_text() == "Where to look"
    assert page.locator(".body a").get_attribute("href") == "https://observatory.example/notes"
    assert page.locator(".body img").evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=artifacts / "admin-preview.png", full_page=True)
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))

    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    page.goto(live_server.url + "/")
    assert "Comet visible from the city this weekend" in page.locator("main").inner_text()
    assert page.console_errors == []


def test_editor_merges_two_tags(live_server, page_factory):
    make_staff("eda", "Editors", author_name="Eda Editor", password=STAFF_PASSWORD)
    make_article(title="Wind farm approved off the coast", tags=["Energy"])
    make_article(title="Power cuts expected in the cold", tags=["Power"])
    page = page_factory()
    admin_log_in(page, live_server, "eda")
    page.goto(live_server.url + "/admin/taggit/tag/")
    for name in ("Energy", "Power"):
        page.locator("tr", has_text=name).locator("input.action-select").check()
    page.select_option("select[name=action]", "merge_tags")
    page.click("button[name=index]")
    page.select_option("#id_into", label="Energy")
    page.click("input[value='Merge tags']")
    assert "Merged “Power” into “Energy”" in page.locator(".messagelist").inner_text()

    page.goto(live_server.url + "/tags/power/")
    assert page.url == live_server.url + "/tags/energy/"
    listing = page.locator("main").inner_text()
    assert "Wind farm approved" in listing and "Power cuts expected" in listing
    assert page.console_errors == []


def test_text_typed_before_a_lost_session_can_be_put_back(live_server, page_factory):
    make_staff("aki", "Authors", author_name="Aki Tanaka", password=STAFF_PASSWORD)
    page = page_factory()
    admin_log_in(page, live_server, "aki")
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.fill("#id_title", "A headline typed just before the session ended")
    page.context.clear_cookies(name="sessionid")  # the session expires meanwhile
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "aki")
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/articles/article/add/")
    assert page.input_value("#id_title") == ""
    page.click("text=Put it back in the form")
    assert page.input_value("#id_title") == "A headline typed just before the session ended"
