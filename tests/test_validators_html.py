"""Every public page type passes the Nu Html Checker (vnu.jar, the W3C's validator) with no
errors: the pages are written to a folder and checked in one run of the checker, because
starting its JVM takes seconds. `scripts/install_vnu.sh` installs it (`make test` does)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import RequestFactory

from articles.models import Correction
from articles.services import preview_token
from articles.views import site
from newsroom.middleware import unavailable_response

from .factories import (
    comment_form_data,
    image_file,
    make_article,
    make_author,
    make_citation,
    make_comment,
    make_section,
    make_source,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / ".venv/share/vnu/vnu.jar"))
# A page the checker must fault: proves a clean report comes from a working checker.
SENTINEL = b'<!doctype html><html lang="en"><title>x</title><time datetime="2026-01-01T00:00:00.123456+00:00">x</time></html>'


def nu_html_check(pages: dict[str, bytes], folder: Path) -> dict[str, list[str]]:
    """Error messages per page name, from one run of vnu.jar over all the pages."""
    java = shutil.which("java")
    assert java and VNU_JAR.exists(), (
        f"The Nu Html Checker is not installed (java: {java or 'missing'}, {VNU_JAR}): run "
        "scripts/install_vnu.sh (make test does), or set VNU_JAR to a vnu.jar."
    )
    folder.mkdir(parents=True, exist_ok=True)
    for name, html in pages.items():
        (folder / f"{name}.html").write_bytes(html)
    files = sorted(str(path) for path in folder.glob("*.html"))
    command = [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *files]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or result.stdout)
    errors = {name: [] for name in pages}
    for message in report["messages"]:
        if message["type"] in ("error", "non-document-error"):
            name = Path(message.get("url", "?")).stem
            line = message.get("lastLine", "?")
            errors.setdefault(name, []).append(f"line {line}: {message['message']}")
    return errors


@pytest.fixture
def site_content(settings):
    """One of every kind of thing a public page shows."""
    settings.ARTICLES_PER_PAGE = 3
    author = make_author(
        name="Aiko Tanaka",
        role="Tokyo correspondent",
        bio="Covers Japan.\n\nBefore that, Seoul.",
        avatar=image_file("aiko.jpg", size=(400, 400)),
        website="https://aiko.example",
        x_url="https://x.com/aiko",
    )
    asia = make_section(name="Asia", description="News from Asia.")
    article = make_article(
        title="東京で会議 — Café talks in Tōkyō «résumé»",
        dek="Ministers meet & talk.",
        section=asia,
        authors=[author, make_author(name="Ren Ito")],
        tags=["Japan", "Diplomacy"],
        hero_image=image_file(size=(1600, 1000)),
        hero_alt="Ministers at a table",
        hero_caption="The meeting on Monday.",
        hero_credit="Photo: Newsroom",
        dateline="TOKYO",
        body=(
            "<h2>What happened</h2><p>They <em>met</em> &amp; talked.</p>"
            '<blockquote><p>"We agreed," one said.</p></blockquote>'
            '<ul><li>One</li><li>Two</li></ul><p><a href="https://www.nhk.or.jp/">NHK</a></p>'
        ),
    )
    make_citation(
        article,
        source=make_source(name="NHK", slug="nhk"),
        url="https://www.nhk.or.jp/news/",
        title="NHK report",
        quote="They met.",
    )
    Correction.objects.create(article=article, note="An earlier version misspelled a name.")
    first = make_comment(article, name="Mariko", body="Good report.")
    make_comment(article, name="Ken", body="I agree.", parent=first, website="https://ken.example")
    for n in range(5):
        make_article(title=f"Other story {n}", section=asia, authors=[author], tags=["Japan"])
    return article, author, asia


def public_pages(client, settings, article, author, section) -> dict[str, bytes]:
    def get(url, status=200, **kwargs):
        response = client.get(url, **kwargs)
        assert response.status_code == status, url
        return response.content

    pages = {
        "front": get("/"),
        "front-page-2": get("/?page=2"),
        "article": get(article.get_absolute_url()),
        "author": get(author.get_absolute_url()),
        "section": get(section.get_absolute_url()),
        "tag": get("/tags/japan/"),
        "source": get("/sources/nhk/"),
        "corrections": get("/corrections/"),
        "comment-report": get(f"/comments/{article.comments.first().pk}/report/"),
        "search-results": get("/search/?q=talks"),
        "search-none": get("/search/?q=zzzzqqq"),
        "search-empty": get("/search/"),
        "error-404": get("/articles/no-such-article/", 404),
        "error-404-page": get("/?page=99", 404),
    }
    settings.PREVIEW_LINK_MAX_AGE = -1  # every link has expired
    pages["error-410"] = get(f"/preview/link/{preview_token(article)}/", 410)
    pages["error-405"] = get(f"{article.get_absolute_url()}comments/", 405)
    settings.COMMENTS_RATE_PER_MINUTE = 0
    response = client.post(
        f"{article.get_absolute_url()}comments/",
        comment_form_data(article),
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 429
    pages["error-429-comments"] = response.content
    settings.ADMIN_LOGIN_FAILURES_PER_IP = 0
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 429
    pages["error-429"] = response.content
    request = RequestFactory().get("/")
    pages["error-400"] = site.bad_request(request).content
    pages["error-403"] = site.permission_denied(request).content
    pages["error-500"] = site.server_error(request).content
    pages["error-503"] = unavailable_response().content
    return pages


def test_every_public_page_type_passes_the_nu_html_checker(
    client, settings, site_content, tmp_path
):
    article, author, section = site_content
    pages = public_pages(client, settings, article, author, section)
    errors = nu_html_check({**pages, "sentinel": SENTINEL}, tmp_path / "pages")
    assert errors.pop("sentinel"), "the checker found nothing wrong with a known-bad page"
    count = sum(len(found) for found in errors.values())
    report = "\n".join(f"{name}: {e}" for name, found in errors.items() for e in found)
    assert count == 0, f"{count} Nu Html Checker errors over {len(pages)} pages:\n{report}"
