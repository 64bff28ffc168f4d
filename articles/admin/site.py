"""Site-wide settings editors change from the admin (the breaking-news banner), and the
admin's "view on site" links."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404

from articles.models import Banner, Page


@admin.register(Banner)
class BannerAdmin(admin.ModelAdmin):
    list_display = ["text", "starts_at", "expires_at", "is_current"]
    search_fields = ["text"]
    date_hierarchy = "starts_at"
    fields = ["text", "link", "starts_at", "expires_at"]

    @admin.display(boolean=True, description="showing now")
    def is_current(self, banner):
        return banner.is_current


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """The site's own pages (About, Contact, the ethics policy), linked from the footer."""

    list_display = ["title", "slug", "is_published", "in_footer", "order"]
    list_editable = ["is_published", "in_footer", "order"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "body", "is_published", "in_footer", "order"]


def view_on_site(request, content_type_id, object_id, *, admin_site):
    """Django's "view on site" shortcut, for objects the user may open in the admin only:
    Django's own sends any staff member to any object's page, others' drafts included."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404("No such object.") from None
    model_admin = admin_site._registry.get(model)
    if model_admin is None:
        raise Http404("No such object.")
    obj = model_admin.get_object(request, object_id)  # None if not theirs
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404("No such object.")
    return shortcut(request, content_type_id, object_id)
