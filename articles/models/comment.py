from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(help_text="Never shown publicly.")
    website = models.URLField(blank=True)
    body = models.TextField(help_text="Plain text.")
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_status_idx"),
            models.Index(fields=["email"], name="comment_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="comment_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.name} on {self.article}"

    def save(self, *args, **kwargs):
        # The database cannot check a parent's article, so every save does.
        if self.parent_id and self.parent.article_id != self.article_id:
            raise ValidationError({"parent": "A reply must be on the same article."})
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    def clean(self):
        if self.parent_id and self.parent.article_id != self.article_id:
            raise ValidationError({"parent": "A reply must be on the same article."})
