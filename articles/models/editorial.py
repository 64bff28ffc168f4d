"""The desk's own records: revision snapshots, slug and tag redirects, internal notes."""

from django.conf import settings
from django.db import models


class RevisionSnapshot(models.Model):
    """Base for Article's historical model: related metadata frozen as JSON per revision."""

    snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


class SlugRedirectQuerySet(models.QuerySet):
    def live(self):
        """Redirects to articles readers may see: following one to an unpublished article
        would tell its current slug."""
        articles = self.model._meta.get_field("article").related_model.objects
        return self.filter(article__in=articles.published())


class SlugRedirect(models.Model):
    """An old published URL of an article, kept so that links to it 301 to the new one."""

    old_slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="slug_redirects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlugRedirectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class TagRedirect(models.Model):
    """The slug of a tag merged or renamed away, pointing at the tag that replaced it."""

    old_slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.old_slug} → {self.tag.slug}"


class EditorialNote(models.Model):
    """An internal note on an article: seen by staff in the admin, never on the site."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="editorial_notes"
    )
    body = models.TextField("note")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Note on {self.article}"
