"""Find an old site's uploaded file: in a copy of wp-content/uploads (`--media-dir`), or over
HTTP from the old site (`--fetch-media`), never from a private address."""

import ipaddress
import re
import socket
import urllib.request
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from PIL import Image, UnidentifiedImageError

FETCH_TIMEOUT = 10  # seconds per file
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


def is_public_host(host: str) -> bool:
    """Whether every address `host` resolves to is public (a fetch may not reach the LAN);
    loopback is allowed only by the WORDPRESS_FETCH_ALLOW_LOOPBACK setting (tests)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False
    allow_loopback = settings.WORDPRESS_FETCH_ALLOW_LOOPBACK
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_loopback and allow_loopback:
            continue
        if not address.is_global:
            return False
    return True


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect could lead to a private address: the file counts as missing


def fetch(url: str, into: Path) -> tuple[Path | None, str]:
    """Download `url` into the folder `into`: (path, "") or (None, why not)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None, "not an http(s) address"
    if not is_public_host(parts.hostname):
        return None, "a private or unknown address"
    opener = urllib.request.build_opener(_NoRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": "Newsroom WordPress import"})
    try:
        with opener.open(request, timeout=FETCH_TIMEOUT) as response:
            if response.status != 200:
                return None, f"HTTP {response.status}"
            data = response.read(FETCH_MAX_BYTES + 1)
    except OSError as error:  # URLError, HTTPError, timeouts
        return None, f"download failed ({getattr(error, 'reason', error)})"
    if len(data) > FETCH_MAX_BYTES:
        return None, f"larger than {FETCH_MAX_BYTES // 1024 // 1024} MB"
    name = PurePosixPath(unquote(parts.path)).name or "file"
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
