"""Write a parsed WordPress export into Newsroom, idempotently (see ImportRecord), and say
what it did (report.py)."""

import ipaddress
import re
import tempfile
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags
from taggit.models import Tag

from articles import roles
from articles.models import (
    Article,
    Author,
    Byline,
    Citation,
    Comment,
    Image,
    ImportRecord,
    Page,
    Redirect,
    Section,
    Source,
    TaggedArticle,
)
from articles.models.media import body_reference
from articles.saving import save_article
from articles.slugs import unique_slug
from articles.wordpress import media
from articles.wordpress.markup import bare_host, outside_links, wordpress_to_html
from articles.wordpress.names import clean_login, clean_slug, clean_title, has_markup
from articles.wordpress.report import ImportReport
from articles.wordpress.wxr import WPComment, WPPost, WPSite, WPTerm

COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
}
# What WordPress shows readers; any other status, or none, is not public there either.
PUBLIC_STATUSES = {"publish", "future"}
IMG_SRC = re.compile(r'(<img\b[^>]*\bsrc=")([^"]+)("[^>]*>)', re.I)
ALT = re.compile(r'\balt="([^"]*)"')
FILE_LINK = re.compile(
    r'(<a href=")([^"]+\.(?:mp3|m4a|ogg|oga|wav|mp4|m4v|webm|ogv|mov))(">(?:Listen|Watch): )', re.I
)
TINY_SECTION = 2  # sections with fewer published articles are suggested for merging


