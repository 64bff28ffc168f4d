"""Hostile uploads beyond tests/test_admin_images.py: a real compressed bomb, an SVG in
disguise, and a polyglot whose hidden script must not survive into the stored copy."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.images import image_clean
from articles.models import Article, Author
from tests.factories import article_form_data, image_file, make_staff


def test_a_real_decompression_bomb_is_refused_before_it_is_decoded():
    buffer = BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")  # 100 megapixels in a few kilobytes
    assert buffer.tell() < 200_000
    with pytest.raises(ValidationError, match="megapixels"):
        image_clean(SimpleUploadedFile("bomb.png", buffer.getvalue()))


@pytest.mark.parametrize("name", ["logo.svg", "logo.png", "logo.jpg"])
def test_svg_with_script_is_refused_whatever_its_name(name):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError, match="not an image we can read"):
        image_clean(SimpleUploadedFile(name, svg, content_type="image/svg+xml"))


def test_html_hidden_after_a_real_image_does_not_reach_the_stored_copy():
    polyglot = image_file(size=(64, 48)).read() + b"<script>alert(document.cookie)</script>"
    cleaned = image_clean(SimpleUploadedFile("photo.jpg", polyglot))
    assert b"<script" not in cleaned.read()


def test_an_empty_file_is_refused_with_a_message():
    with pytest.raises(ValidationError, match="not an image we can read"):
        image_clean(SimpleUploadedFile("empty.jpg", b""))


# Broken files: Pillow opens a cut file happily and only fails once it decodes the pixels.


def photo_bytes(fmt="JPEG", size=(640, 480)) -> bytes:
    """A photo-like image (noise compresses badly, so the file is big enough to cut)."""
    buffer = BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, fmt)
    return buffer.getvalue()


def cut(fmt, keep=0.6):
    data = photo_bytes(fmt)
    return SimpleUploadedFile(f"cut.{fmt.lower()}", data[: int(len(data) * keep)])


@pytest.mark.parametrize(
    "upload",
    [cut("JPEG"), cut("JPEG", keep=0.95), cut("PNG"), cut("GIF"), cut("WEBP")],
    ids=["jpeg", "jpeg-last-bytes", "png", "gif", "webp"],
)
def test_a_truncated_image_gets_the_forms_message(upload):
    with pytest.raises(ValidationError, match="not an image we can read"):
        image_clean(upload)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fmt, message",
    [
        ("JPEG", "not an image we can read"),
        ("PNG", "Upload a valid image"),  # Django's own check catches a cut PNG first
        ("GIF", "not an image we can read"),
    ],
)
def test_a_truncated_hero_image_is_refused_with_a_message_not_a_server_error(client, fmt, message):
    editor = make_staff("editor", "Editors", author_name="Eda")
    client.force_login(editor)
    data = article_form_data(title="A headline about a cut photo", hero_alt="A photo")
    data["hero_image"] = cut(fmt)
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert message in response.text
    assert "A headline about a cut photo" in response.text
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_truncated_avatar_is_refused_with_a_message_not_a_server_error(client):
    client.force_login(make_staff("editor", "Editors", author_name="Eda"))
    data = {"name": "Ana Writer", "slug": "ana-writer", "avatar": cut("JPEG")}
    response = client.post(reverse("admin:articles_author_add"), data)
    assert response.status_code == 200
    assert "not an image we can read" in response.text
    assert not Author.objects.filter(name="Ana Writer").exists()
