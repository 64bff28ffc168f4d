"""Import an image another site serves into the library, so a body shows it from ours.

The server fetches a URL an author typed, so it must not become a way into the private
network: only http(s) to addresses on the public internet (checked after DNS, and the
connection goes to the address that was checked), no redirects, a size cap and a timeout.
"""

import http.client
import ipaddress
import posixpath
import socket
import ssl
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

TIMEOUT = 10
USER_AGENT = "NewsroomImageImport/1.0"


def address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return address.is_global


def remote_image_fetch(url: str) -> SimpleUploadedFile:
    """The file at `url`, not yet validated as an image (create_from_file does that)."""
    name, data = fetch_public(url, max_bytes=settings.IMAGE_MAX_BYTES)
    return SimpleUploadedFile(name[:100], data)


def fetch_public(url: str, *, max_bytes: int, allow_loopback: bool = False) -> tuple[str, bytes]:
    """(file name, content) of `url` on the public internet (loopback too when allowed: the
    WordPress import's tests serve an old site there); ValidationError says why not."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError("Only http:// and https:// addresses can be imported.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _public_address(parts.hostname, port, allow_loopback)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    connection = response = None
    try:
        connection = _connect(parts.scheme, parts.hostname, address, port)
        connection.request("GET", path, headers={"Host": parts.netloc, "User-Agent": USER_AGENT})
        response = connection.getresponse()
        status = response.status
        data = response.read(max_bytes + 1) if status == 200 else b""
    except (OSError, http.client.HTTPException):
        raise ValidationError(f"{parts.hostname} could not be reached; try again later.") from None
    finally:
        for part in (response, connection):
            if part is not None:
                part.close()
    if status != 200:  # redirects too: their target is not checked
        raise ValidationError(
            f"{parts.hostname} answered {status} for this file; download it and upload "
            "the file instead."
        )
    if len(data) > max_bytes:
        raise ValidationError(f"This file is larger than {max_bytes / 1_048_576:.0f} MB.")
    return posixpath.basename(unquote(parts.path)) or "imported-image", data


def _public_address(host: str, port: int, allow_loopback: bool = False) -> str:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise ValidationError(f"{host} could not be found.") from None
    addresses = [info[4][0] for info in found]
    allowed = [
        address_allowed(ip) or (allow_loopback and ip.is_loopback)
        for ip in map(ipaddress.ip_address, addresses)
    ]
    if not addresses or not all(allowed):
        raise ValidationError(
            f"{host} is not on the public internet; images are not taken from it."
        )
    return addresses[0]


def _connect(scheme: str, host: str, address: str, port: int) -> http.client.HTTPConnection:
    """A connection to `address` (checked), speaking to `host` (TLS checked against its name)."""
    sock = socket.create_connection((address, port), timeout=TIMEOUT)
    if scheme == "https":
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        connection = http.client.HTTPSConnection(host, port, timeout=TIMEOUT)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    connection.sock = sock
    return connection
