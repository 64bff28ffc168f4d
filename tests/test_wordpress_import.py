from datetime import UTC, datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from PIL import Image as PILImage

from articles.models import (
    Article,
    Author,
    Citation,
    Comment,
    Image,
    Redirect,
    Section,
    Source,
)

from . import wxr

pytestmark = pytest.mark.django_db

SEED_BODY = """<!-- wp:paragraph -->
<p>The relationship between North Korea and Japan remains one of the most sensitive security issues.</p>
<!-- /wp:paragraph -->

<!-- wp:heading -->
<h2>Missile Launch Activity Toward the Sea of Japan</h2>
<!-- /wp:heading -->

In recent days, North Korea carried out missile launches.<a href="http://www.bbc.com/news/world-asia">http://www.bbc.com</a>
Japan's government emphasised the resolutions.

See <a href="https://truthfrontier.example/2024/04/01/older/">our earlier report</a> and
<a href="https://www.mod.go.jp/en/">Japan's Ministry of Defense</a>.

[caption id="attachment_7" align="aligncenter" width="800"]<img src="https://truthfrontier.example/wp-content/uploads/2024/05/launch.jpg" alt="Launch" width="800" height="450"> A launch seen from the coast[/caption]

[contact-form-7 id="12"]<script>alert(1)</script>"""


def site_export(*extra_items):
    return wxr.export(
        wxr.author("truthfrontier", "Truth Frontier"),
        wxr.author("aiko", "Aiko Tanaka"),
        wxr.category("asia", "Asia"),
        wxr.item(
            101,
            "North Korea and Tokyo Japan News Today",
            slug="north-korea-tokyo-news",
            content=SEED_BODY,
            excerpt="<p>Rising tensions &amp; regional responses.</p>",
            categories=[("asia", "Asia")],
            tags=[("north-korea", "North Korea"), ("japan", "Japan")],
            creator="truthfrontier",
            sticky="1",
            meta={"_thumbnail_id": "7"},
            comments=[
                wxr.comment(1, "Kenji", "First!<br />Stay safe.", url="https://kenji.example"),
                wxr.comment(2, "Aiko Reader", "Reply to Kenji", parent="1"),
                wxr.comment(3, "Deep", "Reply to the reply", parent="2"),
                wxr.comment(4, "Held", "Waiting", approved="0"),
                wxr.comment(5, "Spammer", "Buy now", approved="spam"),
                wxr.comment(6, "", "Trackback", kind="pingback"),
            ],
        ),
        wxr.item(
            102, "Scheduled story", date="2099-01-01 08:00:00", status="future", creator="aiko"
        ),
        wxr.item(103, "Draft story", status="draft", creator="aiko"),
        wxr.item(
            104,
            "東京の反応",
            slug="%e6%9d%b1%e4%ba%ac",
            content="Plain classic text.",
            creator="aiko",
        ),
        wxr.item(105, "About us", kind="page"),
        wxr.item(
            7,
            "Launch photo",
            kind="attachment",
            attachment_url="https://truthfrontier.example/wp-content/uploads/2024/05/launch.jpg",
            meta={"_wp_attachment_image_alt": "A missile launch over the sea"},
        ),
        *extra_items,
    )


@pytest.fixture
def media_dir(tmp_path):
    folder = tmp_path / "uploads" / "2024" / "05"
    folder.mkdir(parents=True)
    PILImage.new("RGB", (800, 450), (20, 60, 120)).save(folder / "launch.jpg")
    return tmp_path / "uploads"


def run_import(tmp_path, xml, *args):
    path = tmp_path / "export.xml"
    path.write_text(xml, encoding="utf-8")
    out = StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out)
    return out.getvalue()


