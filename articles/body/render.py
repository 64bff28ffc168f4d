"""An article's stored body as pages, previews and feeds show it.

The stored HTML is sanitised again (defence in depth), headings get their anchors, tables
their header scopes, and embeds become cards that load nothing from the provider until the
reader asks. The article page renders this inside a cached fragment (articles/fragments.py),
so the parsing happens once per edit, not once per reader.
"""

import re
from dataclasses import dataclass, field
from html import unescape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.media import render_body_images
from articles.sanitize import sanitize_html

from .embeds import embed_parse
from .toc import Entry, Heading, heading_anchors, index_tree

# Sanitised HTML writes an embed as <figure data-embed="URL">, its link inside (no nested
# figure: one inside stays a plain figure, as sanitised).
EMBED = re.compile(r'<figure data-embed="([^"]*)">(?:(?!<figure).)*?</figure>', re.S)
TABLE = re.compile(r"<table>(.*?)</table>", re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
HEADER_CELL = re.compile(r"<th(?![^>]*\bscope=)")


@dataclass
class Body:
    html: SafeString
    headings: list[Heading] = field(default_factory=list)  # empty when no Index is shown

    @property
    def index(self) -> list[Entry]:
        return index_tree(self.headings)


def body_render(html: str, index: str = "auto") -> Body:
    """The body for the article page, and its Index when `index` (auto/on/off) shows one."""
    html = sanitize_html(html)
    html, headings = heading_anchors(html)
    html = TABLE.sub(_table_scopes, html)
    html = EMBED.sub(lambda m: _embed_card(unescape(m.group(1))), html)
    html = render_body_images(html)  # library images as responsive figures (one query)
    return Body(mark_safe(html), headings if index_shown(index, headings) else [])  # noqa: S308


def index_shown(index: str, headings: list) -> bool:
    if index == "off" or not headings:
        return False
    return index == "on" or len(headings) >= settings.ARTICLE_INDEX_MIN_HEADINGS


def body_for_feed(html: str) -> str:
    """Sanitised, each embed as a plain link: feed readers run no scripts and load no cards."""
    html = EMBED.sub(lambda m: _embed_link(unescape(m.group(1))), sanitize_html(html))
    return render_body_images(html)


def _embed_card(url: str) -> str:
    embed = embed_parse(url)
    if embed is None:  # sanitised HTML holds only good URLs; an old row may not
        return _embed_link(url)
    return render_to_string("includes/embed_card.html", {"embed": embed}).strip()


def _embed_link(url: str) -> str:
    embed = embed_parse(url)
    if embed is None:
        return format_html("<p>{}</p>", url)
    return format_html('<p>{} post: <a href="{}">{}</a></p>', embed.name, embed.url, embed.url)


def _table_scopes(match) -> str:
    """Header cells say what they head: the first row's columns, any other row's row."""
    rows = iter(range(10**6))

    def scoped(row):
        scope = "col" if next(rows) == 0 else "row"
        return "<tr>" + HEADER_CELL.sub(f'<th scope="{scope}"', row.group(1)) + "</tr>"

    return "<table>" + ROW.sub(scoped, match.group(1)) + "</table>"
