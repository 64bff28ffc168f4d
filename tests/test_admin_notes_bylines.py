"""Staff credit: a note stays as its writer wrote it, and only editors credit colleagues."""

import pytest
from django.urls import reverse

from articles.models import Article, Author, EditorialNote

from .factories import article_form_data, image_file, make_article, make_section, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    editor = make_staff("editor", "Editors", author_name="Eda Editor")
    author = make_staff("author", "Authors", author_name="Aki Author")
    colleague = make_staff("colleague", "Authors", author_name="Col League")
    article = make_article(
        title="Harbour deal signed after long talks",
        authors=[author.author],
        section=make_section(name="World"),
        hero_image=image_file(),
        hero_alt="The harbour",
    )
    return editor, author, colleague, article


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def with_note(data, note, **fields):
    return data | {
        "editorial_notes-TOTAL_FORMS": "1",
        "editorial_notes-INITIAL_FORMS": "1",
        "editorial_notes-0-id": note.pk,
        "editorial_notes-0-article": note.article_id,
        "editorial_notes-0-body": note.body,
        **{f"editorial_notes-0-{name}": value for name, value in fields.items()},
    }


def with_byline(data, author, role="reporting"):
    n = int(data["bylines-TOTAL_FORMS"])
    return data | {
        "bylines-TOTAL_FORMS": str(n + 1),
        f"bylines-{n}-author": author.pk,
        f"bylines-{n}-role": role,
        f"bylines-{n}-order": n,
    }


# Editorial notes ------------------------------------------------------------------------


@pytest.fixture
def editors_note(desk):
    editor, _, _, article = desk
    return EditorialNote.objects.create(
        article=article, body="Check the quote with the ministry.", created_by=editor
    )


def test_an_author_sees_an_editors_note_read_only(client, desk, editors_note):
    _, author, _, article = desk
    client.force_login(author)
    page = client.get(change_url(article))
    assert page.status_code == 200
    [notes] = [
        f.formset for f in page.context["inline_admin_formsets"] if f.opts.model is EditorialNote
    ]
    form = notes.forms[0]
    assert "Check the quote with the ministry." in page.text
    assert form.fields["body"].disabled and form.fields["DELETE"].disabled
    assert "only they can change or delete it" in page.text


def test_an_author_cannot_rewrite_an_editors_note(client, desk, editors_note):
    _, author, _, article = desk
    client.force_login(author)
    data = with_note(article_form_data(article, change_note="typo"), editors_note, body="Fine.")
    assert client.post(change_url(article), data).status_code == 302
    editors_note.refresh_from_db()
    assert editors_note.body == "Check the quote with the ministry."


def test_an_author_cannot_delete_an_editors_note(client, desk, editors_note):
    _, author, _, article = desk
    client.force_login(author)
    data = with_note(article_form_data(article, change_note="typo"), editors_note, DELETE="on")
    assert client.post(change_url(article), data).status_code == 302
    assert EditorialNote.objects.filter(pk=editors_note.pk).exists()


def test_the_writer_edits_and_deletes_their_own_note(client, desk, editors_note):
    editor, _, _, article = desk
    client.force_login(editor)
    data = with_note(article_form_data(article, change_note="n"), editors_note, body="Quote ok.")
    assert client.post(change_url(article), data).status_code == 302
    editors_note.refresh_from_db()
    assert editors_note.body == "Quote ok."
    article.refresh_from_db()
    data = with_note(article_form_data(article, change_note="n"), editors_note, DELETE="on")
    assert client.post(change_url(article), data).status_code == 302
    assert not EditorialNote.objects.filter(pk=editors_note.pk).exists()


def test_an_editor_cannot_rewrite_an_authors_note_either(client, desk):
    editor, author, _, article = desk
    note = EditorialNote.objects.create(article=article, body="Source asked.", created_by=author)
    client.force_login(editor)
    data = with_note(article_form_data(article, change_note="n"), note, body="Rewritten.")
    assert client.post(change_url(article), data).status_code == 302
    note.refresh_from_db()
    assert note.body == "Source asked."


