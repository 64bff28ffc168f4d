"""The two real WordPress exports in /work/shared/wordpress (see its README), imported once per
class and checked item by item against the file, read here independently."""

import json
import tempfile
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase, override_settings
from lxml import html as lxml_html
from PIL import Image as PILImage

from articles.models import Article, Comment, Page, Section
from articles.wordpress.importer import old_path

EXPORTS = Path("/work/shared/wordpress")
THEME_UNIT_TEST = EXPORTS / "themeunittestdata.wordpress.xml"
WXR_1_0 = EXPORTS / "valid-wxr-1.0.xml"

pytestmark = pytest.mark.skipif(not THEME_UNIT_TEST.exists(), reason="exports not present")


def file_items(path):
    """(type, status, password, title, link, guid) of every item, read with ElementTree."""
    root = ET.parse(path).getroot()
    wp = root.tag and next(uri for prefix, uri in _namespaces(path) if prefix == "wp")
    rows = []
    for item in root.iter("item"):

        def text(name, ns=wp, item=item):
            found = item.find(f"{{{ns}}}{name}")
            return (found.text or "").strip() if found is not None else ""

        rows.append(
            {
                "type": text("post_type"),
                "status": text("status"),
                "password": text("post_password"),
                "title": (item.findtext("title") or "").strip(),
                "urls": [
                    u
                    for u in dict.fromkeys(
                        [item.findtext("link") or "", item.findtext("guid") or ""]
                    )
                    if u.strip()
                ],
                "comments": [
                    c.findtext(f"{{{wp}}}comment_approved")
                    for c in item.iter(f"{{{wp}}}comment")
                    if c.findtext(f"{{{wp}}}comment_type") not in ("pingback", "trackback")
                ],
            }
        )
    return rows


def _namespaces(path):
    return [value for event, value in ET.iterparse(path, events=("start-ns",))]


def run_import(path, report, *args):
    out = StringIO()
    call_command("import_wordpress", str(path), "--report", str(report), *args, stdout=out)
    return out.getvalue()


def make_uploads(path, folder: Path) -> int:
    """The export's images, made up (the real files are not published): uploads/YYYY/MM/."""
    made = 0
    wp = dict(_namespaces(path))["wp"]
    for url in ET.parse(path).getroot().iter(f"{{{wp}}}attachment_url"):
        relative = urlsplit(url.text or "").path.lstrip("/")
        if relative.lower().endswith((".jpg", ".jpeg", ".png", ".gif")):
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            PILImage.new("RGB", (16, 12), (made % 255, 90, 160)).save(
                target, format="PNG" if relative.endswith(".png") else "JPEG"
            )
            made += 1
    return made


