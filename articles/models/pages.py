from django.db import models

from articles.links import cached_reverse
from articles.sanitize import sanitize_html
from articles.slugs import unique_slug


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Page(models.Model):
    """One of the site's own pages (About, Contact, the ethics policy), linked from the footer."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True, allow_unicode=True)
    body = models.TextField(blank=True, help_text="Sanitised HTML, as an article's body.")
    is_published = models.BooleanField(default=True)
    in_footer = models.BooleanField("linked from the footer", default=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")
    modified_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)  # whatever wrote it: the admin, an import
        if not self.slug:
            self.slug = unique_slug(Page, self.title, instance=self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("articles:page_detail", self.slug)
