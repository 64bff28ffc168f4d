"""The page cache: anonymous readers get a stored copy of public pages, feeds and sitemaps.

- keys.py: what a page shows, declared by its view (`shows()`, `shows_articles()`);
- store.py: stored entries, their freshness (stamps, grace, the render lock), compression;
- local.py: each process's copies of hot pages, and the purges it has heard of;
- middleware.py (`@public_page`, PageCacheMiddleware) and wsgi.py (PageCacheApp) serve them;
- purge.py: `purge(keys, hard=False)`; triggers.py: which change purges which keys.
The README's Performance section tells the whole story, with the "what purges what" table.
"""

from articles.pagecache.keys import shows, shows_articles
from articles.pagecache.middleware import public_page
from articles.pagecache.purge import purge, purge_all

__all__ = ["public_page", "purge", "purge_all", "shows", "shows_articles"]
