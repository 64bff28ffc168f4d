"""Public pages: the front page, articles, and the lists by author, section, tag and source."""

from datetime import UTC, datetime

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404, render

from articles import fragments
from articles.comments.thread import comments_context
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    Section,
    Source,
    TaggedArticle,
)
from articles.pagecache import keys as k
from articles.pagecache import public_page, shows, shows_articles
from articles.pagination import paginate
from articles.services import tags_on_live_articles

SECTION_BLOCK_SIZE = 4
RELATED_COUNT = 3
# Related articles, author boxes and the front page's section blocks are chosen among this
# many newest candidates, so that they cost the same with 1,000 articles or 100,000.
RELATED_POOL = 1000
RECENT_POOL = 2000
EARLIEST = datetime.min.replace(tzinfo=UTC)  # the cutoff while there are fewer articles
AUTHOR_BOX_COUNT = 3
AUTHOR_POOL = 100  # the boxes are filled from these newest articles by any of the authors
LIST_KEYS = {"author": k.author, "section": k.section, "tag": k.tag, "source": k.source}


@public_page
def article_list(request):
    """The front page: a lead story, the latest articles, then a block per section."""
    latest = Article.objects.published().newest_first()
    page = paginate(
        request,
        latest.values_list("pk"),
        decorate=lambda ids: _cards(ids).select_related("section").with_comment_count(),
        count_key="front",
    )
    lead, blocks = None, []
    if page.number == 1:
        lead = _lead_story(latest.for_cards().select_related("section").with_comment_count(), page)
        blocks = _section_blocks(exclude=[lead.pk] if lead else [])
    articles = [a for a in page if not lead or a.pk != lead.pk]
    _prefetch_bylines([lead] if lead else [], articles, *(items for _, items in blocks))
    shows(request, "front")
    shows_articles(request, [lead, *articles], counts=True)
    in_blocks = [a for _, items in blocks for a in items]  # the sections' compact cards
    shows_articles(request, in_blocks, counts=True, compact=True)
    context = {"page_obj": page, "lead": lead, "articles": articles, "section_blocks": blocks}
    return render(request, "articles/front_page.html", context)


@public_page
def article_detail(request, slug):
    context = article_context(Article.objects.published(), request=request, slug=slug)
    article, related = context["article"], context["related"]
    # What article_detail.html's fragments show, read with the comments in one round trip.
    bundles = [[article], *([author, more] for author, more in context["author_boxes"])]
    bundles += [[related]] if related else []
    area = context["comment_area"] = comments_context(request, article, bundles=bundles)
    context["fragment_bundles"] = area.bundles
    return render(request, "articles/article_detail.html", context)


def article_context(queryset, *, request=None, **lookup) -> dict:
    """Everything the article page shows but its comments, in its seven queries (or Http404);
    with `request`, declared to the page cache (previews pass none)."""
    article = get_object_or_404(queryset.for_page().select_related("section"), **lookup)
    chosen = fragments.load_page_rows(  # bylines, tags... and the boxes' articles
        article, kept=request is not None, choose=lambda: _choose_boxes(article)
    )
    related, author_boxes = _related_and_author_boxes(article, chosen)
    # Not the authors' lists: the boxes' choice is kept with the article's rows, and an
    # author's edit purges their articles' pages.
    shows(request, k.article(article.pk), k.comments(article.pk))
    boxes = [*related, *(a for _, articles in author_boxes for a in articles)]
    shows_articles(request, boxes, compact=True)
    return {"article": article, "related": related, "author_boxes": author_boxes}


@public_page
def author_detail(request, slug):
    author = get_object_or_404(Author, slug=slug)
    ids = Byline.objects.filter(author=author).article_ids()
    return _listing(request, "articles/author_detail.html", ids, author=author)


@public_page
def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    ids = _newest_ids(Article.objects.published().filter(section=section))
    return _listing(request, "articles/section_detail.html", ids, section=section)


@public_page
def tag_detail(request, slug):
    tag = get_object_or_404(tags_on_live_articles(), slug=slug)
    ids = TaggedArticle.objects.filter(tag=tag).article_ids()
    return _listing(request, "articles/tag_detail.html", ids, tag=tag)


@public_page
def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    ids = _newest_ids(Article.objects.published().citing(source))
    return _listing(request, "articles/source_detail.html", ids, source=source)


@public_page
def corrections(request):
    notes = Correction.objects.filter(article__in=Article.objects.published()).select_related(
        "article"
    )
    page = paginate(request, notes.order_by("-published_at", "-id"))
    shows(request, "corrections")
    shows_articles(request, [note.article for note in page], compact=True)  # titles alone
    return render(request, "articles/corrections.html", {"page_obj": page})


def _listing(request, template, ids, **context):
    """A page of the articles `ids` (newest first) about the one object in `context`."""
    [(kind, obj)] = context.items()
    page = paginate(
        request,
        ids,
        decorate=lambda ids: _cards(ids).with_bylines().with_comment_count(),
        count_key=LIST_KEYS[kind](obj.pk),
    )
    shows(request, LIST_KEYS[kind](obj.pk))
    shows_articles(request, page, counts=True)
    return render(request, template, {"page_obj": page, **context})


