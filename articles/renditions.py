"""Responsive renditions and search-engine crops of uploaded images, made with Pillow.

When a library image (articles/models/media.py) or an author's avatar is saved,
`refresh_renditions` runs through Django's tasks framework (in-process, or in `db_worker` in
production); pages never make images. Files go through the storage backend, so S3-compatible
storage works too. What was made is recorded in a JSON manifest on the row; templates read it,
and fall back to the original image whenever a rendition is missing.

Manifest: {"source": name, "width": w, "height": h, "size": bytes, "widths": [400, 800],
"crops": {"1x1": name, "4x3": name, "16x9": name}, "card": name (share card, no hero),
"squares": [72, 144, 240] (authors' photos), "focal": [x, y] (library images)}.

Crops keep the image's focal point in view. An article's manifest is a copy of its hero's,
so lists need no join; made for the image, copied to every article using it.
"""

import posixpath
from io import BytesIO

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import task
from PIL import Image, ImageOps

WIDTHS = (400, 800, 1200, 1600)
CROPS = {"1x1": (1, 1), "4x3": (4, 3), "16x9": (16, 9)}
CROP_WIDTH = 1200
# Author photos are shown at 72 and 120 CSS pixels: each size and its double, one file serving
# two (144 is 72 at 2x and 120 at 1x). The 1x1 crop, up to 1200 wide, is far too big for them.
AVATAR_SIZES = (72, 144, 240)
WEBP_QUALITY = 80
# Where each model keeps its image and its manifest.
IMAGE_FIELDS = {
    "articles.image": ("file", "renditions"),
    "articles.article": ("hero_image", "renditions"),
    "articles.author": ("avatar", "avatar_renditions"),
}


def rendition_name(source: str, label: str, ext: str) -> str:
    """renditions/<source path without extension>/<label>.<ext>, e.g. .../w800.webp"""
    stem = posixpath.splitext(source)[0]
    return f"renditions/{stem}/{label}.{ext}"


def needs_refresh(instance) -> bool:
    """True when the saved image is not the one the manifest was made from."""
    field, manifest_field = IMAGE_FIELDS[instance._meta.label_lower]
    image = getattr(instance, field)
    manifest = getattr(instance, manifest_field) or {}
    if instance._meta.label_lower == "articles.article" and not image:
        from articles.share_cards import card_signature

        return manifest.get("card_signature") != card_signature(instance)
    if image and instance._meta.label_lower == "articles.author" and "squares" not in manifest:
        return True  # made before photos had sizes of their own
    if instance._meta.label_lower == "articles.image":
        if manifest.get("focal") != list(instance.focal_point):
            return True
    elif instance._meta.label_lower == "articles.article" and instance.hero_id:
        return manifest.get("source", "") != (image.name or "") or manifest.get("focal") != list(
            instance.hero.focal_point
        )
    return manifest.get("source", "") != (image.name or "")


@task
def refresh_renditions(model_label: str, pk: int) -> dict:
    """Make the renditions (or the share card) for one row and record them on it."""
    model = apps.get_model(model_label)
    instance = model.objects.filter(pk=pk).first()
    if instance is None:
        return {}
    field, manifest_field = IMAGE_FIELDS[model_label.lower()]
    image = getattr(instance, field)
    if model_label.lower() == "articles.image":
        return _refresh_library_image(instance)
    if model_label.lower() == "articles.article" and instance.hero_id:
        manifest = instance.hero.renditions
        if needs_refresh(instance.hero):
            manifest = _refresh_library_image(instance.hero)
    elif image:
        squares = AVATAR_SIZES if model_label.lower() == "articles.author" else ()
        manifest = make_renditions(image.name, squares=squares)
    elif model_label.lower() == "articles.article":
        from articles.share_cards import make_share_card

        manifest = make_share_card(instance)
    else:
        manifest = {}
    # update(), not save(): no signals, so no second round of renditions.
    model.objects.filter(pk=pk).update(**{manifest_field: manifest})
    if manifest != getattr(instance, manifest_field):
        # Pages stored meanwhile show the original image, or the site's share card.
        from articles.pagecache.triggers import image_changed

        image_changed(instance)
    return manifest


def _refresh_library_image(image) -> dict:
    """Renditions of one library image, copied to the articles that show it as their hero."""
    from articles.media import image_touch_articles
    from articles.models import Article
    from articles.pagecache.triggers import image_changed

    manifest = make_renditions(image.file.name, storage=image.file.storage, focal=image.focal_point)
    type(image).objects.filter(pk=image.pk).update(renditions=manifest)
    heroes = Article.objects.filter(hero=image).exclude(renditions=manifest)
    for article in heroes.only("pk", "status"):
        Article.objects.filter(pk=article.pk).update(renditions=manifest)
        image_changed(article)
    image_touch_articles(image, bodies_only=True)  # their figures get a srcset now
    return manifest


