from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.memos import site_chrome


def site(request):
    """Site name, the sections menu and the breaking-news banner, on every page.

    The menu and the banner are evaluated lazily, and kept (articles/memos.py).
    """
    chrome = SimpleLazyObject(site_chrome)
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "menu_sections": lambda: chrome["sections"],
        "banner": SimpleLazyObject(lambda: chrome["banner"]),
    }
