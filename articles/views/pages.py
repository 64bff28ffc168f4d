from django.shortcuts import get_object_or_404, render

from articles.models import Page
from articles.pagecache import public_page


@public_page
def page_detail(request, slug):
    """One of the site's own pages. It carries only the chrome key: a page's edit purges the
    chrome (its footer link), so the page's own copy goes with it."""
    page = get_object_or_404(Page.objects.published(), slug=slug)
    return render(request, "pages/page_detail.html", {"page": page})
