"""Metadata for search engines and social sharing: titles, canonical, OpenGraph, JSON-LD."""

import json
import re

import pytest

from articles.models import Article, Correction

from .factories import (
    image_file,
    make_article,
    make_author,
    make_citation,
    make_section,
    make_source,
)

pytestmark = pytest.mark.django_db


def structured_data(response):
    """Every JSON-LD block, checking each carries the response's CSP nonce."""
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    blocks = re.findall(
        r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', html, re.S
    )
    assert blocks
    assert all(block_nonce == nonce for block_nonce, _ in blocks)
    return {data["@type"]: data for data in (json.loads(text) for _, text in blocks)}


def meta(html, prop):
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    return match.group(1) if match else None


@pytest.fixture
def article():
    author = make_author(name="Aiko Tanaka", role="Tokyo correspondent", x_url="https://x.com/aiko")
    article = make_article(
        title="Missiles over the Sea of Japan",
        dek="Tokyo protests again.",
        section=make_section(name="Asia"),
        authors=[author, make_author(name="Ren Ito")],
        tags=["North Korea"],
        hero_image=image_file(size=(1600, 1000)),
        hero_alt="A launch",
        body="<p>" + "word " * 120 + "</p>",
    )
    make_citation(
        article, source=make_source(name="BBC"), url="https://www.bbc.com/news", title="Report"
    )
    Correction.objects.create(article=article, note="The launch time was wrong.")
    return article


def test_article_page_has_news_article_structured_data(client, article):
    data = structured_data(client.get(article.get_absolute_url()))
    news = data["NewsArticle"]
    assert news["headline"] == "Missiles over the Sea of Japan"
    assert (
        news["mainEntityOfPage"] == "http://127.0.0.1:8000/articles/missiles-over-the-sea-of-japan/"
    )
    assert [img.rsplit("/", 1)[1] for img in news["image"]] == ["1x1.jpg", "4x3.jpg", "16x9.jpg"]
    assert news["datePublished"] == article.published_at.isoformat()
    assert news["author"][0] == {
        "@type": "Person",
        "name": "Aiko Tanaka",
        "url": "http://127.0.0.1:8000/authors/aiko-tanaka/",
        "jobTitle": "Tokyo correspondent",
        "sameAs": ["https://x.com/aiko"],
    }
    assert news["author"][1]["name"] == "Ren Ito"
    assert news["articleSection"] == "Asia"
    assert news["wordCount"] == 120
    assert news["citation"][0]["url"] == "https://www.bbc.com/news"
    assert news["correction"][0] == {
        "@type": "CorrectionComment",
        "text": "The launch time was wrong.",
        "datePublished": article.corrections.get().published_at.isoformat(),
    }
    assert news["publisher"]["@type"] == "NewsMediaOrganization"
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Newsroom", "Asia", "Missiles over the Sea of Japan"]


def test_article_page_has_opengraph_and_twitter_tags(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Missiles over the Sea of Japan · Newsroom</title>" in html
    assert meta(html, "description") == "Tokyo protests again."
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:title") == "Missiles over the Sea of Japan"
    assert meta(html, "og:image").endswith("/16x9.jpg")
    assert meta(html, "og:image:alt") == "A launch"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "article:section") == "Asia"
    assert meta(html, "article:tag") == "North Korea"
    assert (
        '<link rel="canonical" href="http://127.0.0.1:8000/articles/missiles-over-the-sea-of-japan/">'
        in html
    )


def test_article_without_a_hero_image_shares_its_drawn_card(client):
    article = make_article(title="No picture here", section=make_section(name="Asia"))
    html = client.get(article.get_absolute_url()).content.decode()
    image = meta(html, "og:image")
    assert re.fullmatch(r"http://127\.0\.0\.1:8000/media/share-cards/article-\d+-\w+\.png", image)
    assert meta(html, "og:image:width") == "1200"
    data = structured_data(client.get(article.get_absolute_url()))
    assert data["NewsArticle"]["image"] == [image]


