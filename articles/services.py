"""Actions that span models: publishing, the pre-publish checklist, revisions, tags."""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from taggit.models import Tag

from articles.media import foreign_images
from articles.models import (
    Article,
    Byline,
    Citation,
    SlugRedirect,
    Source,
    TaggedArticle,
    TagRedirect,
)
from articles.roles import EDITORS

HEADLINE_MIN, HEADLINE_MAX = 10, 110
PREVIEW_SALT = "articles.preview"


def article_is_editor(user) -> bool:
    return user.is_active and (
        user.is_superuser
        or user.has_perm("articles.edit_others_article")
        or user.groups.filter(name=EDITORS).exists()
    )


def article_visible_to(user, queryset=None):
    """The articles `user` may open in the admin: all for editors, their bylines otherwise."""
    queryset = Article.objects.all() if queryset is None else queryset
    if article_is_editor(user):
        return queryset
    return queryset.filter(pk__in=Byline.objects.filter(author__user=user).values("article"))


def article_readable_by(user, queryset=None):
    """What `user` may learn about in the admin (titles, citations): the articles they may
    open, plus what readers see. Others' drafts and scheduled pieces stay unseen."""
    queryset = Article.objects.all() if queryset is None else queryset
    if article_is_editor(user):
        return queryset
    return queryset.filter(
        Q(pk__in=article_visible_to(user).values("pk")) | Q(pk__in=Article.objects.published())
    )


# Pre-publish checklist ---------------------------------------------------------------


@dataclass
class Check:
    key: str  # checklist.js re-checks some of these as the form is edited
    label: str
    ok: bool
    blocking: bool = True
    detail: str = ""

    @property
    def anchor(self) -> str:
        """The id of the form field this check is about, for a link from the checklist."""
        return CHECK_ANCHORS.get(self.key, "id_body")


CHECK_ANCHORS = {
    "headline": "id_title",
    "dek": "id_dek",
    "section": "id_section",
    "hero": "id_hero_image",
    "bylines": "bylines-group",
    "citations": "citations-group",
}


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.missing_alt, self.links = 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and not (attrs.get("alt") or "").strip():
            self.missing_alt += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def _domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def source_domains() -> set[str]:
    urls = Source.objects.exclude(homepage_url="").values_list("homepage_url", flat=True)
    return {_domain(url) for url in urls} - {""}


def domain_is_known(domain: str, known: set[str]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in known)


def article_checklist(
    *, title, dek, section, hero_image, hero_alt, hero_is_decorative, body, byline_count,
    citation_count,
) -> list[Check]:  # fmt: skip
    """Blocking checks (publish refused) then warnings, from values that may be unsaved."""
    parser = _Images()
    parser.feed(body or "")
    title = (title or "").strip()
    known = source_domains() if parser.links else set()
    linked = {_domain(href) for href in parser.links}
    outside = sorted(d for d in linked if d and not domain_is_known(d, known))
    image_hosts = sorted({_domain(src) or src for src in foreign_images(body)})
    return [
        Check(
            "headline",
            f"Headline of {HEADLINE_MIN}–{HEADLINE_MAX} characters",
            HEADLINE_MIN <= len(title) <= HEADLINE_MAX,
            detail=f"now {len(title)}",
        ),
        Check("dek", "Summary (dek) written", bool((dek or "").strip())),
        Check("section", "Section chosen", bool(section)),
        Check(
            "hero",
            "Hero image with alt text, or marked decorative",
            bool(hero_image) and (bool((hero_alt or "").strip()) or hero_is_decorative),
        ),
        Check(
            "body_images",
            "Every image in the body has alt text",
            parser.missing_alt == 0,
            detail=f"{parser.missing_alt} without" if parser.missing_alt else "",
        ),
        Check("bylines", "At least one byline", byline_count > 0),
        Check("citations", "Cites at least one source", citation_count > 0, blocking=False),
        Check(
            "links",
            "Links only to sites already listed as sources",
            not outside,
            blocking=False,
            detail=", ".join(outside),
        ),
        Check(
            "image_hosts",
            "Images come from the media library, not other sites",
            not image_hosts,
            blocking=False,
            detail=", ".join(image_hosts) + ": readers will not see them; import them"
            if image_hosts
            else "",
        ),
    ]