def test_a_wordpress_export_becomes_articles_with_every_field_mapped(tmp_path, media_dir):
    output = run_import(tmp_path, site_export(), "--media-dir", str(media_dir))

    article = Article.objects.get(slug="north-korea-tokyo-news")
    assert article.title == "North Korea and Tokyo Japan News Today"
    assert article.dek == "Rising tensions & regional responses."
    assert article.is_live and article.is_featured and article.comments_open
    assert article.published_at == datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    assert Article.objects.filter(
        pk=article.pk, modified_at=datetime(2024, 5, 3, 12, tzinfo=UTC)
    ).exists()
    assert article.section.name == "Asia"
    assert sorted(article.tags.names()) == ["Japan", "North Korea"]
    assert [b.author.name for b in article.bylines.all()] == ["Truth Frontier"]
    assert "<h2>Missile Launch Activity Toward the Sea of Japan</h2>" in article.body
    assert "<p>The relationship between North Korea" in article.body
    assert (
        "<figure><img data-file=" in article.body
        and "<figcaption>A launch seen from the coast</figcaption>" in article.body
    )
    assert (
        "wp:" not in article.body
        and "[contact-form-7" not in article.body
        and "<script" not in article.body
    )
    assert article.hero_image and article.hero_alt == "A missile launch over the sea"
    # Brought into the media library, and the body refers to it.
    image = Image.objects.get(file__contains="launch")
    assert f'data-file="{image.pk}"' in article.body and image.file.url in article.body
    assert article.hero == image and image.width == 800
    assert "Created:" in output and "pages: 1 in the file, 1 imported." in output


def test_outside_links_become_citations_with_a_source_per_domain(tmp_path):
    run_import(tmp_path, site_export())
    article = Article.objects.get(slug="north-korea-tokyo-news")
    citations = list(Citation.objects.filter(article=article).select_related("source"))
    assert [(c.source.name, c.url) for c in citations] == [
        ("bbc.com", "http://www.bbc.com/news/world-asia"),
        ("mod.go.jp", "https://www.mod.go.jp/en/"),
    ]
    assert citations[1].title == "Japan's Ministry of Defense"
    assert not Source.objects.filter(name__contains="truthfrontier").exists()


def test_existing_sources_are_reused_by_domain(tmp_path):
    bbc = Source.objects.create(name="BBC", homepage_url="https://www.bbc.com/")
    run_import(tmp_path, site_export())
    assert Citation.objects.get(url__contains="bbc.com").source == bbc


def test_authors_become_users_in_the_authors_group_without_passwords(tmp_path):
    run_import(tmp_path, site_export())
    user = get_user_model().objects.get(username="aiko")
    assert user.email == "aiko@example.com"
    assert not user.has_usable_password()
    assert user.groups.filter(name="Authors").exists()
    assert user.author.name == "Aiko Tanaka"


def test_statuses_scheduling_drafts_and_non_ascii_slugs(tmp_path):
    run_import(tmp_path, site_export())
    scheduled = Article.objects.get(title="Scheduled story")
    assert scheduled.is_scheduled
    assert Article.objects.get(title="Draft story").status == Article.Status.DRAFT
    assert Article.objects.get(slug="東京").body == "<p>Plain classic text.</p>"
    assert not Article.objects.filter(title="About us").exists()  # a page (test_wordpress_pages)


def test_comments_keep_threading_status_and_people(tmp_path):
    run_import(tmp_path, site_export())
    comments = {c.name: c for c in Comment.objects.all()}
    assert set(comments) == {"Kenji", "Aiko Reader", "Deep", "Held", "Spammer"}
    assert comments["Kenji"].body == "First!\nStay safe."
    assert comments["Kenji"].website == "https://kenji.example"
    assert comments["Kenji"].email == "kenji@example.com"
    assert str(comments["Kenji"].ip_address) == "203.0.113.9"
    assert comments["Kenji"].created_at == datetime(2024, 5, 2, 10, tzinfo=UTC)
    assert comments["Aiko Reader"].parent == comments["Kenji"]
    assert comments["Deep"].parent == comments["Aiko Reader"]
    assert comments["Held"].status == Comment.Status.PENDING
    assert comments["Spammer"].status == Comment.Status.SPAM
    assert comments["Kenji"].status == Comment.Status.APPROVED


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?p=101", "/articles/north-korea-tokyo-news/"),
        ("/2024/05/01/north-korea-tokyo-news/", "/articles/north-korea-tokyo-news/"),
        ("/north-korea-tokyo-news/", "/articles/north-korea-tokyo-news/"),
        ("/category/asia/", "/sections/asia/"),
        ("/tag/north-korea/", "/tags/north-korea/"),
        ("/author/truthfrontier/", "/authors/truthfrontier/"),
    ],
)
def test_old_wordpress_urls_redirect_permanently(tmp_path, client, old, new):
    run_import(tmp_path, site_export())
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert client.get(new).status_code == 200


