"""Site search: ranked full text on PostgreSQL (see ArticleQuerySet.search), with filters."""

from django import forms
from django.shortcuts import render

from articles.models import Article, Author, Section
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
        results = Article.objects.published().search(query)
        if section := form.cleaned_data.get("section"):
            results = results.filter(section=section)
        if author := form.cleaned_data.get("author"):
            results = results.by_author(author)
        # A deferred join: rank every match, but join comments and bylines for 20 rows only.
        page = paginate(
            request,
            results,
            decorate=lambda rows: rows.search(query).with_bylines().with_comment_count(),
        )
    context = {"form": form, "query": query, "page_obj": page}
    return render(request, "articles/search.html", context)
