from urllib.parse import unquote, urlencode, urlsplit

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from articles.models import Article, Redirect, SlugRedirect


class RedirectFallbackMiddleware:
    """301 old URLs (moved articles, imported WordPress permalinks) to where they live now.

    Only 404s are looked up, plus WordPress's `/?p=ID`, whose path is our front page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # WordPress's /?p=ID, and /?page_id=ID and /?attachment_id=ID.
        key = next((k for k in ("p", "page_id", "attachment_id") if request.GET.get(k)), None)
        post_id = request.GET.get(key) if key and request.path == "/" else None
        if post_id:
            redirect = Redirect.objects.filter(old_path="/?" + urlencode({key: post_id})).first()
            if redirect and not leads_to_hidden_article(redirect.new_path):
                return HttpResponsePermanentRedirect(redirect.new_path)
            # As WordPress answers an unknown post id; the front page under every id would
            # also be a stored copy each.
            raise Http404("No such post.")
        response = self.get_response(request)
        if response.status_code == 404:
            paths = {request.get_full_path(), request.path}
            redirect = Redirect.objects.filter(old_path__in=paths).first()
            if redirect and not leads_to_hidden_article(redirect.new_path):
                return HttpResponsePermanentRedirect(redirect.new_path)
        return response


def leads_to_hidden_article(path: str) -> bool:
    """Whether `path` is the page of an article readers may not see (unpublished since the
    redirect was made): following the redirect would tell the draft's slug."""
    parts = urlsplit(path)
    if parts.netloc:
        return False
    try:
        match = resolve(unquote(parts.path))
    except Resolver404:
        return False
    if match.view_name != "articles:article_detail":
        return False
    slug = match.kwargs["slug"]
    return not (
        Article.objects.published().filter(slug=slug).exists()
        or SlugRedirect.objects.live().filter(old_slug=slug).exists()
    )
