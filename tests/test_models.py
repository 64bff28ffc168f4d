from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Author, Comment, Section, Source

from .factories import image_file, make_article, make_author, make_comment

pytestmark = pytest.mark.django_db


def test_slug_is_derived_from_the_title():
    article = make_article(title="North Korea fires missiles: Tokyo responds")
    assert article.slug == "north-korea-fires-missiles-tokyo-responds"


def test_slugs_stay_unique():
    first = make_article(title="Same headline")
    second = make_article(title="Same headline")
    assert first.slug == "same-headline"
    assert second.slug == "same-headline-2"


def test_non_ascii_titles_keep_readable_slugs():
    assert make_article(title="東京の反応").slug == "東京の反応"


def test_a_draft_slug_follows_its_title():
    article = make_article(title="First draft headline", published=False)
    article = Article.objects.get(pk=article.pk)
    article.title = "Better headline"
    article.save()
    assert article.slug == "better-headline"


def test_slug_is_stable_once_published():
    article = Article.objects.get(pk=make_article(title="Original headline").pk)
    article.title = "Retitled headline"
    article.save()
    assert article.slug == "original-headline"


def test_an_edited_slug_is_kept():
    article = make_article(title="Headline", slug="custom-slug", published=False)
    assert article.slug == "custom-slug"


def test_body_is_sanitised_on_save():
    article = make_article(
        body='<h2>Heading</h2><p onclick="x()">Text <a href="javascript:alert(1)">bad</a>'
        '<a href="https://www.bbc.com/news">BBC</a></p><script>alert(1)</script>'
        '<img src="/x.jpg" alt="Map" onerror="alert(1)"><iframe src="https://evil"></iframe>'
    )
    body = Article.objects.get(pk=article.pk).body
    assert "<h2>Heading</h2>" in body
    assert '<a href="https://www.bbc.com/news">BBC</a>' in body
    assert '<img src="/x.jpg" alt="Map">' in body
    for hostile in ("onclick", "javascript:", "<script", "onerror", "<iframe"):
        assert hostile not in body


def test_published_queryset_hides_drafts_and_scheduled_articles():
    live = make_article(title="Live")
    make_article(title="Draft", published=False)
    make_article(title="Scheduled", published_at=timezone.now() + timedelta(hours=2))
    assert list(Article.objects.published()) == [live]
    assert [a.title for a in Article.objects.scheduled()] == ["Scheduled"]
    assert [a.title for a in Article.objects.drafts()] == ["Draft"]


def test_a_scheduled_article_goes_live_when_its_time_comes():
    article = make_article(published_at=timezone.now() + timedelta(seconds=1))
    assert article.is_scheduled and not article.is_live
    article.published_at = timezone.now() - timedelta(seconds=1)
    assert article.is_live


def test_published_articles_need_a_publication_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="No date", status=Article.Status.PUBLISHED)


def test_hero_image_requires_alt_text():
    article = make_article()
    article.hero_image = image_file()
    with pytest.raises(IntegrityError), transaction.atomic():
        article.save()
    article.hero_alt = "Missile launch seen from the coast"
    article.save()
    assert (article.hero_width, article.hero_height) == (1200, 800)


def test_reading_time_and_word_count():
    article = make_article(body="<p>" + "word " * 460 + "</p>")
    assert article.word_count == 460
    assert article.reading_minutes == 2


def test_bylines_keep_their_order():
    first, second = make_author(name="Aiko Tanaka"), make_author(name="Ben Carter")
    article = make_article(authors=[second, first])
    assert [b.author.name for b in article.bylines.all()] == ["Ben Carter", "Aiko Tanaka"]
    assert list(Article.objects.by_author(first)) == [article]


def test_author_slug_defaults_to_the_username(django_user_model):
    user = django_user_model.objects.create_user(username="atanaka")
    assert Author.objects.create(user=user, name="Aiko Tanaka").slug == "atanaka"
    assert Author.objects.create(name="Guest Writer").slug == "guest-writer"


def test_author_links_list_only_what_is_set():
    author = make_author(website="https://aiko.example", x_url="https://x.com/aiko")
    assert author.links == [("Website", "https://aiko.example"), ("X", "https://x.com/aiko")]


def test_sections_and_sources_get_slugs_and_urls():
    section = Section.objects.create(name="Security")
    source = Source.objects.create(name="Japan's Ministry of Defense")
    assert section.get_absolute_url() == "/sections/security/"
    assert source.get_absolute_url() == "/sources/japans-ministry-of-defense/"


def test_replies_must_be_on_the_same_article():
    article, other = make_article(title="One"), make_article(title="Two")
    parent = make_comment(article)
    reply = make_comment(article, parent=parent)
    assert list(parent.replies.all()) == [reply]
    with pytest.raises(ValidationError):
        make_comment(other, parent=parent)
    assert Comment.objects.count() == 2


def test_a_comment_cannot_be_its_own_parent():
    comment = make_comment(make_article())
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(parent=comment)


def test_approved_queryset_hides_held_comments():
    article = make_article()
    approved = make_comment(article)
    make_comment(article, status=Comment.Status.PENDING)
    make_comment(article, status=Comment.Status.SPAM)
    assert list(Comment.objects.approved()) == [approved]
    assert Comment.objects.pending().count() == 1


def test_tags_are_separated_by_commas_only():
    article = make_article()
    article.tags.set(["North Korea"])
    from articles.tagging import comma_joiner, comma_splitter

    assert comma_splitter("North Korea, Japan ,, missile tests") == [
        "Japan",
        "North Korea",
        "missile tests",
    ]
    assert comma_joiner(article.tags.all()) == "North Korea"
