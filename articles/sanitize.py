"""One allow-list for article HTML, applied on save and again on render."""

import nh3

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr",
    "ul", "ol", "li", "blockquote", "cite", "q",
    "a", "strong", "em", "b", "i", "sub", "sup", "code", "pre",
    "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "blockquote": {"cite"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    """Keep structure and links; drop scripts, handlers, styles and unsafe URLs."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
