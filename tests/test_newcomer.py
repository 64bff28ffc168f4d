"""A newcomer's first hour: `make run PORT=...` and the links the site then prints."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .factories import make_article

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("target", ["run", "serve"])
def test_make_serves_on_the_port_given_with_the_site_url_following_it(target):
    plan = subprocess.run(
        ["make", "-n", target, "PORT=8041", f"PYTHON={sys.executable}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    server = next(line for line in plan.splitlines() if "runserver" in line or "SITE_URL" in line)
    assert "SITE_URL=http://127.0.0.1:8041" in server
    assert "127.0.0.1:8041" in plan.split("SITE_URL=http://127.0.0.1:8041", 1)[1]


@pytest.mark.django_db
def test_every_absolute_link_follows_the_site_url(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8041"
    article = make_article()
    pages = [
        article.get_absolute_url(),
        "/",
        "/feed/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/robots.txt",
    ]
    for path in pages:
        text = client.get(path).content.decode()
        links = re.findall(r"https?://127\.0\.0\.1(?::\d+)?", text)
        assert links, f"{path} prints no absolute link: {text[:500]}"
        assert set(links) == {"http://127.0.0.1:8041"}, path
