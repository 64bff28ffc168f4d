"""Image uploads: only real, reasonably sized images; upright and without metadata."""

import hashlib
import re
import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.images import image_clean
from articles.models import Article

from .factories import article_form_data, image_file, make_section, make_staff

ORIENTATION, MAKE, GPS = 0x0112, 0x010F, 0x8825


def jpeg_with_exif(size=(300, 100), orientation=6):
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "SpyCam 3000"
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", exif=exif, comment=b"secret")
    return SimpleUploadedFile("phone.jpeg", buffer.getvalue(), content_type="image/jpeg")


def png_claiming(width, height):
    """A tiny PNG whose header claims a huge size: a decompression bomb in miniature."""
    buffer = BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return SimpleUploadedFile("bomb.png", bytes(data), content_type="image/png")


def test_exif_orientation_is_applied_and_metadata_dropped():
    cleaned = image_clean(jpeg_with_exif())
    with Image.open(cleaned) as image:
        assert image.size == (100, 300)  # turned upright
        assert not image.getexif()
        assert "comment" not in image.info
    # Named by its content (a year-long immutable URL never shows other bytes); cleaned
    # again, it gets one digest, not two.
    cleaned.seek(0)
    digest = hashlib.sha256(cleaned.read()).hexdigest()[:12]
    assert cleaned.name == f"phone-{digest}.jpg"
    cleaned.seek(0)
    assert re.fullmatch(r"phone-[0-9a-f]{12}\.jpg", image_clean(cleaned).name)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF"])
def test_other_allowed_formats_pass(fmt):
    cleaned = image_clean(image_file(f"pic.{fmt.lower()}", size=(40, 30), fmt=fmt))
    with Image.open(cleaned) as image:
        assert image.format == fmt and image.size == (40, 30)


def test_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (10, 10), color) for color in ("red", "green", "blue")]
    buffer = BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    cleaned = image_clean(SimpleUploadedFile("a.gif", buffer.getvalue()))
    with Image.open(cleaned) as image:
        assert image.n_frames == 3


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>"), "not an image we can read"),
        (SimpleUploadedFile("x.jpg", b"<svg onload='alert(1)'></svg>"), "not an image we can read"),
        (image_file("x.bmp", size=(10, 10), fmt="BMP"), "BMP images are not accepted"),
        (image_file("x.tiff", size=(10, 10), fmt="TIFF"), "TIFF images are not accepted"),
        (png_claiming(50_000, 50_000), "megapixels"),
        (png_claiming(20_000, 10), "pixels a side"),
    ],
    ids=["php", "svg", "bmp", "tiff", "bomb", "too-wide"],
)
def test_bad_uploads_get_a_clear_message(upload, message):
    with pytest.raises(ValidationError) as refused:
        image_clean(upload)
    assert message in refused.value.messages[0]


def test_truncated_image_is_refused():
    data = image_file(size=(200, 200)).read()
    with pytest.raises(ValidationError, match="not an image we can read"):
        image_clean(SimpleUploadedFile("cut.jpg", data[: len(data) // 3]))


def test_too_many_bytes_are_refused_before_decoding(settings):
    settings.IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="at most"):
        image_clean(image_file(size=(400, 400)))


@pytest.mark.django_db
def test_admin_form_shows_the_message_and_keeps_the_text(client):
    editor = make_staff("editor", "Editors", author_name="Eda")
    client.force_login(editor)
    data = article_form_data(title="A headline about uploads", hero_alt="x")
    data["hero_image"] = SimpleUploadedFile("evil.jpg", b"GIF89a<script>alert(1)</script>")
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Upload a valid image" in response.text  # Django's own check comes first
    assert "A headline about uploads" in response.text
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_admin_stores_the_cleaned_upright_copy(client):
    editor = make_staff("editor", "Editors", author_name="Eda")
    client.force_login(editor)
    data = article_form_data(title="A headline about uploads", hero_alt="A red square")
    data |= {"hero_image": jpeg_with_exif(), "section": make_section().pk}
    assert client.post(reverse("admin:articles_article_add"), data).status_code == 302
    article = Article.objects.get()
    assert (article.hero_width, article.hero_height) == (100, 300)
    with Image.open(article.hero_image.path) as stored:
        assert not stored.getexif()
