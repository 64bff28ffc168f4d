"""Find an old site's uploaded file: in a copy of wp-content/uploads (`--media-dir`), or over
HTTP from the old site (`--fetch-media`), never from a private address."""

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from articles.media.remote import fetch_public

FETCH_MAX_BYTES = 20 * 1024 * 1024
SIZED = re.compile(r"-\d+x\d+(\.\w+)$")


def upload_path(url: str) -> str:
    """'2024/05/launch.jpg' for .../wp-content/uploads/2024/05/launch.jpg and for
    WordPress.com's https://blog.files.wordpress.com/2024/05/launch.jpg?w=300."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if "/uploads/" in path:
        return path.split("/uploads/", 1)[1].lstrip("/")
    return path.lstrip("/")


def full_size(url: str) -> str:
    """WordPress.com sizes an image by its query (?w=300): the file is the same."""
    parts = urlsplit(url)
    return parts._replace(query="", fragment="").geturl()


def find_in_folder(folder: Path, url: str) -> Path | None:
    """The file in a copy of uploads/, or the original of a resized copy (name-300x200.jpg)."""
    relative = PurePosixPath(upload_path(url))
    if ".." in relative.parts or not relative.name:
        return None
    original = relative.with_name(SIZED.sub(r"\1", relative.name))
    for candidate in (relative, relative.name, original, original.name):
        if (folder / candidate).is_file():
            return folder / candidate
    return None


def fetch(url: str, into: Path) -> tuple[Path | None, str]:
    """Download `url` into the folder `into`: (path, "") or (None, why not). The same guarded
    fetch as an author's import by URL: public addresses only, no redirects, a size cap."""
    try:
        name, data = fetch_public(
            url,
            max_bytes=FETCH_MAX_BYTES,
            allow_loopback=settings.WORDPRESS_FETCH_ALLOW_LOOPBACK,
        )
    except ValidationError as error:
        return None, error.messages[0]
    path = into / upload_path(url).replace("/", "_")[-150:]
    path = path if path.name else into / name
    path.write_bytes(data)
    return path, ""


def is_image(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            image.verify()
        return True
    except (UnidentifiedImageError, OSError, SyntaxError):
        return False
