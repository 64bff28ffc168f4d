"""The Index: anchors on the body's headings and the table of contents built from them.

Ids come from the heading's own text, so a heading keeps its anchor (and shared links to it
keep working) whatever happens to the others; only a repeated text gets a -2, -3 suffix. A
heading with an id the author set keeps it. Ids the page itself uses are never taken.
"""

import re
from dataclasses import dataclass
from html import unescape

from django.utils.html import strip_tags
from django.utils.text import slugify

# Works on sanitised HTML (articles/sanitize.py), where a heading's only attribute is its id.
HEADING = re.compile(r'<(h[234])(?: id="([^"]*)")?>(.*?)</\1>', re.S)
INDEXED = ("h2", "h3")  # h4 gets an anchor but stays out of the Index
# The article page's own ids (templates/), and the families it numbers.
PAGE_IDS = {
    "main", "content-main", "article-title", "comments", "respond", "reply-title",
    "preview-share", "site-search-q", "notfound-q", "index", "top",
}  # fmt: skip
PAGE_ID_FAMILIES = re.compile(r".*-heading|(?:author|comment|correction|block|desk)-.*")


@dataclass(frozen=True)
class Heading:
    level: int  # 2 or 3
    anchor: str
    text: str


def heading_anchors(html: str) -> tuple[str, list[Heading]]:
    """`html` with an id on every h2-h4, and the h2/h3 headings in order, for the Index."""
    taken: set[str] = set()
    # Authors' ids first: they win over a generated id that happens to be the same.
    for match in HEADING.finditer(html):
        if match.group(2) and _free(match.group(2), taken):
            taken.add(match.group(2))
    headings = []

    def anchor(match):
        tag, given, inner = match.groups()
        text = unescape(strip_tags(inner)).strip()
        if given and given in taken and given not in used:
            anchor = given
        else:
            anchor = _unique(slugify(text, allow_unicode=True)[:80] or "section", taken)
        used.add(anchor)
        if tag in INDEXED and text:
            headings.append(Heading(int(tag[1]), anchor, text))
        return f'<{tag} id="{anchor}">{inner}</{tag}>'

    used: set[str] = set()
    html = HEADING.sub(anchor, html)
    return html, headings


def _free(anchor: str, taken: set[str]) -> bool:
    return anchor not in taken and anchor not in PAGE_IDS and not PAGE_ID_FAMILIES.fullmatch(anchor)


def _unique(base: str, taken: set[str]) -> str:
    anchor, n = base, 1
    while not _free(anchor, taken):
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


@dataclass(frozen=True)
class Entry:
    heading: Heading
    children: list[Heading]


def index_tree(headings: list[Heading]) -> list[Entry]:
    """h3 headings nested under the h2 before them (one before any h2 stands alone)."""
    tree: list[Entry] = []
    for heading in headings:
        if heading.level == 3 and tree and tree[-1].heading.level == 2:
            tree[-1].children.append(heading)
        else:
            tree.append(Entry(heading, []))
    return tree
