"""Library images in article bodies: the stored reference and its rendering.

A body stores `<figure><img src="/media/..." alt="..." data-file="12"><figcaption>...
</figcaption></figure>` (the editor's image node keeps `data-file`); readers get a responsive
figure built from the record, with its renditions, credit and the site's own URLs only.
"""

import re
from html import unescape

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.models.media import Image
from articles.renditions import picture_data, rendition_name

SIZES = "(min-width: 50rem) 48rem, 100vw"
# Sanitised HTML (nh3) quotes every attribute with " and escapes " inside it.
REFERENCE = re.compile(
    r"<figure[^>]*>\s*(?P<img><img\b[^>]*\bdata-file=\"(?P<pk>\d+)\"[^>]*>)\s*"
    r"(?:<figcaption[^>]*>(?P<caption>.*?)</figcaption>)?\s*</figure>"
    r"|(?P<lone><img\b[^>]*\bdata-file=\"(?P<lone_pk>\d+)\"[^>]*>)",
    re.S,
)
IMG = re.compile(r"<img\b[^>]*>")
SRC = re.compile(r'\bsrc="([^"]*)"')
ALT = re.compile(r'\balt="([^"]*)"')


def figure_html(image: Image, *, alt: str | None = None, caption: str | None = None) -> str:
    """The reference a body stores for `image` (what the editor inserts, and importers)."""
    alt = image.alt if alt is None else alt
    caption = image.caption if caption is None else caption
    figcaption = format_html("<figcaption>{}</figcaption>", caption) if caption else ""
    return format_html(
        '<figure><img src="{}" alt="{}" data-file="{}">{}</figure>',
        image.file.url,
        "" if image.is_decorative else alt,
        image.pk,
        figcaption,
    )


def referenced_ids(html: str) -> set[int]:
    return {int(m["pk"] or m["lone_pk"]) for m in REFERENCE.finditer(html or "")}


def render_body_images(html: str) -> str:
    """Sanitised body HTML with every library reference made a responsive figure (one query
    for all of them), and images from other sites dropped for their alt text: the
    Content-Security-Policy would block them (and they could track readers)."""
    ids = referenced_ids(html)
    images = Image.objects.in_bulk(ids) if ids else {}

    def figure(match):
        image = images.get(int(match["pk"] or match["lone_pk"]))
        if image is None:
            return ""  # deleted from the library (the admin warned where it was used)
        alt = _attribute(ALT, match["img"] or match["lone"])
        return responsive_figure(image, alt=alt, caption_html=match["caption"])

    html = REFERENCE.sub(figure, html or "")
    return mark_safe(IMG.sub(_foreign_image, html))  # noqa: S308 - built from sanitised HTML


def _foreign_image(match) -> str:
    if 'class="body-image__img"' in match[0] or is_local(_attribute(SRC, match[0])):
        return match[0]  # one of ours: just made, or a file of this site's
    alt = _attribute(ALT, match[0])
    return format_html('<span class="image-missing">{}</span>', alt) if alt else ""


def _attribute(pattern, tag: str | None) -> str:
    found = pattern.search(tag or "")
    return unescape(found[1]) if found else ""


def responsive_figure(image: Image, *, alt: str = "", caption_html: str | None = None) -> str:
    """<figure> with a WebP source, srcset, size, lazy loading, caption and credit."""
    data = picture_data(image.file, image.renditions)
    alt = "" if image.is_decorative else (alt or image.alt)
    # The caption typed in the body (sanitised HTML) wins over the library's.
    caption = mark_safe(caption_html) if caption_html else image.caption
    credit = format_html(' <span class="credit">{}</span>', image.credit) if image.credit else ""
    figcaption = format_html("<figcaption>{}{}</figcaption>", caption, credit)
    webp = (
        format_html('<source type="image/webp" srcset="{}" sizes="{}">', data["webp_srcset"], SIZES)
        if data["webp_srcset"]
        else ""
    )
    srcset = format_html(' srcset="{}" sizes="{}"', data["srcset"], SIZES) if data["srcset"] else ""
    size = (
        format_html(' width="{}" height="{}"', data["width"], data["height"])
        if data["width"]
        else ""
    )
    return format_html(
        '<figure class="body-image"><picture>{}<img class="body-image__img" src="{}"{}{} alt="{}"'
        ' loading="lazy" decoding="async"></picture>{}</figure>',
        webp,
        data["src"],
        srcset,
        size,
        alt,
        figcaption if (caption or credit) else "",
    )


def hero_fields(data: dict) -> dict:
    """The hero values the checklist sees in a form's data: an image chosen from the library
    lends its alt text (or its being decorative) to an article that gives none."""
    hero, alt = data.get("hero"), (data.get("hero_alt") or "").strip()
    decorative = bool(data.get("hero_is_decorative"))
    if hero and not data.get("hero_image") and not alt and not decorative:
        alt, decorative = hero.alt, hero.is_decorative
    return {
        "hero_image": data.get("hero_image") or hero,
        "hero_alt": alt,
        "hero_is_decorative": decorative,
    }


def is_local(src: str) -> bool:
    """A path on this site (/media/...), not a URL naming a host."""
    return src.startswith("/") and not src.startswith("//")


def foreign_images(html: str) -> list[str]:
    """The src of every body image shown from another site (dropped when rendered)."""
    sources = (_attribute(SRC, match[0]) for match in IMG.finditer(html or ""))
    return [src for src in sources if src and not is_local(src)]


def image_touch_articles(image: Image, *, bodies_only=False) -> None:
    """The articles showing `image` show it anew: a new `modified_at` (their page fragments
    are keyed on it) and their cached pages purged."""
    from articles.models import Article
    from articles.pagecache.triggers import image_changed

    using = image.used_in().exclude(hero=image) if bodies_only else image.used_in()
    articles = list(using.only("pk", "status"))
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(modified_at=timezone.now())
    for article in articles:
        image_changed(article)


def image_forget(image: Image) -> None:
    """Before an image is deleted: articles showing it as their hero lose it (and get a
    drawn share card), and its files go once the deletion is committed."""
    from articles.models import Article
    from articles.renditions import refresh_renditions

    heroes = list(Article.objects.filter(hero=image).only("pk", "status"))
    Article.objects.filter(hero=image).update(
        hero_image="", hero_width=None, hero_height=None, renditions={}
    )
    for article in heroes:
        transaction.on_commit(
            lambda pk=article.pk: refresh_renditions.enqueue("articles.article", pk)
        )
    image_touch_articles(image)
    image_files_delete(image.file.storage, image.file.name, image.renditions)


def image_files_delete(storage, name: str, manifest: dict) -> None:
    """Once committed, delete a file and the renditions made from it (a deleted image, or
    the file a replacement took the place of)."""
    names = [name, *_rendition_names(manifest)] if name else []
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


def _rendition_names(manifest: dict) -> list[str]:
    source, ext = manifest.get("source"), manifest.get("ext", "jpg")
    if not source:
        return []
    names = list((manifest.get("crops") or {}).values())
    for width in manifest.get("widths", []):
        names += [
            rendition_name(source, f"w{width}", "webp"),
            rendition_name(source, f"w{width}", ext),
        ]
    return names
