"""Autosave: the page sends the form's text; no revision, no new version; offered back
("Restore" or "Discard") when newer than the saved article, also for a new article."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Autosave

from .factories import make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def aiko(client):
    user = make_staff("aiko", "Authors", author_name="Aiko Tanaka")
    client.force_login(user)
    return user


@pytest.fixture
def draft(aiko):
    return make_article(authors=[aiko.author], published=False)


def autosave_url(article=None):
    if article is None:
        return reverse("admin:articles_article_autosave_new")
    return reverse("admin:articles_article_autosave", args=[article.pk])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_an_autosave_keeps_the_text_without_a_revision_or_a_new_version(client, draft):
    revisions, version = draft.history.count(), draft.version
    data = {"title": "Half-written headline", "body": "<p>Half a story</p>", "dek": ""}
    response = client.post(autosave_url(draft), data)
    assert response.status_code == 200 and "saved_at" in response.json()
    kept = Autosave.objects.get(article=draft)
    assert kept.fields["title"] == "Half-written headline"
    draft.refresh_from_db()
    assert draft.history.count() == revisions and draft.version == version
    assert draft.title != "Half-written headline"


def test_the_autosaved_body_is_sanitised(client, draft):
    client.post(autosave_url(draft), {"body": '<p onclick="x()">Hi</p><script>x()</script>'})
    assert Autosave.objects.get().fields["body"] == "<p>Hi</p>"


def test_an_author_cannot_autosave_someone_elses_article(client, aiko):
    theirs = make_article(published=False)
    assert client.post(autosave_url(theirs), {"title": "Mine now"}).status_code == 404
    assert not Autosave.objects.exists()


def test_autosave_needs_a_post_with_the_csrf_token(aiko, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(aiko)
    assert client.post(autosave_url(draft), {"title": "x"}).status_code == 403
    assert client.get(autosave_url(draft)).status_code == 405
    assert not Autosave.objects.exists()


def test_a_newer_autosave_is_offered_and_restores_into_the_form(client, draft):
    client.post(autosave_url(draft), {"title": "Half-written headline", "dek": "Unsaved dek"})
    html = client.get(change_url(draft)).text
    assert "is newer than the saved version" in html
    assert 'href="?restore=1"' in html and ">Discard</button>" in html
    restored = client.get(change_url(draft) + "?restore=1").text
    assert 'value="Half-written headline"' in restored
    assert "Unsaved dek" in restored
    assert "is newer than the saved version" not in restored


def test_an_autosave_older_than_the_article_is_not_offered(client, draft):
    client.post(autosave_url(draft), {"title": "Old idea"})
    Article.objects.filter(pk=draft.pk).update(title="Saved later")
    draft.refresh_from_db()
    draft.save()  # modified_at moves past the autosave
    assert "is newer than the saved version" not in client.get(change_url(draft)).text


def test_discard_drops_the_autosave(client, draft):
    client.post(autosave_url(draft), {"title": "Scrap this"})
    response = client.post(autosave_url(draft) + "?discard=1")
    assert response.status_code == 302 and response["Location"] == change_url(draft)
    assert not Autosave.objects.exists()


def test_a_new_article_is_autosaved_per_person_and_offered_on_the_add_page(client, aiko):
    client.post(autosave_url(), {"title": "A story not saved yet"})
    assert Autosave.objects.get(article=None).user == aiko
    add = reverse("admin:articles_article_add")
    assert "is newer than the saved version" in client.get(add).text
    assert 'value="A story not saved yet"' in client.get(add + "?restore=1").text
    ben = Client()
    ben.force_login(make_staff("ben", "Authors"))
    assert "is newer than the saved version" not in ben.get(add).text