def make_renditions(source: str, storage=default_storage, squares=(), focal=(0.5, 0.5)) -> dict:
    with storage.open(source) as file:
        opened = Image.open(file)
        source_format = opened.format
        original = ImageOps.exif_transpose(opened)
        original.load()
    fmt = "PNG" if source_format == "PNG" or original.mode in ("RGBA", "LA", "P") else "JPEG"
    ext = "png" if fmt == "PNG" else "jpg"
    if fmt == "JPEG" and original.mode != "RGB":
        original = original.convert("RGB")
    width, height = original.size
    manifest = {
        "source": source,
        "width": width,
        "height": height,
        "size": storage.size(source),
        "ext": ext,
        "widths": [],
        "crops": {},
    }
    for target in (w for w in WIDTHS if w < width):
        resized = original.resize((target, round(height * target / width)), Image.LANCZOS)
        _save(storage, resized, rendition_name(source, f"w{target}", "webp"), "WEBP")
        _save(storage, resized, rendition_name(source, f"w{target}", ext), fmt)
        manifest["widths"].append(target)
    manifest["focal"] = [focal[0], focal[1]]
    # A moved focal point makes new crop names: caches never serve the old crop.
    suffix = (
        "" if tuple(focal) == (0.5, 0.5) else f"-f{round(focal[0] * 100)}x{round(focal[1] * 100)}"
    )
    for label, ratio in CROPS.items():
        crop = focal_crop(original, _crop_size(width, height, ratio), focal)
        name = rendition_name(source, label + suffix, ext)
        _save(storage, crop, name, fmt)
        manifest["crops"][label] = name
    if squares:
        manifest["squares"] = []
    for size in (s for s in squares if s <= min(width, height)):
        square = focal_crop(original, (size, size), focal)
        _save(storage, square, rendition_name(source, f"avatar-{size}", ext), fmt)
        manifest["squares"].append(size)
    return manifest


def focal_crop(image, size: tuple[int, int], focal=(0.5, 0.5)):
    """`image` cut to the ratio of `size` around the focal point (as near the middle of the
    crop as the edges allow), then scaled to `size`."""
    width, height = image.size
    target_w, target_h = size
    if width * target_h > height * target_w:  # wider than the crop: cut the sides
        box_w, box_h = round(height * target_w / target_h), height
    else:
        box_w, box_h = width, round(width * target_h / target_w)
    left = min(max(round(focal[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal[1] * height - box_h / 2), 0), height - box_h)
    return image.resize(size, Image.LANCZOS, box=(left, top, left + box_w, top + box_h))


def _crop_size(width: int, height: int, ratio: tuple[int, int]) -> tuple[int, int]:
    """The largest crop of this ratio, no wider than CROP_WIDTH."""
    rw, rh = ratio
    crop_width = min(width, height * rw // rh, CROP_WIDTH)
    return crop_width, crop_width * rh // rw


def _save(storage, image, name: str, fmt: str) -> None:
    buffer = BytesIO()
    options = {"quality": WEBP_QUALITY} if fmt == "WEBP" else {"optimize": True}
    if fmt == "JPEG":
        options["quality"] = 85
        options["progressive"] = True
    image.save(buffer, fmt, **options)
    # Renditions are derived from the source name, so a rerun replaces them in place.
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(buffer.getvalue()))


def picture_data(image, manifest: dict | None) -> dict:
    """What a template needs for <picture>: src, srcsets, width and height, or the original."""
    if not image:
        return {}
    manifest = manifest or {}
    data = {
        "src": image.url,
        "width": manifest.get("width") or _stored_dimension(image, "width"),
        "height": manifest.get("height") or _stored_dimension(image, "height"),
        "webp_srcset": "",
        "srcset": "",
    }
    if manifest.get("source") != image.name or not manifest.get("widths"):
        return data  # renditions not made yet, or made for an older image
    focal = manifest.get("focal") or [0.5, 0.5]
    if focal != [0.5, 0.5]:  # CSS crops (object-fit) keep it in view: classes in site.css
        data["focal_class"] = f"fx-{round(focal[0] * 10)} fy-{round(focal[1] * 10)}"
    storage = image.storage
    ext = manifest.get("ext", "jpg")
    widths = manifest["widths"]
    data["webp_srcset"] = ", ".join(
        f"{storage.url(rendition_name(image.name, f'w{w}', 'webp'))} {w}w" for w in widths
    )
    data["srcset"] = ", ".join(
        [f"{storage.url(rendition_name(image.name, f'w{w}', ext))} {w}w" for w in widths]
        + [f"{image.url} {data['width']}w"]
    )
    return data


def avatar_data(image, manifest: dict | None, size: int) -> dict:
    """src, srcset and sizes for a photo shown size pixels square: the smallest square that
    covers it; the 1:1 crop (or the original) until the squares are made."""
    manifest = manifest or {}
    squares = manifest.get("squares") if manifest.get("source") == image.name else None
    if not squares:
        crops = crop_urls(image, manifest)
        return {"src": crops[0], "srcset": "", "sizes": ""}
    ext = manifest.get("ext", "jpg")
    urls = {s: image.storage.url(rendition_name(image.name, f"avatar-{s}", ext)) for s in squares}
    src = urls[min((s for s in squares if s >= size), default=max(squares))]
    srcset = ", ".join(f"{url} {s}w" for s, url in urls.items())
    return {"src": src, "srcset": srcset, "sizes": f"{size}px"}


def crop_size(manifest: dict, label: str) -> tuple[int, int] | None:
    """Width and height of a crop made from the manifest's image, if its size is known."""
    if not (manifest.get("width") and manifest.get("height")):
        return None
    return _crop_size(manifest["width"], manifest["height"], CROPS[label])


def crop_urls(image, manifest: dict | None) -> list[str]:
    """URLs of the 1:1, 4:3 and 16:9 crops; the original when they are not made yet."""
    manifest = manifest or {}
    if not image:
        card = manifest.get("card")
        return [default_storage.url(card)] if card else []
    crops = manifest.get("crops") if manifest.get("source") == image.name else None
    if not crops:
        return [image.url]
    return [image.storage.url(crops[label]) for label in CROPS if label in crops]


def _stored_dimension(image, attribute: str):
    """Width or height from the model's dimension fields, never by opening the file."""
    field = image.field
    dimension_field = getattr(field, f"{attribute}_field", None)
    return getattr(image.instance, dimension_field) if dimension_field else None
