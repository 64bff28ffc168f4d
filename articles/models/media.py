"""The media library: every uploaded picture is one Image, used as a hero or in bodies.

An article's hero is `Article.hero`; the article keeps a copy of the file's name, size and
renditions (`hero_image`, `hero_width`, `renditions`) so that lists render without a join.
`hero_sync` keeps that copy in step on every save; bodies refer to an image by its id
(`<img data-file="12">`, rendered by articles/media/).
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.images import image_clean

UPLOAD_TO = "images/%Y/%m/"


def body_reference(pk) -> str:
    """How a body refers to an image; the attribute the editor's image node keeps."""
    return f'data-file="{pk}"'


class ImageQuerySet(models.QuerySet):
    def search(self, query: str):
        """Images whose alt text, caption, credit or file name contain every word."""
        words = (query or "").split()[:10]
        for word in words:
            self = self.filter(
                reduce(
                    or_,
                    (
                        Q(**{f"{name}__icontains": word})
                        for name in ("alt", "caption", "credit", "file")
                    ),
                )
            )
        return self

    def create_from_file(self, file, *, alt="", caption="", credit="", uploaded_by=None, **extra):
        """Validate `file` like any upload (ValidationError if refused), store a clean copy."""
        return self.create(
            file=image_clean(file),
            alt=(alt or "")[:300],
            caption=(caption or "")[:500],
            credit=(credit or "")[:200],
            uploaded_by=uploaded_by,
            **extra,
        )


class Image(models.Model):
    file = models.ImageField(upload_to=UPLOAD_TO, width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="Describe the image for someone who cannot see it. Required unless decorative.",
    )
    is_decorative = models.BooleanField(
        "decorative",
        default=False,
        help_text="Only for an image that adds nothing a reader needs; it then needs no alt text.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    # Fractions of the width and height: every crop keeps this point in view.
    focal_x = models.FloatField("focal point x", default=0.5)
    focal_y = models.FloatField("focal point y", default=0.5)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    renditions = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Made by articles/renditions.py."
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
        ]

    def __str__(self):
        return self.alt or self.caption or self.file.name.rsplit("/", 1)[-1]

    @property
    def focal_point(self) -> tuple[float, float]:
        return (self.focal_x, self.focal_y)

    def used_in(self):
        """Articles showing this image, as their hero or in their body."""
        from articles.models import Article

        return Article.objects.filter(
            Q(hero=self) | Q(body__contains=body_reference(self.pk))
        ).order_by("-published_at", "-id")

    def used_in_published(self):
        return self.used_in().published()


def hero_sync(article):
    """Before an article is saved: its hero is a library image, and the article's copy of
    the file name, size and texts follows it.

    A file given straight to `hero_image` (the admin's upload box, an import, a test)
    becomes a new library image; a stored name without a record gets one.
    """
    upload = article.hero_image
    name = upload.name or ""
    before = {}
    if article.pk:
        row = type(article).objects.filter(pk=article.pk).values("hero_id", "hero_image").first()
        before = row or {}
    if upload and not upload._committed:
        article.hero = Image.objects.create_from_file(
            upload, alt=article.hero_alt, caption=article.hero_caption, credit=article.hero_credit
        )
    elif article.hero_id != before.get("hero_id"):
        # Chosen from the library, or taken away: the hero decides (unless a rolled-back
        # save left a record that no longer exists; the stored file then gets a new one).
        if article.hero_id and not Image.objects.filter(pk=article.hero_id).exists():
            article.hero = _image_for_name(name) if name else None
    elif name != before.get("hero_image", ""):
        article.hero = _image_for_name(name) if name else None  # the file cleared or named
    elif not article.hero_id and name:
        article.hero = _image_for_name(name)  # a row from before the library
    hero = article.hero if article.hero_id else None
    if hero is None:
        article.hero_image = ""
        article.hero_width = article.hero_height = None
        return
    article.hero_image = hero.file.name
    article.hero_width, article.hero_height = hero.width, hero.height
    if not article.hero_alt and not article.hero_is_decorative:
        article.hero_alt = hero.alt
        article.hero_is_decorative = hero.is_decorative
    article.hero_caption = article.hero_caption or hero.caption
    article.hero_credit = article.hero_credit or hero.credit


def _image_for_name(name: str) -> Image | None:
    """The library image stored under `name`, recorded without copying if it is new; None
    if the file is gone (an old revision of an article whose image was deleted)."""
    image = Image.objects.filter(file=name).first()
    if image is None:
        storage = Image._meta.get_field("file").storage
        if not storage.exists(name):
            return None
        image = Image(file=name)
        image.save()
    return image
