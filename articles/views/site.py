"""Site-wide responses: robots.txt and the error pages."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap_index')}",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap_section', args=['news'])}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def server_error(request):
    """The 500 page: a static template, no database and no context processors."""
    html = loader.get_template("500.html").render({"site_name": settings.SITE_NAME})
    return HttpResponseServerError(html)
