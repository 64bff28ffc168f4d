"""The publish panel: a main button that says what it does, scheduling in the site's zone
without JavaScript (and from the browser's zone with it), Preview saving a draft first, the
checklist linking to its fields, and the word count."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.admin.forms import publish_action
from articles.models import Article

from .factories import article_form_data, image_file, make_article, make_section, make_staff

pytestmark = pytest.mark.django_db
DRAFT, PUBLISHED = Article.Status.DRAFT, Article.Status.PUBLISHED


@pytest.fixture
def author(client):
    user = make_staff("aiko", "Authors", author_name="Aiko Tanaka")
    client.force_login(user)
    return user


def ready_draft(author, **kwargs):
    return make_article(
        authors=[author.author], section=make_section(), hero_image=image_file(),
        hero_alt="A ferry leaving the pier", published=False,
        title="Ferry services resume after the storm", **kwargs,
    )  # fmt: skip


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def primary_button(html) -> str:
    start = html.index('id="publish-primary">') + len('id="publish-primary">')
    return html[start : html.index("</button>", start)].strip()


def test_the_button_says_what_it_will_do():
    soon = timezone.now() + timedelta(hours=2)
    past = timezone.now() - timedelta(hours=2)
    assert publish_action(DRAFT, None) == "Save draft"
    assert publish_action(PUBLISHED, None) == "Publish"
    assert publish_action(PUBLISHED, past) == "Publish"
    assert publish_action(PUBLISHED, soon).startswith("Schedule for ")
    assert publish_action(PUBLISHED, past, was_live=True) == "Update"
    assert publish_action(DRAFT, past, was_live=True) == "Unpublish"


def test_the_page_shows_the_label_for_each_state(client, author):
    draft = ready_draft(author)
    assert primary_button(client.get(change_url(draft)).text) == "Save draft"
    live = make_article(authors=[author.author])
    assert primary_button(client.get(change_url(live)).text) == "Update"
    later = make_article(authors=[author.author], published_at=timezone.now() + timedelta(days=1))
    assert primary_button(client.get(change_url(later)).text).startswith("Schedule for ")
    assert primary_button(client.get(reverse("admin:articles_article_add")).text) == "Save draft"


def test_scheduling_without_javascript_reads_the_time_in_the_sites_zone(client, author, settings):
    settings.TIME_ZONE = "Europe/London"
    draft = ready_draft(author)
    data = article_form_data(
        draft, status="published", published_at_0="2030-07-01", published_at_1="10:00:00"
    )
    response = client.post(change_url(draft), data | {"_continue": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at == datetime(2030, 7, 1, 9, 0, tzinfo=UTC)  # 10:00 BST
    assert draft.is_scheduled and not Article.objects.published().filter(pk=draft.pk).exists()
    assert primary_button(client.get(change_url(draft)).text).startswith("Schedule for ")


def test_the_pickers_time_from_another_zone_wins_over_the_site_fields(client, author, settings):
    settings.TIME_ZONE = "Europe/London"
    draft = ready_draft(author)
    data = article_form_data(
        draft, status="published", published_at_0="2030-07-01", published_at_1="10:00:00",
        schedule_at="2030-07-01T10:00:00+09:00",  # 10:00 in Tokyo, from the browser
    )  # fmt: skip
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.published_at == datetime(2030, 7, 1, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", ["tomorrow at ten", "2030-07-01T10:00:00"])
def test_an_unreadable_or_zoneless_picker_time_is_a_clear_error(client, author, value):
    draft = ready_draft(author)
    data = article_form_data(draft, status="published", schedule_at=value)
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    assert "publication time" in response.text
    draft.refresh_from_db()
    assert draft.status == DRAFT


def test_preview_saves_a_new_article_as_a_draft_then_shows_it(client, author):
    data = article_form_data(title="Storm closes the port for a second day") | {"_preview": "1"}
    response = client.post(reverse("admin:articles_article_add"), data)
    article = Article.objects.get()
    assert article.status == DRAFT
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:article_preview", args=[article.pk])
    page = client.get(response["Location"])
    assert "Storm closes the port for a second day" in page.text
    assert "Preview – not published" in page.text


def test_preview_of_a_draft_never_publishes_it(client, author):
    draft = ready_draft(author)
    data = article_form_data(draft, status="published", dek="A new summary") | {"_preview": "1"}
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == DRAFT and draft.dek == "A new summary"


def test_the_checklist_links_each_item_to_its_field(client, author):
    html = client.get(change_url(ready_draft(author))).text
    for anchor in ("id_title", "id_dek", "id_section", "id_hero_image", "bylines-group"):
        assert f'href="#{anchor}"' in html
    assert 'id="publish-panel"' in html and 'data-site-zone="' in html


def test_the_word_count_and_reading_time_show_under_the_body(client, author):
    words = " ".join(["word"] * 460)
    draft = ready_draft(author, body=f"<p>{words}</p><p>two more</p>")
    html = client.get(change_url(draft)).text
    assert '<span id="word-count-words">462</span> words' in html
    assert '<span id="word-count-minutes">3</span> min to read' in html
