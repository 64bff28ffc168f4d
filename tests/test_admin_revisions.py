"""Revisions: every save kept with its metadata, history, diff against live, restore."""

import pytest
from django.urls import reverse

from articles.models import Citation, Source
from articles.services import revision_snapshot_refresh

from .factories import article_form_data, image_file, make_article, make_section, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_staff("editor", "Editors", author_name="Eda Editor")


@pytest.fixture
def article(editor):
    article = make_article(
        title="Bridge closed for repairs this week",
        authors=[editor.author],
        section=make_section(name="City"),
        hero_image=image_file(),
        hero_alt="The bridge at night",
        tags=["Transport"],
    )
    Citation.objects.create(
        article=article, source=Source.objects.create(name="City hall"), url="https://city.example/"
    )
    return article


def save(client, article, **overrides):
    article.refresh_from_db()
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, article_form_data(article, **overrides))


def test_each_admin_save_keeps_a_revision_with_metadata_and_note(client, editor, article):
    client.force_login(editor)
    before = article.history.count()
    assert (
        save(client, article, tags="Transport, Roads", change_note="add roads tag").status_code
        == 302
    )
    latest = article.history.order_by("-history_id").first()
    assert article.history.count() == before + 1
    assert latest.history_user == editor
    assert latest.history_change_reason == "add roads tag"
    assert latest.snapshot["tags"] == ["Roads", "Transport"]
    assert latest.snapshot["bylines"][0]["name"] == "Eda Editor"
    assert latest.snapshot["citations"][0]["url"] == "https://city.example/"
    assert latest.hero_alt == "The bridge at night"


def test_history_lists_who_changed_what_and_when(client, editor, article):
    client.force_login(editor)
    save(client, article, title="Bridge reopens ahead of schedule", change_note="new hed")
    page = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert page.status_code == 200
    assert "new hed" in page.text and "editor" in page.text
    newest = page.context["records"][0]
    assert newest.changes == ["title"]
    assert "Compare with live" in page.text


def test_diff_shows_changed_fields_and_metadata_against_live(client, editor, article):
    client.force_login(editor)
    save(client, article, change_note="first")
    original = article.history.order_by("-history_id").first()
    save(
        client,
        article,
        title="Bridge reopens ahead of schedule",
        body="<p>The bridge reopened on Friday.</p>",
        tags="Roads",
        change_note="update",
    )
    url = reverse("admin:articles_article_revision", args=[article.pk, original.history_id])
    page = client.get(url)
    rows = {row["label"]: row for row in page.context["rows"]}
    assert rows["title"]["changed"]
    assert rows["title"]["old"] == "Bridge closed for repairs this week"
    assert rows["title"]["new"] == "Bridge reopens ahead of schedule"
    assert {"op": "added", "text": "The bridge reopened on Friday."} in rows["body"]["lines"]
    assert rows["tags"]["changed"] and rows["tags"]["old"] == "Transport"
    assert not rows["summary (dek)"]["changed"]


def test_restoring_a_revision_brings_back_text_and_tags(client, editor, article):
    client.force_login(editor)
    save(client, article, change_note="baseline")
    baseline = article.history.order_by("-history_id").first()
    save(client, article, title="A headline we regret now", tags="Oops", change_note="bad")
    url = reverse("admin:articles_article_restore", args=[article.pk, baseline.history_id])
    assert client.get(url).status_code == 404  # restoring needs the form's POST
    response = client.post(url, {"note": "undo"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Bridge closed for repairs this week"
    assert list(article.tags.names()) == ["Transport"]
    assert article.citations.count() == 1
    latest = article.history.order_by("-history_id").first()
    assert latest.history_change_reason.startswith("Restored the revision of")
    assert latest.history_change_reason.endswith(": undo")


def test_restoring_refuses_a_form_opened_before_the_restore(client, editor, article):
    client.force_login(editor)
    save(client, article, change_note="baseline")
    baseline = article.history.order_by("-history_id").first()
    stale = article_form_data(article, change_note="later")
    client.post(reverse("admin:articles_article_restore", args=[article.pk, baseline.history_id]))
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), stale)
    assert response.status_code == 200 and "newer version" in response.text


