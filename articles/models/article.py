import math

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, StringAgg, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager, TaggedItemBase

from articles.links import cached_reverse
from articles.sanitize import sanitize_html
from articles.slugs import unique_slug

from .comment import Comment
from .editorial import RevisionSnapshot
from .media import hero_sync

WORDS_PER_MINUTE = 230
SEARCH_CONFIG = "english"
SEARCH_POOL = 1000  # search ranks the newest this many matches
# Private-use characters mark search highlights, so that snippets can be escaped safely.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, and its time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def by_author(self, author):
        # EXISTS rather than a join (no duplicates to remove with DISTINCT) or IN (which
        # hashes all of a prolific author's bylines before the newest 20 can be picked).
        return self.filter(Exists(Byline.objects.filter(article=OuterRef("pk"), author=author)))

    def citing(self, source):
        return self.filter(Exists(Citation.objects.filter(article=OuterRef("pk"), source=source)))

    def newest_first(self):
        """Newest first, in the list indexes' order: the model's own ordering puts drafts'
        empty times last, which no index matches, so it sorts every row."""
        return self.order_by("-published_at", "-id")

    def for_page(self):
        """Without the stored search words: no page shows them, and they outweigh the rest."""
        return self.defer("search_vector")

    def for_cards(self):
        """What cards and links show: without the search words or the body."""
        return self.defer("search_vector", "body")

    def with_bylines(self):
        """Everything an article card shows, in a fixed number of queries."""
        return self.select_related("section").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def with_comment_count(self):
        """Approved comments per article as `comment_count`, in the same query.

        A subquery per row, not a join: no GROUP BY over every column, and expensive
        annotations (search headlines) are computed once per article, not once per comment.
        """
        approved = (
            Comment.objects.approved()
            .filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(n=Count("*"))
            .values("n")
        )
        return self.annotate(
            comment_count=Coalesce(Subquery(approved, output_field=models.IntegerField()), 0)
        )

    def update_search_vectors(self) -> int:
        """Recompute the weighted search words in one UPDATE: title A, dek and tags B,
        author names C, body D (PostgreSQL only; SQLite searches without them)."""
        if connection.vendor != "postgresql":
            return 0
        tags = (
            TaggedArticle.objects.filter(content_object=OuterRef("pk"))
            .values("content_object")
            .annotate(names=StringAgg("tag__name", Value(" ")))
            .values("names")
        )
        names = (
            Byline.objects.filter(article=OuterRef("pk"))
            .values("article")
            .annotate(names=StringAgg("author__name", Value(" ")))
            .values("names")
        )

        def weighted(weight, *expressions):
            return SearchVector(*expressions, weight=weight, config=SEARCH_CONFIG)

        # The text parser skips HTML tags, so the body needs no stripping.
        return self.update(
            search_vector=weighted("A", "title")
            + weighted("B", "dek", Subquery(tags))
            + weighted("C", Subquery(names))
            + weighted("D", "body")
        )

    def search(self, query: str):
        """The best matches among the newest SEARCH_POOL, best first.

        On PostgreSQL the stored, weighted `search_vector` (GIN-indexed) is matched with a
        websearch query and ranked; elsewhere a plain match, newest first. Filter before
        searching: the pool is taken from this queryset.
        """
        if connection.vendor == "postgresql":
            search_query = _search_query(query)
            return (
                self._newest_of(self.filter(search_vector=search_query))
                .annotate(rank=SearchRank(F("search_vector"), search_query))
                .order_by("-rank", "-published_at")
            )
        # The fallback has no query syntax: quotes and +/- are dropped, every word must match.
        terms = [word.strip("\"'+-") for word in query.split()[:10]]
        matches = self
        for term in filter(None, terms):
            matches = matches.filter(
                Q(title__icontains=term)
                | Q(dek__icontains=term)
                | Q(body__icontains=term)
                | Q(tagged_items__tag__name__icontains=term)
                | Q(pk__in=Byline.objects.filter(author__name__icontains=term).values("article"))
            )
        return self._newest_of(matches.distinct()).newest_first()

    def with_headlines(self, query: str):
        """`headline`: where the body matches `query`, highlighted with HIGHLIGHT_START/STOP
        (PostgreSQL); the dek elsewhere. Costly per row: for a page of results only."""
        if connection.vendor != "postgresql":
            return self.annotate(headline=F("dek"))
        return self.annotate(
            headline=SearchHeadline(
                "body",
                _search_query(query),
                config=SEARCH_CONFIG,
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                max_fragments=2,
                max_words=30,
                min_words=12,
            )
        )

    def _newest_of(self, matches):
        # Ranking reads every match's search words: a word found in most articles would cost
        # a second on 100,000 of them. The newest SEARCH_POOL matches cost the same at any size.
        newest = matches.newest_first().values("pk")[:SEARCH_POOL]
        return self.model.objects.filter(pk__in=newest)


