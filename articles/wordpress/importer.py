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
    def __init__(
        self, site: WPSite, *, media_dir: Path | None = None, dry_run=False, progress=None
    ):
        self.site, self.media_dir, self.dry_run = site, media_dir, dry_run
        self.progress = progress or (lambda message: None)
        self.report = ImportReport()
        self.own_hosts = {bare_host(urlsplit(site.base_url).hostname or "")}
        self.authors: dict[str, Author] = {}
        self.sections: dict[str, Section] = {}
        self.sources: dict[str, Source] = {}

    def run(self) -> ImportReport:
        for wp_author in self.site.authors:
            self._author(wp_author.login, wp_author)
        for term in self.site.categories:
            self._section(term)
        posts = self.site.posts
        self.report.skipped.update(
            f"{item.type} items (only posts are imported)"
            for item in self.site.items
            if item.type not in {"post", "attachment"}
        )
        for done, post in enumerate(posts, 1):
            self._post(post)
            if done % 100 == 0 or done == len(posts):
                self.progress(f"posts {done}/{len(posts)}")
        return self.report

    # Lookups that remember what an earlier import made.

    def _recorded(self, kind, external_id):
        record = ImportRecord.objects.filter(
            origin=self.site.base_url, kind=kind, external_id=external_id
        ).first()
        return record.object_id if record else None

    def _record(self, kind, external_id, obj, label):
        ImportRecord.objects.create(
            origin=self.site.base_url, kind=kind, external_id=external_id, object_id=obj.pk
        )
        self.report.created[label] += 1

    def _author(self, login, wp_author=None) -> Author:
        if login in self.authors:
            return self.authors[login]
        if (pk := self._recorded(ImportRecord.Kind.AUTHOR, login)) is not None:
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
            user.set_unusable_password()  # they set one through "forgot password"
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
        if (pk := self._recorded(ImportRecord.Kind.SECTION, term.slug)) is not None:
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

    def _source(self, url) -> Source:
        host = bare_host(urlsplit(url).hostname or "")
        if host not in self.sources:
            source = next(
                (s for s in Source.objects.filter(homepage_url__icontains=host)
                 if bare_host(urlsplit(s.homepage_url).hostname or "") == host),
                None,
            )  # fmt: skip
            if source is None:
                source = Source.objects.create(name=host, homepage_url=f"https://{host}/")
                self.report.created["sources"] += 1
            self.sources[host] = source
        return self.sources[host]

    def _redirect(self, old_path, new_path):
        if self.dry_run and not old_path:
            return
        redirect, created = Redirect.objects.get_or_create(
            old_path=old_path[:500], defaults={"new_path": new_path, "note": "WordPress import"}
        )
        if created:
            self.report.created["redirects"] += 1
        elif redirect.new_path != new_path:
            self.report.warnings.append(f"{old_path} already redirects to {redirect.new_path}")

    # Posts and comments.

    def _post(self, post: WPPost):
        if self._recorded(ImportRecord.Kind.POST, post.id) is not None:
            self.report.skipped["posts already imported"] += 1
            return
        if post.status == "trash":
            self.report.skipped["posts in the trash"] += 1
            return
        article = Article(
            title=post.title[:200] or f"Untitled ({post.id})",
            dek=unescape(strip_tags(post.excerpt)),
            body=self._localise_images(wordpress_to_html(post.content), post),
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
        if post.modified_at:  # modified_at is auto_now; keep WordPress's own time
            Article.objects.filter(pk=article.pk).update(modified_at=post.modified_at)
        Byline.objects.create(article=article, author=self._author(post.author_login or "unknown"))
        if post.tags:
            article.tags.add(*{t.name for t in post.tags if t.name})
        Citation.objects.bulk_create(
            Citation(
                article=article, source=self._source(url), url=url[:500], title=text[:300], order=n
            )
            for n, (url, text) in enumerate(outside_links(article.body, self.own_hosts))
        )
        self._record(ImportRecord.Kind.POST, post.id, article, "articles")
        self._comments(article, post.comments)
        if article.status == Article.Status.PUBLISHED:
            self._post_redirects(post, article)

    def _post_redirects(self, post: WPPost, article: Article):
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
        for tag in post.tags:
            article_tag = article.tags.filter(name__iexact=tag.name).first()
            if article_tag:
                self._redirect(f"/tag/{tag.slug}/", f"/tags/{article_tag.slug}/")

    def _comments(self, article: Article, comments: list[WPComment]):
        made: dict[str, Comment] = {}
        for wp in sorted(comments, key=lambda c: int(c.id) if c.id.isdigit() else 0):
            if wp.type in {"pingback", "trackback"}:
                self.report.skipped[f"{wp.type}s"] += 1
                continue
            parent = made.get(wp.parent_id)
            if wp.parent_id not in {"0", ""} and parent is None:
                self.report.warnings.append(
                    f"comment {wp.id} replied to a missing comment; kept at top level"
                )
            comment = Comment.objects.create(
                article=article,
                parent=parent,
                name=(wp.author or "Anonymous")[:100],
                email=wp.email[:254],
                website=wp.url[:200] if wp.url.startswith(("http://", "https://")) else "",
                body=comment_text(wp.content),
                status=COMMENT_STATUS.get(wp.approved, Comment.Status.PENDING),
                created_at=wp.date or article.published_at or timezone.now(),
                ip_address=_ip(wp.ip),
            )
            made[wp.id] = comment
            self._record(ImportRecord.Kind.COMMENT, f"{wp.id}", comment, "comments")

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

    def _localise_images(self, html: str, post: WPPost) -> str:
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
