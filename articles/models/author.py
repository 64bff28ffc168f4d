from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.links import cached_reverse
from articles.slugs import unique_slug


class Author(models.Model):
    """A contributor with a byline; staff authors link to their user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="Staff who log in. Guest contributors have no account.",
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, blank=True, allow_unicode=True)
    role = models.CharField("role or beat", max_length=120, blank=True)
    bio = models.TextField(blank=True)
    avatar = models.ImageField(upload_to="authors/", blank=True)
    website = models.URLField(blank=True)
    x_url = models.URLField("X profile", blank=True)
    bluesky_url = models.URLField("Bluesky profile", blank=True)
    mastodon_url = models.URLField("Mastodon profile", blank=True)
    linkedin_url = models.URLField("LinkedIn profile", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    avatar_renditions = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Made by articles/renditions.py."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Author, self.user.username if self.user else self.name, instance=self
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("articles:author_detail", self.slug)

    @property
    def links(self) -> list[tuple[str, str]]:
        """(label, url) for every profile link that is set, website first."""
        candidates = [
            ("Website", self.website),
            ("X", self.x_url),
            ("Bluesky", self.bluesky_url),
            ("Mastodon", self.mastodon_url),
            ("LinkedIn", self.linkedin_url),
        ]
        return [(label, url) for label, url in candidates if url]
