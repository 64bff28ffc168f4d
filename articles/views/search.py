"""Site search: ranked full text on PostgreSQL (see ArticleQuerySet.search), with filters."""

from django import forms
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from articles.memos import author_list, site_chrome
from articles.models import Article
from articles.models.article import SEARCH_POOL
from articles.pagination import paginate

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", max_length=MAX_QUERY_LENGTH, required=False)
    section = forms.ChoiceField(required=False)
    author = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The menu's sections and the authors, kept per content version: a model choice
        # field would query both on every search (5-10 ms at the 100,000-article size).
        self.sections = {section.slug: section for section in site_chrome()["sections"]}
        self.authors = {author.slug: author for author in author_list()}
        self.fields["section"].choices = _choices("All sections", self.sections)
        self.fields["author"].choices = _choices("All authors", self.authors)

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean_section(self):
        return self.sections.get(self.cleaned_data["section"])

    def clean_author(self):
        return self.authors.get(self.cleaned_data["author"])


def _choices(everything: str, objects: dict) -> list[tuple[str, str]]:
    return [("", everything), *((slug, obj.name) for slug, obj in objects.items())]


@require_safe
def search(request):
    form = SearchForm(request.GET)
    form.is_valid()  # a bad filter gets its message; the valid fields still search
    query = form.cleaned_data.get("q", "")
    page = None
    if query:
        results = Article.objects.published()
        if section := form.cleaned_data.get("section"):
            results = results.filter(section=section)
        if author := form.cleaned_data.get("author"):
            results = results.by_author(author)
        # One query ranks the pool (at most SEARCH_POOL ids, so it also gives the count);
        # snippets, bylines and comment counts are loaded for the page's rows only.
        page = paginate(request, list(results.search(query).values_list("pk", flat=True)))
        rows = (
            Article.objects.filter(pk__in=page.object_list)
            .with_headlines(query)
            .for_cards()
            .with_bylines()
            .with_comment_count()
            .in_bulk()
        )
        # An article deleted between the two queries is simply left out.
        page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    context = {"form": form, "query": query, "page_obj": page, "pool": SEARCH_POOL}
    response = render(request, "articles/search.html", context)
    # Not stored by the page cache (every query would be a copy); "private" keeps a CDN from
    # storing results it could not be told are stale, max-age=0 has the browser ask again.
    patch_cache_control(response, private=True, max_age=0)
    return response
