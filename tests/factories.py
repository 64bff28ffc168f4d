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


def make_staff(username, group, *, email=None):
    """A staff user in the Authors or Editors group."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(
        username=username, email=email or f"{username}@newsroom.test", password="pw", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user
