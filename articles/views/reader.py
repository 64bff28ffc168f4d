from django.db import connection
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from articles.models import Article, Author, Citation, Comment, Section, Source
from articles.pagination import paginate


def article_list(request):
    page = paginate(request, Article.objects.published().with_bylines().prefetch_related("tags"))
    return render(request, "articles/article_list.html", {"page_obj": page})


def article_detail(request, slug):
    queryset = (
        Article.objects.published()
        .with_bylines()
        .prefetch_related(
            "tags",
            "corrections",
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
            Prefetch("comments", queryset=Comment.objects.approved(), to_attr="approved_comments"),
        )
    )
    article = get_object_or_404(queryset, slug=slug)
    return render(request, "articles/article_detail.html", {"article": article})


def _listing(request, heading, queryset, *, subject=None, description=""):
    page = paginate(request, queryset.with_bylines().prefetch_related("tags"))
    context = {"page_obj": page, "heading": heading, "subject": subject, "description": description}
    return render(request, "articles/article_list.html", context)


def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    articles = Article.objects.published().by_author(author)
    return _listing(request, author.name, articles, subject=author, description=author.bio)


def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    articles = Article.objects.published().filter(section=section)
    return _listing(
        request, section.name, articles, subject=section, description=section.description
    )


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().filter(tags=tag)
    return _listing(request, f"Tagged: {tag.name}", articles, subject=tag)


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    articles = Article.objects.published().filter(citations__source=source).distinct()
    return _listing(request, source.name, articles, subject=source, description=source.description)


def healthz(request):
    """Cheap liveness check of the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"database": "down"}, status=503)
    return JsonResponse({"database": "ok"})
