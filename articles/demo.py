"""Demo content for `manage.py demo`: sections, authors, sources, articles and comments.

Everything is made here: the stories are fictional samples written for this project, the
pictures are drawn with Pillow, and links point at the cited sources' home pages. Articles
and their rows are written in bulk in batches (articles through the save service's bulk path,
each with its first revision), so one code path builds the 30-article demo and a 10,000-article
benchmark set. Bulk inserts skip Article.save(), so slugs are made here and the bodies are
HTML that the sanitiser leaves as it is (a test checks this).
"""

import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont, ImageOps
from taggit.models import Tag

from articles.demo_content import (
    AUTHORS,
    COMMENTER_EMAILS,
    COMMENTERS,
    COMMENTS,
    CORRECTIONS,
    LAUNCHES,
    PALETTES,
    REPLIES,
    SECTIONS,
    SOURCES,
    STORIES,
)
from articles.models import (
    Article,
    Author,
    Byline,
    Citation,
    Comment,
    Correction,
    Section,
    Source,
    TaggedArticle,
)
from articles.models import Image as LibraryImage
from articles.saving import save_articles_in_bulk

SEED = 20240615
DEFAULT_ARTICLES = 30
DEFAULT_COMMENTS_PER_ARTICLE = 4
BATCH_SIZE = 1000
HERO_SIZE = (1600, 900)
HERO_POOL = 8  # pictures shared by articles in sets larger than the default demo
SPREAD = timedelta(days=60)


@dataclass
class DemoSummary:
    articles: int = 0
    authors: int = 0
    sections: int = 0
    sources: int = 0
    comments: int = 0

    def __str__(self):
        return (
            f"Created {self.articles} articles, {self.authors} authors, {self.sections} sections, "
            f"{self.sources} sources, {self.comments} comments."
        )


@dataclass
class _Plan:
    """One article and the rows that point at it, before they are written."""

    index: int
    article: Article
    bylines: list[Byline]
    citations: list[Citation]
    corrections: list[Correction]
    tags: list[Tag] = field(default_factory=list)


@dataclass
class _Refs:
    """Rows and images that every article points at, found or made once."""

    sections: dict[str, Section]
    sources: dict[str, Source]
    authors: dict[str, Author]
    tags: dict[str, Tag]
    heroes: list[tuple[str, str, int]]  # stored name, alt text, library image id
    slugs: dict[str, int] = field(default_factory=dict)


def demo_create(
    *,
    articles: int = DEFAULT_ARTICLES,
    comments_per_article: int = DEFAULT_COMMENTS_PER_ARTICLE,
    progress: Callable[[str], object] | None = None,
) -> DemoSummary | None:
    """Write the demo content in one transaction; None, and no change, if any article exists."""
    files: list[str] = []
    try:
        with transaction.atomic():
            if Article.objects.exists():
                return None
            rng = random.Random(SEED)
            return _build(rng, articles, comments_per_article, progress or _quiet, files)
    except BaseException:
        # Storage is not part of the transaction: remove the images this run saved.
        for name in files:
            default_storage.delete(name)
        raise


def _quiet(message: str) -> None:
    pass


