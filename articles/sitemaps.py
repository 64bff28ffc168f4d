"""Sitemaps for search engines, indexed at /sitemap.xml; a Google News sitemap for the last 48 hours."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Exists, Max, OuterRef, Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author, Byline, Section, TaggedArticle
from articles.pagecache import public_page, shows

NEWS_WINDOW = timedelta(hours=48)


class SiteSitemap(Sitemap):
    """Absolute URLs on SITE_URL, whatever host the request came in on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteSitemap):
    limit = 5000

    def items(self):
        return Article.objects.published().only("slug", "published_at", "modified_at")

    def lastmod(self, article):
        return article.modified_at


class NewsSitemap(SiteSitemap):
    """Google News: articles published in the last 48 hours."""

    limit = 1000

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only("slug", "title", "published_at", "modified_at")
        )

    def lastmod(self, article):
        return article.modified_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["publication_name"] = settings.SITE_NAME
        return urls


class SectionSitemap(SiteSitemap):
    def items(self):
        return (
            Section.objects.annotate(
                latest=Max("articles__published_at", filter=_published_filter("articles__"))
            )
            .filter(latest__isnull=False)
            .order_by("order", "name")
        )

    def lastmod(self, section):
        return section.latest


class TagSitemap(SiteSitemap):
    def items(self):
        tagged = TaggedArticle.objects.filter(
            tag=OuterRef("pk"), content_object__in=Article.objects.published()
        )
        return Tag.objects.filter(Exists(tagged)).order_by("name")

    def location(self, tag):
        return reverse("articles:tag_detail", args=[tag.slug])


class AuthorSitemap(SiteSitemap):
    def items(self):
        bylines = Byline.objects.filter(
            author=OuterRef("pk"), article__in=Article.objects.published()
        )
        return Author.objects.filter(Exists(bylines))


def _published_filter(prefix):
    return Q(**{f"{prefix}status": Article.Status.PUBLISHED}) & Q(
        **{f"{prefix}published_at__lte": timezone.now()}
    )


SITEMAPS = {
    "articles": ArticleSitemap,
    "news": NewsSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def listed_sitemaps() -> dict[str, Sitemap]:
    """The sitemaps with at least one URL. The schema wants a <url> in every <urlset>, and
    the news sitemap is empty whenever nothing was published in the last 48 hours."""
    sitemaps = {name: sitemap_class() for name, sitemap_class in SITEMAPS.items()}
    return {name: sitemap for name, sitemap in sitemaps.items() if sitemap.paginator.count}


@public_page
@sitemap_views.x_robots_tag
def sitemap_index(request):
    """Django's index, with the sitemaps' addresses on SITE_URL like the URLs in them (its
    own view names the host the request came in on)."""
    shows(request, "sitemap")
    sitemaps = listed_sitemaps()
    if not sitemaps:
        raise Http404("Nothing is published yet.")
    items = []
    for section, sitemap in sitemaps.items():
        url = settings.SITE_URL + reverse("sitemap_section", kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        for page in sitemap.paginator.page_range:
            items.append(SitemapIndexItem(url if page == 1 else f"{url}?p={page}", lastmod))
    context = {"sitemaps": items}
    return TemplateResponse(request, "sitemap_index.xml", context, content_type="application/xml")


@public_page
def sitemap_section(request, section):
    shows(request, "sitemap")
    sitemap = SITEMAPS[section]() if section in SITEMAPS else None
    if sitemap is None or not sitemap.paginator.count:
        raise Http404("No such sitemap, or nothing in it now.")
    template = "sitemaps/news.xml" if section == "news" else "sitemap.xml"
    return sitemap_views.sitemap(
        request, {section: sitemap}, section=section, template_name=template
    )
