"""reverse(), remembered: every page links to the same URLs over and over, and each reverse()
costs tens of microseconds. The URLconf does not change while the process runs."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def cached_reverse(viewname: str, *args) -> str:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(viewname, args, urlconf, get_script_prefix())


@lru_cache(maxsize=20_000)  # about 2 MB at most
def _reverse(viewname, args, urlconf, script_prefix):
    return reverse(viewname, args=args, urlconf=urlconf)
