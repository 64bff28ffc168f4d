"""Admin by area: content.py (articles, authors, sections, sources), comments.py (moderation)."""

from . import comments, content  # noqa: F401 - registers the models
