"""OpenGraph share cards (1200x630) for articles without a hero image, drawn with Pillow.

Made at save time through `articles.renditions.refresh_renditions`, never while a page renders.
"""

import hashlib
import textwrap
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 630)
# The site's colours (static/css/site.css): paper, ink and the accent red.
PAPER, INK, ACCENT, MUTED = "#fbfaf7", "#1a1a1a", "#9b1c1c", "#555555"
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
)
SANS_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)


def card_signature(article) -> str:
    """Changes whenever what the card shows changes."""
    text = f"{article.title}|{article.section_id or ''}|{settings.SITE_NAME}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def make_share_card(article, storage=default_storage) -> dict:
    signature = card_signature(article)
    name = f"share-cards/article-{article.pk}-{signature}.png"
    if not storage.exists(name):
        storage.save(name, ContentFile(draw_card(article.title, _section_name(article))))
    return {"card": name, "card_signature": signature, "width": SIZE[0], "height": SIZE[1]}


def draw_card(title: str, section: str) -> bytes:
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], 16), fill=ACCENT)
    kicker = _font(SANS_PATHS, 30)
    draw.text((80, 80), section.upper(), font=kicker, fill=ACCENT)
    size, lines = _fit_title(draw, title)
    headline = _font(FONT_PATHS, size)
    y = 140
    for line in lines:
        draw.text((80, y), line, font=headline, fill=INK)
        y += int(size * 1.2)
    draw.line((80, 520, SIZE[0] - 80, 520), fill=MUTED, width=2)
    draw.text((80, 545), settings.SITE_NAME, font=_font(FONT_PATHS, 40), fill=INK)
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _fit_title(draw, title: str) -> tuple[int, list[str]]:
    """The largest font size at which the headline fits in five lines."""
    for size in (72, 64, 56, 48, 42):
        font = _font(FONT_PATHS, size)
        chars = max(10, int(1040 / (size * 0.55)))
        lines = textwrap.wrap(title, chars)
        if len(lines) <= 5 and all(draw.textlength(line, font=font) <= 1040 for line in lines):
            return size, lines
    lines = textwrap.wrap(title, 40)
    return 42, lines[:4] + (["…"] if len(lines) > 4 else [])


def _font(paths, size):
    for path in paths:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _section_name(article) -> str:
    return article.section.name if article.section_id else settings.SITE_NAME
