"""Authors, sections and sources (articles: article.py, tags: tags.py)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Exists, OuterRef, Q
from django.forms import ModelForm
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles.images import image_clean
from articles.models import Author, Citation, Section, Source
from articles.services import (
    article_is_editor,
    article_readable_by,
    article_visible_to,
    citations_outside_sources,
)


class AuthorAdminForm(ModelForm):
    class Meta:
        model = Author
        fields = [
            "user", "name", "slug", "role", "bio", "avatar", "website",
            "x_url", "bluesky_url", "mastodon_url", "linkedin_url",
        ]  # fmt: skip

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        return image_clean(avatar) if isinstance(avatar, UploadedFile) else avatar


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["name", "role", "user"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        credits = request.GET.get("model_name") == "byline"  # the byline field's autocomplete
        if credits and not article_is_editor(request.user):
            # Authors credit only themselves and guests (BylineFormSet enforces it).
            queryset = queryset.filter(Q(user__isnull=True) | Q(user=request.user))
        return queryset, duplicates


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


def citations_readable_by(request, citations=None):
    """The citations on articles `request.user` may know of, each marked `can_open` if its
    article opens in the admin for them (else its link is the public page)."""
    citations = Citation.objects.all() if citations is None else citations
    user = request.user
    return citations.filter(article__in=article_readable_by(user)).annotate(
        can_open=Exists(article_visible_to(user).filter(pk=OuterRef("article")))
    )


def citation_article_url(citation) -> str:
    if citation.can_open:
        return reverse("admin:articles_article_change", args=[citation.article_id])
    return citation.article.get_absolute_url()


class CitingArticleInline(admin.TabularInline):
    """Every article that cites this source, read-only; edit citations on the article."""

    model = Citation
    extra = 0
    can_delete = False
    fields = ["article_link", "url", "title"]
    readonly_fields = fields
    verbose_name_plural = "articles citing this source"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Authors see their own citations and those readers see, never others' drafts.
        return citations_readable_by(request, super().get_queryset(request)).select_related(
            "article"
        )

    @admin.display(description="article")
    def article_link(self, citation):
        return format_html('<a href="{}">{}</a>', citation_article_url(citation), citation.article)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "homepage_url", "citation_count"]
    list_filter = ["kind"]
    search_fields = ["name", "homepage_url"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CitingArticleInline]
    change_list_template = "admin/articles/source/change_list.html"

    def get_queryset(self, request):
        readable = Q(citations__article__in=article_readable_by(request.user))
        return (
            super()
            .get_queryset(request)
            .annotate(citation_count=Count("citations", filter=readable))
        )

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, source):
        return source.citation_count

    def get_urls(self):
        view = self.admin_site.admin_view(self.uncovered_view)
        return [path("uncovered/", view, name="articles_source_uncovered"), *super().get_urls()]

    def uncovered_view(self, request):
        """Cited domains that no source covers yet, each with the citations that use it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Cited sites that are not sources yet",
            "opts": self.model._meta,
            "domains": citations_outside_sources(citations_readable_by(request)),
            "can_add": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/articles/source/uncovered.html", context)
