"""The article desk: authors write and publish their own pieces, editors run everything."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles.body.citations import body_links, citations_add_from_body
from articles.models import (
    Article,
    Byline,
    Citation,
    Correction,
    EditorialNote,
    SlugRedirect,
)
from articles.saving import save_article
from articles.services import (
    article_checklist_for,
    article_is_editor,
    article_publish,
    article_save,
    article_unpublish,
    article_visible_to,
    preview_token,
    tag_usage_lookup,
    tags_readable_by,
)

from .desk import DeskViews
from .forms import (
    ArticleAdminForm,
    BylineFormSet,
    EditorialNoteFormSet,
    SectionChoiceForm,
    TagChoiceForm,
)
from .revisions import RevisionViews
from .uploads import pending_upload_discard


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    extra = 1
    autocomplete_fields = ["author"]


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 1
    autocomplete_fields = ["source"]
    fields = ["source", "url", "title", "order"]
    template = "admin/articles/article/citation_inline.html"  # with the body's links to cite

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The saved body's links not cited yet, each one click from being a citation.
        formset.body_links = body_links(obj) if obj else []
        formset.may_add_sources = request.user.has_perm("articles.add_source")
        return formset


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    verbose_name = "correction or update note"


class EditorialNoteInline(admin.StackedInline):
    model = EditorialNote
    formset = EditorialNoteFormSet
    extra = 1
    fields = ["body", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    verbose_name_plural = "editorial notes (internal, never shown on the site)"


class TimingFilter(admin.SimpleListFilter):
    title = "timing"
    parameter_name = "timing"

    def lookups(self, request, model_admin):
        return [("draft", "Drafts"), ("scheduled", "Scheduled"), ("live", "Published, live")]

    def queryset(self, request, queryset):
        filters = {"draft": "drafts", "scheduled": "scheduled", "live": "published"}
        if method := filters.get(self.value()):
            return getattr(queryset, method)()
        return queryset


class LastChangeFilter(admin.DateFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "last change"


class CommentsFilter(admin.SimpleListFilter):
    title = "comments"
    parameter_name = "comments"

    def lookups(self, request, model_admin):
        return [("none", "None"), ("some", "Some"), ("10", "10 or more")]

    def queryset(self, request, queryset):
        filters = {"none": {"comment_count": 0}, "some": {"comment_count__gt": 0}}
        filters["10"] = {"comment_count__gte": 10}
        return queryset.filter(**filters[self.value()]) if self.value() in filters else queryset


@admin.register(Article)
class ArticleAdmin(DeskViews, RevisionViews, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    # Fits a 1,366-pixel screen beside the admin's menu; dates in the admin's one format.
    list_display = [
        "title", "author_names", "section", "status_label", "comment_count", "last_change",
        "published_at", "preview",
    ]  # fmt: skip
    list_filter = [
        TimingFilter,
        "status",
        "section",
        ("authors", admin.RelatedOnlyFieldListFilter),
        CommentsFilter,
        ("modified_at", LastChangeFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),  # no names of others' drafts' tags
        "is_featured",
    ]
    list_select_related = ["section"]
    search_fields = ["title", "dek", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["hero"]  # searched in the media library
    inlines = [BylineInline, CitationInline, CorrectionInline, EditorialNoteInline]
    actions = ["publish_selected", "unpublish_selected", "move_to_section", "add_tag"]

    class Media:
        js = [
            "admin_newsroom/unsaved.js",
            "admin_newsroom/tags.js",
            "admin_newsroom/checklist.js",
            "admin_newsroom/links.js",
            "admin_newsroom/media.js",
            "admin_newsroom/publish_panel.js",
            "admin_newsroom/autosave.js",
            "admin_newsroom/lock.js",
        ]
        css = {"all": ["admin_newsroom/desk.css", "admin_newsroom/media.css"]}

    def get_fieldsets(self, request, obj=None):
        publishing = ["status", "published_at", "updated_at", "comments_open"]
        if article_is_editor(request.user):
            publishing.append("is_featured")
        if obj and obj.status == Article.Status.PUBLISHED:
            publishing.append("minor_edit")
        return [
            (None, {"fields": ["title", "slug", "dek", "body"]}),
            (
                "Hero image",
                {
                    "fields": [
                        "hero",
                        "hero_image",
                        "hero_alt",
                        "hero_is_decorative",
                        "hero_caption",
                        "hero_credit",
                    ]
                },
            ),
            ("Filing", {"fields": ["section", "kind", "dateline", "tags", "index"]}),
            (
                "Publishing",
                {"fields": [*publishing, "change_note", "form_version", "schedule_at"]},
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        # Published URLs are frozen for authors; editors may change them (the old one 301s).
        if obj and obj.published_at and not article_is_editor(request.user):
            return ["slug"]
        return []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj and obj.published_at else self.prepopulated_fields

    # Who sees what ----------------------------------------------------------------

    def get_queryset(self, request):
        bylines = Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        articles = super().get_queryset(request).with_comment_count().prefetch_related(bylines)
        return article_visible_to(request.user, articles)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Someone else's article (or none): a 404, never a form or a hint it exists.
            raise Http404("No such article.")
        return obj

    def _owns(self, request, obj):
        return (
            obj is None
            or article_is_editor(request.user)
            or (Byline.objects.filter(article=obj, author__user=request.user).exists())
        )

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)

    def has_desk_permission(self, request):
        return article_is_editor(request.user)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline):
            kwargs["author_joins"] = obj.pk is None and not article_is_editor(request.user)
        if isinstance(inline, BylineInline | EditorialNoteInline):
            kwargs["user"] = request.user
        return kwargs

    # Saving -------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        pass  # saved with its inlines by save_related, in one call of the save service

    def save_formset(self, request, form, formset, change):
        raise NotImplementedError("save_article() saves the inlines")

    def save_related(self, request, form, formsets, change):
        article = form.instance
        if "_preview" in request.POST:
            # Preview saves a draft and never publishes: a draft keeps its draft status and time.
            saved = Article.objects.filter(pk=article.pk).values("status", "published_at").first()
            if not saved or saved["status"] == Article.Status.DRAFT:
                article.status = Article.Status.DRAFT
                article.published_at = saved and saved["published_at"]
        save_article(
            article,
            by=request.user,
            note=form.cleaned_data.get("change_note", ""),
            minor=form.cleaned_data.get("minor_edit", False),
            form=form,
            formsets=formsets,
        )
        if token := form.kept_upload_token:
            pending_upload_discard(token)  # the article now holds its own copy

    # Pages --------------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if form.is_bound:
            form.keep_upload()  # refused: the browser will not send the chosen file again
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        # "Add as citation" without JavaScript: the article saved first, then the links.
        if chosen := request.POST.getlist("_cite"):
            if "__all__" in chosen:
                chosen = [link.url for link in body_links(obj)]
            added = citations_add_from_body(
                obj, chosen, may_add_sources=request.user.has_perm("articles.add_source")
            )
            self.message_user(
                request, f"Saved, and cited {len(added)} link(s) from the body.", messages.SUCCESS
            )
            return HttpResponseRedirect(request.path + "#citations-group")
        return super().response_change(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "checklist": article_checklist_for(article),
            "preview_url": reverse("articles:article_preview", args=[article.pk]),
            "preview_link": request.build_absolute_uri(
                reverse("articles:article_preview_link", args=[preview_token(article)])
            ),
            "preview_link_days": settings.PREVIEW_LINK_MAX_AGE // 86400,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:  # in the admin's own date format, as in the next column
            return format_html("Scheduled for {}", display_for_value(obj.published_at, ""))
        return obj.get_status_display()

    @admin.display(description="authors")
    def author_names(self, obj):
        return ", ".join(dict.fromkeys(b.author.name for b in obj.bylines.all())) or "—"

    @admin.display(description="comments", ordering="comment_count")
    def comment_count(self, obj):
        return obj.comment_count

    @admin.display(description="last change", ordering="modified_at")
    def last_change(self, obj):
        return display_for_value(obj.modified_at, "")

    @admin.display(description="preview")
    def preview(self, obj):
        return format_html(
            '<a href="{}">Preview</a>', reverse("articles:article_preview", args=[obj.pk])
        )

    # Bulk actions -------------------------------------------------------------------

    @admin.action(description="Publish selected articles now", permissions=["change"])
    def publish_selected(self, request, queryset):
        done, refused = 0, []
        for article in queryset:
            if not self.has_change_permission(request, article):
                continue
            try:
                article_publish(article, user=request.user)
                done += 1
            except ValidationError as error:
                refused.extend(error.messages)
        if done:
            self.message_user(request, f"Published {done} article(s).", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="Unpublish selected articles", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        articles = list(queryset.filter(status=Article.Status.PUBLISHED))
        for article in articles:
            if self.has_change_permission(request, article):
                article_unpublish(article, user=request.user)
        self.message_user(request, f"Unpublished {len(articles)} article(s).", messages.SUCCESS)

    @admin.action(description="Move selected articles to a section", permissions=["desk"])
    def move_to_section(self, request, queryset):
        form = SectionChoiceForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            section = form.cleaned_data["section"]
            for article in queryset:
                article.section = section
                article_save(article, user=request.user, note=f"Moved to {section}")
            self.message_user(request, f"Moved {queryset.count()} article(s) to {section}.")
            return None
        return self._action_page(request, queryset, form, "move_to_section", "Move to a section")

    @admin.action(description="Add a tag to selected articles", permissions=["desk"])
    def add_tag(self, request, queryset):
        form = TagChoiceForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            name = form.cleaned_data["tag"].strip()
            for article in queryset:
                article.tags.add(name)
                article_save(article, user=request.user, note=f"Tagged “{name}”")
            self.message_user(request, f"Tagged {queryset.count()} article(s) “{name}”.")
            return None
        return self._action_page(request, queryset, form, "add_tag", "Add a tag")

    def _action_page(self, request, queryset, form, action, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/action_form.html", context)

    def tag_suggestions(self, request):
        """Existing tags starting with ?q=, most used first, for the tags field."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()
        tags = (
            tags_readable_by(request.user)
            .filter(name__istartswith=term)
            .annotate(usage=Count(tag_usage_lookup()))
            .order_by("-usage", "name")
            .values_list("name", flat=True)[:10]
            if term
            else []
        )
        return JsonResponse({"tags": list(tags)})

    def get_urls(self):
        suggest = path(
            "tag-suggestions/",
            self.admin_site.admin_view(self.tag_suggestions),
            name="articles_article_tag_suggestions",
        )
        return [suggest, *self.desk_urls(), *self.revision_urls(), *super().get_urls()]


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    """Old article URLs that 301 to the article's current one."""

    list_display = ["old_slug", "article", "created_at"]
    search_fields = ["old_slug", "article__title"]
    list_select_related = ["article"]
    raw_id_fields = ["article"]