def _build(rng, n, per_article, progress, files) -> DemoSummary:
    summary = DemoSummary()
    now = timezone.now()
    sections = {}
    for order, name in enumerate(SECTIONS):
        sections[name], created = Section.objects.get_or_create(
            name=name, defaults={"order": order}
        )
        summary.sections += created
    sources = {}
    for name, homepage, kind, description in SOURCES:
        sources[name], created = Source.objects.get_or_create(
            name=name, defaults={"homepage_url": homepage, "kind": kind, "description": description}
        )
        summary.sources += created
    authors = {}
    for name, role, bio, colour in AUTHORS:
        authors[name], created = Author.objects.get_or_create(
            name=name, defaults={"role": role, "bio": bio}
        )
        if created:
            author = authors[name]
            author.avatar.save(f"{author.slug}.png", ContentFile(_draw_avatar(name, colour)))
            files.append(author.avatar.name)
            summary.authors += 1
    names = dict.fromkeys(name for story in STORIES for name in story["tags"])
    refs = _Refs(
        sections=sections,
        sources=sources,
        authors=authors,
        tags={name: _tag(name) for name in names},
        # The default demo gets a picture per article; big sets share a small pool.
        heroes=_save_heroes(rng, n if n <= DEFAULT_ARTICLES else HERO_POOL, files),
    )

    live = [i for i in range(n) if not _is_draft(i) and not _is_scheduled(i, n)]
    counts = dict.fromkeys(range(n), 0)
    for k in range(n * per_article if live else 0):
        counts[live[k % len(live)]] += 1
    total_comments = sum(counts.values())

    for start in range(0, n, BATCH_SIZE):
        plans = [_plan(i, n, rng, now, refs) for i in range(start, min(start + BATCH_SIZE, n))]
        save_articles_in_bulk([plan.article for plan in plans], note="Demo content")
        Byline.objects.bulk_create([b for plan in plans for b in plan.bylines])
        Citation.objects.bulk_create([c for plan in plans for c in plan.citations])
        Correction.objects.bulk_create([c for plan in plans for c in plan.corrections])
        TaggedArticle.objects.bulk_create(
            TaggedArticle(tag=tag, content_object=plan.article)
            for plan in plans
            for tag in plan.tags
        )
        summary.comments += _create_comments(rng, plans, counts, now)
        summary.articles += len(plans)
        progress(f"articles {summary.articles}/{n}, comments {summary.comments}/{total_comments}")
    Article.objects.update_search_vectors()  # bulk inserts skip the save() signals
    return summary


def _is_scheduled(i: int, n: int) -> bool:
    return i == 0 and n > 1


def _is_draft(i: int) -> bool:
    return i % 15 == 5


