"""Drafts always save, and an image the author uploaded survives any refused save."""

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles.models import Article

from .factories import article_form_data, image_file, make_article, make_section, make_staff

pytestmark = pytest.mark.django_db

KEPT = re.compile(r'name="hero_image_kept" value="([^"]+)"')


@pytest.fixture
def author(client):
    user = make_staff("author", "Authors", author_name="Aki Author")
    client.force_login(user)
    return user


def add(client, **overrides):
    return client.post(reverse("admin:articles_article_add"), article_form_data(**overrides))


def kept_token(response) -> str:
    match = KEPT.search(response.text)
    assert match, "the re-shown form carries no kept upload"
    return match.group(1)


def test_a_draft_with_a_hero_image_but_no_alt_text_saves(client, author):
    response = add(client, hero_image=image_file("photo.jpg"), hero_alt="")
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.hero_image.name.endswith(".jpg") and article.hero_width == 1200


def test_publishing_is_still_refused_without_alt_text(client, author):
    response = add(
        client, hero_image=image_file("photo.jpg"), hero_alt="", status="published",
        section=make_section().pk,
    )  # fmt: skip
    assert response.status_code == 200
    assert "Describe the hero image, or mark it as decorative." in response.text
    assert not Article.objects.exists()


def test_a_refused_publish_keeps_the_upload_and_the_next_save_stores_it(client, author):
    section = make_section().pk
    first = add(
        client, hero_image=image_file("photo.jpg"), hero_alt="", status="published",
        section=section,
    )  # fmt: skip
    assert first.status_code == 200
    assert "photo.jpg is uploaded, it will be saved" in first.text
    # The author adds the alt text and saves again, without choosing the file again.
    second = add(
        client, hero_image_kept=kept_token(first), hero_alt="A ferry at the pier",
        status="published", section=section,
    )  # fmt: skip
    assert second.status_code == 302
    article = Article.objects.get()
    assert article.is_live and (article.hero_width, article.hero_height) == (1200, 800)
    with Image.open(article.hero_image.path) as stored:
        assert stored.size == (1200, 800)
    assert not default_storage.exists("pending") or not default_storage.listdir("pending")[1]


def test_an_error_in_another_field_keeps_the_upload_through_two_refusals(client, author):
    first = add(client, hero_image=image_file("photo.png", fmt="PNG"), title="")
    assert first.status_code == 200
    assert "This field is required" in first.text
    assert "photo.png is uploaded, it will be saved" in first.text
    second = add(client, hero_image_kept=kept_token(first), title="", hero_alt="A chart")
    assert "photo.png is uploaded, it will be saved" in second.text
    third = add(client, hero_image_kept=kept_token(second), title="Typhoon season starts early")
    assert third.status_code == 302
    assert Article.objects.get().hero_image.name.endswith(".png")


def test_an_error_in_an_inline_keeps_the_upload(client, author):
    data = article_form_data(hero_image=image_file("photo.jpg"))
    data |= {"citations-TOTAL_FORMS": "1", "citations-0-url": "not a url", "citations-0-order": "0"}
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "photo.jpg is uploaded, it will be saved" in response.text


def test_a_new_file_replaces_the_kept_one(client, author):
    first = add(client, hero_image=image_file("photo.jpg"), title="")
    add(client, hero_image_kept=kept_token(first), hero_image=image_file("other.png", fmt="PNG"))
    assert Article.objects.get().hero_image.name.endswith(".png")


def test_a_forged_or_stale_kept_upload_is_ignored_with_no_error(client, author, settings):
    assert add(client, hero_image_kept="pending/../../settings.py").status_code == 302
    assert not Article.objects.get().hero_image


def test_editing_a_published_article_keeps_a_new_image_when_the_note_is_missing(client):
    editor = make_staff("editor", "Editors", author_name="Eda Editor")
    client.force_login(editor)
    article = make_article(
        authors=[editor.author], section=make_section(), hero_image=image_file(), hero_alt="Old"
    )
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form_data(article, hero_image=image_file("new.jpg", size=(800, 600)))
    first = client.post(url, data)
    assert "say briefly what you changed" in first.text
    assert "new.jpg is uploaded, it will be saved" in first.text
    data = article_form_data(article, hero_image_kept=kept_token(first), change_note="New photo")
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert (article.hero_width, article.hero_height) == (800, 600)


def test_the_image_field_keeps_the_admins_look_with_the_current_file_linked(client, author):
    add(client, hero_image=image_file("photo.jpg"))
    article = Article.objects.get()
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert f'<p class="file-upload">Currently: <a href="{article.hero_image.url}">' in html
