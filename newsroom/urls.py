from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles import sitemaps
from articles.views import health, robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_index"),
    path("sitemap-<section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz/lb/", health.healthz_balancer, name="healthz_balancer"),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# 404: Django's default view (templates/404.html) with a Cache-Control; the others need no database.
handler400 = "articles.views.site.bad_request"
handler403 = "articles.views.site.permission_denied"
handler404 = "articles.views.site.page_not_found"
handler500 = "articles.views.server_error"
