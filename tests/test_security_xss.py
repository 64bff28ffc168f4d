"""Cross-site scripting: every vector in tests/data/xss_vectors.txt, pushed through every field
a person can type into, comes out dead on every public page, feed and sitemap."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from articles.models import Article, Author, Comment, Correction, Source
from tests.factories import (
    comment_form_data,
    image_file,
    make_article,
    make_author,
    make_citation,
    make_section,
    make_source,
)
from tests.xss import live_markup, live_markup_in_xml, xss_vectors

VECTORS = xss_vectors()
GROUP = 3  # vectors per article: each text field carries all of its group


def test_the_corpus_has_at_least_sixty_distinct_vectors():
    assert len(set(VECTORS)) == len(VECTORS) >= 60


def test_the_checker_finds_each_vector_live_when_it_is_not_escaped():
    """Guards the guard: unescaped, nearly every vector is caught (the rest are inert text)."""
    caught = [v for v in VECTORS if live_markup(f"<p>{v}</p>")]
    assert len(caught) >= 60


@pytest.fixture
def hostile_site(db, client, settings):
    """Articles, authors, tags, sources, captions, corrections and comments made of vectors."""
    settings.COMMENTS_MODERATION = "none"
    settings.COMMENTS_RATE_PER_MINUTE = settings.COMMENTS_RATE_PER_HOUR = 10_000
    section = make_section(name="World")
    groups = [VECTORS[i : i + GROUP] for i in range(0, len(VECTORS), GROUP)]
    articles = []
    for n, group in enumerate(groups):
        text = " ".join(group)
        authors = [
            make_author(name=f"{v[:100]} {n}{i}", bio=v, role="Reporter")
            for i, v in enumerate(group)
        ]
        article = make_article(
            title=text[:200],
            dek=text,
            body="".join(group),
            hero_image=image_file(size=(40, 30)),
            hero_alt=text[:300],
            hero_caption=text[:500],
            hero_credit=text[:200],
            section=section,
            authors=authors,
            tags=[f"{v[:90]} {n}{i}" for i, v in enumerate(group)],
        )
        for i, v in enumerate(group):
            make_citation(article, make_source(name=f"{v[:180]} {n}{i}"), title=v[:300], quote=v)
            Correction.objects.create(article=article, note=v)
            data = comment_form_data(name=v[:100], email=f"r{n}-{i}@example.com", body=v)
            response = client.post(reverse("articles:comment_post", args=[article.slug]), data)
            assert response.status_code == 302, v
        articles.append(article)
    Comment.objects.update(status=Comment.Status.APPROVED)  # held ones too: all on show
    return articles


def report(problems: dict) -> str:
    return "\n".join(f"{url}: {found[:3]}" for url, found in problems.items())


def public_urls(articles):
    urls = ["/", "/?page=2", reverse("articles:corrections"), "/sitemap.xml"]
    for article in Article.objects.filter(pk__in=[a.pk for a in articles]):
        urls.append(article.get_absolute_url())
        urls += [f"/tags/{tag.slug}/" for tag in article.tags.all()]
    urls += [author.get_absolute_url() for author in Author.objects.all()]
    urls += [source.get_absolute_url() for source in Source.objects.all()]
    urls += [f"/sections/{articles[0].section.slug}/"]
    return urls


def feed_urls(articles):
    article = articles[0]
    tag = article.tags.first()
    return [
        "/feed/",
        "/feed/atom/",
        "/corrections/feed/",
        "/corrections/feed/atom/",
        f"/sections/{article.section.slug}/feed/",
        f"/tags/{tag.slug}/feed/",
        f"/tags/{tag.slug}/feed/atom/",
        f"{Author.objects.first().get_absolute_url()}feed/",
        f"{Source.objects.first().get_absolute_url()}feed/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
    ]


def test_no_vector_is_live_on_any_public_page(client, hostile_site):
    problems = {}
    for url in public_urls(hostile_site):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if found := live_markup(body) if "html" in response["Content-Type"] else []:
            problems[url] = found
    assert not problems, report(problems)
    # The text itself is there, shown as text: the fields really were pushed through.
    page = client.get(hostile_site[0].get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("full_text", [False, True])
def test_no_vector_is_live_in_any_feed_or_sitemap(client, hostile_site, settings, full_text):
    settings.FEED_FULL_TEXT = full_text
    problems = {}
    for url in feed_urls(hostile_site):
        response = client.get(url)
        assert response.status_code == 200, url
        if found := live_markup_in_xml(response.content):
            problems[url] = found
    assert not problems, report(problems)


def test_no_vector_is_live_on_the_search_page(client, db):
    make_article(title="Typhoon warning")
    for vector in VECTORS:
        response = client.get(f"/search/?q={quote(vector)}")
        assert response.status_code == 200, vector
        assert live_markup(response.content.decode()) == [], vector


def test_no_vector_is_live_when_a_comment_is_refused_and_shown_back(client, db, settings):
    """A refused comment comes back in the form with the reader's text: escaped."""
    settings.COMMENTS_RATE_PER_MINUTE = settings.COMMENTS_RATE_PER_HOUR = 10_000
    article = make_article()
    url = reverse("articles:comment_post", args=[article.slug])
    for vector in VECTORS[:30]:
        data = comment_form_data(name=vector[:100], email="not an email", body=vector)
        response = client.post(url, data)
        assert response.status_code == 400
        assert live_markup(response.content.decode()) == [], vector


def test_a_javascript_website_is_refused_by_the_comment_form(client, db):
    article = make_article()
    data = comment_form_data(website="javascript:alert(1)")
    response = client.post(reverse("articles:comment_post", args=[article.slug]), data)
    assert response.status_code == 400
    assert not Comment.objects.exists()
