"""What saving an article does, in one place: the admin, bulk actions, restores, the WordPress
importer and the demo all come here.

One save, in one transaction: the article's own row (Article.save keeps its invariants: clean
body, slug, listing times), a new version (forms opened before it go stale), a revision with
its change note and metadata snapshot (marked minor when it is one), tags, inline rows
(bylines, citations, corrections, notes), the saving author's first byline, the "Updated"
time, and a redirect from a published article's old slug. Derived data (search words,
renditions) and page-cache purges follow from the model signals, as for any other write.
"""

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from articles.models import Article, Author, Autosave, Byline, Correction, EditorialNote
from articles.services import (
    article_is_editor,
    article_slug_redirect,
    revision_snapshot_refresh,
)


def save_article(
    article: Article,
    *,
    by=None,
    note: str = "",
    minor: bool = False,
    form=None,
    formsets=(),
    tags=None,
) -> Article:
    """Save `article` and everything that goes with it; returns it.

    `form` (a bound, valid ModelForm on `article`) and `formsets` (its inline formsets) are
    the admin's; other callers change the article's attributes and pass `tags` (names) to
    replace its tags. `minor` (a published article's small fix: a typo, a link) needs no
    change note and leaves the public "Updated" time where it was.
    """
    adding = article._state.adding
    fields = ("slug", "published_at", "updated_at")
    before = None if adding else Article.objects.filter(pk=article.pk).values(*fields).first()
    minor = minor and before is not None
    if minor:
        article.updated_at = before["updated_at"]
    article._history_user = by
    article._change_reason = note.strip() or (
        "Created" if adding else "Minor edit" if minor else ""
    )
    if not adding:
        article.version += 1
    with transaction.atomic():
        article.save()
        if form is not None:
            form.save_m2m()  # tags
        if tags is not None:
            article.tags.set(list(tags))
        new_corrections = []
        for formset in formsets:
            new_corrections += _formset_save(formset, by)
        if new_corrections and article.published_at and not minor:
            article.mark_updated(max(c.published_at for c in new_corrections))
            Article.objects.filter(pk=article.pk).update(updated_at=article.updated_at)
        if adding and by is not None and not article_is_editor(by):
            _add_first_byline(by, article)
        if before and before["published_at"] and before["slug"] != article.slug:
            article_slug_redirect(article, before["slug"])
        revision_snapshot_refresh(article, minor=minor)
        if by is not None:  # what was autosaved is now saved
            Autosave.objects.filter(user=by, article=article).delete()
            if adding:
                Autosave.objects.filter(user=by, article=None).delete()
    return article


def save_articles_in_bulk(articles: list[Article], *, note: str = "") -> list[Article]:
    """Create many new articles at once (the demo, benchmarks), each with its first revision.

    Bulk inserts skip Article.save() and the signals: callers pass ready slugs and clean
    bodies, add their rows' links with bulk_create (which copies listing times) and end with
    Article.objects.update_search_vectors() and a purge of every page.
    """
    return bulk_create_with_history(articles, Article, default_change_reason=note or "Created")


def _formset_save(formset, by) -> list:
    """Save one inline formset; returns the new corrections (they move "Updated")."""
    instances = formset.save(commit=False)
    for instance in instances:
        if isinstance(instance, EditorialNote) and not instance.created_by_id:
            instance.created_by = by
    for deleted in formset.deleted_objects:
        deleted.delete()
    for instance in instances:
        instance.save()
    formset.save_m2m()
    return [i for i in formset.new_objects if isinstance(i, Correction)]


def _add_first_byline(user, article):
    """An author's new article carries their byline first (it is how they see it again)."""
    author = Author.objects.filter(user=user).first() or Author.objects.create(
        user=user, name=user.get_full_name() or user.get_username()
    )
    if not article.bylines.filter(author=author).exists():
        for byline in article.bylines.all():
            byline.order += 1
            byline.save(update_fields=["order"])
        Byline.objects.create(article=article, author=author, order=0)
