"""Who may do what in the admin, through its real views, including forged requests."""

import pytest
from django.urls import reverse

from articles.models import Article, Section, Source

from .factories import article_form_data, image_file, make_article, make_section, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    editor = make_staff("editor", "Editors", author_name="Eda Editor")
    author = make_staff("author", "Authors", author_name="Aki Author")
    other = make_staff("other", "Authors", author_name="Otto Other")
    section = make_section(name="World")
    extra = {"section": section, "hero_image": image_file(), "hero_alt": "A harbour at dawn"}
    mine = make_article(title="My own story about the harbour", authors=[author.author], **extra)
    theirs = make_article(title="Another reporter scoops the port", authors=[other.author], **extra)
    return editor, author, other, mine, theirs


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def action(client, name, articles, **extra):
    data = {"action": name, "_selected_action": [a.pk for a in articles], "index": 0, **extra}
    return client.post(reverse("admin:articles_article_changelist"), data)


def test_author_lists_only_articles_with_their_byline(client, desk):
    _, author, _, mine, theirs = desk
    client.force_login(author)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert mine.title in response.text
    assert theirs.title not in response.text


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_author_gets_404_not_a_form_for_someone_elses_article(client, desk, view):
    _, author, _, _, theirs = desk
    client.force_login(author)
    response = client.get(reverse(f"admin:articles_article_{view}", args=[theirs.pk]))
    assert response.status_code == 404
    assert theirs.title not in response.text
    assert 'method="post"' not in response.text  # the 404 page's search form is a GET


def test_forged_post_to_someone_elses_article_changes_nothing(client, desk):
    _, author, _, _, theirs = desk
    client.force_login(author)
    data = article_form_data(theirs, title="Hijacked headline here", change_note="mine now")
    response = client.post(change_url(theirs), data)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Another reporter scoops the port"


