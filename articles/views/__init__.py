"""Views by area: reader.py (public pages), search.py, site.py (robots.txt, errors), health.py.
The comment views live in articles/comments/views.py."""

from .health import healthz
from .reader import (
    article_detail,
    article_list,
    author_detail,
    corrections,
    section_detail,
    source_detail,
    tag_detail,
)
from .search import search
from .site import robots_txt, server_error

__all__ = [
    "article_detail",
    "article_list",
    "author_detail",
    "corrections",
    "healthz",
    "robots_txt",
    "search",
    "section_detail",
    "server_error",
    "source_detail",
    "tag_detail",
]
