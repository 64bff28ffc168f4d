"""Which change purges which keys: model signals, and `changed()` for code that bypasses them.

Every purge goes through a Trigger declared in TRIGGERS; `manage.py purge_table` prints them,
with QUIET (what purges nothing), as the README's "what purges what" table.
"""

from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag

from articles.models import (
    Article,
    Author,
    Banner,
    Byline,
    Citation,
    Comment,
    Correction,
    Page,
    Section,
    Source,
    TaggedArticle,
)
from articles.pagecache import keys as k
from articles.pagecache.purge import purge

PUBLISHED = Article.Status.PUBLISHED
APPROVED = Comment.Status.APPROVED


@dataclass(frozen=True)
class Trigger:
    change: str
    purges: str
    hard: bool = False

    def fire(self, keys):
        purge(keys, hard=self.hard)


LISTS = (
    "`front`, `feed`, `sitemap`, `schedule`, the `s`, `t`, `u`, `o` of its lists "
    "(and `corrections` if it has some)"
)
COMMENT = Trigger("a comment approved, or edited or removed while approved", "`c<article>`")
PUBLISH = Trigger("a publication, or a scheduling (the article published, maybe later)",
                  f"`a<pk>`, `k<pk>`, `r<pk>`, `missing`, {LISTS}")  # fmt: skip
EDIT = Trigger(
    "an edit of a published article",
    "`a<pk>`, `sitemap`; `k<pk>` if what its card shows changed, and `r<pk>` too unless that "
    "was its dek alone; its lists if its time or section changed, `front` if its featuring did",
)
UNPUBLISH = Trigger(
    "an unpublish, delete or takedown",
    "`a<pk>`, `k<pk>`, `r<pk>`, `sitemap` (its lists soft)",
    True,
)
LISTED = Trigger("its lists, when an article is unpublished or deleted", LISTS)
TAGGING = Trigger("a tag added to or removed from a published article", "`a<pk>`, `t<tag>`")
BYLINE = Trigger("a byline of a published article", "`a<article>`, `k<article>`, `u<author>`")
CITATION = Trigger(
    "a citation in a published article", "`a<article>`, `o<source>` (and the one it cited)"
)
CORRECTION = Trigger("a correction on a published article", "`a<article>`, `corrections`")
AUTHOR = Trigger(
    "an author edited or deleted", "`u<pk>`, `authors`, `a<pk>` and `k<pk>` of their articles"
)
NEW_AUTHOR = Trigger("an author added", "`authors`")
SOURCE = Trigger("a source edited or deleted", "`o<pk>`, `a<pk>` of the articles citing it")
TAG = Trigger("a tag renamed or deleted", "`t<pk>`, `a<pk>` of its articles")
CHROME = Trigger(
    "a section, page or banner (the menu, footer)", "`chrome`, `schedule` (every page)"
)
IMAGE = Trigger(
    "image renditions made (an update() without signals)",
    "as an edit of the row's image (`a<pk>`, `k<pk>`, `r<pk>` of an article)",
)
PICK = Trigger("editor's picks marked (an update() without signals)", "`c<article>`")
ERASE = Trigger("a commenter's comments anonymised (an update() without signals)", "`c<article>`")

TRIGGERS = [COMMENT, PUBLISH, EDIT, UNPUBLISH, LISTED, TAGGING, BYLINE, CITATION, CORRECTION]
TRIGGERS += [AUTHOR, NEW_AUTHOR, SOURCE, TAG, CHROME, IMAGE, PICK, ERASE]
QUIET = [
    "a draft saved, autosaved or created (an article that is not and was not published)",
    "an editorial note",
    "a held or spam comment, or one moved between held and spam",
    "a ban, a blocklist entry, a report",
    "a failed form, any GET in the admin, anything anonymous but an approved comment",
]


# Articles --------------------------------------------------------------------------------


# What an article's cards show (templates/includes/article_card.html, the front page's
# lead): an edit of any of these purges its cards (`k`), and of any but the dek its compact
# cards too (`r`); an edit of anything else (its body, above all) purges its page and feeds.
# Its image's renditions are recorded with update(), and purge through image_changed().
COMPACT_CARD_FIELDS = (
    "title", "slug", "kind", "section_id", "published_at",
    "hero_id", "hero_image", "hero_width", "hero_height",
)  # fmt: skip
CARD_FIELDS = (*COMPACT_CARD_FIELDS, "dek")


