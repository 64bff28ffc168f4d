"""One allow-list for article HTML, applied on save and again on render."""

import re

import nh3

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr",
    "ul", "ol", "li", "blockquote", "cite", "q",
    "a", "strong", "em", "b", "i", "sub", "sup", "code", "pre",
    "figure", "figcaption", "img",
    # Tables with header cells; corrections as struck-out and inserted text.
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "s", "del", "ins",
    # Definition lists, disclosure blocks and contact addresses (WordPress imports keep them).
    "dl", "dt", "dd", "details", "summary", "address",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    # data-file: a library image's id (articles/media/), rendered from its record.
    "img": {"src", "alt", "width", "height", "data-file"},
    "blockquote": {"cite"},
    "ol": {"start", "reversed"},
    "h2": {"id"},  # an author's own anchor; the Index gives the others theirs on render
    "h3": {"id"},
    "h4": {"id"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "figure": {"data-embed"},  # an embed: the post's URL only (articles/body/embeds.py)
}
URL_SCHEMES = {"http", "https", "mailto"}

ANCHOR_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,79}")
SPAN = re.compile(r"[1-9][0-9]?")  # 1-99 rows or columns
SCOPES = {"row", "col", "rowgroup", "colgroup"}


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    """Values the allow-list cannot express: None drops the attribute."""
    if name == "id":
        return value if ANCHOR_ID.fullmatch(value) else None
    if name in ("colspan", "rowspan"):
        return value if SPAN.fullmatch(value) else None
    if name == "scope":
        return value if value in SCOPES else None
    if name == "data-embed":
        from articles.body.embeds import embed_parse

        embed = embed_parse(value)
        return embed.url if embed else None  # not a provider's post: a plain figure
    return value


def sanitize_html(html: str) -> str:
    """Keep structure and links; drop scripts, handlers, styles and unsafe URLs."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
