"""Citations from the body: the body's links offered as citations, added in one click."""

import pytest

from articles.body.citations import body_links, citations_add_from_body
from articles.models import Citation, Source

from .factories import article_form_data, make_article, make_citation, make_source, make_staff

pytestmark = pytest.mark.django_db

BODY = (
    '<p>As <a href="https://news.bbc.co.uk/world/1">the BBC reported</a>, and '
    '<a href="http://www.truthfrontier.com/a">Truth   Frontier</a> too; see '
    '<a href="https://unknown.example/report">a report</a>, '
    '<a href="mailto:desk@example.com">mail us</a>, <a href="/local/">ours</a>, '
    '<a href="https://news.bbc.co.uk/world/1">again</a>.</p>'
    '<figure data-embed="https://vimeo.com/1"><a href="https://vimeo.com/1">video</a></figure>'
)


@pytest.fixture
def sources():
    return (
        make_source(name="BBC", homepage_url="https://www.bbc.co.uk/"),
        make_source(name="Truth Frontier", homepage_url="http://www.truthfrontier.com"),
    )


def test_the_body_s_web_links_are_offered_with_their_source(sources):
    bbc, truth = sources
    article = make_article(body=BODY)
    links = body_links(article)
    assert [(link.url, link.text, link.source) for link in links] == [
        ("https://news.bbc.co.uk/world/1", "the BBC reported", bbc),  # a subdomain of a source
        ("http://www.truthfrontier.com/a", "Truth Frontier", truth),
        ("https://unknown.example/report", "a report", None),
    ]  # no mail, local or embed links, no repeats


def test_links_already_cited_are_not_offered_again(sources):
    article = make_article(body=BODY)
    make_citation(article, source=sources[1], url="http://www.truthfrontier.com/a/")
    assert [link.url for link in body_links(article)] == [
        "https://news.bbc.co.uk/world/1",
        "https://unknown.example/report",
    ]


def test_citing_adds_rows_in_order_and_a_source_only_when_allowed(sources):
    article = make_article(body=BODY)
    make_citation(article, source=sources[0], url="https://www.bbc.co.uk/other", order=4)
    urls = [link.url for link in body_links(article)] + ["https://not-in-the-body.example/"]
    added = citations_add_from_body(article, urls, may_add_sources=False)
    assert [(c.source.name, c.title, c.order) for c in added] == [
        ("BBC", "the BBC reported", 5),
        ("Truth Frontier", "Truth Frontier", 6),
    ]
    assert not Source.objects.filter(name="unknown.example").exists()
    added = citations_add_from_body(article, urls, may_add_sources=True)
    assert [(c.source.name, c.source.homepage_url, c.url) for c in added] == [
        ("unknown.example", "https://unknown.example/", "https://unknown.example/report")
    ]
    assert body_links(article) == []


def test_the_change_page_offers_the_links_and_a_button_cites_them_without_javascript(
    client, sources
):
    editor = make_staff("ed", "Editors")
    client.force_login(editor)
    article = make_article(body=BODY, status="draft", published_at=None)
    url = f"/admin/articles/article/{article.pk}/change/"
    page = client.get(url).content.decode()
    assert "Links in the body, not cited yet" in page
    assert 'name="_cite" value="https://news.bbc.co.uk/world/1"' in page
    assert "Add as citation (and unknown.example as a source)" in page  # editors add sources

    data = article_form_data(article) | {"_cite": "https://news.bbc.co.uk/world/1"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert response["Location"] == url + "#citations-group"
    cited = Citation.objects.get(article=article)
    assert (cited.source, cited.url, cited.title) == (sources[0], data["_cite"], "the BBC reported")

    data = article_form_data(article) | {"_cite": "__all__", "form_version": ""}
    data["form_version"] = article.__class__.objects.get(pk=article.pk).version
    client.post(url, data)
    assert article.citations.count() == 3
    assert "Links in the body, not cited yet" not in client.get(url).content.decode()


def test_an_author_is_not_offered_to_make_new_sources(client, sources):
    author = make_staff("aki", "Authors", author_name="Aki Tanaka")
    client.force_login(author)
    article = make_article(body=BODY, status="draft", published_at=None, authors=[author.author])
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'value="http://www.truthfrontier.com/a"' in page
    assert "unknown.example is not a source yet" in page
    assert 'value="https://unknown.example/report"' not in page
