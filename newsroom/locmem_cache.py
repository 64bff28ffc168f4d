"""Django's local-memory cache, without memcached's key rules.

Django checks every key of every call against memcached's limits (length, control
characters), only to warn: with a page's stamps that is half of a page-cache hit on local
memory. Keys here are made by the site, and this cache, like Redis, takes any key.
"""

from django.core.cache.backends.locmem import LocMemCache


class AnyKeyLocMemCache(LocMemCache):
    def validate_key(self, key):
        pass

    def clear(self):
        from articles.pagecache.local import cleared

        super().clear()
        cleared(self)  # the page cache's copies of what was here go too
