"""Derived data kept in step with edits: search vectors and image renditions (the page
cache's purges: articles/pagecache/triggers.py)."""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag

from articles.media import image_forget, image_touch_articles
from articles.models import Article, Author, Byline, Image
from articles.pagecache import triggers  # noqa: F401 - connects the page cache's receivers
from articles.renditions import needs_refresh, refresh_renditions


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    instance.update_search_vector()
    if needs_refresh(instance):
        # After commit: a rolled-back save leaves no files, and a worker finds the row.
        transaction.on_commit(partial(refresh_renditions.enqueue, "articles.article", instance.pk))


@receiver(post_save, sender=Image)
def image_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    if not created:  # a new description or file shows wherever it is used
        image_touch_articles(instance)
    # A replaced file: the articles showing it as their hero copy the new name and size.
    heroes = Article.objects.filter(hero=instance).exclude(hero_image=instance.file.name)
    heroes.update(
        hero_image=instance.file.name, hero_width=instance.width, hero_height=instance.height
    )
    if needs_refresh(instance):
        transaction.on_commit(partial(refresh_renditions.enqueue, "articles.image", instance.pk))


@receiver(pre_delete, sender=Image)
def image_deleted(sender, instance, **kwargs):
    image_forget(instance)


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