def test_an_editor_cannot_delete_an_authors_note(client, desk):
    editor, author, _, article = desk
    note = EditorialNote.objects.create(article=article, body="Source asked.", created_by=author)
    client.force_login(editor)
    data = with_note(article_form_data(article, change_note="n"), note, DELETE="on")
    assert client.post(change_url(article), data).status_code == 302
    assert EditorialNote.objects.filter(pk=note.pk).exists()


def test_an_author_deletes_their_own_note(client, desk):
    _, author, _, article = desk
    note = EditorialNote.objects.create(article=article, body="Source asked.", created_by=author)
    client.force_login(author)
    data = with_note(article_form_data(article, change_note="n"), note, DELETE="on")
    assert client.post(change_url(article), data).status_code == 302
    assert not EditorialNote.objects.filter(pk=note.pk).exists()


def test_a_new_note_is_credited_to_its_writer(client, desk):
    _, author, _, article = desk
    client.force_login(author)
    data = article_form_data(article, change_note="n") | {
        "editorial_notes-TOTAL_FORMS": "1",
        "editorial_notes-0-body": "Waiting for the port's reply.",
    }
    assert client.post(change_url(article), data).status_code == 302
    assert EditorialNote.objects.get().created_by == author


# Bylines --------------------------------------------------------------------------------


def test_an_author_cannot_credit_a_staff_colleague(client, desk):
    _, author, colleague, article = desk
    client.force_login(author)
    data = with_byline(article_form_data(article, change_note="co-byline"), colleague.author)
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "Col League is a staff colleague: only an editor can credit them" in response.text
    assert list(article.bylines.values_list("author__name", flat=True)) == ["Aki Author"]
    client.force_login(colleague)
    assert client.get(change_url(article)).status_code == 404


def test_an_author_cannot_credit_a_colleague_on_a_new_article(client, desk):
    _, author, colleague, _ = desk
    client.force_login(author)
    data = with_byline(article_form_data(title="A brand new story for Monday"), colleague.author)
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200 and "only an editor can credit them" in response.text
    assert not Article.objects.filter(title="A brand new story for Monday").exists()


def test_an_author_cannot_swap_their_byline_for_a_colleagues(client, desk):
    _, author, colleague, article = desk
    client.force_login(author)
    data = article_form_data(article, change_note="swap") | {
        "bylines-0-author": colleague.author.pk
    }
    response = client.post(change_url(article), data)
    assert response.status_code == 200 and "only an editor can credit them" in response.text
    assert list(article.bylines.values_list("author__name", flat=True)) == ["Aki Author"]


def test_an_author_credits_a_guest_contributor(client, desk):
    _, author, _, article = desk
    guest = Author.objects.create(name="Gus Guest")
    client.force_login(author)
    data = with_byline(article_form_data(article, change_note="guest"), guest, role="photos")
    assert client.post(change_url(article), data).status_code == 302
    assert set(article.bylines.values_list("author__name", flat=True)) == {
        "Aki Author",
        "Gus Guest",
    }


def test_an_editor_credits_a_staff_colleague(client, desk):
    editor, _, colleague, article = desk
    client.force_login(editor)
    data = with_byline(article_form_data(article, change_note="co-byline"), colleague.author)
    assert client.post(change_url(article), data).status_code == 302
    assert article.bylines.filter(author=colleague.author).exists()


def test_an_author_keeps_a_colleague_an_editor_credited(client, desk):
    editor, author, colleague, article = desk
    article.bylines.create(author=colleague.author, order=1)
    client.force_login(author)
    response = client.post(change_url(article), article_form_data(article, change_note="tweak"))
    assert response.status_code == 302
    assert article.bylines.count() == 2


def test_the_author_search_offers_authors_only_guests_and_themselves(client, desk):
    _, author, _, _ = desk
    Author.objects.create(name="Gus Guest")
    client.force_login(author)
    url = reverse("admin:autocomplete")
    params = {"app_label": "articles", "model_name": "byline", "field_name": "author", "term": ""}
    names = {r["text"] for r in client.get(url, params).json()["results"]}
    assert names == {"Aki Author", "Gus Guest"}