@override_settings(PAGE_CACHE_ENABLED=False)
class ImportedExport(TestCase):
    export: Path
    with_media = False

    @classmethod
    def setUpTestData(cls):
        cls.report_path = Path(tempfile.mkdtemp()) / "report.json"
        args = []
        if cls.with_media:
            cls.media_dir = Path(tempfile.mkdtemp())
            cls.images = make_uploads(cls.export, cls.media_dir)
            args = ["--media-dir", str(cls.media_dir)]
        # Files are no part of the rollback: the class's own folder (MEDIA_ROOT is per test).
        cls.media_root = Path(tempfile.mkdtemp())
        with override_settings(MEDIA_ROOT=cls.media_root):
            cls.output = run_import(cls.export, cls.report_path, *args)
        cls.report = json.loads(cls.report_path.read_text())
        cls.items = file_items(cls.export)

    def public(self, kind):
        return [
            i
            for i in self.items
            if i["type"] == kind and i["status"] in ("publish",) and not i["password"]
        ]

    def hidden(self):
        return [
            i
            for i in self.items
            if i["type"] == "post" and (i["status"] not in ("publish", "future") or i["password"])
        ]

    def check_counts(self):
        posts = [i for i in self.items if i["type"] == "post" and i["status"] != "trash"]
        pages = [i for i in self.items if i["type"] == "page" and i["status"] != "trash"]
        self.assertEqual(Article.objects.count(), len(posts))
        self.assertEqual(Page.objects.count(), len(pages))
        self.assertEqual(
            Article.objects.filter(status=Article.Status.PUBLISHED).count(),
            len([i for i in posts if i["status"] in ("publish", "future") and not i["password"]]),
        )
        approved = sum(c == "1" for i in posts for c in i["comments"])
        self.assertEqual(Comment.objects.filter(status=Comment.Status.APPROVED).count(), approved)
        kinds = {row["kind"]: row for row in self.report["kinds"]}
        self.assertEqual(kinds["pages"]["in_file"], len(pages))
        self.assertEqual(kinds["pages"]["imported"], len(pages))

    def check_every_old_link_redirects(self):
        not_redirected = {row["url"] for row in self.report["not_redirected"]}
        checked, answered = 0, {}
        for item in self.items:
            for url in item["urls"]:
                if url in not_redirected:
                    continue
                path = old_path(url)
                response = self.client.get(path)
                self.assertEqual(response.status_code, 301, f"{item['title']!r}: {url}")
                location = response["Location"]
                if location.startswith(settings.MEDIA_URL):  # the web server serves files
                    name = location.removeprefix(settings.MEDIA_URL)
                    self.assertTrue((self.media_root / unquote(name)).is_file(), location)
                elif location not in answered:  # many old links lead to one page
                    answered[location] = self.client.get(location).status_code
                    self.assertEqual(answered[location], 200, f"{url} -> {location}")
                checked += 1
        # What does not redirect is said, with why, in the report.
        for row in self.report["not_redirected"]:
            self.assertTrue(row["why"])
        return checked

    def sitemaps(self) -> str:
        """Every sitemap the index lists, as one text (the index alone names no article)."""
        index = ET.fromstring(self.client.get("/sitemap.xml").content)
        urls = [loc.text for loc in index.findall(".//{*}loc")]
        self.assertTrue(urls)
        text = "".join(self.client.get(urlsplit(u).path).content.decode() for u in urls)
        self.assertIn(Article.objects.published().first().slug, text)  # it lists articles
        return text

    def check_hidden_posts_are_nowhere(self):
        hidden = self.hidden()
        pages = [self.client.get(p).content.decode() for p in ("/", "/feed/", "/feed/atom/")]
        sitemap = self.sitemaps()
        for item in hidden:
            article = Article.objects.get(title=item["title"])
            self.assertEqual(article.status, Article.Status.DRAFT)
            self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)
            for page in pages:
                self.assertNotIn(article.get_absolute_url(), page)
            self.assertNotIn(article.slug, sitemap)
            words = item["title"].split()[-1]
            found = self.client.get("/search/", {"q": words}).content.decode()
            self.assertNotIn(article.get_absolute_url(), found)
            for url in item["urls"]:
                self.assertEqual(self.client.get(old_path(url)).status_code, 404, url)
        return len(hidden)


