from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from articles.links import cached_reverse


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def by_email(self, email: str):
        return self.filter(email__iexact=email.strip())


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    class Reason(models.TextChoices):
        """Why a comment was held or marked as spam (blank: it was approved at once)."""

        FIRST_COMMENT = "first_comment", "First comment from this address"
        HOLD_ALL = "hold_all", "Every comment is held"
        TOO_MANY_LINKS = "too_many_links", "Too many links"
        BLOCKLIST = "blocklist", "Blocklist match"
        BANNED = "banned", "Banned commenter"
        TOO_FAST = "too_fast", "Submitted too fast"
        HONEYPOT = "honeypot", "Hidden field filled in"
        DUPLICATE = "duplicate", "Duplicate of another comment"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True, help_text="Never shown publicly.")
    website = models.URLField(blank=True)
    body = models.TextField(help_text="Plain text.")
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    hold_reason = models.CharField(max_length=20, choices=Reason, blank=True)
    hold_detail = models.CharField(
        max_length=200, blank=True, help_text="E.g. the blocklist entry that matched."
    )
    is_editors_pick = models.BooleanField("editor's pick", default=False)
    report_count = models.PositiveIntegerField(default=0, editable=False)
    # What the last moderation click replaced, so that "Undo" in the queue can put it back.
    previous_status = models.CharField(max_length=20, choices=Status, blank=True, editable=False)
    is_staff_reply = models.BooleanField(
        "staff reply", default=False, help_text="Posted by a staff member from the queue."
    )
    # A hash of article, parent, address and text: a second identical submission is the same comment.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
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
            models.Index(fields=["created_at"], name="comment_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="comment_not_own_parent"),
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=~Q(fingerprint=""),
                name="comment_unique_fingerprint",
            ),
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

    def get_report_url(self):
        return cached_reverse("articles:comment_report", self.pk)

    def clean(self):
        if self.parent_id and self.parent.article_id != self.article_id:
            raise ValidationError({"parent": "A reply must be on the same article."})

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED
