"""Source admin: citation counts, the articles citing a source, uncovered cited sites."""

import pytest
from django.urls import reverse

from articles.models import Citation, Source

from .factories import make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited():
    reuters = Source.objects.create(name="Reuters", homepage_url="https://www.reuters.com/")
    misc = Source.objects.create(name="Various")
    first = make_article(title="Rates held steady by the bank")
    second = make_article(title="Markets rally after the decision")
    Citation.objects.create(article=first, source=reuters, url="https://reuters.com/rates")
    Citation.objects.create(article=second, source=reuters, url="https://uk.reuters.com/m")
    Citation.objects.create(article=second, source=misc, url="https://www.ft.com/content/1")
    return reuters, first, second


def test_source_list_counts_citations(client, cited):
    client.force_login(make_staff("editor", "Editors"))
    page = client.get(reverse("admin:articles_source_changelist"))
    counts = {s.name: s.citation_count for s in page.context["cl"].result_list}
    assert counts == {"Reuters": 2, "Various": 1}


def test_source_page_lists_every_article_citing_it(client, cited):
    reuters, first, second = cited
    client.force_login(make_staff("editor", "Editors"))
    page = client.get(reverse("admin:articles_source_change", args=[reuters.pk])).text
    assert first.title in page and second.title in page
    assert reverse("admin:articles_article_change", args=[first.pk]) in page


def test_uncovered_domains_lists_citations_no_source_covers(client, cited):
    _, _, second = cited
    client.force_login(make_staff("editor", "Editors"))
    page = client.get(reverse("admin:articles_source_uncovered"))
    assert list(page.context["domains"]) == ["ft.com"]
    assert second.title in page.text
    Source.objects.create(name="FT", homepage_url="https://ft.com")
    page = client.get(reverse("admin:articles_source_uncovered"))
    assert "Every cited site has a source." in page.text


def test_changelist_links_to_the_uncovered_domains(client, cited):
    client.force_login(make_staff("editor", "Editors"))
    page = client.get(reverse("admin:articles_source_changelist")).text
    assert reverse("admin:articles_source_uncovered") in page


def test_authors_may_look_but_not_edit_sources(client, cited):
    reuters, _, _ = cited
    client.force_login(make_staff("author", "Authors"))
    assert client.get(reverse("admin:articles_source_uncovered")).status_code == 200
    url = reverse("admin:articles_source_change", args=[reuters.pk])
    client.post(url, {"name": "Forged", "kind": "outlet"})
    reuters.refresh_from_db()
    assert reuters.name == "Reuters"
    assert (
        client.post(reverse("admin:articles_source_delete", args=[reuters.pk])).status_code == 403
    )


@pytest.fixture
def hidden_citations():
    """A source cited by another author's draft and scheduled piece, and by a live one."""
    from datetime import timedelta

    from django.utils import timezone

    author = make_staff("author", "Authors", author_name="Aki Author")
    other = make_staff("other", "Authors", author_name="Otto Other")
    leaks = Source.objects.create(name="Leaks", homepage_url="https://leaks.example/")
    draft = make_article(title="Secret draft on the harbour deal", authors=[other.author])
    draft.status = "draft"
    draft.save()
    scheduled = make_article(
        title="Embargoed budget story for Friday",
        authors=[other.author],
        published_at=timezone.now() + timedelta(days=2),
    )
    live = make_article(title="Public story anyone can read", authors=[other.author])
    own = make_article(title="My own unfinished piece here", authors=[author.author])
    own.status = "draft"
    own.save()
    for article, url in [
        (draft, "https://leaks.example/harbour-deal"),
        (scheduled, "https://embargo.example/budget"),
        (live, "https://leaks.example/public"),
        (own, "https://mine.example/notes"),
    ]:
        Citation.objects.create(article=article, source=leaks, url=url)
    return author, leaks


def test_author_sees_no_other_authors_unpublished_citations_on_a_source(client, hidden_citations):
    author, leaks = hidden_citations
    client.force_login(author)
    page = client.get(reverse("admin:articles_source_change", args=[leaks.pk])).text
    assert "Secret draft" not in page and "harbour-deal" not in page
    assert "Embargoed budget" not in page and "embargo.example" not in page
    assert "Public story anyone can read" in page
    assert "My own unfinished piece here" in page


def test_author_sees_only_citations_they_may_read_among_uncovered_sites(client, hidden_citations):
    author, _ = hidden_citations
    client.force_login(author)
    page = client.get(reverse("admin:articles_source_uncovered"))
    assert "embargo.example" not in page.text and "Embargoed budget" not in page.text
    assert list(page.context["domains"]) == ["mine.example"]


def test_author_counts_only_citations_they_may_read(client, hidden_citations):
    author, _ = hidden_citations
    client.force_login(author)
    page = client.get(reverse("admin:articles_source_changelist"))
    counts = {s.name: s.citation_count for s in page.context["cl"].result_list}
    assert counts == {"Leaks": 2}


def test_editor_sees_every_citation_on_a_source(client, hidden_citations):
    _, leaks = hidden_citations
    client.force_login(make_staff("editor", "Editors"))
    page = client.get(reverse("admin:articles_source_change", args=[leaks.pk])).text
    assert "Secret draft" in page and "Embargoed budget" in page
