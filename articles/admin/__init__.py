"""Admin by area: content.py (articles, authors, sections, sources, comments),
redirects.py (old URLs), site.py (the breaking-news banner)."""

from . import content, redirects, site  # noqa: F401 - registers the models
