"""Previews: staff with permission, and signed expiring links for everyone else."""

import pytest
from django.core import signing
from django.urls import reverse

from articles.services import preview_token

from .factories import make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    author = make_staff("author", "Authors", author_name="Aki Author")
    article = make_article(
        title="Draft about the new library", authors=[author.author], published=False
    )
    return author, article


def test_author_previews_their_draft_as_readers_will_see_it(client, draft):
    author, article = draft
    client.force_login(author)
    response = client.get(reverse("articles:article_preview", args=[article.pk]))
    assert response.status_code == 200
    assert ">Draft about the new library</h1>" in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert client.get(article.get_absolute_url()).status_code == 404  # still not public


def test_change_page_has_a_preview_link_and_a_shareable_link(client, draft):
    author, article = draft
    client.force_login(author)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert reverse("articles:article_preview", args=[article.pk]) in page
    assert "/preview/link/" in page


def test_other_authors_and_visitors_cannot_preview(client, draft):
    _, article = draft
    url = reverse("articles:article_preview", args=[article.pk])
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(make_staff("other", "Authors"))
    assert client.get(url).status_code == 404
    client.force_login(make_staff("editor", "Editors"))
    assert client.get(url).status_code == 200


def test_signed_link_works_without_logging_in(client, draft):
    _, article = draft
    response = client.get(reverse("articles:article_preview_link", args=[preview_token(article)]))
    assert response.status_code == 200
    assert "Draft about the new library" in response.text
    assert response["Referrer-Policy"] == "no-referrer"


def test_expired_signed_link_says_so(client, draft, settings):
    _, article = draft
    token = preview_token(article)
    settings.PREVIEW_LINK_MAX_AGE = -1
    response = client.get(reverse("articles:article_preview_link", args=[token]))
    assert response.status_code == 410
    assert b"expired" in response.content


def test_tampered_or_forged_links_are_refused(client, draft):
    _, article = draft
    token = preview_token(article)
    forged = signing.dumps({"article": article.pk}, salt="something-else")
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        assert client.get(reverse("articles:article_preview_link", args=[bad])).status_code == 404


def _assert_marked_as_preview(html):
    assert 'class="banner preview-banner"' in html
    assert "Preview – not published" in html
    assert 'class="share"' not in html and "Share this article" not in html
    assert 'id="comments"' not in html and 'name="body"' not in html  # no comment form


def test_preview_says_it_is_not_published_and_offers_no_sharing_or_comments(client, draft):
    author, article = draft
    client.force_login(author)
    response = client.get(reverse("articles:article_preview", args=[article.pk]))
    _assert_marked_as_preview(response.text)


def test_signed_preview_link_carries_the_same_banner(client, draft):
    _, article = draft
    response = client.get(reverse("articles:article_preview_link", args=[preview_token(article)]))
    _assert_marked_as_preview(response.text)


def test_preview_of_a_live_article_says_it_is_live(client):
    editor = make_staff("editor", "Editors")
    article = make_article(title="Already out")
    client.force_login(editor)
    html = client.get(reverse("articles:article_preview", args=[article.pk])).text
    assert "Preview – published" in html
    assert "Share this article" not in html
    # Readers still get the buttons and the comment form on the article itself.
    public = client.get(article.get_absolute_url()).text
    assert "Preview –" not in public and "Share this article" in public


def test_expired_signed_link_gets_the_styled_error_page(client, draft, settings):
    _, article = draft
    token = preview_token(article)
    settings.PREVIEW_LINK_MAX_AGE = -1
    response = client.get(reverse("articles:article_preview_link", args=[token]))
    assert response.status_code == 410
    assert 'class="error-page"' in response.text
    assert "This preview link has expired" in response.text
    assert "Ask the author for a new one" in response.text
