"""One save service: the admin, bulk actions and the demo save articles through save_article
(a revision with its note, tags, bylines, "Updated" and slug redirects in one go); minor edits."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.demo import demo_create
from articles.models import Article, Autosave, Correction, SlugRedirect
from articles.saving import save_article

from . import wxr
from .factories import article_form_data, image_file, make_article, make_section, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_staff("eda", "Editors", author_name="Eda Editor")
    client.force_login(user)
    return user


def ready(editor, **kwargs):
    """A published article that passes the publishing checklist."""
    return make_article(
        authors=[editor.author], section=make_section(), hero_image=image_file(),
        hero_alt="A ferry leaving the pier", **kwargs,
    )  # fmt: skip


def latest(article):
    return article.history.order_by("-history_id").first()


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_service_saves_tags_a_revision_with_its_note_and_a_new_version(editor):
    article = make_article(authors=[editor.author])
    version = article.version
    article.title = "Ferry services resume after the storm"
    save_article(article, by=editor, note="New angle", tags=["Ferries", "Weather"])
    article.refresh_from_db()
    assert article.version == version + 1
    assert sorted(article.tags.names()) == ["Ferries", "Weather"]
    record = latest(article)
    assert record.history_change_reason == "New angle"
    assert record.history_user == editor
    assert record.snapshot["tags"] == ["Ferries", "Weather"]
    assert record.snapshot["bylines"][0]["name"] == "Eda Editor"


def test_a_new_slug_on_a_published_article_keeps_the_old_url(editor):
    article = make_article(authors=[editor.author])
    old = article.slug
    article.slug = "a-better-slug"
    save_article(article, by=editor, note="Clearer URL")
    assert SlugRedirect.objects.get(old_slug=old).article == article


def test_a_minor_edit_keeps_updated_and_is_marked_on_its_revision(editor):
    updated = timezone.now() - timedelta(days=2)
    article = make_article(authors=[editor.author], updated_at=updated)
    article.title = "North Korea fires missiles towards the Sea of Japan"
    article.updated_at = timezone.now()  # a minor edit leaves it as readers saw it
    save_article(article, by=editor, minor=True)
    article.refresh_from_db()
    assert article.updated_at == updated
    record = latest(article)
    assert record.history_change_reason == "Minor edit"
    assert record.snapshot["minor"] is True
    assert record.title == article.title


def test_saving_clears_the_savers_autosave_only(editor):
    article = make_article(authors=[editor.author])
    other = make_staff("other", "Editors")
    Autosave.objects.create(article=article, user=editor, fields={"title": "x"})
    Autosave.objects.create(article=article, user=other, fields={"title": "y"})
    save_article(article, by=editor, note="Saved")
    assert list(Autosave.objects.values_list("user", flat=True)) == [other.pk]


def test_the_admin_saves_through_the_service(client, editor):
    section = make_section()
    data = article_form_data(section=section.pk, tags="Ports, Weather")
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert sorted(article.tags.names()) == ["Ports", "Weather"]
    record = latest(article)
    assert record.history_change_reason == "Created" and record.history_user == editor
    assert record.snapshot["tags"] == ["Ports", "Weather"]


def test_an_authors_new_article_gets_their_byline_first(client):
    author = make_staff("aiko", "Authors", author_name="Aiko Tanaka")
    client.force_login(author)
    client.post(reverse("admin:articles_article_add"), article_form_data())
    article = Article.objects.get()
    assert [b.author.name for b in article.bylines.all()] == ["Aiko Tanaka"]
    assert latest(article).snapshot["bylines"][0]["name"] == "Aiko Tanaka"


def test_a_bulk_action_saves_through_the_service(client, editor):
    article = make_article(authors=[editor.author])
    section = make_section(name="Harbours")
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "move_to_section", "_selected_action": [article.pk], "apply": "1",
         "section": section.pk},
    )  # fmt: skip
    article.refresh_from_db()
    assert article.section == section
    assert latest(article).history_change_reason == "Moved to Harbours"


def test_the_demo_saves_through_the_service_with_a_first_revision_each():
    summary = demo_create(articles=3, comments_per_article=0)
    assert summary.articles == 3
    for article in Article.objects.all():
        assert latest(article).history_change_reason == "Demo content"


def test_the_wordpress_importer_saves_through_the_service(tmp_path):
    export = wxr.export(
        wxr.author("admin", "Ada Admin"),
        wxr.item(7, "Floods close the coast road", content="<p>The road is shut.</p>"),
    )
    (tmp_path / "export.xml").write_text(export, encoding="utf-8")
    call_command("import_wordpress", str(tmp_path / "export.xml"), stdout=StringIO())
    article = Article.objects.get(title="Floods close the coast road")
    assert latest(article).history_change_reason == "Imported from WordPress"


# Minor edits in the admin ------------------------------------------------------------


def test_a_minor_edit_needs_no_change_note_and_keeps_updated(client, editor):
    updated = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
    article = ready(editor, updated_at=updated)
    local = timezone.localtime(updated)
    data = article_form_data(
        article, title="North Korea fires missiles towards the Sea of Japan", minor_edit="on",
        updated_at_0=local.strftime("%Y-%m-%d"), updated_at_1=local.strftime("%H:%M:%S"),
    )  # fmt: skip
    response = client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title.endswith("towards the Sea of Japan")
    assert article.updated_at == updated
    assert latest(article).snapshot["minor"] is True
    history = client.get(reverse("admin:articles_article_history", args=[article.pk])).text
    assert 'Minor edit <span class="diff-flag">(minor edit)</span>' in history


def test_a_minor_edit_with_a_correction_still_leaves_updated_alone(client, editor):
    article = ready(editor)
    data = article_form_data(article, minor_edit="on") | {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "clarification",
        "corrections-0-note": "Spelling of a name.",
        "corrections-0-published_at_0": timezone.localdate().isoformat(),
        "corrections-0-published_at_1": "00:00:01",
    }
    assert client.post(change_url(article), data).status_code == 302
    assert Correction.objects.filter(article=article).exists()
    article.refresh_from_db()
    assert article.updated_at is None


def test_without_the_minor_tick_a_published_article_still_needs_a_note(client, editor):
    article = make_article(authors=[editor.author], section=make_section())
    response = client.post(change_url(article), article_form_data(article, title="A new title"))
    assert response.status_code == 200
    assert "say briefly what you changed" in response.text


def test_the_minor_tick_is_offered_on_published_articles_only(client, editor):
    live = make_article(authors=[editor.author])
    draft = make_article(authors=[editor.author], published=False)
    assert 'name="minor_edit"' in client.get(change_url(live)).text
    assert 'name="minor_edit"' not in client.get(change_url(draft)).text
