"""Citations from the body: the body's links that are not cited yet, offered in one click.

A link to a site that is a source becomes a citation of that source; a link to any other
site becomes a new source too, for those who may add sources. The link's words become the
citation's title, so nothing is typed twice.
"""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.db.models import Max

from articles.models import Citation, Source

MAX_URL = 500  # Citation.url


@dataclass
class BodyLink:
    url: str
    text: str
    domain: str
    source: Source | None  # None: no source has this site yet


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[list[str]] = []  # [href, text]
        self._open = None
        self._in_embed = False

    def handle_starttag(self, tag, attrs):
        if tag == "figure" and dict(attrs).get("data-embed"):
            self._in_embed = True  # an embedded post is shown, not cited
        if tag == "a" and not self._in_embed:
            self._open = [dict(attrs).get("href") or "", ""]
            self.links.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None
        if tag == "figure":
            self._in_embed = False


def domain_of(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


def body_links(article) -> list[BodyLink]:
    """The body's web links not cited by the article yet, in body order, each with the
    source whose homepage is on the same site (the most specific one), if any."""
    parser = _Links()
    parser.feed(article.body or "")
    cited = set(article.citations.values_list("url", flat=True)) if article.pk else set()
    cited |= {url.rstrip("/") for url in cited}
    sources = _sources_by_domain()
    links, seen = [], set()
    for href, text in parser.links:
        href = href.strip()
        domain = domain_of(href)
        if not href.startswith(("http://", "https://")) or not domain or len(href) > MAX_URL:
            continue
        if href in seen or href in cited or href.rstrip("/") in cited:
            continue
        seen.add(href)
        links.append(
            BodyLink(href, " ".join(text.split())[:300], domain, _source_for(domain, sources))
        )
    return links


def citations_add_from_body(article, urls, *, may_add_sources: bool) -> list[Citation]:
    """Cite the body's links among `urls` (anything else is ignored: the list comes from a
    form). A link to no known source makes a new source when `may_add_sources`."""
    wanted = set(urls)
    order = (article.citations.aggregate(n=Max("order"))["n"] or 0) + 1
    added = []
    for link in body_links(article):
        if link.url not in wanted:
            continue
        source = link.source
        if source is None:
            if not may_add_sources:
                continue
            source = _new_source(link.domain)
        added.append(
            Citation.objects.create(
                article=article, source=source, url=link.url, title=link.text, order=order
            )
        )
        order += 1
    return added


def _sources_by_domain() -> dict[str, Source]:
    found = {}
    for source in Source.objects.exclude(homepage_url="").only("id", "name", "homepage_url"):
        found.setdefault(domain_of(source.homepage_url), source)
    found.pop("", None)
    return found


def _source_for(domain: str, sources: dict[str, Source]) -> Source | None:
    """news.bbc.co.uk belongs to a source at bbc.co.uk unless one is at news.bbc.co.uk."""
    parts = domain.split(".")
    for start in range(len(parts) - 1):
        if source := sources.get(".".join(parts[start:])):
            return source
    return None


def _new_source(domain: str) -> Source:
    source = Source.objects.filter(name=domain).first()
    return source or Source.objects.create(name=domain, homepage_url=f"https://{domain}/")
