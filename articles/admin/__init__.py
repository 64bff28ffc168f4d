"""Admin by area: article.py (the desk), content.py (authors, sections, sources),
comments.py (moderation), tags.py (usage counts, rename, merge), redirects.py (old URLs),
site.py (the breaking-news banner)."""

from . import article, comments, content, redirects, site, tags  # noqa: F401 - registers models
