"""Tag admin: usage counts, rename with redirect, merge with redirects."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import TagRedirect
from articles.services import tag_merge

from .factories import make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_staff("editor", "Editors")


def merge(client, tags, into=None):
    data = {"action": "merge_tags", "_selected_action": [t.pk for t in tags], "index": 0}
    if into is not None:
        data |= {"apply": "1", "into": into.pk}
    return client.post(reverse("admin:taggit_tag_changelist"), data)


def test_tag_list_shows_how_many_articles_use_each_tag(client, editor):
    make_article(tags=["Energy", "Climate"])
    make_article(title="Second piece on energy", tags=["Energy"])
    client.force_login(editor)
    page = client.get(reverse("admin:taggit_tag_changelist"))
    usage = {tag.name: tag.usage for tag in page.context["cl"].result_list}
    assert usage == {"Climate": 1, "Energy": 2}


def test_merging_retags_articles_and_redirects_old_tag_urls(client, editor):
    first = make_article(title="Power prices rise again", tags=["Energy", "Power"])
    second = make_article(title="Grid upgrade announced", tags=["Power grid"])
    energy, power, grid = (Tag.objects.get(name=n) for n in ("Energy", "Power", "Power grid"))
    client.force_login(editor)
    confirm = merge(client, [energy, power, grid])
    assert confirm.status_code == 200 and "Merge into" in confirm.text
    response = merge(client, [energy, power, grid], into=energy)
    assert response.status_code == 302
    assert list(Tag.objects.values_list("name", flat=True)) == ["Energy"]
    assert list(first.tags.names()) == ["Energy"]
    assert list(second.tags.names()) == ["Energy"]
    old = client.get(reverse("articles:tag_detail", args=["power-grid"]))
    assert old.status_code == 301
    assert old["Location"] == reverse("articles:tag_detail", args=["energy"])
    assert "Grid upgrade announced" in client.get(old["Location"]).text


def test_merging_a_chain_keeps_earlier_redirects_pointing_at_the_survivor():
    make_article(tags=["A tag", "B tag", "C tag"])
    a, b, c = (Tag.objects.get(name=n) for n in ("A tag", "B tag", "C tag"))
    tag_merge([a], b)
    tag_merge([b], c)
    assert set(TagRedirect.objects.values_list("old_slug", "tag__name")) == {
        ("a-tag", "C tag"),
        ("b-tag", "C tag"),
    }


def test_renaming_a_tag_redirects_its_old_url(client, editor):
    make_article(tags=["Elections"])
    tag = Tag.objects.get(name="Elections")
    client.force_login(editor)
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    response = client.post(url, {"name": "Election 2026", "slug": tag.slug})
    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Election 2026", "election-2026")
    assert client.get("/tags/elections/")["Location"] == "/tags/election-2026/"


def test_renaming_onto_an_existing_tag_asks_for_a_merge(client, editor):
    make_article(tags=["Elections", "Votes"])
    tag = Tag.objects.get(name="Votes")
    client.force_login(editor)
    response = client.post(
        reverse("admin:taggit_tag_change", args=[tag.pk]), {"name": "elections", "slug": "x"}
    )
    assert response.status_code == 200
    assert "merge into it" in response.text
    assert Tag.objects.filter(name="Votes").exists()


def test_authors_cannot_merge_or_rename_tags_even_by_forged_post(client):
    make_article(tags=["Energy", "Power"])
    energy, power = Tag.objects.get(name="Energy"), Tag.objects.get(name="Power")
    client.force_login(make_staff("author", "Authors"))
    assert client.get(reverse("admin:taggit_tag_changelist")).status_code == 200
    merge(client, [energy, power], into=energy)
    client.post(reverse("admin:taggit_tag_change", args=[power.pk]), {"name": "X", "slug": "x"})
    assert set(Tag.objects.values_list("name", flat=True)) == {"Energy", "Power"}


def test_editors_see_old_tag_urls_and_authors_do_not(client, editor):
    make_article(tags=["Energy", "Power"])
    tag_merge([Tag.objects.get(name="Power")], Tag.objects.get(name="Energy"))
    client.force_login(editor)
    page = client.get(reverse("admin:articles_tagredirect_changelist"))
    assert "power" in page.text and "Energy" in page.text
    client.force_login(make_staff("author", "Authors"))
    assert client.get(reverse("admin:articles_tagredirect_changelist")).status_code == 403
