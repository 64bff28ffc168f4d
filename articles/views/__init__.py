"""Views by area: reader.py (public pages), search.py, site.py (robots.txt, errors), health.py,
comments.py (posting, reporting, reply subscriptions)."""

from .comments import (
    comment_confirm_subscription,
    comment_form_token,
    comment_post,
    comment_report,
    comment_unsubscribe,
)
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
    "comment_confirm_subscription",
    "comment_form_token",
    "comment_post",
    "comment_report",
    "comment_unsubscribe",
    "healthz",
    "robots_txt",
    "search",
    "section_detail",
    "server_error",
    "source_detail",
    "tag_detail",
]
