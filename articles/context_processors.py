import time

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.memos import memo, site_chrome

MENU_SECONDS = 60


def site(request):
    """Site name, the sections menu and the breaking-news banner, on every page.

    The menu and the banner are evaluated lazily, and kept (articles/memos.py).
    """
    chrome, menu = SimpleLazyObject(site_chrome), SimpleLazyObject(site_menu)
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "menu_sections": lambda: menu["sections"],
        "footer_pages": lambda: menu["pages"],
        "banner": SimpleLazyObject(lambda: chrome["banner"]),
    }


def site_menu() -> dict:
    """Sections holding a published article (empty ones stay out of the menu) and the pages
    linked from the footer: kept until the chrome is purged (a page or section edited), or a
    minute (a section's first publication shows in the menu on pages rendered after it)."""

    def compute():
        from django.db.models import Exists, OuterRef

        from articles.models import Article, Page, Section

        published = Article.objects.filter(section=OuterRef("pk"), status=Article.Status.PUBLISHED)
        sections = list(Section.objects.filter(Exists(published)))
        pages = list(Page.objects.published().filter(in_footer=True).only("title", "slug"))
        return {"sections": sections, "pages": pages}, time.time() + MENU_SECONDS

    return memo("menu", [], compute)