class WordPressImporter:
    """Writes posts as they stream from the file, in batches, remembering what it made."""

    BATCH = 500

    def __init__(
        self,
        site: WPSite,
        *,
        media_dir: Path | None = None,
        fetch_media=False,
        dry_run=False,
        progress=None,
    ):
        self.site, self.media_dir, self.dry_run = site, media_dir, dry_run
        self.fetch_media = fetch_media
        self.progress = progress or (lambda message: None)
        self.report = ImportReport()
        # The blog's own hosts: its address, and where WordPress.com keeps its files.
        blog_host = bare_host(urlsplit(site.base_url).hostname or "")
        self.own_hosts = {blog_host, bare_host(urlsplit(site.site_url).hostname or "")}
        self.file_hosts = {blog_host, blog_host.split(".")[0] + ".files.wordpress.com"}
        self.authors: dict[str, Author | None] = {}
        self.file_authors = {clean_login(a.login): a for a in site.authors}
        self.categories = {term.slug: term for term in site.categories}
        self.sections: dict[str, Section] = {}
        self.tags: dict[str, Tag] = {}
        self.sources = {_host(s.homepage_url): s for s in Source.objects.exclude(homepage_url="")}
        self.done = self._records(site.base_url)
        # Imports before this one keyed a blog on base_site_url (wordpress.com for all of
        # WordPress.com): such records count only where the row still matches the file.
        self.legacy = self._records(site.site_url) if site.site_url != site.base_url else {}
        self.redirected = dict(Redirect.objects.values_list("old_path", "new_path"))
        self.pending = {"records": [], "redirects": [], "bylines": [], "citations": [], "tags": []}
        self.batch_articles: list[int] = []
        self.new_urls: dict[str, str] = {}  # post or page id -> its page here (readers see it)
        self.images: dict[str, Image] = {}  # old image URL -> its library image
        self.files: dict[str, str] = {}  # old audio or video URL -> its URL here
        self.missing: dict[str, str] = {}  # old file URL -> why it is not here
        self.reported_missing: set[tuple[str, str]] = set()
        self.tags_before: set[str] = set()  # tags of posts an earlier import made
        self.tmp = None

    @staticmethod
    def _records(origin):
        rows = ImportRecord.objects.filter(origin=origin)
        return {
            (kind, ext): pk
            for kind, ext, pk in rows.values_list("kind", "external_id", "object_id")
        }

    def run(self) -> ImportReport:
        with tempfile.TemporaryDirectory() as tmp:
            self.tmp = Path(tmp)
            self._run()
        return self.report

    def _run(self):
        site = self.site
        self._count_file()
        for wp_author in site.authors:
            self._author(wp_author.login)
        for term in site.categories:
            self._section(term)
        total = site.post_count
        for done, item in enumerate(site.items(), 1):
            if item.type == "page":
                self._page(item)
            else:
                self._post(item)
            if done % self.BATCH == 0 or done == total:
                self._flush()
                self.progress(f"posts and pages {done}/{total}")
        self._flush()
        self._attachments()
        self._menu_items()
        self._flush()
        self._count_tags()
        self._suggest()

    def _count_file(self):
        report, site = self.report, self.site
        for (kind, status), n in site.statuses.items():
            if kind == "post":
                report.seen(f"posts ({status or 'no status'})", n)
            elif kind == "page":
                report.seen("pages", n)
            elif kind == "attachment":
                report.seen("attachments", n)
            elif kind == "nav_menu_item":
                report.seen("menu items", n)
            else:
                report.seen(f"{kind} items", n)
                report.skip(f"{kind} items", "a kind of item this site has no place for", n)
        report.seen("categories", len(site.categories))
        report.seen("tags", len(site.tags))
        report.seen("authors", len(site.authors))

    def _flush(self):
        """Write the rows that no later step reads back, in bulk."""
        ImportRecord.objects.bulk_create(self.pending["records"])
        Redirect.objects.bulk_create(self.pending["redirects"])
        Byline.objects.bulk_create(self.pending["bylines"])
        Citation.objects.bulk_create(self.pending["citations"])
        TaggedArticle.objects.bulk_create(self.pending["tags"])
        # Search words include tags and bylines, which exist only now.
        Article.objects.filter(pk__in=self.batch_articles).update_search_vectors()
        self.batch_articles.clear()
        for rows in self.pending.values():
            rows.clear()

    def _record(self, kind, external_id, obj, label):
        self.done[kind, external_id] = obj.pk
        self.pending["records"].append(
            ImportRecord(
                origin=self.site.base_url, kind=kind, external_id=external_id, object_id=obj.pk
            )
        )
        self.report.created[label] += 1

    # Old addresses.

    def _redirect(self, old_path, new_path, *, url=""):
        """old_path -> new_path, unless another item already took old_path."""
        old_path = old_path[:500]
        if old_path in {"", "/"}:
            if url:
                self.report.no_redirect(url, "it is the old site's front page: the new one")
            return
        taken = self.redirected.get(old_path)
        if taken is not None:
            if url and taken != new_path:
                self.report.no_redirect(url, f"another item's old address: leads to {taken}")
            return
        self.redirected[old_path] = new_path
        self.pending["redirects"].append(
            Redirect(old_path=old_path, new_path=new_path, note="WordPress import")
        )
        self.report.created["redirects"] += 1

    def _redirect_urls(self, urls, new_path):
        for url in urls:
            self._redirect(old_path(url), new_path, url=url)

    # Authors.

    def _author(self, creator) -> Author | None:
        """One account per author of the file: creators are matched to them however their
        name is mangled; a creator who is not one of them gets no account."""
        login = clean_login(creator)
        if login in self.authors:
            return self.authors[login]
        wp_author = self.file_authors.get(login)
        if wp_author is None and (self.file_authors or login in {"", "unknown"}):
            self.authors[login] = None
            return None
        if not wp_author:
            self.report.seen("authors")  # WXR 1.0 lists no authors: its creators are they
        if (pk := self.done.get((ImportRecord.Kind.AUTHOR, login))) is not None:
            self.authors[login] = Author.objects.filter(pk=pk).first()
            if self.authors[login]:
                self.report.skip("authors", "already imported")
            return self.authors[login]
        user, created = get_user_model().objects.get_or_create(
            username=login,
            defaults={
                "email": wp_author.email if wp_author else "",
                "first_name": (wp_author.first_name if wp_author else "")[:150],
                "last_name": (wp_author.last_name if wp_author else "")[:150],
                "is_staff": True,
            },
        )
        if created:
            user.set_unusable_password()  # they choose one through "forgot password"
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=roles.AUTHORS))
        name = clean_title(wp_author.display_name if wp_author else login) or login
        author = getattr(user, "author", None) or Author.objects.create(user=user, name=name[:120])
        self._record(ImportRecord.Kind.AUTHOR, login, author, "authors")
        self.report.done("authors")
        self._redirect(f"/author/{login}/", author.get_absolute_url())
        self.authors[login] = author
        return author

    # Categories and tags.

    def _section(self, term: WPTerm) -> Section:
        """A category's section; categories with the same name share one."""
        if term.slug in self.sections:
            return self.sections[term.slug]
        term = self.categories.get(term.slug, term)
        name = clean_title(term.name)[:80] or term.slug
        if (pk := self.done.get((ImportRecord.Kind.SECTION, term.slug))) is not None:
            section = Section.objects.filter(pk=pk).first()
            self.report.skip("categories", "already imported")
        else:
            section = None
        if section is None:
            section = Section.objects.filter(name__iexact=name).first()
            merged = section is not None and any(
                s.name.lower() == name.lower() for s in self.sections.values()
            )
            if section is None:
                section = Section.objects.create(name=name, description=term.description)
            if merged:
                self.report.skip("categories", "merged into a category of the same name")
            else:
                self.report.done("categories")
            self._record(ImportRecord.Kind.SECTION, term.slug, section, "sections")
        self.sections[term.slug] = section
        parent = self.categories.get(term.parent) if term.parent else None
        if parent is not None and parent.slug != term.slug:
            parent_section = self._section(parent)
            if section.parent_id is None and parent_section.pk != section.pk:
                section.parent = parent_section
                section.save(update_fields=["parent"])
        self._redirect(f"/category/{self._category_path(term)}/", section.get_absolute_url())
        self._redirect(f"/category/{term.slug}/", section.get_absolute_url())
        return section

    def _category_path(self, term: WPTerm) -> str:
        """parent/child, as WordPress links a subcategory."""
        path, seen = [term.slug], {term.slug}
        while (
            (parent := self.categories.get(path[0])) and parent.parent and parent.parent not in seen
        ):
            seen.add(parent.parent)
            path.insert(0, parent.parent)
        return "/".join(path)

    def _tag(self, term: WPTerm) -> Tag:
        """A tag is its slug: the file's display name may differ for one slug."""
        slug, name = (clean_slug(term.slug) or term.name)[:100], clean_title(term.name)[:100]
        if slug not in self.tags:
            tag = (
                Tag.objects.filter(slug=slug).first()
                or Tag.objects.filter(name__iexact=name).first()
            )
            if tag is None:
                self.report.created["tags"] += 1
                tag = Tag.objects.create(name=name or slug, slug=slug)
            self.tags[slug] = tag
        return self.tags[slug]

    def _source(self, url) -> Source:
        host = _host(url)
        if host not in self.sources:
            self.sources[host] = Source.objects.create(name=host, homepage_url=f"https://{host}/")
            self.report.created["sources"] += 1
        return self.sources[host]

    # Posts.

    def _already(self, kind, post: WPPost, model) -> int | None:
        """The row an earlier import made of `post`, adopting a legacy record that matches."""
        if (pk := self.done.get((kind, post.id))) is not None:
            return pk
        pk = self.legacy.get((kind, post.id))
        slug = clean_slug(post.slug)
        if pk is not None and slug and model.objects.filter(pk=pk, slug=slug).exists():
            self._record(kind, post.id, model(pk=pk), "re-keyed records")
            for (legacy_kind, comment_id), comment_pk in self.legacy.items():
                if legacy_kind == ImportRecord.Kind.COMMENT and (
                    model is Article
                    and Comment.objects.filter(pk=comment_pk, article_id=pk).exists()
                ):
                    self._record(
                        legacy_kind, comment_id, Comment(pk=comment_pk), "re-keyed records"
                    )
            return pk
        return None

    def _post(self, post: WPPost):
        kind = f"posts ({post.status or 'no status'})"
        if (pk := self._already(ImportRecord.Kind.POST, post, Article)) is not None:
            self.report.skip(kind, "posts already imported")
            self.tags_before |= {clean_slug(t.slug) or t.name for t in post.tags}
            if article := Article.objects.published().filter(pk=pk).first():
                self.new_urls[post.id] = article.get_absolute_url()
            # The article stays as editors left it, but comments posted since are added.
            if any((ImportRecord.Kind.COMMENT, c.id) not in self.done for c in post.comments):
                article = Article.objects.filter(pk=pk).only("pk", "published_at").first()
                if article is not None:
                    self._comments(article, post.comments)
            return
        if post.status == "trash":
            self.report.skip(kind, "in the trash")
            self._comments_skipped(post, "on posts in the trash")
            return
        title = self._title(post)
        notes = []
        article = Article(
            title=title[:200] or f"Untitled ({post.id})",
            dek=unescape(strip_tags(post.excerpt)),
            body=self._localise_images(self._body(post, notes), title),
            comments_open=post.comment_status == "open",
            is_featured=post.is_sticky,
            section=self._post_section(post, title),
        )
        public = post.status in PUBLIC_STATUSES and not post.password
        if public:
            article.status = Article.Status.PUBLISHED
            article.published_at = post.published_at or timezone.now()
        else:
            article.status = Article.Status.DRAFT
            if post.password:
                self.report.changed(title, "password-protected: imported as a draft", post.link)
        self._slug(article, post)
        self._hero(article, post)
        save_article(article, note="Imported from WordPress")
        self.report.done(kind)
        for note in notes:
            self.report.changed(title, note, post.link)
        self.batch_articles.append(article.pk)
        if post.modified_at:  # modified_at is auto_now; keep WordPress's own time
            Article.objects.filter(pk=article.pk).update(modified_at=post.modified_at)
        if author := self._author(post.author_login):
            self.pending["bylines"].append(Byline(article=article, author=author))
        elif post.author_login.strip():
            self.report.changed(
                title, f"no byline: {post.author_login.strip()!r} is not an author in the file"
            )
        tags = {self._tag(t) for t in post.tags if t.slug or t.name}
        tags |= {self._tag(t) for t in post.categories[1:] if self._section(t) != article.section}
        self.pending["tags"] += [TaggedArticle(content_object=article, tag=tag) for tag in tags]
        self.pending["citations"] += [
            Citation(
                article=article, source=self._source(url), url=url[:500], title=text[:300], order=n
            )
            for n, (url, text) in enumerate(outside_links(article.body, self.own_hosts))
        ]
        self._record(ImportRecord.Kind.POST, post.id, article, "articles")
        self._comments(article, post.comments)
        if public:
            self.new_urls[post.id] = article.get_absolute_url()
            self._post_redirects(post, article, tags)
            if post.status == "future":
                for url in post.old_urls:
                    self.report.no_redirect(url, "scheduled: redirects once it is published")
        else:
            for url in post.old_urls:
                self.report.no_redirect(url, "not public in WordPress: imported as a draft")

    def _title(self, post: WPPost) -> str:
        title = clean_title(post.title)
        if has_markup(post.title):
            self.report.changed(title, f"title markup removed (was {post.title!r})", post.link)
        if title != " ".join(unescape(strip_tags(unescape(post.title))).split()):
            self.report.changed(title, "direction controls in the title isolated", post.link)
        return title

    def _body(self, post: WPPost, notes) -> str:
        def gallery(ids):
            chosen = ids or [a.id for a in self.site.attachments.values() if a.parent_id == post.id]
            found = [self.site.attachments.get(i) for i in chosen]
            return [
                (a.attachment_url, a.meta.get("_wp_attachment_image_alt") or clean_title(a.title))
                for a in found
                if a is not None and a.attachment_url
            ]

        return wordpress_to_html(post.content, notes=notes, gallery=gallery)

    def _slug(self, article, post):
        slug = clean_slug(post.slug)[:200]
        if slug != post.slug and post.slug:
            self.report.changed(
                article.title, f"direction controls removed from the slug {post.slug!r}"
            )
        if slug:
            article.slug = slug
            if Article.objects.filter(slug=slug).exists():
                article.slug = unique_slug(Article, slug)
                self.report.warnings.append(f"slug {slug!r} was taken; used {article.slug!r}")

    def _post_section(self, post: WPPost, title) -> Section | None:
        """The post's first category is its section; the others become its tags."""
        if not post.categories:
            return None
        section = self._section(post.categories[0])
        others = [t.name for t in post.categories[1:] if self._section(t) != section]
        if others:
            self.report.changed(
                title, f"categories after the first became tags: {', '.join(others)}", post.link
            )
        return section

    def _post_redirects(self, post: WPPost, article: Article, tags):
        new = article.get_absolute_url()
        self._redirect(f"/?p={post.id}", new)
        self._redirect_urls(post.old_urls, new)
        slug = clean_slug(post.slug)
        if slug and post.local_date:  # WordPress's date links use the blog's local date
            self._redirect(f"/{post.local_date[:10].replace('-', '/')}/{slug}/", new)
            self._redirect(f"/{slug}/", new)
        for term in post.tags:
            tag = self._tag(term)
            if tag in tags:
                self._redirect(f"/tag/{term.slug}/", tag_url(tag))

    def _comments_skipped(self, post: WPPost, why):
        for wp in post.comments:
            kind = "pingbacks" if wp.type in {"pingback", "trackback"} else "comments (on pages)"
            self.report.seen(kind)
            self.report.skip(kind, why)

    def _comments(self, article: Article, comments: list[WPComment]):
        """Parents before replies, one bulk insert per level of the thread."""
        waiting, made = [], {}
        for wp in comments:
            if wp.type in {"pingback", "trackback"}:
                self.report.seen("pingbacks")
                self.report.skip("pingbacks", f"{wp.type}s (not kept)")
                continue
            status = COMMENT_STATUS.get(wp.approved, Comment.Status.PENDING)
            self.report.seen(f"comments ({status.label.lower()})")
            if (ImportRecord.Kind.COMMENT, wp.id) in self.done:
                self.report.skip(f"comments ({status.label.lower()})", "already imported")
            else:
                waiting.append(wp)
        known = {wp.id for wp in waiting}
        while waiting:
            ready = [wp for wp in waiting if wp.parent_id in made or wp.parent_id not in known]
            if not ready:  # a loop of parents: keep the rest at the top level
                ready = waiting
            ready_ids = {wp.id for wp in ready}
            waiting = [wp for wp in waiting if wp.id not in ready_ids]
            rows = [self._comment(article, wp, made) for wp in ready]
            Comment.objects.bulk_create(rows)
            for wp, row in zip(ready, rows, strict=True):
                made[wp.id] = row
                self._record(ImportRecord.Kind.COMMENT, wp.id, row, "comments")
                self.report.done(f"comments ({row.get_status_display().lower()})")

    def _comment(self, article, wp: WPComment, made) -> Comment:
        parent = made.get(wp.parent_id)
        # A reply to a comment that an earlier import made keeps its thread.
        parent_id = (
            parent.pk if parent else self.done.get((ImportRecord.Kind.COMMENT, wp.parent_id))
        )
        if wp.parent_id not in {"0", ""} and parent_id is None:
            self.report.warnings.append(
                f"comment {wp.id} replied to a missing comment; kept at top level"
            )
        return Comment(
            article=article,
            parent_id=parent_id,
            name=(wp.author or "Anonymous")[:100],
            email=wp.email[:254],
            website=wp.url[:200] if wp.url.startswith(("http://", "https://")) else "",
            body=comment_text(wp.content),
            status=COMMENT_STATUS.get(wp.approved, Comment.Status.PENDING),
            created_at=wp.date or article.published_at or timezone.now(),
            ip_address=_ip(wp.ip),
        )

    # Pages.

    def _page(self, post: WPPost):
        if (pk := self._already(ImportRecord.Kind.PAGE, post, Page)) is not None:
            self.report.skip("pages", "already imported")
            self._comments_skipped(post, "on pages (pages here take no comments)")
            if page := Page.objects.filter(pk=pk, is_published=True).first():
                self.new_urls[post.id] = page.get_absolute_url()
            return
        if post.status == "trash":
            self.report.skip("pages", "in the trash")
            return
        title = self._title(post)
        notes = []
        page = Page(
            title=title[:200] or f"Untitled ({post.id})",
            body=self._localise_images(self._body(post, notes), title),
            is_published=post.status == "publish" and not post.password,
            in_footer=post.parent_id in {"0", ""},
            order=min(max(post.menu_order, 0), 32767),
        )
        slug = clean_slug(post.slug)[:200]
        page.slug = unique_slug(Page, slug) if slug else ""
        page.save()
        self.report.done("pages")
        for note in notes:
            self.report.changed(title, note, post.link)
        self._record(ImportRecord.Kind.PAGE, post.id, page, "pages")
        self._comments_skipped(post, "on pages (pages here take no comments)")
        if not page.is_published:
            why = "password-protected" if post.password else f"status {post.status or 'none'}"
            self.report.changed(title, f"page {why}: imported unpublished", post.link)
            for url in post.old_urls:
                self.report.no_redirect(url, "not public in WordPress: imported unpublished")
            return
        new = page.get_absolute_url()
        self.new_urls[post.id] = new
        self._redirect(f"/?page_id={post.id}", new)
        self._redirect(f"/?p={post.id}", new)
        self._redirect_urls(post.old_urls, new)

    # Attachments and menu items: their old addresses.

    def _attachments(self):
        for attachment in self.site.attachments.values():
            image = self.images.get(attachment.attachment_url)
            target = self.new_urls.get(attachment.parent_id) or (image and image.file.url)
            if target:
                self.report.skip("attachments", "kept as their post's images, not as pages")
                self._redirect(f"/?attachment_id={attachment.id}", target)
                self._redirect_urls(attachment.old_urls, target)
            else:
                self.report.skip("attachments", "not used by any imported post")
                for url in attachment.old_urls:
                    self.report.no_redirect(url, "an attachment no public post uses")

    def _menu_items(self):
        """Menus are the sections here: a menu item's own address leads to what it named."""
        for item in self.site.menu_items:
            target = None
            if item.meta.get("_menu_item_type") == "post_type":
                target = self.new_urls.get(item.meta.get("_menu_item_object_id", ""))
            self.report.skip("menu items", "menus are built from sections here")
            self._redirect_urls(item.old_urls, target or "/")

    def _count_tags(self):
        listed = {clean_slug(t.slug) or t.name for t in self.site.tags}
        used = listed & set(self.tags)
        self.report.done("tags", len(used))
        if before := len((listed - used) & self.tags_before):
            self.report.skip("tags", "already imported", before)
        if unused := len(listed - used - self.tags_before):
            self.report.skip("tags", "on no imported post", unused)

    def _suggest(self):
        published = Article.objects.published()
        small = [
            section.name
            for section in {s.pk: s for s in self.sections.values()}.values()
            if 0 < published.filter(section=section).count() < TINY_SECTION
        ]
        if small:
            self.report.suggestions.append(
                f"{len(small)} sections hold fewer than {TINY_SECTION} published articles; "
                f"consider merging them: {', '.join(sorted(small))}"
            )
        empty = sum(
            1
            for s in {s.pk: s for s in self.sections.values()}.values()
            if not published.filter(section=s).exists()
        )
        if empty:
            self.report.suggestions.append(
                f"{empty} sections have no published article: they stay out of the menu"
            )

    # Media.

    def _media_file(self, url: str, item: str) -> Path | None:
        """The old site's file, looked for (and fetched) once however many posts use it."""
        if not url:
            return None
        if url in self.missing:
            why = self.missing[url]
        elif self.media_dir and (path := media.find_in_folder(self.media_dir, url)):
            return path
        elif self.fetch_media and not self.dry_run:
            path, why = media.fetch(url, self.tmp)
            if path is not None:
                return path
            why = f"file not fetched ({why})"
        else:
            why = "file not found, left on the old site"
        self.missing[url] = why
        if (item, url) not in self.reported_missing:
            self.reported_missing.add((item, url))
            self.report.changed(item, f"{why}: {url}")
        return None

    def _is_own_file(self, url: str) -> bool:
        host = bare_host(urlsplit(url).hostname or "")
        return host in self.file_hosts or host in self.own_hosts or "/wp-content/uploads/" in url

    def _hero(self, article: Article, post: WPPost):
        attachment = self.site.attachments.get(post.meta.get("_thumbnail_id", ""))
        if attachment is None:
            return
        alt = attachment.meta.get("_wp_attachment_image_alt") or attachment.title or article.title
        caption = unescape(strip_tags(attachment.excerpt))[:500]
        if image := self._library_image(attachment.attachment_url, article.title, alt, caption):
            article.hero = image
            article.hero_image = image.file.name
            article.hero_alt, article.hero_caption = clean_title(alt)[:300], caption

    def _library_image(self, url: str, item: str, alt="", caption="") -> Image | None:
        """The old site's image as a library image (made once per file), like any upload."""
        if url in self.images:
            return self.images[url]
        path = self._media_file(url, item)
        if path is None:
            return None
        if not media.is_image(path):
            self.report.changed(item, f"not an image, left on the old site: {url}")
            return None
        if self.dry_run:
            self.report.created["images"] += 1
            return None
        try:
            with path.open("rb") as handle:
                image = Image.objects.create_from_file(
                    File(handle, name=path.name), alt=clean_title(alt)[:300], caption=caption
                )
        except ValidationError as error:
            self.report.changed(item, f"image refused ({' '.join(error.messages)}): {url}")
            return None
        self.report.saved_files.append(image.file.name)
        self.report.created["images"] += 1
        self.images[url] = image
        return image

    def _localise_images(self, html: str, item: str) -> str:
        """The old site's images brought into the media library, and the body pointed there."""

        def replace(match):
            url = unescape(match.group(2))
            if not self._is_own_file(url):
                self.report.changed(item, f"image from another site, not shown: {url}")
                return match.group(0)
            alt = ALT.search(match.group(0))
            image = self._library_image(media.full_size(url), item, alt[1] if alt else "")
            if image is None:
                return match.group(0)
            start = match.group(1).replace("<img", f"<img {body_reference(image.pk)}", 1)
            return start + image.file.url + match.group(3)

        html = IMG_SRC.sub(replace, html)
        return FILE_LINK.sub(lambda match: self._localise_file(match, item), html)

    def _localise_file(self, match, item: str) -> str:
        """An audio or video file of the old site, served from here (a link to it)."""
        url = unescape(match.group(2))
        if not self._is_own_file(url):
            return match.group(0)
        if url not in self.files:
            path = self._media_file(url, item)
            if path is None or self.dry_run:
                return match.group(0)
            folder = "/".join(media.upload_path(url).split("/")[:2])
            with path.open("rb") as handle:
                name = default_storage.save(f"wordpress/{folder}/{path.name}", File(handle))
            self.report.saved_files.append(name)
            self.report.created["audio and video files"] += 1
            self.files[url] = default_storage.url(name)
        return match.group(1) + escape(self.files[url]) + match.group(3)


def old_path(url: str) -> str:
    """The path (and query) a request for `url` arrives with, as the redirect table keeps it."""
    parts = urlsplit(url)
    path = re.sub(r"/{2,}", "/", unquote(parts.path)) or "/"  # a menu's //greek/ link
    return escape_uri_path(path) + f"?{parts.query}" if parts.query else path


def tag_url(tag) -> str:
    return f"/tags/{tag.slug}/"


def comment_text(html: str) -> str:
    """WordPress comments hold a little HTML; ours are plain text with line breaks."""
    text = re.sub(r"<br\s*/?>|</p>", "\n", html, flags=re.I)
    return unescape(strip_tags(text)).strip()


def _host(url: str) -> str:
    return bare_host(urlsplit(url).hostname or "")


def _ip(value: str):
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None
