"""Views by area: reader.py (public pages), comments.py; later areas get their own module."""

from .comments import (
    comment_confirm_subscription,
    comment_form_token,
    comment_post,
    comment_report,
    comment_unsubscribe,
)
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
    "comment_confirm_subscription",
    "comment_form_token",
    "comment_post",
    "comment_report",
    "comment_unsubscribe",
    "healthz",
    "section_detail",
    "source_detail",
    "tag_detail",
]
