from django.db import models


class Redirect(models.Model):
    """An old URL that now lives elsewhere; answered with a 301 when nothing else matches."""

    old_path = models.CharField(
        max_length=500,
        unique=True,
        help_text="Path with query string, e.g. /?p=12 or /2024/05/01/story/",
    )
    new_path = models.CharField(
        max_length=500, help_text="Where it lives now, e.g. /articles/story/"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"
