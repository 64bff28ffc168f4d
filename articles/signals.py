"""Derived data kept in step with edits: search vectors, image renditions, and the page cache."""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag

from articles import cache
from articles.models import (
    Article,
    Author,
    Banner,
    Byline,
    Citation,
    Comment,
    Correction,
    Section,
    Source,
    TaggedArticle,
)
from articles.renditions import needs_refresh, refresh_renditions


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    instance.update_search_vector()
    if needs_refresh(instance):
        # After commit: a rolled-back save leaves no files, and a worker finds the row.
        transaction.on_commit(partial(refresh_renditions.enqueue, "articles.article", instance.pk))


@receiver(post_save, sender=Author)
def author_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    if needs_refresh(instance):
        transaction.on_commit(partial(refresh_renditions.enqueue, "articles.author", instance.pk))
    if not created:  # a renamed author is still found under the new name
        _update_search_vectors(Article.objects.by_author(instance))


@receiver(post_save, sender=Tag)
def tag_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        _update_search_vectors(Article.objects.filter(tags=instance))


def _update_search_vectors(articles):
    Article.objects.filter(pk__in=articles.values("pk")).update_search_vectors()


@receiver(m2m_changed, sender=Article.tags.through)
def article_tags_changed(sender, instance, action, reverse=False, **kwargs):
    if not reverse and isinstance(instance, Article) and action.startswith("post_"):
        instance.update_search_vector()


@receiver([post_save, post_delete], sender=Byline)
def byline_changed(sender, instance, raw=False, **kwargs):
    article = None if raw else Article.objects.filter(pk=instance.article_id).first()
    if article is not None:
        article.update_search_vector()


# What readers see. Comments count once approved (a held or spam comment changes no page,
# so a spam flood cannot empty the cache); a new draft is not shown anywhere.
PUBLIC_MODELS = [Article, Author, Banner, Byline, Citation, Correction, Section, Source, Tag]
PUBLIC_MODELS += [TaggedArticle, Comment]


@receiver([post_save, post_delete])
def public_row_changed(sender, instance, raw=False, created=False, signal=None, **kwargs):
    if raw or sender not in PUBLIC_MODELS:
        return
    if signal is post_save and created:
        if sender is Comment and instance.status != Comment.Status.APPROVED:
            return
        if sender is Article and instance.status == Article.Status.DRAFT:
            return
    cache.pages_changed()


@receiver(m2m_changed, sender=Article.tags.through)
def article_tags_changed_pages(sender, action, **kwargs):
    if action.startswith("post_"):
        cache.pages_changed()