def article_faces(pk) -> list[str]:
    """Every key an article shows under: its page and feeds, its cards, its compact cards."""
    return [k.article(pk), k.card(pk), k.compact_card(pk)]


def edited_faces(pk, was: dict, article) -> list[str]:
    """The keys of what an edit changed: its page always, its cards if what they show did."""
    changed = {name for name in CARD_FIELDS if was[name] != getattr(article, name)}
    if changed - {"dek"}:
        return article_faces(pk)
    return [k.article(pk), *([k.card(pk)] if changed else [])]


def article_lists(article_pk, section_id) -> list[str]:
    """The keys of every list an article is on (four queries)."""
    tags = TaggedArticle.objects.filter(content_object_id=article_pk).values_list("tag_id")
    authors = Byline.objects.filter(article_id=article_pk).values_list("author_id")
    sources = Citation.objects.filter(article_id=article_pk, source__isnull=False)
    return [
        "front",
        "feed",
        "sitemap",
        "schedule",
        *(["corrections"] if Correction.objects.filter(article_id=article_pk).exists() else []),
        *([k.section(section_id)] if section_id else []),
        *(k.tag(pk) for (pk,) in tags),
        *(k.author(pk) for (pk,) in authors),
        *(k.source(pk) for (pk,) in sources.values_list("source_id")),
    ]


@receiver(pre_save, sender=Article)
def article_loading(sender, instance, raw=False, **kwargs):
    """What the article was, for post_save to compare: one query per save."""
    if not raw and instance.pk:
        fields = ("status", "is_featured", *CARD_FIELDS)
        instance._pagecache_was = Article.objects.filter(pk=instance.pk).values(*fields).first()


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    was = instance.__dict__.pop("_pagecache_was", None)
    if raw:
        return
    was_listed = was is not None and was["status"] == PUBLISHED
    is_listed = instance.status == PUBLISHED
    if is_listed and not was_listed:
        lists = article_lists(instance.pk, instance.section_id)
        PUBLISH.fire([*article_faces(instance.pk), k.MISSING, *lists])
    elif was_listed and not is_listed:
        UNPUBLISH.fire([*article_faces(instance.pk), "sitemap"])
        LISTED.fire(article_lists(instance.pk, was["section_id"]))
    elif is_listed:
        keys = [*edited_faces(instance.pk, was, instance), "sitemap"]
        if was["is_featured"] != instance.is_featured:  # the front page's lead may change
            keys.append("front")
        EDIT.fire(keys)
        moved = (was["published_at"], was["section_id"]) != (
            instance.published_at,
            instance.section_id,
        )
        if moved:
            keys = article_lists(instance.pk, instance.section_id)
            EDIT.fire([*keys, *([k.section(was["section_id"])] if was["section_id"] else [])])


@receiver(pre_delete, sender=Article)
def article_deleting(sender, instance, **kwargs):
    if instance.status == PUBLISHED:  # its lists, while its tags and bylines still exist
        instance._pagecache_lists = article_lists(instance.pk, instance.section_id)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    if lists := instance.__dict__.pop("_pagecache_lists", None):
        UNPUBLISH.fire([*article_faces(instance.pk), "sitemap"])
        LISTED.fire(lists)


def _is_listed(article_id) -> bool:
    return Article.objects.filter(pk=article_id, status=PUBLISHED).exists()


@receiver([post_save, post_delete], sender=TaggedArticle)
def tagging_changed(sender, instance, raw=False, **kwargs):
    # A link carries its article's listed_at: set while the article is published.
    if not raw and instance.listed_at is not None:
        TAGGING.fire([k.article(instance.content_object_id), k.tag(instance.tag_id)])


@receiver([post_save, post_delete], sender=Byline)
def byline_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.listed_at is not None:
        article = instance.article_id  # cards show bylines, compact ones do not
        BYLINE.fire([k.article(article), k.card(article), k.author(instance.author_id)])


