"""Previews of unpublished articles, and redirects for URLs that moved."""

from functools import wraps

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import Http404, HttpResponseGone
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache

from articles.models import Article, SlugRedirect, TagRedirect
from articles.services import article_visible_to, preview_article_id, tags_on_live_articles
from articles.views.reader import article_context


def _render_preview(request, article_id, queryset):
    # The page as readers will see it, under a banner; no share buttons or comment form,
    # which would send readers to (or post on) a page that is not out yet.
    context = {**article_context(queryset, pk=article_id), "is_preview": True}
    response = render(request, "articles/article_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the signed link must not leak in Referer
    return response


@never_cache
@staff_member_required
def article_preview(request, pk):
    """Any article as readers will see it, for staff who may open it in the admin."""
    if not request.user.has_perm("articles.view_article"):
        raise Http404("No such article.")
    return _render_preview(request, pk, article_visible_to(request.user))


@never_cache
def article_preview_link(request, token):
    """A signed, expiring preview link for someone without an admin login."""
    try:
        article_id = preview_article_id(token, settings.PREVIEW_LINK_MAX_AGE)
    except signing.SignatureExpired:
        page = loader.render_to_string("410.html", {"site_name": settings.SITE_NAME})
        return HttpResponseGone(page)
    except signing.BadSignature:
        raise Http404("This preview link is not valid.") from None
    return _render_preview(request, article_id, Article.objects.all())


def _follow_redirects(view, new_url):
    """Wrap a detail view: when its slug 404s and new_url(slug) knows better, 301 there."""

    @wraps(view)
    def wrapped(request, slug):
        try:
            return view(request, slug)
        except Http404:
            if url := new_url(slug):
                return redirect(url, permanent=True)
            raise

    return wrapped


def _article_moved(slug):
    moved = SlugRedirect.objects.live().filter(old_slug=slug).select_related("article").first()
    return moved.article.get_absolute_url() if moved else None


def _tag_moved(slug):
    live = TagRedirect.objects.filter(tag__in=tags_on_live_articles())
    moved = live.filter(old_slug=slug).select_related("tag").first()
    return reverse("articles:tag_detail", kwargs={"slug": moved.tag.slug}) if moved else None


def article_detail_or_redirect(view):
    return _follow_redirects(view, _article_moved)


def tag_detail_or_redirect(view):
    return _follow_redirects(view, _tag_moved)