def article_checklist_for(article: Article) -> list[Check]:
    return article_checklist(
        title=article.title,
        dek=article.dek,
        section=article.section_id,
        hero_image=article.hero_image,
        hero_alt=article.hero_alt,
        hero_is_decorative=article.hero_is_decorative,
        body=article.body,
        byline_count=article.bylines.count() if article.pk else 0,
        citation_count=article.citations.count() if article.pk else 0,
    )


def checklist_failures(checks: list[Check]) -> list[str]:
    return [c.label for c in checks if c.blocking and not c.ok]


# Publishing --------------------------------------------------------------------------


def article_publish(article: Article, *, when=None, user=None) -> Article:
    """Publish now (or at `when`, which may be in the future); refused if the checklist fails."""
    if failures := checklist_failures(article_checklist_for(article)):
        raise ValidationError(f"“{article}” cannot be published yet: " + "; ".join(failures))
    if when is None:  # a time already set in the future keeps the article scheduled
        future = article.published_at and article.published_at > timezone.now()
        when = article.published_at if future else timezone.now()
    article.status = Article.Status.PUBLISHED
    article.published_at = when
    article_save(article, user=user, note="Published")
    return article


def article_unpublish(article: Article, *, user=None) -> Article:
    article.status = Article.Status.DRAFT
    article_save(article, user=user, note="Unpublished")
    return article


def article_save(article: Article, *, user=None, note=""):
    """Save outside the article form: a new version (open forms go stale) and a revision."""
    from articles.saving import save_article  # saving builds on this module

    return save_article(article, by=user, note=note)


# Slugs and previews ------------------------------------------------------------------


def article_slug_redirect(article: Article, old_slug: str):
    """Keep a published article's old URL working after its slug changes."""
    if not old_slug or old_slug == article.slug:
        return
    SlugRedirect.objects.filter(old_slug=article.slug).delete()  # the slug is live again
    SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})


def preview_token(article: Article) -> str:
    return signing.dumps({"article": article.pk}, salt=PREVIEW_SALT, compress=True)


def preview_article_id(token: str, max_age: int) -> int:
    """The article a preview token opens; raises signing.BadSignature (or SignatureExpired)."""
    return signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)["article"]


# Revisions ---------------------------------------------------------------------------


def article_snapshot(article: Article) -> dict:
    """Related metadata that a revision keeps beside the article's own fields."""
    return {
        "bylines": [
            {"author": b.author_id, "name": b.author.name, "role": b.role, "order": b.order}
            for b in article.bylines.select_related("author")
        ],
        "tags": sorted(article.tags.names()),
        "citations": [
            {
                "source": c.source_id,
                "source_name": c.source.name,
                "url": c.url,
                "title": c.title,
                "quote": c.quote,
                "order": c.order,
            }
            for c in article.citations.select_related("source")
        ],
        "corrections": [
            {"kind": c.kind, "note": c.note, "published_at": c.published_at.isoformat()}
            for c in article.corrections.all()
        ],
    }


def revision_snapshot_refresh(article: Article, *, minor=False):
    """Store the current metadata on the newest revision (after inlines are saved)."""
    if latest := article.history.order_by("-history_id").first():
        latest.snapshot = article_snapshot(article) | ({"minor": True} if minor else {})
        latest.save(update_fields=["snapshot"])


def byline_may_credit(user, author) -> bool:
    """Authors credit themselves and guest contributors (authors without an account); only
    editors attribute work to other staff, which would also open the article to them."""
    return author.user_id in (None, user.pk) or article_is_editor(user)


