from django.conf import settings

from articles.models import Section


def site(request):
    """Site name and the sections menu, on every page (the menu is evaluated lazily)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "menu_sections": Section.objects.all,
    }
