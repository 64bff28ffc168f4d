"""Titles, slugs and author names as WordPress exports them, made safe to show."""

import re
import unicodedata
from html import unescape

from django.utils.html import strip_tags

# Embedding and override controls (U+202A-202E) and isolates (U+2066-2069): in a slug they
# make an address read differently from what it is; in a title they can reorder the page.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"


def clean_title(title: str) -> str:
    """The title's text without its tags; bidi controls kept inside an isolate, so they
    cannot reorder the text around the title."""
    text = " ".join(unescape(strip_tags(unescape(title or ""))).split())
    if BIDI_CONTROLS.search(text):
        text = FIRST_STRONG_ISOLATE + BIDI_CONTROLS.sub(_balanced, text) + POP_ISOLATE
    return text


def _balanced(match) -> str:
    # Isolates and pops inside would end ours early: only embeddings/overrides stay, and the
    # closing U+2069 ends them all (Unicode's bidi algorithm closes them at the isolate's end).
    return "" if match.group(0) in "\u2066\u2067\u2068\u2069" else match.group(0)


def clean_slug(slug: str) -> str:
    return INVISIBLE.sub("", BIDI_CONTROLS.sub("", slug or "")).strip()


def has_markup(title: str) -> bool:
    return bool(re.search(r"<[a-zA-Z/][^>]*>", unescape(title or "")))


def clean_login(creator: str) -> str:
    """`>themereviewteam`, ` themereviewteam ` and 'themereviewteam\u200b' are one account."""
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", BIDI_CONTROLS.sub("", creator or "")))
    return re.sub(r"[^\w.@+-]", "", text).strip(".").lower()[:150]
