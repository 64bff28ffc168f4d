from django.db import models
from django.utils import timezone


class BannerQuerySet(models.QuerySet):
    def current(self):
        """Banners readers see now: started and not yet expired."""
        now = timezone.now()
        return self.filter(starts_at__lte=now, expires_at__gt=now)


class Banner(models.Model):
    """A breaking-news strip shown above every page until it expires."""

    text = models.CharField(max_length=200)
    link = models.URLField(
        blank=True, help_text="Optional: the story or live page the banner points to."
    )
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(help_text="The banner disappears at this time.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BannerQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["expires_at", "starts_at"], name="banner_window_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("starts_at")),
                name="banner_expires_after_start",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_current(self) -> bool:
        return self.starts_at <= timezone.now() < self.expires_at
