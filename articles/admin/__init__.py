"""Admin by area: content.py (articles, authors, sections, sources, comments), redirects.py."""

from . import content, redirects  # noqa: F401 - registers the models
