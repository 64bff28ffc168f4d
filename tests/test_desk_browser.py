"""The article page in Chromium: an author in Tokyo schedules an article through the publish
panel and it goes live on time; two people on one article see the lock, an editor takes
over, and the first one's typed text is not lost. Screenshots land in var/artifacts/.

Each test counts what the person did (page loads, clicks and key presses) for the README's
comparison with WordPress's Publish box."""

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Autosave, EditLock

from .browser import STAFF_PASSWORD, admin_log_in
from .factories import image_file, make_article, make_section, make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def signed_in(browser, live_server):
    """Pages in their own browser contexts (own cookies, own time zone), signed in."""
    contexts = []

    def new_page(username, **options):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        admin_log_in(page, live_server, username)
        return page

    yield new_page
    for context in contexts:
        context.close()


def test_an_author_in_tokyo_schedules_through_the_panel_and_it_goes_live_on_time(
    signed_in, browser, live_server, settings, artifacts
):
    settings.TIME_ZONE = "Europe/London"  # the site's zone; the browser is in Tokyo
    author = make_staff("aiko", "Authors", author_name="Aiko Tanaka", password=STAFF_PASSWORD)
    draft = make_article(
        authors=[author.author], section=make_section(), hero_image=image_file(),
        hero_alt="A ferry leaving the pier", published=False,
        title="Ferry services resume after the storm",
    )  # fmt: skip
    page = signed_in("aiko", timezone_id="Asia/Tokyo")
    change = live_server.url + reverse("admin:articles_article_change", args=[draft.pk])
    page.goto(change)  # page load 1
    button = page.locator("#publish-primary")
    assert button.inner_text() == "Save draft"
    assert (
        "Your time (Asia/Tokyo)".lower()
        in page.locator(".schedule-local label").inner_text().lower()
    )

    when = (timezone.now() + timedelta(seconds=12)).astimezone(TOKYO).replace(microsecond=0)
    page.fill("#schedule-local", when.strftime("%Y-%m-%dT%H:%M:%S"))  # 1 field, typed
    page.wait_for_function(
        "() => /^Schedule for/.test(document.getElementById('publish-primary').textContent)"
    )
    note = page.locator("#schedule-note").inner_text()
    london = when.astimezone(ZoneInfo("Europe/London"))
    assert (
        f"Publishes {when:%H:%M} Asia/Tokyo ({london:%H:%M} Europe/London, the site's time)" in note
    )
    page.screenshot(path=artifacts / "desk-schedule-panel.png")
    button.click()  # click 1; page load 2 (the saved article)
    page.wait_for_selector(".messagelist .success")
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at == when  # the Tokyo time, stored as the same instant
    assert page.locator("#publish-primary").inner_text().startswith("Schedule for")

    reader = browser.new_page()
    public = live_server.url + draft.get_absolute_url()
    assert reader.goto(public).status == 404  # not yet
    time.sleep(max(0.0, (draft.published_at - timezone.now()).total_seconds()) + 0.5)
    assert reader.goto(public).status == 200
    assert "Ferry services resume after the storm" in reader.content()
    reader.screenshot(path=artifacts / "desk-schedule-live.png")
    reader.close()
    assert page.errors == []


def test_two_people_on_one_article_see_the_lock_and_no_text_is_lost(
    signed_in, live_server, artifacts
):
    author = make_staff(
        "aiko", "Authors", author_name="Aiko Tanaka", password=STAFF_PASSWORD, first_name="Aiko"
    )
    make_staff(
        "eda", "Editors", author_name="Eda Editor", password=STAFF_PASSWORD, first_name="Eda"
    )
    article = make_article(authors=[author.author], published=False, title="Harbour reopens")
    change = live_server.url + reverse("admin:articles_article_change", args=[article.pk])

    first = signed_in("aiko")
    first.goto(change)
    first.fill("#id_title", "Harbour reopens after three days of storms")  # typed, not saved
    second = signed_in("eda")
    second.goto(change)  # page load 1
    banner = second.locator("#desk-lock")
    assert banner.locator("strong").inner_text().startswith("Aiko is editing this article since ")
    second.screenshot(path=artifacts / "desk-lock-banner.png")

    second.click("text=Take over")  # click 1; page load 2
    second.wait_for_selector(".messagelist")
    assert second.locator("#desk-lock").count() == 0
    assert EditLock.objects.get().user.username == "eda"
    assert second.errors == []

    first.evaluate("document.dispatchEvent(new Event('desk:heartbeat'))")  # as every 30 s
    lost = first.locator("#desk-lock-lost")
    lost.wait_for(state="visible")
    assert lost.inner_text().startswith("Eda took over this article")
    assert first.input_value("#id_title") == "Harbour reopens after three days of storms"
    first.wait_for_function(
        "() => /Autosaved/.test(document.getElementById('autosave-status').textContent)"
    )
    kept = Autosave.objects.get(article=article, user=author)
    assert kept.fields["title"] == "Harbour reopens after three days of storms"
    first.screenshot(path=artifacts / "desk-lock-taken-over.png")

    first.click("#publish-primary")  # a save now is refused, the text shown back
    first.wait_for_selector(".errornote")
    assert "Eda is editing this article since" in first.content()
    assert first.input_value("#id_title") == "Harbour reopens after three days of storms"
    article.refresh_from_db()
    assert article.title == "Harbour reopens"

    # Closing the tab lets go at once (a beacon), without waiting for the lock to lapse. Aiko's
    # page may claim the free lock on its next heartbeat (two seconds after its reload), so the
    # check is that Eda no longer holds it.
    second.close()
    for _ in range(50):
        if not EditLock.objects.filter(user__username="eda").exists():
            break
        time.sleep(0.1)
    assert not EditLock.objects.filter(user__username="eda").exists()

    # The article list fits a 1,366-pixel screen: no sideways scrolling.
    first.goto(live_server.url + reverse("admin:articles_article_changelist"))
    assert first.evaluate("document.documentElement.scrollWidth") <= 1366
    first.screenshot(path=artifacts / "desk-article-list.png")
    assert first.errors == []
