"""Tags for editors: usage counts, rename (old URL redirects), merge several into one."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from taggit.models import Tag

from articles.models import TagRedirect
from articles.services import tag_merge, tag_rename, tag_usage_lookup, tags_readable_by

from .forms import TagMergeForm

admin.site.unregister(Tag)  # taggit's own TagAdmin


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Tag.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if clash:
            raise forms.ValidationError(
                f"“{clash.name}” already exists: merge into it from the tag list instead."
            )
        return name


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "usage"]
    search_fields = ["name"]
    ordering = ["name"]
    actions = ["merge_tags"]

    def get_queryset(self, request):
        tags = super().get_queryset(request).filter(pk__in=tags_readable_by(request.user))
        return tags.annotate(usage=Count(tag_usage_lookup()))

    @admin.display(description="articles", ordering="usage")
    def usage(self, tag):
        return tag.usage

    def save_model(self, request, obj, form, change):
        if change:
            # Through the service, so that the old URL keeps working.
            original = Tag.objects.get(pk=obj.pk)
            slug = obj.slug if "slug" in form.changed_data else ""
            obj.slug = original.slug
            tag_rename(obj, obj.name, slug)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="Merge selected tags into one", permissions=["change", "delete"])
    def merge_tags(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select at least two tags to merge.", messages.WARNING)
            return None
        form = TagMergeForm(request.POST if "apply" in request.POST else None, tags=queryset)
        if form.is_valid():
            into = form.cleaned_data["into"]
            others = [tag for tag in queryset if tag.pk != into.pk]
            moved = tag_merge(others, into)
            names = ", ".join(f"“{t.name}”" for t in others)
            self.message_user(
                request,
                f"Merged {names} into “{into.name}”; {moved} article(s) re-tagged, old URLs redirect.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge tags",
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action": "merge_tags",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/taggit/tag/merge.html", context)


@admin.register(TagRedirect)
class TagRedirectAdmin(admin.ModelAdmin):
    """Old tag URLs left by merges and renames; delete one to free its slug."""

    list_display = ["old_slug", "tag", "created_at"]
    search_fields = ["old_slug", "tag__name"]
    list_select_related = ["tag"]
    raw_id_fields = ["tag"]
