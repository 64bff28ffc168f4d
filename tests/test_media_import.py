"""Images a body shows from another site are imported into the library by the server, which
never fetches from the private network."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from articles.media import remote
from articles.models import Image

from .factories import image_file, make_staff

pytestmark = pytest.mark.django_db

FILES = {"/photos/harbour.png": image_file("harbour.png", size=(640, 480), fmt="PNG").read()}
FILES["/notes.png"] = b"not a picture"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = FILES.get(self.path)
        if self.path == "/moved.png":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        self.send_response(200 if body else 404)
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    """A small web server on loopback, standing in for another site."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def author(client):
    user = make_staff("author", "Authors", author_name="Aki Author")
    client.force_login(user)
    return user


def import_url(client, url, alt=""):
    return client.post(reverse("admin:articles_image_import"), {"url": url, "alt": alt})


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "http://localhost/x.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x.png",
        "http://10.0.0.5/x.png",
    ],
)
def test_addresses_off_the_public_internet_are_never_fetched(client, author, url):
    response = import_url(client, url)
    assert response.status_code == 400
    assert "not on the public internet" in response.json()["error"]
    assert not Image.objects.exists()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x.png", "javascript:1"])
def test_only_web_addresses_are_imported(client, author, url):
    response = import_url(client, url)
    assert response.json()["error"] == "Only http:// and https:// addresses can be imported."


def test_a_public_image_is_imported_into_the_library(client, author, site, monkeypatch):
    monkeypatch.setattr(remote, "address_allowed", lambda address: True)  # loopback stands in
    response = import_url(client, f"{site}/photos/harbour.png", alt="A harbour")
    assert response.status_code == 201
    image = Image.objects.get(pk=response.json()["id"])
    assert (image.width, image.alt, image.uploaded_by) == (640, "A harbour", author)
    assert "harbour" in image.file.name and response.json()["url"].startswith("/media/images/")


def test_missing_files_redirects_and_non_images_are_refused(client, author, site, monkeypatch):
    monkeypatch.setattr(remote, "address_allowed", lambda address: True)
    assert "answered 404" in import_url(client, f"{site}/gone.png").json()["error"]
    assert "answered 302" in import_url(client, f"{site}/moved.png").json()["error"]
    assert "not an image we can read" in import_url(client, f"{site}/notes.png").json()["error"]
    assert not Image.objects.exists()


def test_imports_need_a_signed_in_author(client):
    response = import_url(client, "http://example.com/x.png")
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(make_staff("visitor"))
    assert import_url(client, "http://example.com/x.png").status_code == 403
