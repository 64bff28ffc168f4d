"""Admin by area: content.py (articles, authors, sections, sources), comments.py (moderation),
redirects.py (old URLs), site.py (the breaking-news banner)."""

from . import comments, content, redirects, site  # noqa: F401 - registers the models
