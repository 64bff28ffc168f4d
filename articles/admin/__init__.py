"""Admin by area: content.py (articles, authors, sections, sources, comments)."""

from . import content  # noqa: F401 - registers the models
