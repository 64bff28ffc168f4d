from django.db import models

from articles.links import cached_reverse
from articles.slugs import unique_slug


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, blank=True, allow_unicode=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first in menus.")
    # A WordPress subcategory keeps its place: /category/parent/child/ leads here.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Section, self.name, instance=self, max_length=80)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("articles:section_detail", self.slug)


class Source(models.Model):
    """An outlet, body or document that articles cite."""

    class Kind(models.TextChoices):
        OUTLET = "outlet", "News outlet"
        GOVERNMENT = "government", "Government body"
        INTERGOVERNMENTAL = "intergovernmental", "International organisation"
        NGO = "ngo", "NGO or charity"
        ACADEMIC = "academic", "Academic or research"
        COMPANY = "company", "Company"
        DOCUMENT = "document", "Document or dataset"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True, blank=True, allow_unicode=True)
    homepage_url = models.URLField("homepage", blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OUTLET)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Source, self.name, instance=self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("articles:source_detail", self.slug)
