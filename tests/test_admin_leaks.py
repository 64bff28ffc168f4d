"""Nothing about an unpublished article leaks: not its slug, its tags, nor its old URLs."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Redirect
from articles.services import article_slug_redirect, article_unpublish

from .factories import make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    author = make_staff("author", "Authors", author_name="Aki Author")
    other = make_staff("other", "Authors", author_name="Otto Other")
    return author, other


def draft_by(user, title="Secret merger talks between the ports", **kwargs):
    return make_article(title=title, authors=[user.author], published=False, **kwargs)


def view_on_site(article):
    content_type = ContentType.objects.get_for_model(Article)
    return reverse("admin:view_on_site", args=[content_type.pk, article.pk])


def test_view_on_site_does_not_send_an_author_to_someone_elses_draft(client, staff):
    author, other = staff
    draft = draft_by(other)
    client.force_login(author)
    response = client.get(view_on_site(draft))
    assert response.status_code == 404
    assert draft.slug not in response.get("Location", "")


def test_view_on_site_opens_the_authors_own_article(client, staff):
    author, _ = staff
    mine = make_article(authors=[author.author])
    client.force_login(author)
    response = client.get(view_on_site(mine))
    assert response.status_code == 302
    assert response["Location"].endswith(mine.get_absolute_url())


def test_view_on_site_opens_any_article_for_an_editor(client, staff):
    _, other = staff
    draft = draft_by(other)
    client.force_login(make_staff("editor", "Editors"))
    response = client.get(view_on_site(draft))
    assert response.status_code == 302
    assert response["Location"].endswith(draft.get_absolute_url())


def test_view_on_site_with_a_malformed_id_is_a_404(client, staff):
    author, _ = staff
    client.force_login(author)
    content_type = ContentType.objects.get_for_model(Article)
    url = reverse("admin:view_on_site", args=[content_type.pk, "not-a-number"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("admin:view_on_site", args=[999999, 1])).status_code == 404


def test_an_old_slug_stops_redirecting_once_the_article_is_unpublished(client, staff):
    author, _ = staff
    article = make_article(title="Harbour reopens after the storm", authors=[author.author])
    old_slug = article.slug
    article.slug = "harbour-reopens-secret-new-angle"
    article.save()
    article_slug_redirect(article, old_slug)
    assert client.get(f"/articles/{old_slug}/").status_code == 301
    article_unpublish(article)
    response = client.get(f"/articles/{old_slug}/")
    assert response.status_code == 404
    assert "secret-new-angle" not in response.get("Location", "")


def test_an_imported_permalink_does_not_redirect_to_an_unpublished_article(client, staff):
    author, _ = staff
    article = make_article(title="Imported story from the old site", authors=[author.author])
    Redirect.objects.create(old_path="/2019/05/01/story/", new_path=article.get_absolute_url())
    Redirect.objects.create(old_path="/?p=12", new_path=article.get_absolute_url())
    assert client.get("/2019/05/01/story/").status_code == 301
    article_unpublish(article)
    for path in ["/2019/05/01/story/", "/?p=12"]:
        response = client.get(path)
        assert article.slug not in response.get("Location", "")
    assert client.get("/2019/05/01/story/").status_code == 404


def test_other_imported_permalinks_still_redirect(client):
    Redirect.objects.create(old_path="/about-us/", new_path="/sections/world/")
    response = client.get("/about-us/")
    assert response.status_code == 301 and response["Location"] == "/sections/world/"


@pytest.mark.parametrize(
    "url",
    [
        "articles:tag_detail",
        "articles:tag_feed",
        "articles:tag_feed_atom",
    ],
)
def test_a_tag_used_only_by_drafts_is_a_404_like_an_unknown_tag(client, staff, url):
    author, _ = staff
    draft_by(author, tags=["Merger talks"])
    next_week = timezone.now() + timedelta(days=7)
    make_article(authors=[author.author], tags=["Embargo"], published_at=next_week)
    for slug in ["merger-talks", "embargo", "no-such-tag"]:
        response = client.get(reverse(url, args=[slug]))
        assert response.status_code == 404, slug
        assert "Merger talks" not in response.text


def test_a_tag_on_a_live_article_has_its_page_and_feed(client, staff):
    author, _ = staff
    draft_by(author, tags=["Harbours"])
    make_article(
        title="Harbour reopens after the storm", authors=[author.author], tags=["Harbours"]
    )
    page = client.get(reverse("articles:tag_detail", args=["harbours"]))
    assert page.status_code == 200 and "Harbour reopens after the storm" in page.text
    assert "Secret merger" not in page.text
    assert client.get(reverse("articles:tag_feed", args=["harbours"])).status_code == 200


def test_a_merged_tags_old_url_does_not_lead_to_a_tag_only_drafts_use(client, staff):
    from articles.services import tag_rename

    author, _ = staff
    draft = draft_by(author, tags=["Ports"])
    tag_rename(draft.tags.get(), "Secret port merger")
    response = client.get(reverse("articles:tag_detail", args=["ports"]))
    assert response.status_code == 404
    assert "secret-port-merger" not in response.get("Location", "")


def test_an_author_learns_no_tag_name_that_only_someone_elses_draft_carries(client, staff):
    author, other = staff
    draft_by(other, tags=["Portmerger"])
    make_article(title="Live one", authors=[other.author], tags=["Portside"])
    draft_by(author, title="My own draft", tags=["Portfolio"])
    client.force_login(author)
    suggested = client.get(reverse("admin:articles_article_tag_suggestions"), {"q": "port"})
    assert sorted(suggested.json()["tags"]) == ["Portfolio", "Portside"]
    for url in (
        reverse("admin:articles_article_changelist"),
        reverse("admin:taggit_tag_changelist"),
    ):
        page = client.get(url).content.decode()
        assert "Portmerger" not in page, url
    assert "Portfolio" in client.get(reverse("admin:articles_article_changelist")).content.decode()
    client.force_login(make_staff("editor", "Editors", author_name="Eda Editor"))
    assert "Portmerger" in client.get(reverse("admin:taggit_tag_changelist")).content.decode()