def test_author_cannot_delete_even_their_own_article(client, desk):
    _, author, _, mine, _ = desk
    client.force_login(author)
    url = reverse("admin:articles_article_delete", args=[mine.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=mine.pk).exists()


def test_author_bulk_unpublish_of_someone_elses_article_is_ignored(client, desk):
    _, author, _, mine, theirs = desk
    client.force_login(author)
    action(client, "unpublish_selected", [mine, theirs])
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == Article.Status.DRAFT
    assert theirs.status == Article.Status.PUBLISHED


@pytest.mark.parametrize("name", ["move_to_section", "add_tag"])
def test_author_cannot_run_desk_bulk_actions_even_by_forged_post(client, desk, name):
    _, author, _, mine, _ = desk
    client.force_login(author)
    changelist = client.get(reverse("admin:articles_article_changelist")).text
    assert f'value="{name}"' not in changelist
    new_section = make_section(name="Sport")
    action(client, name, [mine], apply="1", section=new_section.pk, tag="forged")
    mine.refresh_from_db()
    assert mine.section.name == "World"
    assert list(mine.tags.names()) == []


def test_author_forging_the_featured_flag_is_ignored(client, desk):
    _, author, _, mine, _ = desk
    client.force_login(author)
    form = client.get(change_url(mine)).text
    assert 'name="is_featured"' not in form
    data = article_form_data(mine, is_featured="on", change_note="tweak")
    assert client.post(change_url(mine), data).status_code == 302
    mine.refresh_from_db()
    assert not mine.is_featured


def test_author_cannot_change_a_published_slug(client, desk):
    _, author, _, mine, _ = desk
    client.force_login(author)
    data = article_form_data(mine, slug="a-new-url", change_note="new url")
    assert client.post(change_url(mine), data).status_code == 302
    mine.refresh_from_db()
    assert mine.slug == "my-own-story-about-the-harbour"


def test_new_article_gets_its_author_as_first_byline(client, desk):
    _, author, _, _, _ = desk
    client.force_login(author)
    response = client.post(reverse("admin:articles_article_add"), article_form_data())
    assert response.status_code == 302
    article = Article.objects.get(title="Typhoon season starts early this year")
    assert [b.author.user for b in article.bylines.all()] == [author]
    assert article.status == Article.Status.DRAFT


def test_author_can_publish_and_unpublish_their_own_article(client, desk):
    _, author, _, mine, _ = desk
    client.force_login(author)
    action(client, "unpublish_selected", [mine])
    mine.refresh_from_db()
    assert mine.status == Article.Status.DRAFT
    action(client, "publish_selected", [mine])
    mine.refresh_from_db()
    assert mine.is_live


@pytest.mark.parametrize(
    "url",
    [
        "admin:articles_section_add",
        "admin:articles_source_add",
        "admin:taggit_tag_add",
        "admin:articles_comment_add",
    ],
)
def test_author_cannot_touch_the_desks_records(client, desk, url):
    _, author, _, _, _ = desk
    client.force_login(author)
    assert client.get(reverse(url)).status_code == 403


def test_author_cannot_forge_a_section_or_source(client, desk):
    _, author, _, _, _ = desk
    client.force_login(author)
    client.post(reverse("admin:articles_section_add"), {"name": "Forged", "order": 0})
    client.post(reverse("admin:articles_source_add"), {"name": "Forged", "kind": "outlet"})
    assert not Section.objects.filter(name="Forged").exists()
    assert not Source.objects.filter(name="Forged").exists()


def test_author_may_view_sections_and_sources(client, desk):
    _, author, _, _, _ = desk
    client.force_login(author)
    assert client.get(reverse("admin:articles_source_changelist")).status_code == 200
    assert client.get(reverse("admin:articles_section_changelist")).status_code == 200


def test_editor_sees_and_edits_everyones_articles(client, desk):
    editor, _, _, mine, theirs = desk
    client.force_login(editor)
    listing = client.get(reverse("admin:articles_article_changelist")).text
    assert mine.title in listing and theirs.title in listing
    data = article_form_data(theirs, title="Edited by the desk today", change_note="headline")
    assert client.post(change_url(theirs), data).status_code == 302
    theirs.refresh_from_db()
    assert theirs.title == "Edited by the desk today"


def test_editor_bulk_publishes_and_deletes(client, desk):
    editor, _, _, mine, theirs = desk
    client.force_login(editor)
    action(client, "unpublish_selected", [mine, theirs])
    assert Article.objects.drafts().count() == 2
    action(client, "publish_selected", [mine, theirs])
    assert Article.objects.published().count() == 2
    client.post(reverse("admin:articles_article_delete", args=[mine.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=mine.pk).exists()


def test_editor_moves_and_tags_in_bulk(client, desk):
    editor, _, _, mine, theirs = desk
    client.force_login(editor)
    sport = make_section(name="Sport")
    page = action(client, "move_to_section", [mine, theirs])
    assert page.status_code == 200 and "Move to a section" in page.text
    action(client, "move_to_section", [mine, theirs], apply="1", section=sport.pk)
    action(client, "add_tag", [mine, theirs], apply="1", tag="Harbours")
    for article in (mine, theirs):
        article.refresh_from_db()
        assert article.section == sport
        assert list(article.tags.names()) == ["Harbours"]


@pytest.mark.parametrize("url", ["admin:index", "admin:articles_article_changelist"])
def test_visitors_and_non_staff_are_sent_to_the_login(client, django_user_model, url):
    assert client.get(reverse(url)).status_code == 302
    client.force_login(django_user_model.objects.create_user("reader"))
    response = client.get(reverse(url))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_a_group_cannot_open_articles(client, desk):
    _, _, _, mine, _ = desk
    client.force_login(make_staff("intern"))
    assert client.get(change_url(mine)).status_code in (403, 404)
    assert client.get(reverse("articles:article_preview", args=[mine.pk])).status_code == 404


def test_groups_get_the_desks_new_permissions():
    from django.contrib.auth.models import Group

    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert {"add_editorialnote", "change_editorialnote"} <= codenames("Authors")
    assert "edit_others_article" not in codenames("Authors")
    assert {"edit_others_article", "delete_editorialnote", "change_tagredirect"} <= codenames(
        "Editors"
    )


@pytest.mark.parametrize("view", ["changelist", "add"])
def test_staff_without_a_group_get_403_on_the_article_desk(client, view):
    client.force_login(make_staff("intern"))
    assert client.get(reverse(f"admin:articles_article_{view}")).status_code == 403
    assert (
        client.post(reverse("admin:articles_article_add"), article_form_data()).status_code == 403
    )
    assert not Article.objects.exists()


def test_editor_opens_history_and_preview_of_any_article(client, desk):
    editor, _, _, mine, theirs = desk
    client.force_login(editor)
    for article in (mine, theirs):
        assert (
            client.get(reverse("admin:articles_article_history", args=[article.pk])).status_code
            == 200
        )
        assert client.get(reverse("articles:article_preview", args=[article.pk])).status_code == 200


def test_author_opens_history_and_preview_of_their_own_article(client, desk):
    _, author, _, mine, theirs = desk
    client.force_login(author)
    assert client.get(reverse("admin:articles_article_history", args=[mine.pk])).status_code == 200
    assert client.get(reverse("articles:article_preview", args=[mine.pk])).status_code == 200
    assert client.get(reverse("articles:article_preview", args=[theirs.pk])).status_code == 404
