from django.db import models


class ImportRecord(models.Model):
    """Which item of an outside site became which row here, so that re-imports add only what is new."""

    class Kind(models.TextChoices):
        AUTHOR = "author", "Author"
        SECTION = "section", "Section"
        POST = "post", "Post"
        COMMENT = "comment", "Comment"
        PAGE = "page", "Page"
        IMAGE = "image", "Image"

    origin = models.CharField(
        max_length=300, help_text="The exported blog's address (base_blog_url)."
    )
    kind = models.CharField(max_length=20, choices=Kind)
    external_id = models.CharField(max_length=200)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "kind", "external_id"], name="importrecord_unique_item"
            )
        ]

    def __str__(self):
        return f"{self.origin} {self.kind} {self.external_id}"