def _plan(i: int, n: int, rng: random.Random, now, refs: _Refs) -> _Plan:
    story = STORIES[i % len(STORIES)]
    title = story["titles"][(i // len(STORIES)) % len(story["titles"])]
    # The table starts empty, so counting repeats of a title is enough to keep slugs unique.
    base = slugify(title, allow_unicode=True)[:190]
    refs.slugs[base] = refs.slugs.get(base, 0) + 1
    slug = base if refs.slugs[base] == 1 else f"{base}-{refs.slugs[base]}"

    status, published_at = Article.Status.PUBLISHED, None
    if _is_scheduled(i, n):
        published_at = now + timedelta(days=1, hours=3)
    elif _is_draft(i):
        status = Article.Status.DRAFT
    else:
        step = SPREAD / n
        published_at = now - timedelta(minutes=30) - step * i - step * rng.random() / 2
    words = rng.choice(LAUNCHES)
    weekday = (published_at or now).strftime("%A")
    hero_name, hero_alt, hero_id = refs.heroes[i % len(refs.heroes)]
    is_live = status == Article.Status.PUBLISHED and published_at < now
    corrected_at = None
    if is_live and i % 14 == 4:
        corrected_at = min(published_at + timedelta(hours=5), now)

    article = Article(
        title=title,
        slug=slug,
        kind=story["kind"],
        dateline=rng.choice(story["datelines"]),
        dek=story["dek"].format(**words),
        body=story["body"].format(weekday=weekday, **words),
        hero_id=hero_id,
        hero_image=hero_name,
        hero_width=HERO_SIZE[0],
        hero_height=HERO_SIZE[1],
        hero_alt=hero_alt,
        hero_caption=story["caption"],
        hero_credit="Illustration: Newsroom demo",
        section=refs.sections[story["section"]],
        status=status,
        published_at=published_at,
        updated_at=corrected_at,
        is_featured=i in (1, 2),
    )
    lead, *others = story["bylines"]
    chosen = [lead] + [byline for byline in others if rng.random() < 0.5]
    cited = sorted(
        rng.sample(range(len(story["citations"])), rng.randint(1, len(story["citations"])))
    )
    extra_tags = rng.sample(story["tags"][2:], rng.randint(1, 2))
    corrections = []
    if corrected_at:
        kind, note = CORRECTIONS[(i // 14) % len(CORRECTIONS)]
        corrections.append(
            Correction(article=article, kind=kind, note=note, published_at=corrected_at)
        )
    return _Plan(
        index=i,
        article=article,
        bylines=[
            Byline(article=article, author=refs.authors[name], role=role, order=order)
            for order, (name, role) in enumerate(chosen)
        ],
        citations=[
            Citation(
                article=article,
                source=refs.sources[name],
                url=refs.sources[name].homepage_url,
                title=title,
                order=order,
            )
            for order, (name, title) in enumerate(story["citations"][k] for k in cited)
        ],
        corrections=corrections,
        tags=[refs.tags[name] for name in story["tags"][:2] + extra_tags],
    )


def _create_comments(rng, plans, counts, now) -> int:
    """Top-level comments, then replies to approved ones on the same article."""
    top_level, replies = [], []
    for plan in plans:
        article, count = plan.article, counts[plan.index]
        if not count:
            continue
        reply_count = count // 3
        top_count = count - reply_count
        gap = min(
            timedelta(minutes=rng.randint(15, 180)), (now - article.published_at) / (count + 1)
        )
        own = []
        for k in range(top_count):
            is_pending = k == top_count - 1 and top_count > 1 and plan.index % 3 == 0
            when = article.published_at + gap * (k + 1)
            own.append(_comment(rng, article, COMMENTS, when, pending=is_pending))
        approved = [c for c in own if c.status == Comment.Status.APPROVED]
        for k in range(reply_count):
            when = article.published_at + gap * (top_count + k + 1)
            replies.append(_comment(rng, article, REPLIES, when, parent=rng.choice(approved)))
        top_level += own
    Comment.objects.bulk_create(top_level, batch_size=BATCH_SIZE)
    Comment.objects.bulk_create(replies, batch_size=BATCH_SIZE)
    return len(top_level) + len(replies)


def _comment(rng, article, bodies, created_at, *, pending=False, parent=None) -> Comment:
    name = rng.choice(COMMENTERS)
    return Comment(
        article=article,
        parent=parent,
        name=name,
        email=COMMENTER_EMAILS[name],
        body=rng.choice(bodies),
        status=Comment.Status.PENDING if pending else Comment.Status.APPROVED,
        created_at=created_at,
    )


def _tag(name: str) -> Tag:
    # Tags compare case-insensitively (TAGGIT_CASE_INSENSITIVE): reuse an editor's "japan".
    return Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)


def _save_heroes(rng, count: int, files: list[str]) -> list[tuple[str, str, int]]:
    """Draw `count` hero pictures into the media library; return (stored name, alt text,
    image id) for each."""
    image_field = LibraryImage._meta.get_field("file")
    heroes = []
    for k in range(count):
        words, top, bottom = PALETTES[k % len(PALETTES)]
        name = image_field.generate_filename(None, f"demo-hero-{k + 1}.jpg")
        name = image_field.storage.save(name, ContentFile(_draw_hero(rng, top, bottom)))
        files.append(name)
        alt = f"Illustration: a white arc across a {words} sky above a dark coastline."
        image = LibraryImage.objects.create(
            file=name, alt=alt, credit="Illustration: Newsroom demo", caption=f"A {words} sky."
        )
        heroes.append((name, alt, image.pk))
    return heroes


def _draw_hero(rng, top, bottom) -> bytes:
    width, height = HERO_SIZE
    gradient = Image.linear_gradient("L").resize(HERO_SIZE)
    image = ImageOps.colorize(gradient, black=top, white=bottom)
    draw = ImageDraw.Draw(image)
    x = rng.randint(150, 1300)
    draw.ellipse((x, 120, x + 110, 230), fill=(245, 240, 220))
    left, right = rng.randint(-200, 300), rng.randint(1200, 1800)
    draw.arc((left, 200, right, 1500), 195, 345, fill=(255, 255, 255), width=7)
    coast = [(0, height)] + [
        (px, height - rng.randint(60, 200)) for px in range(0, width + 200, 200)
    ] + [(width, height)]  # fmt: skip
    draw.polygon(coast, fill=tuple(c // 3 for c in top))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def _draw_avatar(name: str, colour: str, size: int = 400) -> bytes:
    image = Image.new("RGB", (size, size), colour)
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    font = ImageFont.load_default(size=size * 2 // 5)
    ImageDraw.Draw(image).text((size / 2, size / 2), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
