"""Basic, usable admin for every model; the full authoring desk builds on this."""

from django.contrib import admin

from articles.models import Article, Author, Byline, Citation, Correction, Section, Source


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 1
    autocomplete_fields = ["source"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "kind", "status", "published_at", "is_featured"]
    list_filter = ["status", "kind", "section", "is_featured"]
    list_select_related = ["section"]
    search_fields = ["title", "dek"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [BylineInline, CitationInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "dateline", "dek", "body"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]}),
        ("Filing", {"fields": ["section", "tags"]}),
        (
            "Publishing",
            {"fields": ["status", "published_at", "updated_at", "comments_open", "is_featured"]},
        ),
    ]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "homepage_url"]
    list_filter = ["kind"]
    search_fields = ["name", "homepage_url"]
    prepopulated_fields = {"slug": ["name"]}
