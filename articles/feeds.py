"""RSS 2.0 and Atom feeds: the whole site, per section, tag and author, and corrections.

Each feed has an Atom twin at <feed>/atom/. FEED_FULL_TEXT chooses the article body or its dek.
"""

from contextvars import ContextVar

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import escape

from articles.body.render import body_for_feed
from articles.models import Article, Author, Byline, Correction, Section, Source
from articles.pagecache import keys, shows, shows_articles
from articles.seo import absolute
from articles.services import tags_on_live_articles

FEED_SIZE = 30
_request = ContextVar("feed_request")  # the request a feed is being built for


class PublicFeed(Feed):
    """Feeds are the same for every reader, so the page cache keeps them (articles/pagecache/),
    with the keys of the list they are (`list_key()`) and of their items."""

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response.is_public_page = True
        return response

    def get_feed(self, obj, request):
        # items() is not given the request; one feed object serves every thread.
        token = _request.set(request)
        try:
            shows(request, self.list_key(obj))
            return super().get_feed(obj, request)
        finally:
            _request.reset(token)

    def list_key(self, obj) -> str:
        return "feed"

    def author_name(self, obj=None):
        # RFC 4287: an Atom feed names an author unless every entry does, and corrections
        # and articles without a byline name none. Entries with bylines keep their own.
        return settings.SITE_NAME


class ArticleFeed(PublicFeed):
    """The latest published articles on the whole site."""

    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return absolute(reverse("articles:article_list"))

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def description(self, obj=None):
        return f"The latest from {settings.SITE_NAME}."

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        items = list(
            self.articles(obj)
            .for_page()
            .newest_first()
            .select_related("section")
            .prefetch_related(
                "tags", Prefetch("bylines", queryset=Byline.objects.select_related("author"))
            )[:FEED_SIZE]
        )
        shows(_request.get(None), *(keys.article(item.pk) for item in items))  # their text
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        if settings.FEED_FULL_TEXT:
            return body_for_feed(item.body)  # embeds as plain links
        return escape(item.dek or item.title)  # plain text; readers render this as HTML

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at or item.published_at

    def item_author_name(self, item):
        return ", ".join(byline.author.name for byline in item.bylines.all()) or None

    def item_categories(self, item):
        section = [item.section.name] if item.section_id else []
        return section + [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        if not item.hero_image:
            return []
        size = (item.renditions or {}).get("size") or 0
        mime = "image/png" if item.hero_image.name.lower().endswith(".png") else "image/jpeg"
        return [Enclosure(absolute(item.hero_image.url), str(size), mime)]


class SectionFeed(ArticleFeed):
    def list_key(self, obj):
        return keys.section(obj.pk)

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def description(self, obj):
        return obj.description or f"The latest in {obj.name}."

    def articles(self, obj):
        return Article.objects.published().filter(section=obj)


class TagFeed(ArticleFeed):
    def list_key(self, obj):
        return keys.tag(obj.pk)

    def get_object(self, request, slug):
        return get_object_or_404(tags_on_live_articles(), slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj):
        return absolute(reverse("articles:tag_detail", args=[obj.slug]))

    def description(self, obj):
        return f"Articles tagged {obj.name}."

    def articles(self, obj):
        return Article.objects.published().filter(tags=obj)


class AuthorFeed(ArticleFeed):
    def list_key(self, obj):
        return keys.author(obj.pk)

    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def description(self, obj):
        return obj.role or f"Articles by {obj.name}."

    def articles(self, obj):
        return Article.objects.published().by_author(obj)


class SourceFeed(ArticleFeed):
    def list_key(self, obj):
        return keys.source(obj.pk)

    def get_object(self, request, slug):
        return get_object_or_404(Source, slug=slug)

    def title(self, obj):
        return f"Citing {obj.name} · {settings.SITE_NAME}"

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def description(self, obj):
        return f"{settings.SITE_NAME} articles that cite {obj.name}."

    def articles(self, obj):
        return Article.objects.published().citing(obj)


class CorrectionFeed(PublicFeed):
    """Every correction and update note, newest first."""

    def title(self, obj=None):
        return f"Corrections · {settings.SITE_NAME}"

    def link(self, obj=None):
        return absolute(reverse("articles:corrections"))

    def description(self, obj=None):
        return f"Corrections, clarifications and updates to {settings.SITE_NAME} articles."

    def list_key(self, obj):
        return "corrections"

    def items(self):
        published = Article.objects.published()
        items = list(
            Correction.objects.filter(article__in=published)
            .select_related("article")
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )
        shows_articles(_request.get(None), [item.article for item in items], compact=True)
        return items

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.title}"

    def item_description(self, item):
        return escape(item.note)

    def item_link(self, item):
        return absolute(f"{item.article.get_absolute_url()}#correction-{item.pk}")

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at  # Atom requires <updated>; corrections keep no edit time


def atom(feed_class):
    """The Atom 1.0 twin of an RSS feed class."""

    class AtomFeed(feed_class):
        feed_type = Atom1Feed

        def subtitle(self, obj=None):
            return self.description(obj)

    AtomFeed.__name__ = f"Atom{feed_class.__name__}"
    return AtomFeed
