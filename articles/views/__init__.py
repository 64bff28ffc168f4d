"""Views by area: reader.py (public pages); later areas get their own module."""

from .reader import (
    article_detail,
    article_list,
    author_detail,
    healthz,
    section_detail,
    source_detail,
    tag_detail,
)

__all__ = [
    "article_detail",
    "article_list",
    "author_detail",
    "healthz",
    "section_detail",
    "source_detail",
    "tag_detail",
]
