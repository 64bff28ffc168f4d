from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect

from articles.models import Redirect


class RedirectFallbackMiddleware:
    """301 old URLs (moved articles, imported WordPress permalinks) to where they live now.

    Only 404s are looked up, plus WordPress's `/?p=ID`, whose path is our front page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        post_id = request.GET.get("p") if request.path == "/" else None
        if post_id:
            redirect = Redirect.objects.filter(old_path="/?" + urlencode({"p": post_id})).first()
            if redirect:
                return HttpResponsePermanentRedirect(redirect.new_path)
        response = self.get_response(request)
        if response.status_code == 404:
            paths = {request.get_full_path(), request.path}
            redirect = Redirect.objects.filter(old_path__in=paths).first()
            if redirect:
                return HttpResponsePermanentRedirect(redirect.new_path)
        return response
