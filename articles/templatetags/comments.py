"""comment_text: a comment's plain text as safe HTML (the thread is built in
articles.comments.thread)."""

import re
from functools import lru_cache

from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

register = template.Library()


_LINK_START = re.compile(r"<a href=")


@register.filter
def comment_text(text: str) -> str:
    """Plain text to safe HTML: everything escaped, paragraphs kept, bare URLs linked."""
    return mark_safe(_comment_html(text))


# urlize() is the slowest step of an article page, and a popular article shows the same
# comments to every reader; the result depends on the text alone.
@lru_cache(maxsize=1024)  # at most ~11 MB, with every comment at the length limit
def _comment_html(text: str) -> str:
    linked = urlize(text, trim_url_limit=60, autoescape=True)
    linked = _LINK_START.sub('<a rel="nofollow ugc noopener" href=', linked)
    return linebreaks(linked, autoescape=False)  # urlize escaped every non-link part
