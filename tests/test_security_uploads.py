"""Hostile uploads beyond tests/test_admin_images.py: a real compressed bomb, an SVG in
disguise, and a polyglot whose hidden script must not survive into the stored copy."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.images import image_clean
from tests.factories import image_file


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
