"""Write a parsed WordPress export into Newsroom, idempotently (see ImportRecord)."""

import ipaddress
import re
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.html import strip_tags
from PIL import Image, UnidentifiedImageError
from taggit.models import Tag

from articles import roles
from articles.models import (
    Article,
    Author,
    Byline,
    Citation,
    Comment,
    ImportRecord,
    Redirect,
    Section,
    Source,
    TaggedArticle,
)
from articles.slugs import unique_slug
from articles.wordpress.markup import bare_host, outside_links, wordpress_to_html
from articles.wordpress.wxr import WPComment, WPPost, WPSite

COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
}
DRAFT_STATUSES = {"draft", "pending", "private", "auto-draft"}
IMG_SRC = re.compile(r'(<img\b[^>]*\bsrc=")([^"]+)(")', re.I)


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    warnings: list[str] = field(default_factory=list)
    saved_files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        created = ", ".join(f"{n} {what}" for what, n in self.created.items() if n) or "nothing"
        lines = [f"Created: {created}."]
        lines += [f"Skipped {n}: {why}." for why, n in sorted(self.skipped.items())]
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)


class WordPressImporter:
    """Writes posts as they stream from the file, in batches, remembering what it made."""

    BATCH = 500

    def __init__(
        self, site: WPSite, *, media_dir: Path | None = None, dry_run=False, progress=None
    ):
        self.site, self.media_dir, self.dry_run = site, media_dir, dry_run
        self.progress = progress or (lambda message: None)
        self.report = ImportReport()
        self.own_hosts = {bare_host(urlsplit(site.base_url).hostname or "")}
        self.authors: dict[str, Author] = {}
        self.sections: dict[str, Section] = {}
        self.tags: dict[str, Tag] = {}
        self.sources = {_host(s.homepage_url): s for s in Source.objects.exclude(homepage_url="")}
        self.done = {
            (kind, external_id): object_id
            for kind, external_id, object_id in ImportRecord.objects.filter(
                origin=site.base_url
            ).values_list("kind", "external_id", "object_id")
        }
        self.redirected = set(Redirect.objects.values_list("old_path", flat=True))
        self.pending = {"records": [], "redirects": [], "bylines": [], "citations": [], "tags": []}
        self.batch_articles: list[int] = []

    def run(self) -> ImportReport:
        for wp_author in self.site.authors:
            self._author(wp_author.login, wp_author)
        for term in self.site.categories:
            self._section(term)
        self.report.skipped.update(
            {
                f"{kind} items (only posts are imported)": n
                for kind, n in self.site.item_types.items()
                if kind not in {"post", "attachment"}
            }
        )
        total = self.site.post_count
        for done, post in enumerate(self.site.posts(), 1):
            self._post(post)
            if done % self.BATCH == 0 or done == total:
                self._flush()
                self.progress(f"posts {done}/{total}")
        self._flush()
        return self.report

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

    def _redirect(self, old_path, new_path):
        old_path = old_path[:500]
        if old_path in self.redirected:
            return
        self.redirected.add(old_path)
        self.pending["redirects"].append(
            Redirect(old_path=old_path, new_path=new_path, note="WordPress import")
        )
        self.report.created["redirects"] += 1

    def _author(self, login, wp_author=None) -> Author:
        if login in self.authors:
            return self.authors[login]
        if (pk := self.done.get((ImportRecord.Kind.AUTHOR, login))) is not None:
            self.authors[login] = Author.objects.get(pk=pk)
            return self.authors[login]
        user, created = get_user_model().objects.get_or_create(
            username=login[:150],
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
        author = getattr(user, "author", None) or Author.objects.create(
            user=user, name=(wp_author.display_name if wp_author else login)[:120]
        )
        self._record(ImportRecord.Kind.AUTHOR, login, author, "authors")
        self._redirect(f"/author/{login}/", author.get_absolute_url())
        self.authors[login] = author
        return author

    def _section(self, term) -> Section:
        if term.slug in self.sections:
            return self.sections[term.slug]
        if (pk := self.done.get((ImportRecord.Kind.SECTION, term.slug))) is not None:
            section = Section.objects.get(pk=pk)
        else:
            section = Section.objects.filter(name__iexact=term.name).first()
            if section is None:
                section = Section.objects.create(
                    name=term.name[:80] or term.slug, description=term.description
                )
            self._record(ImportRecord.Kind.SECTION, term.slug, section, "sections")
            self._redirect(f"/category/{term.slug}/", section.get_absolute_url())
        self.sections[term.slug] = section
        return section

    def _tag(self, name) -> Tag:
        key = name.lower()  # tags compare case-insensitively (TAGGIT_CASE_INSENSITIVE)
        if key not in self.tags:
            self.tags[key] = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(
                name=name[:100]
            )
        return self.tags[key]

    def _source(self, url) -> Source:
        host = _host(url)
        if host not in self.sources:
            self.sources[host] = Source.objects.create(name=host, homepage_url=f"https://{host}/")
            self.report.created["sources"] += 1
        return self.sources[host]

    def _post(self, post: WPPost):
        if (pk := self.done.get((ImportRecord.Kind.POST, post.id))) is not None:
            self.report.skipped["posts already imported"] += 1
            # The article stays as editors left it, but comments posted since are added.
            if any((ImportRecord.Kind.COMMENT, c.id) not in self.done for c in post.comments):
                article = Article.objects.filter(pk=pk).only("pk", "published_at").first()
                if article is not None:
                    self._comments(article, post.comments)
            return
        if post.status == "trash":
            self.report.skipped["posts in the trash"] += 1
            return
        article = Article(
            title=post.title[:200] or f"Untitled ({post.id})",
            dek=unescape(strip_tags(post.excerpt)),
            body=self._localise_images(wordpress_to_html(post.content)),
            comments_open=post.comment_status == "open",
            is_featured=post.is_sticky,
            section=self._section(post.categories[0]) if post.categories else None,
        )
        if post.status in DRAFT_STATUSES:
            article.status = Article.Status.DRAFT
        else:  # "publish", or "future" with its scheduled time
            article.status = Article.Status.PUBLISHED
            article.published_at = post.published_at or timezone.now()
        if post.slug:
            article.slug = post.slug[:200]
            if Article.objects.filter(slug=article.slug).exists():
                article.slug = unique_slug(Article, post.slug)
                self.report.warnings.append(f"slug {post.slug!r} was taken; used {article.slug!r}")
        self._hero(article, post)
        article.save()
        self.batch_articles.append(article.pk)
        if post.modified_at:  # modified_at is auto_now; keep WordPress's own time
            Article.objects.filter(pk=article.pk).update(modified_at=post.modified_at)
        author = self._author(post.author_login or "unknown")
        self.pending["bylines"].append(Byline(article=article, author=author))
        tags = {self._tag(t.name) for t in post.tags if t.name}
        self.pending["tags"] += [TaggedArticle(content_object=article, tag=tag) for tag in tags]
        self.pending["citations"] += [
            Citation(
                article=article, source=self._source(url), url=url[:500], title=text[:300], order=n
            )
            for n, (url, text) in enumerate(outside_links(article.body, self.own_hosts))
        ]
        self._record(ImportRecord.Kind.POST, post.id, article, "articles")
        self._comments(article, post.comments)
        if article.status == Article.Status.PUBLISHED:
            self._post_redirects(post, article, tags)

    def _post_redirects(self, post: WPPost, article: Article, tags):
        new = article.get_absolute_url()
        old = {f"/?p={post.id}"}
        link = urlsplit(post.link)
        if post.link and bare_host(link.hostname or "") in self.own_hosts:
            old.add(link.path + (f"?{link.query}" if link.query else ""))
        if post.slug and post.published_at:
            local = timezone.localtime(post.published_at)
            old |= {f"/{local:%Y/%m/%d}/{post.slug}/", f"/{post.slug}/"}
        for path in sorted(old - {new, "/"}):
            self._redirect(path, new)
        by_name = {tag.name.lower(): tag for tag in tags}
        for term in post.tags:
            if tag := by_name.get(term.name.lower()):
                self._redirect(f"/tag/{term.slug}/", f"/tags/{tag.slug}/")

    def _comments(self, article: Article, comments: list[WPComment]):
        """Parents before replies, one bulk insert per level of the thread."""
        waiting, made = [], {}
        for wp in comments:
            if wp.type in {"pingback", "trackback"}:
                self.report.skipped[f"{wp.type}s"] += 1
            elif (ImportRecord.Kind.COMMENT, wp.id) not in self.done:
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

    # Media.

    def _media_file(self, url: str) -> Path | None:
        if not self.media_dir or not url:
            return None
        path = urlsplit(url).path
        relative = path.split("/uploads/", 1)[1] if "/uploads/" in path else Path(path).name
        for candidate in (self.media_dir / relative, self.media_dir / Path(path).name):
            if candidate.is_file():
                return candidate
        self.report.warnings.append(f"media file not found for {url}")
        return None

    def _hero(self, article: Article, post: WPPost):
        attachment = self.site.attachments.get(post.meta.get("_thumbnail_id", ""))
        if attachment is None:
            return
        path = self._media_file(attachment.attachment_url)
        if path is None or not _is_image(path):
            return
        article.hero_alt = (
            attachment.meta.get("_wp_attachment_image_alt") or attachment.title or article.title
        )[:300]
        article.hero_caption = unescape(strip_tags(attachment.excerpt))[:500]
        if not self.dry_run:
            with path.open("rb") as handle:
                article.hero_image.save(path.name, File(handle), save=False)
            self.report.saved_files.append(article.hero_image.name)
        self.report.created["images"] += 1

    def _localise_images(self, html: str) -> str:
        """Copy uploaded images the export points to into our storage, and point there."""

        def replace(match):
            url = match.group(2)
            path = self._media_file(url) if "/wp-content/uploads/" in url else None
            if path is None or not _is_image(path) or self.dry_run:
                return match.group(0)
            with path.open("rb") as handle:
                name = default_storage.save(f"articles/wordpress/{path.name}", File(handle))
            self.report.saved_files.append(name)
            self.report.created["images"] += 1
            return match.group(1) + default_storage.url(name) + match.group(3)

        return IMG_SRC.sub(replace, html)


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


def _is_image(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            image.verify()
        return True
    except (UnidentifiedImageError, OSError, SyntaxError):
        return False