def test_other_authors_cannot_read_or_restore_history(client, article):
    outsider = make_staff("outsider", "Authors", author_name="Out Sider")
    record = article.history.first()
    client.force_login(outsider)
    for name, args in [
        ("admin:articles_article_history", [article.pk]),
        ("admin:articles_article_revision", [article.pk, record.history_id]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    restore = reverse("admin:articles_article_restore", args=[article.pk, record.history_id])
    assert client.post(restore).status_code == 404


def test_bulk_actions_leave_a_revision_and_make_open_forms_stale(client, editor, article):
    client.force_login(editor)
    open_form = article_form_data(article, change_note="later")
    sport = make_section(name="Sport")
    data = {"action": "move_to_section", "_selected_action": [article.pk], "index": 0}
    client.post(
        reverse("admin:articles_article_changelist"), data | {"apply": "1", "section": sport.pk}
    )
    latest = article.history.order_by("-history_id").first()
    assert (latest.history_user, latest.history_change_reason) == (editor, "Moved to Sport")
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), open_form)
    assert "newer version" in response.text


@pytest.fixture
def author():
    return make_staff("author", "Authors", author_name="Aki Author")


def restore(client, article, record, note=""):
    url = reverse("admin:articles_article_restore", args=[article.pk, record.history_id])
    return client.post(url, {"note": note}, follow=True)


def test_restoring_a_revision_that_fails_the_checklist_does_not_publish_it(client, author):
    # Published before the hero image was required: its revision has none.
    article = make_article(
        title="Ferry timetable changes in spring", authors=[author.author], section=make_section()
    )
    live_revision = article.history.order_by("-history_id").first()
    client.force_login(author)
    save(client, article, status="draft", change_note="pull it")
    save(client, article, status="published", change_note="again")  # refused: no hero image
    article.refresh_from_db()
    assert article.status == "draft"
    page = restore(client, article, live_revision)
    assert page.status_code == 200
    assert "cannot be published" in page.text and "Hero image" in page.text
    article.refresh_from_db()
    assert article.status == "draft" and not article.is_live


def test_restoring_a_published_revision_that_passes_the_checklist_publishes_it(
    client, editor, article
):
    client.force_login(editor)
    live_revision = article.history.order_by("-history_id").first()
    save(client, article, status="draft", change_note="pull it")
    assert restore(client, article, live_revision).status_code == 200
    article.refresh_from_db()
    assert article.is_live


def test_staff_who_may_not_change_the_article_cannot_restore_it(client, article):
    from django.contrib.auth.models import Permission

    viewer = make_staff("viewer", author_name="Vi Ewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    article.bylines.create(author=viewer.author, order=1)
    record = article.history.order_by("history_id").first()
    client.force_login(viewer)
    url = reverse("admin:articles_article_restore", args=[article.pk, record.history_id])
    assert client.post(url).status_code == 403


def test_an_author_cannot_feature_an_article_by_restoring_a_featured_revision(
    client, editor, author
):
    article = make_article(
        title="Ferry timetable changes in spring",
        authors=[author.author],
        section=make_section(),
        hero_image=image_file(),
        hero_alt="A ferry",
        is_featured=True,
    )
    featured_revision = article.history.order_by("-history_id").first()
    client.force_login(editor)
    save(client, article, change_note="no longer the lead")  # the form leaves is_featured off
    article.refresh_from_db()
    assert not article.is_featured
    client.force_login(author)
    restore(client, article, featured_revision)
    article.refresh_from_db()
    assert not article.is_featured


def test_an_author_cannot_credit_a_staff_colleague_by_restoring_a_revision(client, editor, author):
    colleague = make_staff("colleague", "Authors", author_name="Col League")
    article = make_article(
        title="Ferry timetable changes in spring",
        authors=[author.author, colleague.author],
        section=make_section(),
        hero_image=image_file(),
        hero_alt="A ferry",
    )
    revision_snapshot_refresh(article)  # as the admin does once bylines are saved
    credited_revision = article.history.order_by("-history_id").first()
    article.bylines.filter(author=colleague.author).delete()
    client.force_login(author)
    page = restore(client, article, credited_revision)
    assert "Col League" in page.text and "only an editor" in page.text
    assert list(article.bylines.values_list("author__name", flat=True)) == ["Aki Author"]
    client.force_login(editor)
    restore(client, article, credited_revision)
    assert article.bylines.count() == 2
