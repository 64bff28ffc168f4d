"""Admin by area: content.py (articles, authors, sections, sources, comments),
site.py (the breaking-news banner)."""

from . import content, site  # noqa: F401 - registers the models