class ThemeUnitTest(ImportedExport):
    export = THEME_UNIT_TEST
    with_media = True

    def test_counts_match_the_file(self):
        self.check_counts()
        self.assertIn("posts (publish): 56 in the file, 56 imported.", self.output)
        self.assertIn("pages: 21 in the file, 21 imported.", self.output)
        for line in (
            "posts (draft): 1 in the file, 1 imported.",
            "posts (future): 1 in the file, 1 imported.",
            "categories: 68 in the file, 67 imported, 1 skipped "
            "(1 merged into a category of the same name).",
            "comments (on pages): 5 in the file, 0 imported, 5 skipped",
            "pingbacks: 4 in the file, 0 imported, 4 skipped",
            "menu items: 70 in the file, 0 imported, 70 skipped",
            "attachments: 37 in the file, 0 imported, 37 skipped",
            "Old URLs that will not redirect: 11.",
        ):
            self.assertIn(line, self.output)

    def test_every_old_link_answers_301_to_a_page_that_answers_200(self):
        self.assertGreater(self.check_every_old_link_redirects(), 150)
        # Only the front page and the hidden or unused items' links are left out.
        whys = {row["why"].split(":")[0] for row in self.report["not_redirected"]}
        self.assertLessEqual(
            whys,
            {
                "it is the old site's front page",
                "another item's old address",
                "not public in WordPress",
                "an attachment no public post uses",
                "scheduled",
            },
        )

    def test_password_protected_and_draft_posts_are_on_no_public_page(self):
        self.assertEqual(self.check_hidden_posts_are_nowhere(), 2)
        changes = [c for c in self.report["changes"] if "password-protected" in c["change"]]
        self.assertEqual(len(changes), 1)
        self.assertTrue(changes[0]["item"].startswith("Template: Password Protected"))

    def test_local_date_links_use_the_blogs_time_zone(self):
        # Posted 20:03 on 20 October in the blog's zone, 03:03 on the 21st in UTC.
        response = self.client.get("/2018/10/20/keyboard-navigation/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/articles/keyboard-navigation/")

    def test_content_is_kept_as_readers_saw_it(self):
        page = lxml_html.fromstring(
            self.client.get("/articles/markup-html-tags-and-formatting/").content
        )
        body = page.xpath("//div[@class='body']")[0]
        for tag in ("table", "del", "s", "dl", "dt", "dd", "address", "pre"):
            self.assertTrue(body.xpath(f".//{tag}"), tag)
        for pre in body.xpath(".//pre"):
            self.assertFalse(pre.xpath(".//p | .//br"), "paragraphs inserted into <pre>")
        gallery = lxml_html.fromstring(self.client.get("/articles/post-format-gallery/").content)
        images = gallery.xpath("//div[@class='body']//figure//img/@src")
        self.assertGreater(len(images), 1)
        # Brought into the site from uploads/YYYY/MM/, not left on files.wordpress.com.
        self.assertTrue(all(src.startswith("/media/") for src in images), images)
        embeds = lxml_html.fromstring(self.client.get("/articles/blocks-embeds/").content)
        self.assertTrue(embeds.xpath("//div[@class='body']//figure"))

    def test_titles_keep_their_text_without_markup(self):
        self.assertTrue(Article.objects.filter(title="Markup: Title With Markup").exists())
        self.assertFalse(Article.objects.filter(title__contains="<").exists())
        self.assertTrue(any("title markup removed" in c["change"] for c in self.report["changes"]))

    def test_later_categories_become_tags_and_are_reported(self):
        moved = [c for c in self.report["changes"] if "became tags" in c["change"]]
        self.assertGreater(len(moved), 40)
        article = Article.objects.get(title=moved[0]["item"])
        first_other = moved[0]["change"].split(": ", 1)[1].split(", ")[0]
        self.assertIn(first_other.lower(), [n.lower() for n in article.tags.names()])

    def test_nested_categories_keep_their_parents_and_old_links(self):
        child = Section.objects.get(slug="child-2")
        self.assertEqual(child.parent.slug, "child-1")
        self.assertEqual(child.parent.parent.slug, "parent")
        response = self.client.get("/category/parent/child-1/child-2/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], child.get_absolute_url())

    def test_only_sections_with_published_articles_are_in_the_menu(self):
        page = lxml_html.fromstring(self.client.get("/").content)
        menu = [a.text for a in page.xpath("//ul[@class='section-menu']//a")][1:]  # after "Latest"
        with_articles = Section.objects.filter(articles__status="published").distinct()
        self.assertEqual(sorted(menu), sorted(s.name for s in with_articles))
        self.assertLess(len(menu), 10)
        self.assertTrue(any("stay out of the menu" in s for s in self.report["suggestions"]))

    def test_pages_are_the_sites_own_linked_from_the_footer(self):
        response = self.client.get("/about/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/pages/about/")
        page = lxml_html.fromstring(self.client.get("/pages/about/").content)
        self.assertEqual(page.xpath("//h1")[0].text_content(), "About The Tests")
        footer = [a.get("href") for a in page.xpath("//footer//a")]
        self.assertIn("/pages/about/", footer)
        self.assertNotIn("/pages/level-2/", footer)  # a subpage: not in the footer
        self.assertIn("comments (on pages)", self.output)

    def test_one_account_per_author_in_the_file(self):
        from django.contrib.auth import get_user_model

        self.assertEqual(
            sorted(get_user_model().objects.values_list("username", flat=True)),
            ["themedemos", "themereviewteam"],
        )

    def test_a_second_run_changes_nothing(self):
        counts = [Article.objects.count(), Page.objects.count(), Comment.objects.count()]
        output = run_import(self.export, self.report_path)
        self.assertEqual(
            [Article.objects.count(), Page.objects.count(), Comment.objects.count()], counts
        )
        self.assertIn("Created: nothing.", output)


class WXR10(ImportedExport):
    export = WXR_1_0

    def test_counts_match_the_file(self):
        self.check_counts()

    def test_every_old_link_answers_301_to_a_page_that_answers_200(self):
        self.assertGreater(self.check_every_old_link_redirects(), 5)

    def test_tags_written_as_domain_tag_are_kept(self):
        tagged = Article.objects.filter(tags__isnull=False).distinct()
        self.assertTrue(tagged.exists())
        names = {n for a in tagged for n in a.tags.names()}
        self.assertLessEqual({"news", "roar"}, {n.lower() for n in names})

    def test_the_report_counts_every_kind(self):
        kinds = {row["kind"]: row for row in self.report["kinds"]}
        self.assertEqual(kinds["posts (publish)"]["in_file"], 3)
        self.assertEqual(kinds["tags"]["in_file"], 4)
        self.assertEqual(kinds["categories"]["in_file"], 5)
