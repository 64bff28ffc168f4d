"""Small factories over model-bakery: the fewest fields that make a valid row."""

from datetime import timedelta
from io import BytesIO
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from model_bakery import baker
from PIL import Image

from articles.models import Article, Byline, Comment

_numbers = count(1)


def image_file(name="photo.jpg", size=(1200, 800), color=(30, 90, 160), fmt="JPEG"):
    """A real image file made with Pillow."""
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def committed():
    """Run on-commit work (image renditions, emails) as a real commit would, at the block's end."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def make_author(**kwargs):
    kwargs.setdefault("name", "Aiko Tanaka")
    with committed():
        return baker.make("articles.Author", **kwargs)


def make_section(**kwargs):
    kwargs.setdefault("name", f"Section {next(_numbers)}")
    return baker.make("articles.Section", **kwargs)


def make_article(*, authors=None, tags=(), published=True, **kwargs):
    """A published article (an hour old) by one author unless told otherwise."""
    kwargs.setdefault("title", "North Korea fires missiles toward the Sea of Japan")
    kwargs.setdefault("dek", "Tokyo protests as Pyongyang tests again.")
    kwargs.setdefault("body", "<h2>What happened</h2><p>Missiles were launched.</p>")
    if published:
        kwargs.setdefault("status", Article.Status.PUBLISHED)
        kwargs.setdefault("published_at", timezone.now() - timedelta(hours=1))
    authors = authors if authors is not None else [make_author()]
    with committed():
        article = Article(**kwargs)
        article.save()
        for order, author in enumerate(authors):
            Byline.objects.create(article=article, author=author, order=order)
        if tags:
            article.tags.add(*tags)
    return article


def make_comment(article, **kwargs):
    kwargs.setdefault("name", "Reader")
    kwargs.setdefault("email", "reader@example.com")
    kwargs.setdefault("body", "Thanks for the report.")
    kwargs.setdefault("status", Comment.Status.APPROVED)
    return Comment.objects.create(article=article, **kwargs)


def make_source(**kwargs):
    kwargs.setdefault("name", f"Source {next(_numbers)}")
    return baker.make("articles.Source", **kwargs)


def make_citation(article, source=None, **kwargs):
    kwargs.setdefault("url", "https://www.bbc.com/news")
    return baker.make(
        "articles.Citation", article=article, source=source or make_source(), **kwargs
    )


def make_banner(**kwargs):
    kwargs.setdefault("text", "Missile alert lifted in Hokkaido")
    kwargs.setdefault("expires_at", timezone.now() + timedelta(hours=2))
    return baker.make("articles.Banner", **kwargs)


def comment_form_data(article=None, *, seconds_ago=60, **kwargs):
    """What a reader's browser posts from the comment form, filled in a minute ago."""
    import time

    from articles.comments.forms import form_token

    data = {
        "name": "Mariko",
        "email": "mariko@example.com",
        "website": "",
        "body": "A thoughtful comment about the article.",
        "parent": "",
        "address": "",
        "issued": form_token(time.time() - seconds_ago),
    }
    data.update(kwargs)
    return data


# Authoring desk -------------------------------------------------------------------------


def make_staff(username, group=None, *, author_name=None, password=None, **kwargs):
    """A staff user in the Authors or Editors group, with an Author profile if named."""
    from django.contrib.auth.models import Group, User

    # No password unless asked: a hash costs CPU time that most tests do not need.
    user = User.objects.create_user(username, password=password, is_staff=True, **kwargs)
    if group:
        if not Group.objects.filter(name=group).exists():
            # Transactional (browser) tests flush the groups that the migration created.
            from django.apps import apps

            from articles.roles import sync_groups

            sync_groups(apps)
        user.groups.add(Group.objects.get(name=group))
    if author_name:
        make_author(name=author_name, user=user)
    return user


def article_form_data(article=None, **overrides):
    """A complete POST for the admin article form (no inline rows unless given)."""
    data = {
        "title": "Typhoon season starts early this year",
        "slug": "",
        "dek": "Forecasters expect more storms than usual.",
        "body": "<p>The first storm made landfall on Monday.</p>",
        "hero_alt": "",
        "hero_caption": "",
        "hero_credit": "",
        "kind": "news",
        "dateline": "",
        "section": "",
        "tags": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "updated_at_0": "",
        "updated_at_1": "",
        "comments_open": "on",
        "change_note": "",
        "form_version": "",
    }
    for prefix in ("bylines", "citations", "corrections", "editorial_notes"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    if article is not None:
        data |= {
            "title": article.title,
            "slug": article.slug,
            "dek": article.dek,
            "body": article.body,
            "hero": article.hero_id or "",  # the admin shows the current library image
            "hero_alt": article.hero_alt,
            "kind": article.kind,
            "section": article.section_id or "",
            "tags": ", ".join(article.tags.names()),
            "status": article.status,
            "form_version": article.version,
        }
        if article.published_at:
            local = timezone.localtime(article.published_at)
            data |= {
                "published_at_0": local.strftime("%Y-%m-%d"),
                "published_at_1": local.strftime("%H:%M:%S"),
            }
        bylines = list(article.bylines.all())
        data |= {
            "bylines-TOTAL_FORMS": str(len(bylines)),
            "bylines-INITIAL_FORMS": str(len(bylines)),
        }
        for i, byline in enumerate(bylines):
            data |= {
                f"bylines-{i}-id": byline.pk,
                f"bylines-{i}-article": article.pk,
                f"bylines-{i}-author": byline.author_id,
                f"bylines-{i}-role": byline.role,
                f"bylines-{i}-order": byline.order,
            }
    data |= overrides
    return data
