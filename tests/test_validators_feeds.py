"""Every feed the site has is valid: Atom against RFC 4287 (the RELAX NG schema of its
appendix B, plus the two rules the schema states in Schematron), RSS 2.0 through
feedparser's strict mode and the elements the RSS 2.0 specification requires."""

from pathlib import Path

import feedparser
import pytest
from django.contrib.syndication.views import Feed
from django.urls import URLPattern, get_resolver
from lxml import etree

from articles.models import Correction

from .factories import (
    image_file,
    make_article,
    make_author,
    make_citation,
    make_section,
    make_source,
)

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "data" / "schemas"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
# The Schematron rules of RFC 4287's schema, which RELAX NG alone does not check.
ATOM_RULES = {
    "atom:feed": [
        (
            "atom:author or not(atom:entry[not(atom:author)])",
            "An atom:feed must have an atom:author unless all of its atom:entry children "
            "have an atom:author.",
        )
    ],
    "atom:entry": [
        (
            "atom:link[@rel='alternate'] or atom:link[not(@rel)] or atom:content",
            "An atom:entry must have at least one atom:link element with a rel attribute "
            "of 'alternate' or an atom:content.",
        ),
        (
            "atom:author or ../atom:author or atom:source/atom:author",
            "An atom:entry must have an atom:author if its feed does not.",
        ),
    ],
}


def atom_errors(xml: bytes) -> list[str]:
    document = etree.fromstring(xml)
    schema = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    errors = [] if schema.validate(document) else [str(e) for e in schema.error_log]
    for context, rules in ATOM_RULES.items():
        for node in document.xpath(f"//{context}", namespaces=ATOM):
            for test, message in rules:
                if not node.xpath(test, namespaces=ATOM):
                    errors.append(message)
    return errors


def rss_errors(xml: bytes) -> list[str]:
    parsed = feedparser.parse(xml)
    errors = [f"not well-formed: {parsed.bozo_exception}"] if parsed.bozo else []
    if parsed.version != "rss20":
        errors.append(f"not RSS 2.0 but {parsed.version!r}")
    channel = etree.fromstring(xml).find("channel")
    for required in ("title", "link", "description"):
        if not (channel.findtext(required) or "").strip():
            errors.append(f"the channel has no <{required}>")
    for item in channel.findall("item"):
        if not (item.findtext("title") or item.findtext("description")):
            errors.append("an item has neither <title> nor <description>")
        for enclosure in item.findall("enclosure"):
            if not all(enclosure.get(a) for a in ("url", "length", "type")):
                errors.append("an <enclosure> lacks url, length or type")
    return errors


def checked(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content


def feed_routes() -> set[str]:
    """The names of every URL served by a syndication Feed."""
    names = set()
    for pattern in get_resolver("articles.urls").url_patterns:
        if isinstance(pattern, URLPattern) and isinstance(pattern.callback, Feed):
            names.add(pattern.name)
    return names


@pytest.fixture
def feeds():
    """Every feed URL, with content in it: an entry without a byline among them."""
    author = make_author(name="Aiko Tanaka")
    asia = make_section(name="Asia", slug="asia")
    article = make_article(
        title="Tōkyō talks «résumé» & more",
        dek="Ministers <met>.",
        section=asia,
        authors=[author],
        tags=["Japan"],
        hero_image=image_file(),
        hero_alt="A table",
    )
    make_article(title="Unsigned", section=asia, authors=[], tags=["Japan"])
    make_citation(article, source=make_source(name="NHK", slug="nhk"))
    Correction.objects.create(article=article, note="We misspelled a name.")
    urls = {
        "feed": "/feed/",
        "section_feed": "/sections/asia/feed/",
        "tag_feed": "/tags/japan/feed/",
        "author_feed": "/authors/aiko-tanaka/feed/",
        "source_feed": "/sources/nhk/feed/",
        "corrections_feed": "/corrections/feed/",
    }
    return urls | {f"{name}_atom": f"{url}atom/" for name, url in urls.items()}


def test_every_feed_of_the_site_is_checked(feeds):
    assert set(feeds) == feed_routes()


@pytest.mark.parametrize("full_text", [False, True])
def test_every_atom_feed_is_valid_rfc_4287(client, settings, feeds, full_text):
    settings.FEED_FULL_TEXT = full_text
    atom = [url for name, url in feeds.items() if name.endswith("_atom")]
    errors = {url: atom_errors(checked(client, url)) for url in atom}
    assert {url: found for url, found in errors.items() if found} == {}


@pytest.mark.parametrize("full_text", [False, True])
def test_every_rss_feed_is_valid_rss_2(client, settings, feeds, full_text):
    settings.FEED_FULL_TEXT = full_text
    rss = [url for name, url in feeds.items() if not name.endswith("_atom")]
    errors = {url: rss_errors(checked(client, url)) for url in rss}
    assert {url: found for url, found in errors.items() if found} == {}


def test_an_empty_atom_feed_is_valid_too(client):
    make_section(name="Quiet", slug="quiet")
    assert atom_errors(client.get("/sections/quiet/feed/atom/").content) == []
    assert atom_errors(client.get("/corrections/feed/atom/").content) == []


def test_the_atom_check_catches_an_entry_without_updated_or_author():
    bad = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id>
    <updated>2026-01-01T00:00:00Z</updated><entry><title>e</title><id>urn:y</id>
    <link href="http://x/"/></entry></feed>"""
    errors = atom_errors(bad)
    assert any("updated" in e for e in errors)
    assert any("must have an atom:author" in e for e in errors)
