"""Admin by area: article.py (the desk), content.py (authors, sections, sources),
articles/comments/admin.py (moderation), tags.py (usage counts, rename, merge), redirects.py (old URLs),
site.py (the breaking-news banner)."""

from articles.comments import admin as comments  # noqa: F401 - registers models

from . import article, content, media, redirects, site, tags  # noqa: F401 - registers models