def _search_query(query: str) -> SearchQuery:
    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Kind(models.TextChoices):
        NEWS = "news", "News"
        ANALYSIS = "analysis", "Analysis"
        OPINION = "opinion", "Opinion"
        EXPLAINER = "explainer", "Explainer"

    class Index(models.TextChoices):
        AUTO = "auto", "Automatic (from the number of headings)"
        ON = "on", "Always show"
        OFF = "off", "Never show"

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
    # The Index: a table of contents built from the body's headings (articles/body/toc.py).
    index = models.CharField(
        "index (table of contents)",
        max_length=10,
        choices=Index,
        default=Index.AUTO,
        help_text="Automatic shows it once the body has enough headings.",
    )
    # The hero is a library image; hero_image, its size and `renditions` copy it for lists.
    hero = models.ForeignKey(
        "articles.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hero_of",
        verbose_name="hero image from the library",
    )
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
    # By name, as WordPress lists them: a prefetch (feeds, lists) has no order of its own,
    # and a page must read the same after a backup is loaded back.
    tags = TaggableManager(through="articles.TaggedArticle", blank=True, ordering=["name"])
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="A future time schedules the article."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(auto_now=True)
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text='Shown to readers as "Updated"; set when a change is substantive.',
    )
    comments_open = models.BooleanField(default=True)
    is_featured = models.BooleanField("featured", default=False)
    # Derived data, kept up to date by articles/signals.py.
    search_vector = SearchVectorField(null=True, editable=False)
    renditions = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Made by articles/renditions.py."
    )
    # Optimistic locking: the admin refuses a save made from a form older than this.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()
    # Derived data stays out of revisions: restoring one recomputes it.
    history = HistoricalRecords(
        bases=[RevisionSnapshot],
        excluded_fields=["modified_at", "search_vector", "renditions"],
    )

    class Meta:
        # Drafts (no publication time) last on every database.
        ordering = [F("published_at").desc(nulls_last=True), "-id"]
        indexes = [
            # With the id, every list's order: page 1,000 is an index-only walk (84 ms to 4 ms).
            models.Index(fields=["status", "-published_at", "-id"], name="article_list_idx"),
            models.Index(
                fields=["section", "status", "-published_at", "-id"],
                name="article_section_list_idx",
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
                # Drafts may wait for their alt text; the publishing checklist asks for it.
                condition=Q(status="draft")
                | Q(hero_image="")
                | ~Q(hero_alt="")
                | Q(hero_is_decorative=True),
                name="article_hero_has_alt",
            ),
        ]
        permissions = [("edit_others_article", "Can edit and publish anyone's articles")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        hero_sync(self)
        if not self.slug or self._slug_follows_title():
            self.slug = unique_slug(Article, self.title, instance=self)
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            self.tagged_items.update(listed_at=self.listed_at)
            self.bylines.update(listed_at=self.listed_at)

    def get_absolute_url(self):
        return cached_reverse("articles:article_detail", self.slug)

    @property
    def listed_at(self):
        """When the article is listed: its publication time (maybe still to come) while it
        is published, else None."""
        return self.published_at if self.status == Article.Status.PUBLISHED else None

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

    def update_search_vector(self):
        Article.objects.filter(pk=self.pk).update_search_vectors()

    def mark_updated(self, when=None):
        """Record a substantive change that readers should see as "Updated"."""
        self.updated_at = when or timezone.now()


class ListingQuerySet(models.QuerySet):
    """Links to articles (tag links, bylines) that carry their article's `listed_at`, so a
    tag's or an author's list is read from the link table's index alone: page 1,000 of a
    tag with 60,000 articles costs what page 1 does. The model names its article field."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for link in objs:
            link.copy_listed_at()
        return super().bulk_create(objs, *args, **kwargs)

    def article_ids(self):
        """(article id, listed_at) of the published articles linked, newest first, each once
        (an author may hold two roles on one article)."""
        article = self.model.article_field
        return (
            self.filter(listed_at__lte=timezone.now())
            .order_by("-listed_at", f"-{article}")
            .values_list(article, "listed_at")
            .distinct()
        )

    def refresh_listed_at(self) -> int:
        """Copy each article's listing time again (after loading rows saved without it)."""
        live = Article.objects.filter(
            pk=OuterRef(self.model.article_field), status=Article.Status.PUBLISHED
        )
        return self.update(listed_at=Subquery(live.values("published_at")[:1]))


class Listing(models.Model):
    """A link to an article with a copy of its `listed_at`, kept by Article.save()."""

    listed_at = models.DateTimeField(null=True, editable=False)

    objects = ListingQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.copy_listed_at()
        super().save(*args, **kwargs)

    def copy_listed_at(self):
        self.listed_at = getattr(self, self.article_field).listed_at


class TaggedArticle(TaggedItemBase, Listing):  # noqa: DJ008 - taggit's ItemBase has __str__
    """Tag links with a real foreign key: faster joins than taggit's generic relation."""

    article_field = "content_object"
    content_object = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="tagged_items"
    )

    objects = NaturalKeyManager.from_queryset(ListingQuerySet)()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="taggedarticle_unique")
        ]
        indexes = [
            models.Index(
                fields=["tag", "-listed_at", "-content_object"], name="taggedarticle_listed_idx"
            )
        ]


class Byline(Listing):
    class Role(models.TextChoices):
        REPORTING = "reporting", "Reporting"
        ADDITIONAL_REPORTING = "additional_reporting", "Additional reporting"
        PHOTOS = "photos", "Photos"
        ILLUSTRATION = "illustration", "Illustration"
        EDITING = "editing", "Editing"

    article_field = "article"
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
        indexes = [
            models.Index(fields=["author", "article"], name="byline_author_article_idx"),
            models.Index(fields=["author", "-listed_at", "-article"], name="byline_listed_idx"),
        ]

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
