"""Site search: ranked full text on PostgreSQL (see ArticleQuerySet.search), with filters."""

from django import forms
from django.shortcuts import render

from articles.models import Article, Author, Section
from articles.models.article import SEARCH_POOL
from articles.pagination import paginate

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", max_length=MAX_QUERY_LENGTH, required=False)
    section = forms.ModelChoiceField(
        Section.objects.all(), required=False, to_field_name="slug", empty_label="All sections"
    )
    author = forms.ModelChoiceField(
        Author.objects.all(), required=False, to_field_name="slug", empty_label="All authors"
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


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
    return render(request, "articles/search.html", context)
