"""`manage.py demo`: realistic demo content, written once, and large data sets in bulk."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.utils import timezone
from PIL import Image
from taggit.models import Tag

from articles import demo
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
from articles.sanitize import sanitize_html


def run_demo(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def stored_files(path: str = "") -> list[str]:
    """Every file under `path` in default storage."""
    dirs, files = default_storage.listdir(path)
    found = [f"{path}/{name}".lstrip("/") for name in files]
    for name in dirs:
        found += stored_files(f"{path}/{name}".lstrip("/"))
    return sorted(found)


def row_counts() -> dict[str, int]:
    models = [Article, Author, Byline, Citation, Comment, Correction, Section, Source, Tag]
    return {model.__name__: model.objects.count() for model in models + [TaggedArticle]}


@pytest.mark.django_db
def test_demo_creates_articles_with_everything_a_page_shows():
    output = run_demo()

    assert "Created 30 articles, 6 authors, 6 sections, 8 sources, 120 comments." in output
    assert list(Section.objects.values_list("name", flat=True)) == [
        "World",
        "Asia",
        "Security",
        "Politics",
        "Opinion",
        "Science",
    ]
    assert Source.objects.count() == 8
    assert not Source.objects.filter(homepage_url="").exists()
    articles = Article.objects.annotate(
        byline_count=Count("bylines", distinct=True),
        citation_count=Count("citations", distinct=True),
    )
    assert len(articles) == 30
    for article in articles:
        assert article.section_id is not None
        assert 1 <= article.byline_count <= 2
        assert 1 <= article.citation_count <= 3
        assert article.tags.count() >= 3
        assert article.hero_image and article.hero_alt and article.hero_credit
        assert "<h2>" in article.body and "<blockquote>" in article.body
        assert '<a href="https://' in article.body
    assert {a.kind for a in articles} == set(Article.Kind.values)
    assert Article.objects.filter(tags__name="North Korea").exists()
    assert Citation.objects.exclude(url__startswith="https://").count() == 0


@pytest.mark.django_db
def test_demo_has_drafts_a_scheduled_article_featured_ones_and_corrections():
    run_demo()

    now = timezone.now()
    assert Article.objects.drafts().count() in (1, 2)
    assert Article.objects.scheduled().count() == 1
    assert Article.objects.published().filter(is_featured=True).count() == 2
    published = Article.objects.published().order_by("published_at")
    oldest, newest = published.first().published_at, published.last().published_at
    assert 50 <= (now - oldest).days <= 60
    assert (now - newest).days < 3
    corrected = Article.objects.filter(corrections__isnull=False).distinct()
    assert corrected.count() == 2
    for article in corrected:
        assert article.updated_at == article.corrections.get().published_at
        assert article.is_live


@pytest.mark.django_db
def test_demo_images_are_real_files_in_storage():
    run_demo()

    for article in Article.objects.all():
        assert default_storage.exists(article.hero_image.name)
        with default_storage.open(article.hero_image.name) as file, Image.open(file) as image:
            assert image.format == "JPEG"
            assert image.size == (article.hero_width, article.hero_height) == (1600, 900)
    # The default demo draws one picture per article.
    assert Article.objects.values("hero_image").distinct().count() == 30
    for author in Author.objects.all():
        with default_storage.open(author.avatar.name) as file, Image.open(file) as image:
            assert image.width == image.height


@pytest.mark.django_db
def test_demo_comments_are_threaded_and_some_are_pending():
    run_demo()

    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.exists()
    assert Comment.objects.pending().exists()
    assert Comment.objects.approved().filter(parent__isnull=True).exists()
    assert not replies.exclude(parent__status=Comment.Status.APPROVED).exists()
    # Only what readers can see gets comments, and never before the article appeared.
    assert not Comment.objects.exclude(article__in=Article.objects.published()).exists()
    assert not Comment.objects.filter(created_at__lte=F("article__published_at")).exists()
    late = F("article__published_at") + timedelta(days=1)
    assert not Comment.objects.filter(created_at__gt=late).exists()
    assert not replies.filter(created_at__lte=F("parent__created_at")).exists()


@pytest.mark.django_db
def test_article_bodies_are_already_safe_html():
    run_demo()

    for body in Article.objects.values_list("body", flat=True):
        assert sanitize_html(body) == body


@pytest.mark.django_db
def test_second_run_changes_nothing():
    run_demo()
    before = row_counts()
    files_before = stored_files()

    output = run_demo()

    assert "already present" in output
    assert "Created" not in output
    assert row_counts() == before
    assert stored_files() == files_before
    assert len(files_before) == 36


@pytest.mark.django_db
def test_demo_does_nothing_when_any_article_exists():
    Article.objects.create(title="An editor's first story")

    output = run_demo()

    assert "already present" in output
    assert Article.objects.count() == 1
    assert Section.objects.count() == Author.objects.count() == 0


@pytest.mark.django_db
def test_demo_reuses_sections_sources_and_tags_that_exist():
    Section.objects.create(name="World", order=9)
    Source.objects.create(name="Reuters", homepage_url="https://www.reuters.com/")
    Tag.objects.create(name="japan")

    output = run_demo()

    assert "5 sections, 7 sources" in output
    assert Section.objects.get(name="World").order == 9
    assert Tag.objects.filter(name__iexact="japan").count() == 1
    assert Article.objects.filter(tags__name="japan").exists()


@pytest.mark.django_db
def test_large_data_set_has_exact_counts_unique_slugs_and_progress():
    output = run_demo("--articles", "200", "--comments-per-article", "3")

    assert Article.objects.count() == 200
    assert Comment.objects.count() == 600
    assert Article.objects.values("slug").distinct().count() == 200
    assert "articles 200/200, comments 600/600" in output
    assert "Created 200 articles" in output
    # A small pool of pictures, not one per article.
    assert Article.objects.values("hero_image").distinct().count() == demo.HERO_POOL
    assert not Article.objects.filter(bylines__isnull=True).exists()
    assert TaggedArticle.objects.count() >= 600


@pytest.mark.django_db
def test_progress_is_reported_per_batch(monkeypatch):
    monkeypatch.setattr(demo, "BATCH_SIZE", 50)

    output = run_demo("--articles", "120", "--comments-per-article", "1")

    progress = [line for line in output.splitlines() if line.startswith("articles ")]
    assert [line.split(",")[0] for line in progress] == [
        "articles 50/120",
        "articles 100/120",
        "articles 120/120",
    ]
    assert progress[-1].endswith("comments 120/120")


@pytest.mark.django_db
def test_replies_are_always_on_the_same_article_as_their_parent():
    run_demo("--articles", "60", "--comments-per-article", "6")

    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.count() >= 100
    assert not replies.exclude(article=F("parent__article")).exists()
    assert not replies.filter(parent__parent__isnull=False).exists()


@pytest.mark.django_db
def test_demo_content_is_the_same_on_every_run():
    def snapshot():
        return [
            (a.slug, a.kind, a.status, a.dateline, a.body, sorted(a.tags.names()))
            for a in Article.objects.order_by("pk")
        ]

    run_demo()
    first = snapshot()
    Article.objects.all().delete()
    run_demo()

    assert snapshot() == first


@pytest.mark.django_db
def test_a_failure_leaves_nothing_behind(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "_create_comments", fail)

    with pytest.raises(RuntimeError, match="disk full"):
        run_demo()

    assert all(count == 0 for count in row_counts().values())
    assert stored_files() == []


@pytest.mark.django_db
def test_negative_counts_are_refused():
    with pytest.raises(CommandError):
        run_demo("--articles", "-1")
    assert not Article.objects.exists()
