from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Banner, Section


def site(request):
    """Site name, the sections menu and the breaking-news banner, on every page.

    The menu and the banner are evaluated lazily: a page that never shows them costs no query.
    """
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "menu_sections": Section.objects.all,
        "banner": SimpleLazyObject(lambda: Banner.objects.current().first()),
    }
