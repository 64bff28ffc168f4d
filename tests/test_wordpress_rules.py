"""The importer's rules, each on a small export made here (tests/wxr.py): what is published,
which files are read, whose item is whose, names, media fetched over HTTP, the report."""

import functools
import http.server
import json
import threading
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from taggit.models import Tag

from articles.models import Article, Comment, Image, Page

from . import wxr

pytestmark = pytest.mark.django_db


def run_import(tmp_path, xml, *args, name="export.xml"):
    path = tmp_path / name
    path.write_text(xml, encoding="utf-8")
    out = StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out)
    return out.getvalue()


def test_password_protected_and_statusless_posts_are_drafts_and_reported(tmp_path, client):
    xml = wxr.export(
        wxr.item(1, "Secret plans", password="enter", content="Only for friends."),
        wxr.item(2, "Page with comments", status=""),
        wxr.item(3, "Pending review", status="pending"),
        wxr.item(4, "Private note", status="private"),
        wxr.item(5, "Open story"),
    )
    report = tmp_path / "report.json"
    output = run_import(tmp_path, xml, "--report", str(report))
    drafts = Article.objects.filter(status=Article.Status.DRAFT)
    assert set(drafts.values_list("title", flat=True)) == {
        "Secret plans",
        "Page with comments",
        "Pending review",
        "Private note",
    }
    assert Article.objects.get(title="Open story").is_live
    for old in ("/?p=1", "/?p=2", "/2024/05/01/secret-plans/"):
        assert client.get(old).status_code == 404
    front = client.get("/").content.decode()
    assert (
        "Secret plans" not in front
        and "Only for friends" not in client.get("/feed/").content.decode()
    )
    assert "Secret plans" not in client.get("/search/", {"q": "friends"}).content.decode()
    data = json.loads(report.read_text())
    assert {"item": "Secret plans", "url": "https://truthfrontier.example/2024/05/01/secret-plans/",
            "change": "password-protected: imported as a draft"} in data["changes"]  # fmt: skip
    assert "posts (no status): 1 in the file, 1 imported." in output


@pytest.mark.parametrize(
    "namespace",
    [
        "https://wordpress.org/export/1.2/",
        "http://wordpress.org/export/1.0/",
        "http://wordpress.org/export/1.1/",
        "https://wordpress.org/export/1.3/",
    ],
)
def test_every_wordpress_export_namespace_is_read(tmp_path, namespace):
    run_import(tmp_path, wxr.export(wxr.item(1, "Read me"), ns=namespace))
    assert Article.objects.filter(title="Read me").exists()


def test_a_lookalike_namespace_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not a WordPress export"):
        run_import(tmp_path, wxr.export(wxr.item(1, "x"), ns="https://wordpress.org.evil/1.2/"))


def test_tags_of_wxr_1_0_and_tags_matched_by_slug(tmp_path):
    Tag.objects.create(name="Shadow", slug="shadow")
    item = wxr.item(1, "Styled", tags=[("shadow", "Border"), ("news", "news")])
    xml = wxr.export(item.replace('domain="post_tag"', 'domain="tag"'))
    run_import(tmp_path, xml)
    assert sorted(Article.objects.get(title="Styled").tags.names()) == ["Shadow", "news"]


def test_two_wordpress_com_blogs_keep_their_own_posts_and_comments(tmp_path):
    def blog(host, title, commenter):
        return wxr.export(
            wxr.item(7, title, host=host, comments=[wxr.comment(1, commenter, "Hello")]),
            site="https://wordpress.com",
            blog=host,
        )

    run_import(tmp_path, blog("https://first.wordpress.com", "First blog's post", "Ann"))
    output = run_import(tmp_path, blog("https://second.wordpress.com", "Second blog's", "Bo"))
    assert "already imported" not in output
    assert Comment.objects.get(name="Bo").article.title == "Second blog's"
    assert Comment.objects.get(name="Ann").article.title == "First blog's post"


def test_titles_lose_markup_and_isolate_bidi_controls_slugs_lose_them(tmp_path):
    xml = wxr.export(
        wxr.item(1, "Markup: Title <em>With</em> <b>Mark<sup>up</sup></b>", slug="markup"),
        wxr.item(2, "Evil \u202egnp.exe", slug="evil-\u202egnp"),
    )
    run_import(tmp_path, xml)
    assert Article.objects.get(slug="markup").title == "Markup: Title With Markup"
    evil = Article.objects.get(slug="evil-gnp")
    assert evil.title == "\u2068Evil \u202egnp.exe\u2069"


def test_mangled_creator_names_make_one_account_per_author(tmp_path):
    xml = wxr.export(
        wxr.author("aiko", "Aiko Tanaka"),
        wxr.item(1, "One", creator=">aiko"),
        wxr.item(2, "Two", creator="aiko\u200b"),
        wxr.item(3, "Three", creator="unknown"),
    )
    output = run_import(tmp_path, xml)
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["aiko"]
    assert Article.objects.filter(bylines__author__name="Aiko Tanaka").count() == 2
    assert "no byline" in output