@receiver(pre_save, sender=Citation)
def citation_loading(sender, instance, raw=False, **kwargs):
    """The source it cited: a citation moved to another source leaves that source's list."""
    if not raw and instance.pk:
        was = Citation.objects.filter(pk=instance.pk).values_list("source_id", flat=True)
        instance._pagecache_was = was.first()


@receiver([post_save, post_delete], sender=Citation)
def citation_changed(sender, instance, raw=False, **kwargs):
    was = instance.__dict__.pop("_pagecache_was", None)
    if not raw and _is_listed(instance.article_id):
        sources = {pk for pk in (was, instance.source_id) if pk}
        CITATION.fire([k.article(instance.article_id), *map(k.source, sources)])


@receiver([post_save, post_delete], sender=Correction)
def correction_changed(sender, instance, raw=False, **kwargs):
    if not raw and _is_listed(instance.article_id):
        CORRECTION.fire([k.article(instance.article_id), "corrections"])


# Comments --------------------------------------------------------------------------------


@receiver(pre_save, sender=Comment)
def comment_loading(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk:  # an edit (moderation, in the admin): what it was
        was = Comment.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        instance._pagecache_was = was


@receiver(post_save, sender=Comment)
def comment_saved(sender, instance, raw=False, **kwargs):
    was = instance.__dict__.pop("_pagecache_was", None)
    if not raw and APPROVED in (was, instance.status):  # held <-> spam: nothing shown changed
        COMMENT.fire([k.comments(instance.article_id)])


@receiver(post_delete, sender=Comment)
def comment_deleted(sender, instance, **kwargs):
    if instance.status == APPROVED:
        COMMENT.fire([k.comments(instance.article_id)])


def comments_changed(comments, trigger=COMMENT):
    """For updates without signals: the pages of these comments' articles."""
    trigger.fire([k.comments(c.article_id) for c in comments])


# Authors, sources, tags, sections, banners ---------------------------------------------


def _shown(articles, *faces) -> list[str]:
    """The keys of published `articles` under `faces` (k.article...), in one query."""
    ids = articles.filter(status=PUBLISHED).values_list("pk", flat=True)
    return [face(pk) for pk in ids for face in faces]


def author_keys(author) -> list[str]:
    """An author shows on their articles' pages and by name on their cards."""
    articles = _shown(Article.objects.by_author(author), k.article, k.card)
    return [k.author(author.pk), "authors", *articles]


@receiver(post_save, sender=Author)
def author_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    if created:
        NEW_AUTHOR.fire(["authors"])
    else:
        AUTHOR.fire(author_keys(instance))


@receiver(pre_delete, sender=Author)
def author_deleting(sender, instance, **kwargs):
    AUTHOR.fire(author_keys(instance))  # before its bylines go


def _source_keys(source) -> list[str]:
    """Its list, and the pages of the articles citing it (their cards show no source)."""
    return [k.source(source.pk), *_shown(Article.objects.citing(source), k.article)]


@receiver(post_save, sender=Source)
def source_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        SOURCE.fire(_source_keys(instance))


@receiver(pre_delete, sender=Source)
def source_deleting(sender, instance, **kwargs):
    SOURCE.fire(_source_keys(instance))


def _tag_keys(tag) -> list[str]:
    """Its list, and the pages of its articles (their cards show no tag)."""
    return [k.tag(tag.pk), *_shown(Article.objects.filter(tags=tag), k.article)]


@receiver(post_save, sender=Tag)
def tag_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        TAG.fire(_tag_keys(instance))


@receiver(pre_delete, sender=Tag)
def tag_deleting(sender, instance, **kwargs):
    TAG.fire(_tag_keys(instance))


@receiver([post_save, post_delete], sender=Section)
@receiver([post_save, post_delete], sender=Banner)
@receiver([post_save, post_delete], sender=Page)
def chrome_changed(sender, raw=False, **kwargs):
    if not raw:
        CHROME.fire([k.CHROME, "schedule"])


def image_changed(instance):
    """Renditions recorded with update(): the pages showing the row's image."""
    if isinstance(instance, Article):
        if instance.status == PUBLISHED:
            IMAGE.fire(article_faces(instance.pk))
    elif isinstance(instance, Author):
        IMAGE.fire(author_keys(instance))
