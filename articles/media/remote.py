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
    parts = urlsplit((url or "").strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError("Only http:// and https:// addresses can be imported.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _public_address(parts.hostname, port)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    connection = response = None
    try:
        connection = _connect(parts.scheme, parts.hostname, address, port)
        connection.request("GET", path, headers={"Host": parts.netloc, "User-Agent": USER_AGENT})
        response = connection.getresponse()
        status = response.status
        data = response.read(settings.IMAGE_MAX_BYTES + 1) if status == 200 else b""
    except (OSError, http.client.HTTPException):
        raise ValidationError(f"{parts.hostname} could not be reached; try again later.") from None
    finally:
        for part in (response, connection):
            if part is not None:
                part.close()
    if status != 200:  # redirects too: their target is not checked
        raise ValidationError(
            f"{parts.hostname} answered {status} for this image; download it and upload "
            "the file instead."
        )
    if len(data) > settings.IMAGE_MAX_BYTES:
        limit = settings.IMAGE_MAX_BYTES / 1_048_576
        raise ValidationError(f"This image is larger than {limit:.0f} MB.")
    name = posixpath.basename(unquote(parts.path)) or "imported-image"
    return SimpleUploadedFile(name[:100], data)


def _public_address(host: str, port: int) -> str:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise ValidationError(f"{host} could not be found.") from None
    addresses = [info[4][0] for info in found]
    if not addresses or not all(address_allowed(ipaddress.ip_address(a)) for a in addresses):
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
