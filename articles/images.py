"""Validate uploaded images with Pillow and store a clean copy.

Refuses anything that is not a real JPEG, PNG, WebP or GIF, or that is too large in
bytes or pixels (decompression bombs); applies EXIF orientation and drops metadata
(EXIF, GPS, comments) by re-encoding the pixels.
"""

import hashlib
import re
import warnings
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MAX_SIDE = 12_000
# What Pillow raises for a file that is damaged, cut short or not an image at all.
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


def image_validate(upload):
    """Open `upload` safely and return (format, width, height), or raise ValidationError."""
    max_bytes = settings.IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            f"This file is {upload.size / 1_048_576:.1f} MB; images may be at most "
            f"{max_bytes / 1_048_576:.0f} MB. Export it smaller and try again."
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                fmt, (width, height) = image.format, image.size
                _check_pixels(width, height)
                if fmt not in FORMATS:
                    raise ValidationError(
                        f"{fmt} images are not accepted. Upload a JPEG, PNG, WebP or GIF."
                    )
                image.verify()
            # verify() checks a JPEG's or GIF's structure without decoding it: a file cut
            # short only fails when its pixels are read, so read them (once the size is safe).
            upload.seek(0)
            with Image.open(upload) as image:
                _decode_all_frames(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        limit = settings.IMAGE_MAX_PIXELS // 1_000_000
        raise ValidationError(
            f"This image has too many pixels to be processed safely; the limit is {limit} "
            "megapixels. Resize it and try again."
        ) from None
    except UNREADABLE:
        raise _unreadable() from None
    finally:
        upload.seek(0)
    return fmt, width, height


def _unreadable() -> ValidationError:
    return ValidationError(
        "This file is not an image we can read (it may be damaged or cut short). "
        "Upload a JPEG, PNG, WebP or GIF."
    )


def _decode_all_frames(image):
    for frame in range(getattr(image, "n_frames", 1)):
        image.seek(frame)
        image.load()


def _check_pixels(width: int, height: int):
    max_pixels = settings.IMAGE_MAX_PIXELS
    if width * height > max_pixels or max(width, height) > MAX_SIDE:
        raise ValidationError(
            f"This image is {width}×{height} pixels; the limit is {max_pixels // 1_000_000} "
            f"megapixels and {MAX_SIDE} pixels a side. Resize it and try again."
        )


def image_clean(upload) -> SimpleUploadedFile:
    """A validated, upright copy of `upload` without metadata, ready to save."""
    fmt, _, _ = image_validate(upload)
    try:
        output = _reencoded(upload, fmt)
    except UNREADABLE:
        raise _unreadable() from None
    finally:
        upload.seek(0)
    # A name per content: object storage and CDNs keep media a year as immutable, so a new
    # image must never take an old one's URL.
    digest = hashlib.sha256(output.getbuffer()).hexdigest()[:12]
    stem = re.sub(r"-[0-9a-f]{12}$", "", Path(upload.name).stem) or "image"  # cleaned again
    name = f"{stem}-{digest}.{FORMATS[fmt]}"
    cleaned = SimpleUploadedFile(name, output.getvalue(), content_type=f"image/{fmt.lower()}")
    # What the author chose, for messages: the stored name carries the digest.
    cleaned.chosen_name = getattr(upload, "chosen_name", None) or Path(upload.name).name
    return cleaned


def _reencoded(upload, fmt) -> BytesIO:
    output = BytesIO()
    with Image.open(upload) as image:
        if getattr(image, "n_frames", 1) > 1:
            # Frames are re-encoded as they are; animated files rarely carry EXIF rotation.
            image.save(output, fmt, save_all=True, loop=image.info.get("loop", 0))
            return output
        image.load()
        upright = ImageOps.exif_transpose(image)
        upright.info = {}  # no EXIF, XMP, ICC comments or text chunks in the copy
        options = {"quality": 90, "optimize": True} if fmt in {"JPEG", "WEBP"} else {}
        if fmt == "JPEG" and upright.mode not in {"RGB", "L"}:
            upright = upright.convert("RGB")
        upright.save(output, fmt, **options)
    return output