@transaction.atomic
def article_restore(article: Article, record, *, user=None, note="") -> Article:
    """Bring back a revision's fields and metadata; the restore is itself a new revision.

    Refused (ValidationError, nothing changed) where the user could not have made the same
    change by hand: a live result must pass the publishing checklist, and only editors
    feature articles or credit staff colleagues.
    """
    is_editor = user is None or article_is_editor(user)
    featured, credited = article.is_featured, {b.author_id for b in article.bylines.all()}
    keep = {"id", "slug", "version", "created_at", "modified_at"}
    for field in Article._meta.concrete_fields:
        if field.attname not in keep and hasattr(record, field.attname):
            setattr(article, field.attname, getattr(record, field.attname))
    if not is_editor:
        article.is_featured = featured
    snapshot = record.snapshot or {}
    if "bylines" in snapshot:
        article.bylines.all().delete()
        for b in snapshot["bylines"]:
            byline = Byline.objects.create(
                article=article, author_id=b["author"], role=b["role"], order=b["order"]
            )
            if b["author"] not in credited and user and not byline_may_credit(user, byline.author):
                raise ValidationError(
                    f"This revision credits {byline.author}, a staff colleague: only an editor "
                    "can restore it. Nothing was changed."
                )
    if "tags" in snapshot:
        article.tags.set(snapshot["tags"])
    if "citations" in snapshot:
        article.citations.all().delete()
        for c in snapshot["citations"]:
            Citation.objects.create(
                article=article,
                source_id=c["source"],
                url=c["url"],
                title=c["title"],
                quote=c["quote"],
                order=c["order"],
            )
    live = article.status == Article.Status.PUBLISHED
    if live and (failures := checklist_failures(article_checklist_for(article))):
        raise ValidationError(
            "Restoring this revision would publish the article, but it cannot be published "
            "yet: " + "; ".join(failures) + ". Nothing was changed."
        )
    # Corrections stay: readers have seen them, and a restore must not unsay them.
    when = timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M")
    reason = f"Restored the revision of {when}" + (f": {note}" if note else "")
    article_save(article, user=user, note=reason)
    return article


# Tags --------------------------------------------------------------------------------


def tags_on_live_articles():
    """The tags readers may see. A tag only drafts or scheduled pieces carry is answered
    like an unknown one: its name alone could announce a story."""
    live = TaggedArticle.objects.filter(tag=OuterRef("pk"), listed_at__lte=timezone.now())
    return Tag.objects.filter(Exists(live))


def tags_readable_by(user):
    """The tags `user` may learn of in the admin: all for editors; otherwise those on the
    articles they may read there (their own, and what readers see)."""
    if article_is_editor(user):
        return Tag.objects.all()
    links = TaggedArticle.objects.filter(
        tag=OuterRef("pk"), content_object__in=article_readable_by(user)
    )
    return Tag.objects.filter(Exists(links))


def tag_usage_lookup() -> str:
    """The lookup from Tag to Article's tag links, whichever through model tags use."""
    return Article.tags.through._meta.get_field("tag").related_query_name()


@transaction.atomic
def tag_merge(tags, into: Tag) -> int:
    """Re-tag everything tagged with `tags` as `into`, redirect their URLs, delete them."""
    moved = 0
    for tag in tags:
        if tag.pk == into.pk:
            continue
        # Through the tag manager, so signals (search vectors, caches) see the change.
        for article in Article.objects.filter(tags=tag).exclude(tags=into):
            article.tags.add(into)
            moved += 1
        TagRedirect.objects.filter(tag=tag).update(tag=into)
        TagRedirect.objects.update_or_create(old_slug=tag.slug, defaults={"tag": into})
        tag.delete()
    TagRedirect.objects.filter(old_slug=into.slug).delete()
    return moved


@transaction.atomic
def tag_rename(tag: Tag, name: str, slug: str = "") -> Tag:
    """Rename a tag; its old URL redirects to the new one."""
    old_slug = tag.slug
    tag.name = name
    tag.slug = slug or tag.slugify(name)
    tag.save()
    if old_slug != tag.slug:
        TagRedirect.objects.filter(old_slug=tag.slug).delete()
        TagRedirect.objects.update_or_create(old_slug=old_slug, defaults={"tag": tag})
    return tag


def citations_outside_sources(citations=None):
    """Citations whose URL's domain belongs to no source yet, grouped by domain."""
    citations = Citation.objects.all() if citations is None else citations
    known = source_domains()
    found: dict[str, list[Citation]] = {}
    for citation in citations.select_related("article", "source").order_by("url"):
        domain = _domain(citation.url)
        if domain and not domain_is_known(domain, known):
            found.setdefault(domain, []).append(citation)
    return dict(sorted(found.items()))
