"""Site-wide settings editors change from the admin: the breaking-news banner."""

from django.contrib import admin

from articles.models import Banner


@admin.register(Banner)
class BannerAdmin(admin.ModelAdmin):
    list_display = ["text", "starts_at", "expires_at", "is_current"]
    search_fields = ["text"]
    date_hierarchy = "starts_at"
    fields = ["text", "link", "starts_at", "expires_at"]

    @admin.display(boolean=True, description="showing now")
    def is_current(self, banner):
        return banner.is_current