def _newest_ids(articles):
    return articles.newest_first().values_list("pk")


def _cards(ids):
    """The articles `ids` as cards show them, newest first."""
    return Article.objects.filter(pk__in=ids).for_cards().newest_first()


def _lead_story(latest, first_page):
    """The newest featured article, else the newest of all (the first on page 1)."""
    return latest.filter(is_featured=True).first() or next(iter(first_page), None)


def _section_blocks(exclude, size=SECTION_BLOCK_SIZE):
    """[(section, [its newest articles])] in menu order, in one query for all sections."""
    published = Article.objects.published()
    # The publication time of the RECENT_POOL-th newest article: a range on the list index,
    # where "among the newest RECENT_POOL ids" made PostgreSQL scan every article's section.
    cutoff = published.newest_first().values("published_at")[RECENT_POOL - 1 : RECENT_POOL]
    # Numbered on slim rows (id, section, time); only the winners are loaded whole.
    winners = (
        published.filter(section__isnull=False)
        .filter(published_at__gte=Coalesce(Subquery(cutoff), Value(EARLIEST)))
        .exclude(pk__in=exclude)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=F("section"),
                order_by=[F("published_at").desc(), F("id").desc()],
            )
        )
        .filter(position__lte=size)
        .values("pk")
    )
    newest = (
        Article.objects.for_cards()
        .filter(pk__in=winners)
        .select_related("section")
        .order_by("section__order", "section__name", "-published_at", "-id")
    )
    blocks = {}
    for article in newest:
        blocks.setdefault(article.section, []).append(article)
    return list(blocks.items())


def _prefetch_bylines(*groups):
    articles = [article for group in groups for article in group]
    prefetch_related_objects(
        articles, Prefetch("bylines", queryset=Byline.objects.select_related("author"))
    )


def _related(article, count=RELATED_COUNT):
    """Among the newest articles, those sharing the most tags, then the newest in the same
    section."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    tagged = TaggedArticle.objects.filter(tag_id__in=tag_ids)
    shares_tag = Exists(tagged.filter(content_object=OuterRef("pk")))
    if article.section_id:
        shares_tag |= Q(section_id=article.section_id)
    # Probing the newest RELATED_POOL costs the same at any size; looking for the newest
    # articles that share a tag would hash every link of a tag 60,000 articles share.
    recent = Article.objects.published().exclude(pk=article.pk).newest_first()
    candidates = Article.objects.filter(pk__in=recent.values("pk")[:RELATED_POOL]).filter(
        shares_tag
    )
    shared = (
        tagged.filter(content_object=OuterRef("pk"))
        .values("content_object")
        .annotate(n=Count("*"))
        .values("n")
    )
    return list(
        candidates.for_cards()
        .select_related("section")
        .annotate(shared_tags=Coalesce(Subquery(shared, output_field=IntegerField()), 0))
        .order_by("-shared_tags", "-published_at")[:count]
    )


def _author_boxes(article, count=AUTHOR_BOX_COUNT):
    """[(author, role, [their latest other published articles])], one query for all authors."""
    bylines = list(article.bylines.all())
    authors = [b.author_id for b in bylines]
    theirs = (
        Article.objects.published()
        .filter(Exists(Byline.objects.filter(article=OuterRef("pk"), author__in=authors)))
        .exclude(pk=article.pk)
        .newest_first()
    )
    latest = (
        Byline.objects.filter(author__in=authors, article__in=theirs.values("pk")[:AUTHOR_POOL])
        .select_related("article")
        .only("author", "article__title", "article__slug")
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=F("author"),
                order_by=[F("article__published_at").desc(), F("article_id").desc()],
            )
        )
        .filter(position__lte=count)
        .order_by("author", "position")
    )
    by_author = {}
    for byline in latest:
        by_author.setdefault(byline.author_id, []).append(byline.article)
    seen, boxes = set(), []
    for byline in bylines:
        if byline.author_id not in seen:
            seen.add(byline.author_id)
            boxes.append((byline.author, by_author.get(byline.author_id, [])))
    return boxes


def _choose_boxes(article) -> tuple[list[int], list[list[int]]]:
    """The ids _related() and _author_boxes() choose: kept with the article's rows
    (fragments.load_page_rows()), until the article, its tags or its authors change."""
    related, boxes = _related(article), _author_boxes(article)
    return [a.pk for a in related], [[a.pk for a in more] for _, more in boxes]


def _related_and_author_boxes(article, chosen):
    """The related articles and the author boxes of `chosen` (_choose_boxes()), with their
    cards kept until one of them is purged, so that edits show at once."""
    related_ids, box_ids = chosen
    wanted = sorted({*related_ids, *(pk for ids in box_ids for pk in ids)})
    cards = fragments.kept_cards(wanted)
    authors = list({b.author_id: b.author for b in article.bylines.all()}.values())
    return (
        [cards[pk] for pk in related_ids if pk in cards],
        [
            (author, [cards[pk] for pk in ids if pk in cards])
            for author, ids in zip(authors, box_ids, strict=True)
        ],
    )
