"""The reader's pages: what they show, what they hide, pagination and query counts."""

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from articles.models import Article, Byline, Comment, Correction
from articles.views import server_error

from .factories import (
    make_article,
    make_author,
    make_banner,
    make_citation,
    make_comment,
    make_section,
    make_source,
)

pytestmark = pytest.mark.django_db


def html_of(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def hidden_articles():
    """A draft and a scheduled article that share everything with the published ones."""
    author = make_author(name="Aiko Tanaka", slug="aiko-tanaka")
    section = make_section(name="Asia", slug="asia")
    make_article(title="Secret draft", published=False, authors=[author], section=section)
    make_article(
        title="Embargoed story",
        published_at=timezone.now() + timedelta(days=1),
        authors=[author],
        section=section,
        tags=["Japan"],
    )
    return author, section


def test_front_page_leads_with_the_newest_featured_article(client):
    make_article(
        title="Older featured", is_featured=True, published_at=timezone.now() - timedelta(days=3)
    )
    make_article(
        title="Newest featured", is_featured=True, published_at=timezone.now() - timedelta(days=1)
    )
    make_article(title="Newest of all")
    html = html_of(client, "/")
    lead = html[html.index('class="lead-story"') : html.index('id="latest-heading"')]
    assert "Newest featured" in lead
    assert "Newest of all" not in lead
    assert html.index("Newest of all") < html.index("Older featured")


def test_front_page_lists_published_articles_with_section_byline_and_comment_count(client):
    asia = make_section(name="Asia")
    story = make_article(
        title="Listed story", section=asia, authors=[make_author(name="Kenji Sato")]
    )
    make_article(title="Newest", is_featured=True)
    for _ in range(3):
        make_comment(story)
    make_comment(story, status=Comment.Status.PENDING)
    html = html_of(client, "/")
    card = html[html.index("Listed story") - 600 : html.index("Listed story") + 900]
    assert 'href="/sections/asia/"' in card
    assert "Kenji Sato" in card
    assert "3 comments" in card
    assert "<time datetime=" in card


def test_front_page_has_a_block_per_section(client):
    world = make_section(name="World", order=0)
    business = make_section(name="Business", order=1)
    make_article(title="World story", section=world)
    make_article(title="Business story", section=business)
    make_article(title="Lead story", is_featured=True)
    html = html_of(client, "/")
    assert 'id="block-world"' in html
    assert html.index('id="block-world"') < html.index('id="block-business"')


def test_section_blocks_show_the_newest_four_of_the_newest_articles(client, monkeypatch):
    """Blocks are drawn from the RECENT_POOL newest articles, whatever the archive's size."""
    from articles.views import reader

    world, archive = make_section(name="World", order=0), make_section(name="Archive", order=1)
    now = timezone.now()
    make_article(title="Old archive story", section=archive, published_at=now - timedelta(days=9))
    make_article(title="Lead story", is_featured=True)
    for n in range(6):
        make_article(title=f"World {n}", section=world, published_at=now - timedelta(hours=n + 1))
    html = html_of(client, "/")
    block = html[html.index('id="block-world"') :]
    assert [f"World {n}" in block for n in range(6)] == [True] * 4 + [False] * 2
    assert 'id="block-archive"' in html  # fewer articles than the pool: all are candidates
    monkeypatch.setattr(reader, "RECENT_POOL", 5)
    html = html_of(client, "/")
    assert 'id="block-world"' in html and 'id="block-archive"' not in html


def test_drafts_and_scheduled_articles_are_absent_from_every_page(client):
    author, section = hidden_articles()
    public = make_article(title="Public story", authors=[author], section=section, tags=["Japan"])
    make_citation(public, source=make_source(name="NHK", slug="nhk"))
    draft = Article.objects.get(title="Secret draft")
    draft.citations.create(source=public.citations.first().source, url="https://nhk.or.jp")
    urls = [
        "/",
        public.get_absolute_url(),
        "/authors/aiko-tanaka/",
        "/sections/asia/",
        "/tags/japan/",
        "/sources/nhk/",
    ]
    for url in urls:
        html = html_of(client, url)
        assert "Public story" in html, url
        assert "Secret draft" not in html, url
        assert "Embargoed story" not in html, url
    for hidden in Article.objects.exclude(pk=public.pk):
        assert client.get(hidden.get_absolute_url()).status_code == 404


def test_corrections_to_hidden_articles_are_not_listed(client):
    author, _ = hidden_articles()
    Correction.objects.create(article=Article.objects.get(title="Secret draft"), note="Draft fix")
    Correction.objects.create(article=make_article(title="Live"), note="Public fix")
    html = html_of(client, "/corrections/")
    assert "Public fix" in html
    assert "Draft fix" not in html


@pytest.mark.parametrize("page", ["0", "99", "abc", "-1", "1.5"])
@pytest.mark.parametrize(
    "url", ["/", "/sections/asia/", "/tags/japan/", "/authors/aiko-tanaka/", "/corrections/"]
)
def test_pages_that_do_not_exist_are_a_styled_404(client, url, page):
    article = make_article(
        authors=[make_author(name="Aiko Tanaka")], section=make_section(name="Asia"), tags=["Japan"]
    )
    Correction.objects.create(article=article, note="Fixed.")
    response = client.get(url, {"page": page})
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_second_page_lists_older_articles(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for n in range(5):
        make_article(title=f"Story {n}", published_at=timezone.now() - timedelta(hours=n + 1))
    html = html_of(client, "/", page=2)
    assert "Story 2" in html and "Story 3" in html
    assert "Story 0" not in html
    assert 'rel="prev" href="?page=1"' in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/?page=2">' in html


def test_every_page_has_one_h1_a_skip_link_and_landmarks(client):
    author = make_author(name="Aiko Tanaka")
    section = make_section(name="Asia")
    article = make_article(authors=[author], section=section, tags=["Japan"])
    source = make_source(name="NHK")
    make_citation(article, source=source)
    Correction.objects.create(article=article, note="Fixed.")
    urls = [
        "/",
        article.get_absolute_url(),
        author.get_absolute_url(),
        section.get_absolute_url(),
        "/tags/japan/",
        source.get_absolute_url(),
        "/corrections/",
        "/search/",
        "/search/?q=missiles",
    ]
    for url in urls:
        html = html_of(client, url)
        assert len(re.findall(r"<h1[ >]", html)) == 1, url
        assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
        assert '<main id="main"' in html and "<header" in html and "<footer" in html
        assert '<html lang="en">' in html
        assert re.search(r'<link rel="canonical" href="http://127\.0\.0\.1:8000/', html), url
        for img in re.findall(r"<img [^>]*>", html):
            assert 'width="' in img and 'height="' in img, (url, img)


def test_article_page_shows_everything_a_reader_needs(client):
    author = make_author(name="Aiko Tanaka", role="Tokyo correspondent", bio="Covers Japan.")
    photographer = make_author(name="Ren Ito")
    section = make_section(name="Asia")
    article = make_article(
        title="North Korea and Tokyo: rising tensions",
        dek="Missile launches draw a swift response.",
        dateline="TOKYO",
        kind=Article.Kind.ANALYSIS,
        section=section,
        authors=[author],
        tags=["North Korea"],
        body="<h2>Missile launch activity</h2><p>Launches toward the Sea of Japan.</p>",
        updated_at=timezone.now(),
    )
    article.bylines.create(author=photographer, role="photos", order=1)
    bbc = make_source(name="BBC")
    make_citation(article, source=bbc, url="https://www.bbc.com/news/asia", title="Launch report")
    Correction.objects.create(article=article, note="An earlier version misstated the date.")
    make_comment(article, name="Kenji", body="Worrying <b>news</b>.\nStay safe.")
    make_comment(article, name="Hidden", status=Comment.Status.PENDING)
    older = make_article(
        title="Earlier story by Aiko",
        authors=[author],
        published_at=timezone.now() - timedelta(days=2),
    )

    html = html_of(client, article.get_absolute_url())
    assert '<h1 id="article-title">North Korea and Tokyo: rising tensions</h1>' in html
    assert "Missile launches draw a swift response." in html
    assert "Analysis" in html
    assert "TOKYO —" in html
    assert "Updated <time datetime=" in html
    assert "1 min read" in html
    assert '<h2 id="missile-launch-activity">Missile launch activity</h2>' in html
    assert 'href="/authors/ren-ito/" rel="author">Ren Ito</a> (photos)' in html
    assert "More posts by Aiko Tanaka" in html
    assert f'<a href="{older.get_absolute_url()}">Earlier story by Aiko</a>' in html
    assert 'href="/tags/north-korea/" rel="tag"' in html
    assert '<a href="https://www.bbc.com/news/asia" rel="noopener">Launch report</a>' in html
    assert 'class="corrections"' in html and "An earlier version misstated the date." in html
    assert "Worrying &lt;b&gt;news&lt;/b&gt;.<br>Stay safe." in html
    assert "Hidden" not in html
    assert "1 comment" in html
    assert "https://x.com/intent/post?url=http%3A%2F%2F127.0.0.1%3A8000%2Farticles%2F" in html
    assert "https://www.facebook.com/sharer/sharer.php?u=" in html
    assert "https://www.linkedin.com/sharing/share-offsite/?url=" in html
    assert "mailto:?subject=North%20Korea" in html
    assert 'class="share-copy"' in html


def test_related_articles_prefer_shared_tags_then_the_section(client):
    asia = make_section(name="Asia")
    article = make_article(title="Main", section=asia, tags=["Japan", "Missiles", "Diplomacy"])
    make_article(
        title="Two shared tags",
        tags=["Japan", "Missiles"],
        published_at=timezone.now() - timedelta(days=5),
    )
    make_article(
        title="One shared tag", tags=["Japan"], published_at=timezone.now() - timedelta(days=4)
    )
    make_article(
        title="Same section", section=asia, published_at=timezone.now() - timedelta(days=1)
    )
    make_article(title="Unrelated")
    make_article(title="Related draft", tags=["Japan", "Missiles", "Diplomacy"], published=False)
    html = html_of(client, article.get_absolute_url())
    related = html[html.index('id="related-heading"') :]
    assert (
        related.index("Two shared tags")
        < related.index("One shared tag")
        < related.index("Same section")
    )
    assert "Unrelated" not in related
    assert "Related draft" not in related


def test_author_page_shows_the_profile_and_feed(client):
    author = make_author(
        name="Aiko Tanaka",
        role="Tokyo correspondent",
        bio="Aiko covers security in East Asia.",
        website="https://aiko.example",
    )
    make_article(title="By Aiko", authors=[author])
    make_article(title="By someone else")
    html = html_of(client, author.get_absolute_url())
    assert '<h1 class="page-title">Aiko Tanaka</h1>' in html
    assert "Tokyo correspondent" in html and "Aiko covers security in East Asia." in html
    assert 'href="https://aiko.example" rel="me noopener"' in html
    assert 'href="/authors/aiko-tanaka/feed/"' in html
    assert "By Aiko" in html and "By someone else" not in html
    assert client.get("/authors/nobody/").status_code == 404


def test_source_page_lists_every_article_that_cites_it(client):
    nhk = make_source(name="NHK", homepage_url="https://www3.nhk.or.jp")
    citing = make_article(title="Cites NHK")
    make_citation(citing, source=nhk)
    make_citation(citing, source=nhk, url="https://www3.nhk.or.jp/other")
    make_article(title="Cites nothing")
    html = html_of(client, nhk.get_absolute_url())
    assert html.count("Cites NHK</a>") == 1
    assert "Cites nothing" not in html


def test_corrections_page_lists_notes_newest_first_with_links(client):
    article = make_article(title="Corrected story")
    old = Correction.objects.create(
        article=article, note="Old note", published_at=timezone.now() - timedelta(days=2)
    )
    Correction.objects.create(article=article, note="New note", kind=Correction.Kind.UPDATE)
    html = html_of(client, "/corrections/")
    assert html.index("New note") < html.index("Old note")
    assert f'href="{article.get_absolute_url()}#correction-{old.pk}"' in html
    assert 'href="/corrections/feed/"' in html


def test_breaking_news_banner_shows_until_it_expires(client):
    make_banner(text="Missile alert in Hokkaido", link="https://news.example/live")
    make_banner(
        text="Old alert",
        starts_at=timezone.now() - timedelta(days=2),
        expires_at=timezone.now() - timedelta(days=1),
    )
    html = html_of(client, "/search/")
    assert '<a href="https://news.example/live">Missile alert in Hokkaido</a>' in html
    assert "Old alert" not in html


def test_not_found_page_is_styled_and_offers_search(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We can’t find that page" in html
    assert 'action="/search/"' in html
    assert '<a class="skip-link"' in html


def test_server_error_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_a_tag_page_follows_publishing_unpublishing_and_schedules(client, settings):
    settings.PAGE_CACHE_ENABLED = False

    def titles():
        return [a.title for a in client.get("/tags/japan/").context["page_obj"]]

    draft = make_article(
        title="Tagged draft", published=False, status=Article.Status.DRAFT, tags=["Japan"]
    )
    live = make_article(title="Tagged story", tags=["Japan"])
    later = make_article(
        title="Tagged embargo", tags=["Japan"], published_at=timezone.now() + timedelta(hours=1)
    )
    assert titles() == ["Tagged story"]
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
    draft.save()
    assert titles() == ["Tagged draft", "Tagged story"]
    live.status = Article.Status.DRAFT
    live.save()
    later.published_at = timezone.now() - timedelta(hours=2)
    later.save()
    assert titles() == ["Tagged draft", "Tagged embargo"]


def test_an_author_page_lists_each_article_once_and_follows_publishing(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    aiko = make_author(name="Aiko Tanaka")

    def titles():
        return [a.title for a in client.get("/authors/aiko-tanaka/").context["page_obj"]]

    story = make_article(title="Reported and photographed", authors=[aiko])
    story.bylines.create(author=aiko, role=Byline.Role.PHOTOS, order=1)
    draft = make_article(
        title="Aiko's draft", authors=[aiko], published=False, status=Article.Status.DRAFT
    )
    assert titles() == ["Reported and photographed"]
    settings.ARTICLES_PER_PAGE = 1  # counted once too: there is no second page
    assert client.get("/authors/aiko-tanaka/", {"page": 2}).status_code == 404
    settings.ARTICLES_PER_PAGE = 20
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
    draft.save()
    assert titles() == ["Aiko's draft", "Reported and photographed"]
    story.bylines.filter(role=Byline.Role.REPORTING).delete()
    assert titles() == ["Aiko's draft", "Reported and photographed"]
    story.status = Article.Status.DRAFT
    story.save()
    assert titles() == ["Aiko's draft"]


def _grow(count, section, author, tag_names):
    for n in range(count):
        other = make_author(name=f"Writer {n}")
        article = make_article(
            title=f"Story {n}",
            section=section,
            authors=[author, other],
            tags=tag_names,
            hero_image=None,
        )
        make_comment(article)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/", 5),
        ("/authors/aiko-tanaka/", 4),
        ("/sections/asia/", 4),
        ("/tags/japan/", 4),
    ],
)
def test_list_page_query_counts_do_not_grow(
    client, settings, django_assert_num_queries, url, queries
):
    settings.PAGE_CACHE_ENABLED = False  # what a page costs when it is not cached
    author = make_author(name="Aiko Tanaka")
    section = make_section(name="Asia")
    make_section(name="World")
    _grow(2, section, author, ["Japan"])
    make_banner()
    # Once until purged (articles/memos.py): the menu and the banner, the next scheduled
    # change (two queries), the list's length, and the menu's sections with articles and
    # the footer's pages (articles/context_processors.py).
    with django_assert_num_queries(queries + 7):
        client.get(url)
    with django_assert_num_queries(queries):
        client.get(url)
    _grow(12, section, author, ["Japan", "Missiles", "Diplomacy"])
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_article_page_query_count_does_not_grow_with_comments_tags_or_authors(
    client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    section = make_section(name="Asia")
    article = make_article(section=section, tags=["Japan"])
    make_article(title="Related", section=section, tags=["Japan"])
    make_comment(article)
    # Keeps the menu and banner, the bylines, tags, corrections and sources, the choice of
    # related articles and their cards (articles/fragments.py): then the article and its
    # comments are all that is read, until a change purges what was kept.
    client.get(article.get_absolute_url())
    with django_assert_num_queries(2):
        client.get(article.get_absolute_url())
    for n in range(50):
        make_comment(article, name=f"Reader {n}")
    article.tags.add(*[f"Tag {n}" for n in range(9)])
    for n in range(3):
        article.bylines.create(author=make_author(name=f"Co-author {n}"), order=n + 1)
        make_article(title=f"Related {n}", section=section, tags=["Japan"])
    client.get(article.get_absolute_url())
    with django_assert_num_queries(2):
        response = client.get(article.get_absolute_url())
    assert "51 comments" in response.content.decode()


def _contrast(first: str, second: str) -> float:
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_colours_meet_wcag_aa_contrast_in_light_and_dark_schemes():
    from pathlib import Path

    css = (Path(__file__).parent.parent / "static" / "css" / "site.css").read_text()
    schemes = re.findall(r":root \{(.*?)\}", css, re.S)
    assert len(schemes) == 2  # light, then dark inside prefers-color-scheme
    for scheme in schemes:
        colours = dict(re.findall(r"--([\w-]+): (#[0-9a-f]{6});", scheme))
        for text in ("fg", "muted", "accent"):
            for background in ("bg", "surface", "panel"):
                assert _contrast(colours[text], colours[background]) >= 4.5, (text, background)
        assert _contrast(colours["accent-ink"], colours["accent"]) >= 4.5


def test_editors_set_the_banner_in_the_admin(client):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.models import Banner

    editor = get_user_model().objects.create_user("ed", password="pw-12345!", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    expires = timezone.localtime() + timedelta(hours=3)
    response = client.post(
        "/admin/articles/banner/add/",
        {
            "text": "Polls close in Tokyo",
            "link": "",
            "starts_at_0": timezone.localtime().strftime("%Y-%m-%d"),
            "starts_at_1": "00:00:00",
            "expires_at_0": expires.strftime("%Y-%m-%d"),
            "expires_at_1": expires.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    assert Banner.objects.get().text == "Polls close in Tokyo"
    assert "Polls close in Tokyo" in html_of(client, "/")


def test_dates_are_shown_in_the_site_time_zone(client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    from datetime import UTC, datetime

    article = make_article(published_at=datetime(2026, 1, 1, 0, 30, tzinfo=UTC))
    html = html_of(client, article.get_absolute_url())
    assert '<time datetime="2026-01-01T09:30:00+09:00">1 January 2026, 09:30 JST</time>' in html