def test_article_whose_card_is_not_drawn_yet_shares_the_site_card(client):
    article = make_article(title="Card pending")
    Article.objects.filter(pk=article.pk).update(renditions={})
    html = client.get(article.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == "http://127.0.0.1:8000/static/img/share.png"


def test_front_page_describes_the_website_and_its_search(client):
    make_article()
    data = structured_data(client.get("/"))
    action = data["WebSite"]["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://127.0.0.1:8000/search/?q={search_term_string}"


def test_author_page_describes_the_person(client):
    author = make_author(name="Aiko Tanaka", bio="Covers Japan.")
    make_article(authors=[author])
    data = structured_data(client.get(author.get_absolute_url()))
    person = data["ProfilePage"]["mainEntity"]
    assert person["@type"] == "Person"
    assert person["url"] == "http://127.0.0.1:8000/authors/aiko-tanaka/"
    assert person["description"] == "Covers Japan."
    assert data["BreadcrumbList"]["itemListElement"][-1]["name"] == "Aiko Tanaka"


def test_structured_data_cannot_break_out_of_its_script(client):
    article = make_article(title="</script><script>alert(1)</script>", dek="<b>&</b>")
    html = client.get(article.get_absolute_url()).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    assert all("<" not in text for text in scripts)
    assert "\\u003C/script\\u003E" in scripts[0]


def test_pages_have_titles_descriptions_and_social_tags(client):
    section = make_section(name="Asia", description="News from Asia.")
    make_article(section=section, tags=["Japan"])
    for url, title in [
        ("/", "Newsroom: news and analysis"),
        (section.get_absolute_url(), "Asia · Newsroom"),
        ("/tags/japan/", "Japan · Newsroom"),
        ("/corrections/", "Corrections · Newsroom"),
    ]:
        html = client.get(url).content.decode()
        assert f"<title>{title}</title>" in html, url
        assert meta(html, "description"), url
        assert meta(html, "og:title") and meta(html, "og:image"), url


def test_author_photos_come_in_the_sizes_they_are_shown_at(client):
    author = make_author(name="Aiko Tanaka", avatar=image_file("aiko.jpg", size=(400, 400)))
    article = make_article(authors=[author])
    box = re.search(
        r'<img class="avatar"[^>]*>', client.get(article.get_absolute_url()).content.decode()
    )
    assert box, "no avatar on the article page"
    img = box.group(0)
    assert 'width="72" height="72"' in img
    assert re.search(r'src="[^"]+/avatar-72\.jpg"', img)
    assert re.search(r'srcset="[^"]+/avatar-72\.jpg 72w, [^"]+/avatar-144\.jpg 144w', img)
    assert 'sizes="72px"' in img
    profile = client.get(author.get_absolute_url()).content.decode()
    img = re.search(r'<img class="avatar"[^>]*>', profile).group(0)
    assert 'width="120" height="120"' in img and re.search(r'src="[^"]+/avatar-144\.jpg"', img)
    assert "avatar-240.jpg 240w" in img


def test_article_share_image_states_its_size(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    # The 16:9 crop of a 1600x1000 photo, at most 1200 wide.
    assert meta(html, "og:image").endswith("/16x9.jpg")
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "675")


def test_page_two_shares_the_url_it_is_canonical_for(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(5):
        make_article(title=f"Story {n}")
    html = client.get("/?page=2").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/?page=2">' in html
    assert meta(html, "og:url") == "http://127.0.0.1:8000/?page=2"


def test_the_not_found_page_names_no_canonical_url(client):
    html = client.get("/articles/no-such-thing/").content.decode()
    assert 'rel="canonical"' not in html
    assert meta(html, "og:url") is None
    assert meta(html, "robots") == "noindex"


def test_author_structured_data_has_one_context(client):
    author = make_author(name="Aiko Tanaka", bio="Covers Japan.")
    make_article(authors=[author])
    profile = structured_data(client.get(author.get_absolute_url()))["ProfilePage"]
    assert profile["@context"] == "https://schema.org"
    assert "@context" not in profile["mainEntity"]
