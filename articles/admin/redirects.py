from django.contrib import admin

from articles.models import Redirect


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "note", "created_at"]
    search_fields = ["old_path", "new_path"]
    list_filter = ["note"]
