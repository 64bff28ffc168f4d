"""RSS and Atom feeds: site-wide, per section, tag and author, and corrections."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Correction

from .factories import image_file, make_article, make_author, make_section

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).findall("./channel/item")


def atom_entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


@pytest.fixture
def content():
    author = make_author(name="Aiko Tanaka")
    asia = make_section(name="Asia")
    make_article(title="Asia story", section=asia, authors=[author], tags=["Japan"])
    make_article(title="Other story", section=make_section(name="World"))
    make_article(
        title="Draft story", published=False, section=asia, authors=[author], tags=["Japan"]
    )
    make_article(
        title="Scheduled story",
        published_at=timezone.now() + timedelta(hours=2),
        section=asia,
        authors=[author],
        tags=["Japan"],
    )
    return author, asia


@pytest.mark.parametrize(
    ("url", "titles"),
    [
        ("/feed/", {"Asia story", "Other story"}),
        ("/sections/asia/feed/", {"Asia story"}),
        ("/tags/japan/feed/", {"Asia story"}),
        ("/authors/aiko-tanaka/feed/", {"Asia story"}),
    ],
)
def test_rss_feeds_list_only_published_articles(client, content, url, titles):
    items = rss_items(client, url)
    assert {item.findtext("title") for item in items} == titles


@pytest.mark.parametrize(
    ("url", "titles"),
    [
        ("/feed/atom/", {"Asia story", "Other story"}),
        ("/sections/asia/feed/atom/", {"Asia story"}),
        ("/tags/japan/feed/atom/", {"Asia story"}),
        ("/authors/aiko-tanaka/feed/atom/", {"Asia story"}),
    ],
)
def test_atom_feeds_list_only_published_articles(client, content, url, titles):
    entries = atom_entries(client, url)
    assert {entry.findtext(f"{ATOM}title") for entry in entries} == titles


def test_feed_items_carry_author_categories_and_absolute_links(client, content):
    (item,) = rss_items(client, "/tags/japan/feed/")
    assert item.findtext("link") == "http://127.0.0.1:8000/articles/asia-story/"
    assert {c.text for c in item.findall("category")} == {"Asia", "Japan"}
    assert "Aiko Tanaka" in ET.tostring(item, encoding="unicode")


def test_an_articles_tags_read_in_name_order_on_its_page_and_in_every_feed(client):
    article = make_article(title="Tagged", section=make_section(name="World"))
    for name in ["Zambia", "Angola", "Malawi"]:  # added one by one, out of order
        article.tags.add(name)
    for item in rss_items(client, "/feed/"):
        assert [c.text for c in item.findall("category")] == ["World", "Angola", "Malawi", "Zambia"]
    (entry,) = atom_entries(client, "/feed/atom/")
    terms = [c.get("term") for c in entry.findall(f"{ATOM}category")]
    assert terms == ["World", "Angola", "Malawi", "Zambia"]
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.index(">Angola<") < page.index(">Malawi<") < page.index(">Zambia<")


def test_feeds_give_the_summary_or_the_full_text_as_set(client, settings):
    make_article(title="Story", dek="The short summary.", body="<p>The whole <em>story</em>.</p>")
    settings.FEED_FULL_TEXT = False
    (item,) = rss_items(client, "/feed/")
    assert item.findtext("description") == "The short summary."
    settings.FEED_FULL_TEXT = True
    (item,) = rss_items(client, "/feed/")
    assert item.findtext("description") == "<p>The whole <em>story</em>.</p>"


def test_feed_items_have_an_enclosure_for_the_hero_image(client):
    make_article(title="Pictured", hero_image=image_file(), hero_alt="A launch")
    make_article(title="Plain")
    items = {item.findtext("title"): item for item in rss_items(client, "/feed/")}
    enclosure = items["Pictured"].find("enclosure")
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("url").startswith("http://127.0.0.1:8000/media/images/")
    assert int(enclosure.get("length")) > 0
    assert items["Plain"].find("enclosure") is None


def test_source_feed_lists_articles_citing_it(client):
    from .factories import make_citation, make_source

    nhk = make_source(name="NHK", slug="nhk")
    make_citation(make_article(title="Cites NHK"), source=nhk)
    make_citation(make_article(title="Draft citing NHK", published=False), source=nhk)
    make_article(title="Cites nothing")
    assert [i.findtext("title") for i in rss_items(client, "/sources/nhk/feed/")] == ["Cites NHK"]
    assert len(atom_entries(client, "/sources/nhk/feed/atom/")) == 1
    assert 'href="/sources/nhk/feed/"' in client.get("/sources/nhk/").content.decode()


def test_corrections_feed_lists_notes_on_published_articles(client):
    Correction.objects.create(article=make_article(title="Live"), note="We misspelled a name.")
    Correction.objects.create(article=make_article(title="Draft", published=False), note="Hidden")
    (item,) = rss_items(client, "/corrections/feed/")
    assert item.findtext("title") == "Correction: Live"
    assert item.findtext("description") == "We misspelled a name."
    assert item.findtext("link").startswith("http://127.0.0.1:8000/articles/live/#correction-")
    assert len(atom_entries(client, "/corrections/feed/atom/")) == 1


def test_feeds_of_unknown_things_are_404(client):
    for url in ("/sections/none/feed/", "/tags/none/feed/atom/", "/authors/none/feed/"):
        assert client.get(url).status_code == 404


def test_pages_advertise_their_feeds(client, content):
    author, asia = content
    assert (
        'type="application/rss+xml" title="Newsroom" href="/feed/"'
        in client.get("/").content.decode()
    )
    assert 'href="/sections/asia/feed/"' in client.get(asia.get_absolute_url()).content.decode()
    assert 'href="/tags/japan/feed/"' in client.get("/tags/japan/").content.decode()
