"""Admin by area: article.py (the desk), content.py (authors, sections, sources,
comments), tags.py (usage counts, rename, merge)."""

from . import article, content, tags  # noqa: F401 - registers the models