def test_pages_become_the_sites_pages_with_their_comments_counted(tmp_path, client):
    xml = wxr.export(
        wxr.item(
            5, "About us", kind="page", content="We report.", comments=[wxr.comment(1, "A", "Hi")]
        ),
        wxr.item(6, "Team", kind="page", parent="5", content="Us."),
    )
    output = run_import(tmp_path, xml)
    about = Page.objects.get(title="About us")
    assert about.in_footer and not Page.objects.get(title="Team").in_footer
    assert client.get("/?page_id=5")["Location"] == "/pages/about-us/"
    page = client.get("/pages/about-us/").content.decode()
    assert "We report." in page and 'href="/pages/about-us/"' in page
    assert "comments (on pages): 1 in the file, 0 imported, 1 skipped" in output


def test_editors_edit_the_sites_pages_in_the_admin(client):
    from .factories import make_staff

    page = Page.objects.create(title="Ethics", body="<p>Old</p><script>x</script>")
    assert "<script" not in page.body
    client.force_login(make_staff("editor", "Editors", author_name="Eda Editor"))
    url = f"/admin/articles/page/{page.pk}/change/"
    assert client.get(url).status_code == 200
    form = {"title": "Ethics", "slug": "ethics", "body": "<p>New policy</p><img src=x onerror=alert(1)>",
            "is_published": "on", "in_footer": "on", "order": "0"}  # fmt: skip
    assert client.post(url, form).status_code == 302
    page = client.get("/pages/ethics/").content.decode()
    assert "New policy" in page and "onerror" not in page


@pytest.fixture
def old_site(tmp_path):
    """The old site's uploads served over HTTP on the loopback, as --fetch-media reads them."""
    root = tmp_path / "site"
    folder = root / "wp-content" / "uploads" / "2024" / "05"
    folder.mkdir(parents=True)
    PILImage.new("RGB", (640, 360), (200, 40, 40)).save(folder / "photo.jpg")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def photo_export(base):
    body = f'<img src="{base}/wp-content/uploads/2024/05/photo.jpg" alt="A photo">'
    return wxr.export(wxr.item(1, "Pictured", content=body), site=base)


def test_fetch_media_brings_images_from_the_old_site_into_the_library(tmp_path, settings, old_site):
    settings.WORDPRESS_FETCH_ALLOW_LOOPBACK = True
    run_import(tmp_path, photo_export(old_site), "--fetch-media")
    image = Image.objects.get()
    assert (image.width, image.height, image.alt) == (640, 360, "A photo")
    body = Article.objects.get(title="Pictured").body
    assert f'data-file="{image.pk}"' in body and old_site not in body


def test_fetch_media_refuses_private_addresses_unless_allowed(tmp_path, settings, old_site):
    settings.WORDPRESS_FETCH_ALLOW_LOOPBACK = False
    output = run_import(tmp_path, photo_export(old_site), "--fetch-media")
    assert not Image.objects.exists()
    assert "file not fetched" in output  # a private or unknown address


def test_a_dry_run_of_a_real_export_writes_nothing(tmp_path):
    from pathlib import Path

    export = Path("/work/shared/wordpress/valid-wxr-1.0.xml")
    out = StringIO()
    call_command("import_wordpress", str(export), "--dry-run", stdout=out)
    assert "Dry run: nothing was written" in out.getvalue()
    assert not Article.objects.exists() and not Page.objects.exists()


def test_records_of_earlier_imports_keyed_on_the_network_count_where_they_match(tmp_path):
    """Before base_blog_url, a WordPress.com blog's rows were keyed on https://wordpress.com:
    a re-import adopts those that match the file, and leaves another blog's alone."""
    from articles.models import ImportRecord

    def blog(host, title):
        item = wxr.item(7, title, host=host, comments=[wxr.comment(1, "Ann", "Hi")])
        return wxr.export(item, site="https://wordpress.com", blog=host)

    run_import(tmp_path, blog("https://first.wordpress.com", "First post"))
    ImportRecord.objects.update(origin="https://wordpress.com")  # as the old importer kept them
    output = run_import(tmp_path, blog("https://first.wordpress.com", "First post"))
    assert "Skipped 1: posts already imported" in output
    assert Article.objects.count() == 1 and Comment.objects.count() == 1
    run_import(tmp_path, blog("https://second.wordpress.com", "Other blog's post"))
    assert Article.objects.count() == 2 and Comment.objects.count() == 2


def test_audio_and_video_files_are_served_from_the_site(tmp_path, client):
    folder = tmp_path / "uploads" / "2024" / "05"
    folder.mkdir(parents=True)
    (folder / "song.mp3").write_bytes(b"ID3 not really music")
    body = "[audio mp3=https://truthfrontier.example/wp-content/uploads/2024/05/song.mp3][/audio]"
    output = run_import(
        tmp_path,
        wxr.export(wxr.item(1, "Listen", content=body)),
        "--media-dir",
        str(tmp_path / "uploads"),
    )
    article = Article.objects.get(title="Listen")
    assert '<a href="/media/wordpress/2024/05/song.mp3">Listen: song.mp3</a>' in article.body
    assert "1 audio and video files" in output