def test_drafts_get_no_redirects(tmp_path, client):
    run_import(tmp_path, site_export())
    # The draft's old link answers as an unknown post id does, revealing nothing.
    assert client.get("/?p=103").status_code == client.get("/?p=99999").status_code == 404
    assert not Redirect.objects.filter(old_path="/?p=103").exists()


def test_importing_twice_changes_nothing(tmp_path, media_dir):
    run_import(tmp_path, site_export(), "--media-dir", str(media_dir))
    counts = [
        m.objects.count() for m in (Article, Author, Section, Comment, Citation, Source, Redirect)
    ]
    output = run_import(tmp_path, site_export(), "--media-dir", str(media_dir))
    assert [
        m.objects.count() for m in (Article, Author, Section, Comment, Citation, Source, Redirect)
    ] == counts
    assert "Skipped 4: posts already imported" in output
    assert "Created: nothing." in output


def test_an_updated_export_adds_only_what_is_new(tmp_path):
    run_import(tmp_path, site_export())
    edited = Article.objects.get(slug="north-korea-tokyo-news")
    edited.title = "Edited here after the import"
    edited.save()
    newer = wxr.item(
        106, "A newer story", creator="aiko", comments=[wxr.comment(9, "New reader", "Hello")]
    )
    run_import(tmp_path, site_export(newer))
    assert Article.objects.count() == 5
    assert Article.objects.get(pk=edited.pk).title == "Edited here after the import"
    assert Comment.objects.get(name="New reader").article.title == "A newer story"


def test_dry_run_reports_and_writes_nothing(tmp_path, media_dir):
    output = run_import(tmp_path, site_export(), "--dry-run", "--media-dir", str(media_dir))
    assert "Dry run: nothing was written" in output
    assert "4 articles" in output and "5 comments" in output
    assert Article.objects.count() == 0
    assert Comment.objects.count() == 0
    assert not get_user_model().objects.filter(username="aiko").exists()


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (site_export()[:-300], "not well-formed XML at line"),
        ("<rss><channel><title>Blog</title></channel></rss>", "not a WordPress export"),
        (site_export(wxr.item(200, "Bad date", date="2024-13-45 99:00:00")), "unreadable date"),
    ],
    ids=["truncated", "not-wordpress", "bad-date"],
)
def test_a_broken_file_stops_with_a_clear_message_and_leaves_nothing(tmp_path, xml, message):
    with pytest.raises(CommandError, match=message):
        run_import(tmp_path, xml)
    assert Article.objects.count() == 0
    assert Author.objects.count() == 0


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_wordpress", str(tmp_path / "missing.xml"), stdout=StringIO())


def test_comments_added_since_the_last_import_join_their_threads(tmp_path):
    run_import(tmp_path, site_export())
    article = Article.objects.get(slug="north-korea-tokyo-news")
    article.title = "Edited after the import"
    article.save()
    late = wxr.comment(7, "Late reply", "Agreed with Kenji", parent="1")
    xml = site_export().replace("</item>", late + "</item>", 1)  # the first item is post 101
    output = run_import(tmp_path, xml)
    reply = Comment.objects.get(name="Late reply")
    assert reply.article == article
    assert reply.parent == Comment.objects.get(name="Kenji")
    assert Comment.objects.count() == 6
    assert Article.objects.get(pk=article.pk).title == "Edited after the import"
    assert "1 comments" in output
    newer = wxr.item(
        107,
        "Follow-up",
        comments=[wxr.comment(8, "Top", "First"), wxr.comment(9, "Reply", "Second", parent="8")],
    )
    run_import(tmp_path, site_export(newer))
    assert Comment.objects.get(name="Reply").parent == Comment.objects.get(name="Top")


def test_exports_from_older_wordpress_versions_are_read(tmp_path):
    xml = site_export().replace(
        "http://wordpress.org/export/1.2/", "http://wordpress.org/export/1.1/"
    )
    run_import(tmp_path, xml)
    assert Article.objects.filter(slug="north-korea-tokyo-news").exists()
