import math

from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from articles.sanitize import sanitize_html
from articles.slugs import unique_slug

from .editorial import RevisionSnapshot

WORDS_PER_MINUTE = 230


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, and its time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def by_author(self, author):
        return self.filter(bylines__author=author).distinct()

    def with_bylines(self):
        """Everything an article card shows, in a fixed number of queries."""
        return self.select_related("section").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Kind(models.TextChoices):
        NEWS = "news", "News"
        ANALYSIS = "analysis", "Analysis"
        OPINION = "opinion", "Opinion"
        EXPLAINER = "explainer", "Explainer"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        allow_unicode=True,
        help_text="Filled from the title while drafting; kept once published.",
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.NEWS)
    dateline = models.CharField(
        max_length=100, blank=True, help_text='Where it was reported, e.g. "TOKYO".'
    )
    dek = models.TextField(
        "summary (dek)", blank=True, help_text="One paragraph under the headline."
    )
    body = models.TextField(blank=True, help_text="Rich text; sanitised on save.")
    hero_image = models.ImageField(
        upload_to="articles/%Y/%m/",
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField("hero image alt text", max_length=300, blank=True)
    hero_is_decorative = models.BooleanField(
        "hero image is decorative",
        default=False,
        help_text="Only for an image that adds nothing a reader needs; it then needs no alt text.",
    )
    hero_caption = models.CharField(max_length=500, blank=True)
    hero_credit = models.CharField(max_length=200, blank=True)
    section = models.ForeignKey(
        "articles.Section", null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        "articles.Author", through="articles.Byline", related_name="articles"
    )
    tags = TaggableManager(blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="A future time schedules the article."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text='Shown to readers as "Updated"; set when a change is substantive.',
    )
    comments_open = models.BooleanField(default=True)
    is_featured = models.BooleanField("featured", default=False)
    # Optimistic locking: the admin refuses a save made from a form older than this.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(bases=[RevisionSnapshot], excluded_fields=["modified_at"])

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            models.Index(
                fields=["section", "status", "-published_at"], name="article_section_pub_idx"
            ),
            models.Index(
                fields=["is_featured", "status", "-published_at"], name="article_featured_pub_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(hero_image="") | ~Q(hero_alt="") | Q(hero_is_decorative=True),
                name="article_hero_has_alt",
            ),
        ]
        permissions = [("edit_others_article", "Can edit and publish anyone's articles")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        if not self.slug or self._slug_follows_title():
            self.slug = unique_slug(Article, self.title, instance=self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:article_detail", kwargs={"slug": self.slug})

    def _slug_follows_title(self) -> bool:
        """A draft that was never published keeps its slug in step with a retitle."""
        loaded = getattr(self, "_loaded_title", None)
        return (
            self.published_at is None
            and loaded is not None
            and loaded != self.title
            and self.slug.startswith(slugify(loaded, allow_unicode=True))
        )

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_title = instance.__dict__.get("title")
        return instance

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_live

    @property
    def word_count(self) -> int:
        return len(strip_tags(self.body).split())

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    def mark_updated(self, when=None):
        """Record a substantive change that readers should see as "Updated"."""
        self.updated_at = when or timezone.now()


class Byline(models.Model):
    class Role(models.TextChoices):
        REPORTING = "reporting", "Reporting"
        ADDITIONAL_REPORTING = "additional_reporting", "Additional reporting"
        PHOTOS = "photos", "Photos"
        ILLUSTRATION = "illustration", "Illustration"
        EDITING = "editing", "Editing"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("articles.Author", on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(max_length=30, choices=Role, default=Role.REPORTING)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author", "role"], name="byline_unique_author_role"
            ),
        ]
        indexes = [models.Index(fields=["author", "article"], name="byline_author_article_idx")]

    def __str__(self):
        return f"{self.author} ({self.get_role_display()})"


class Citation(models.Model):
    """A source cited by an article, with the exact URL."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(
        "articles.Source", on_delete=models.PROTECT, related_name="citations"
    )
    url = models.URLField("URL cited", max_length=500)
    title = models.CharField(max_length=300, blank=True)
    quote = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title or self.url


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"
        EDITORS_NOTE = "editors_note", "Editor's note"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CORRECTION)
    note = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["published_at", "id"]
        indexes = [models.Index(fields=["-published_at"], name="correction_pub_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.article}"
