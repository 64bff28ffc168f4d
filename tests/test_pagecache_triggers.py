"""Each kind of change re-renders exactly the stored pages that show it (queries > 0), and
every other page is still served from the cache (no query), on local memory and on Redis."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags

from articles.comments.services import comment_set_status
from articles.models import Article, Author, Ban, BlocklistEntry, Comment, Correction
from articles.models.editorial import EditorialNote
from articles.pagecache.keys import COUNTS_MAX_AGE
from articles.services import article_publish, article_save, article_unpublish, tag_rename
from tests.factories import (
    make_article,
    make_author,
    make_banner,
    make_citation,
    make_comment,
    make_section,
    make_source,
    make_staff,
)
from tests.test_perf_cache import clock, page_cache, ready_draft  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


class Site:
    """Two articles that share nothing (so neither is in the other's related box)."""

    def __init__(self):
        self.asia, self.sport = make_section(name="Asia"), make_section(name="Sport")
        self.aiko, self.ben = make_author(name="Aiko Tanaka"), make_author(name="Ben Ode")
        self.source = make_source(name="Kyodo")
        self.hot = make_article(
            title="Hot story", section=self.asia, tags=["Japan"], authors=[self.aiko]
        )
        self.cold = make_article(
            title="Cold story", section=self.sport, tags=["Rugby"], authors=[self.ben]
        )
        make_citation(self.cold, source=self.source)
        self.pages = {
            "front": "/",
            "hot": self.hot.get_absolute_url(),
            "cold": self.cold.get_absolute_url(),
            "asia": "/sections/asia/",
            "sport": "/sections/sport/",
            "japan": "/tags/japan/",
            "rugby": "/tags/rugby/",
            "aiko": "/authors/aiko-tanaka/",
            "ben": "/authors/ben-ode/",
            "kyodo": self.source.get_absolute_url(),
            "feed": "/feed/",
            "asia feed": "/sections/asia/feed/",
            "sitemap": "/sitemap.xml",
            "corrections": "/corrections/",
        }

    def warm(self, client):
        for url in self.pages.values():
            client.get(url)
        assert self.rendered(client) == set(), "every page is stored"

    def rendered(self, client) -> set[str]:
        """The pages that ran queries to answer (rendered again), by name."""
        names = set()
        for name, url in self.pages.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code in (200, 301, 404), url
            if len(queries):
                names.add(name)
        return names


# The pages showing each story: its page and the feeds that carry its text, and the lists
# that show its card.
HOT_PAGE = {"hot", "feed", "asia feed"}
HOT_CARD = HOT_PAGE | {"front", "asia", "japan", "aiko"}
COLD_PAGE = {"cold", "feed"}
COLD_CARD = COLD_PAGE | {"front", "sport", "rugby", "ben", "kyodo"}


@pytest.fixture
def site(client):
    site = Site()
    site.warm(client)
    return site


def test_an_approved_comment_re_renders_its_article_page_alone(client, site):
    make_comment(site.hot, body="Well said")
    assert site.rendered(client) == {"hot"}
    assert "Well said" in client.get(site.pages["hot"]).content.decode()


def test_approving_and_removing_a_held_comment_re_render_its_article_page_alone(client, site):
    held = make_comment(site.hot, status=Comment.Status.PENDING)
    assert site.rendered(client) == set()
    comment_set_status([held], Comment.Status.APPROVED)
    assert site.rendered(client) == {"hot"}
    comment_set_status(Comment.objects.filter(pk=held.pk), Comment.Status.REMOVED)
    assert site.rendered(client) == {"hot"}


def test_held_and_spam_comments_and_moving_between_them_purge_nothing(client, site):
    held = make_comment(site.hot, status=Comment.Status.PENDING)
    spam = make_comment(site.hot, body="Buy now", status=Comment.Status.SPAM)
    comment_set_status([held], Comment.Status.SPAM)
    comment_set_status(Comment.objects.filter(pk=spam.pk), Comment.Status.PENDING)
    held.refresh_from_db()
    held.body = "Edited while held"
    held.save()
    assert site.rendered(client) == set()


@pytest.mark.parametrize(
    ("field", "value", "shown", "page"),
    [
        ("title", "Hot story, updated", HOT_CARD, "japan"),  # every card shows it
        ("dek", "A new dek for the lists", HOT_CARD, "asia"),  # cards; compact ones do not
        ("body", "<p>What we know now.</p>", HOT_PAGE, "hot"),  # its page and feeds alone
    ],
)
def test_an_edit_of_a_published_article_re_renders_the_pages_showing_what_changed(
    client, site, field, value, shown, page
):
    setattr(site.hot, field, value)
    article_save(site.hot)
    assert site.rendered(client) == shown | {"sitemap"}
    assert strip_tags(value) in client.get(site.pages[page]).content.decode()


def test_featuring_an_article_re_renders_the_front_page_it_now_leads(client, site):
    def lead():
        html = client.get("/").content.decode()
        return html.split('class="lead-story"', 1)[1].split("</article>", 1)[0]

    assert "Cold story" in lead()  # the newest
    site.hot.is_featured = True
    article_save(site.hot)
    assert site.rendered(client) == HOT_PAGE | {"front", "sitemap"}
    assert "Hot story" in lead()


def test_a_publication_re_renders_the_lists_it_enters_and_nothing_else(client, site):
    draft = ready_draft("Fresh scoop")  # in a new section: the menu changes
    site.warm(client)
    draft.section = site.sport
    article_save(draft)
    assert site.rendered(client) == set(), "a draft save purges nothing"
    article_publish(draft, when=timezone.now())
    # Its own page was never stored; the related boxes of others may wait PAGE_CACHE_SECONDS.
    assert site.rendered(client) == {"front", "sport", "feed", "sitemap"}
    assert "Fresh scoop" in client.get("/sections/sport/").content.decode()


def test_an_unpublish_re_renders_every_page_that_showed_the_article(client, site):
    article_unpublish(site.hot)
    assert site.rendered(client) == HOT_CARD | {"sitemap"}
    assert client.get(site.pages["hot"]).status_code == 404
    assert "Hot story" not in client.get("/").content.decode()


def test_deleting_an_article_re_renders_every_page_that_showed_it(client, site):
    site.cold.delete()
    assert site.rendered(client) == COLD_CARD | {"sitemap"}


def test_an_author_edit_re_renders_the_pages_showing_their_articles(client, site):
    site.ben.name = "Ben Odegaard"
    site.ben.save()
    assert site.rendered(client) == COLD_CARD
    assert "Ben Odegaard" in client.get(site.pages["cold"]).content.decode()


def test_a_tag_rename_re_renders_the_pages_showing_its_articles(client, site):
    tag_rename(site.hot.tags.get(), "Nippon")
    assert site.rendered(client) == HOT_PAGE | {"japan"}  # cards show no tags


def test_a_source_edit_re_renders_the_pages_of_the_articles_citing_it(client, site):
    site.source.name = "Kyodo News"
    site.source.save()
    assert site.rendered(client) == COLD_PAGE | {"kyodo"}


def test_a_correction_re_renders_its_article_and_the_corrections(client, site):
    Correction.objects.create(article=site.cold, note="An earlier version misspelt a name.")
    assert site.rendered(client) == COLD_PAGE | {"corrections"}


def test_a_citation_re_renders_the_article_and_its_source(client, site):
    make_citation(site.hot, source=site.source, url="https://english.kyodonews.net/a")
    assert site.rendered(client) == HOT_PAGE | {"kyodo"}


def test_a_banner_or_a_section_re_renders_every_page(client, site):
    make_banner(text="Storm warning")
    assert site.rendered(client) == set(site.pages)
    site.asia.name = "Asia-Pacific"
    site.asia.save()
    assert site.rendered(client) == set(site.pages)


def test_newsroom_work_that_readers_cannot_see_purges_nothing(client, site):
    editor = make_staff("chief", is_superuser=True)
    draft = make_article(title="Secret draft", published=False, status=Article.Status.DRAFT)
    article_save(draft)
    EditorialNote.objects.create(article=site.hot, body="Check the quote", created_by=editor)
    Ban.objects.create(email="troll@example.com", reason="Abuse", created_by=editor)
    BlocklistEntry.objects.create(kind=BlocklistEntry.Kind.WORD, value="casino")
    make_author(name="New Hire")
    client.force_login(editor)
    assert client.get(f"/admin/articles/article/{site.hot.pk}/change/").status_code == 200
    refused = client.post(f"/admin/articles/article/{site.hot.pk}/change/", {"title": ""})
    assert refused.status_code == 200  # a failed form
    client.logout()
    assert site.rendered(client) == set()


def test_anonymous_posts_purge_nothing(client, site):
    client.post(
        f"{site.pages['hot']}comments/",
        {"name": "Spammer", "email": "s@example.com", "body": "cheap casino http://x.example"},
    )
    client.post("/search/", {"q": "x"})
    assert Comment.objects.approved().count() == 0
    assert site.rendered(client) == set()


def test_admin_bulk_actions_purge_what_they_change(client, site):
    client.force_login(make_staff("chief", is_superuser=True))
    pick = make_comment(site.hot, body="A fine point")
    client.logout()
    assert site.rendered(client) == {"hot"}
    client.force_login(make_staff("desk", is_superuser=True))
    client.post(
        "/admin/articles/comment/",
        {"action": "make_pick", "_selected_action": [pick.pk]},
    )
    client.logout()
    assert Comment.objects.get(pk=pick.pk).is_editors_pick
    assert site.rendered(client) == {"hot"}


def test_a_new_author_shows_in_the_search_filter_at_once(client, site):
    assert "New Hire" not in client.get("/search/").content.decode()
    Author.objects.create(name="New Hire")
    assert "New Hire" in client.get("/search/").content.decode()


def test_comment_counts_on_list_cards_catch_up_within_a_minute(client, request):
    traveller = request.getfixturevalue("clock")  # before the pages are stored
    site = Site()
    site.warm(client)
    make_comment(site.hot, body="Well said")
    assert site.rendered(client) == {"hot"}
    assert "1 comment" not in client.get("/").content.decode()
    traveller.shift(timedelta(seconds=COUNTS_MAX_AGE))
    assert "1 comment" in client.get("/").content.decode()
    assert "1 comment" in client.get("/tags/japan/").content.decode()


def test_an_edit_re_renders_the_pages_whose_related_box_shows_the_article(client):
    section = make_section(name="Asia")
    shown = make_article(title="Typhoon nears Okinawa", section=section, tags=["Japan"])
    showing = make_article(title="Ferries cancelled", section=section, tags=["Japan"])
    other = make_article(title="Cup final", section=make_section(name="Sport"))
    pages = [showing.get_absolute_url(), other.get_absolute_url()]
    for url in pages:
        client.get(url)
    assert "Typhoon nears Okinawa" in client.get(pages[0]).content.decode()  # related box
    shown.title = "Typhoon hits Okinawa"
    article_save(shown)
    with CaptureQueriesContext(connection) as queries:
        assert "Typhoon hits Okinawa" in client.get(pages[0]).content.decode()
    assert len(queries) > 0
    with CaptureQueriesContext(connection) as queries:
        assert client.get(pages[1])["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    shown.dek = "The storm turns north"  # related boxes show no dek
    article_save(shown)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(pages[0])["X-Page-Cache"] == "hit"
    assert len(queries) == 0


def test_a_byline_moved_to_another_author_re_renders_both_authors_pages(client, site):
    byline = site.hot.bylines.get()
    byline.author = site.ben
    byline.save()
    # Cold's box of Ben's articles is kept with cold's page, as related boxes are.
    assert site.rendered(client) == HOT_CARD | {"ben"}
    assert "Hot story" not in client.get(site.pages["aiko"]).content.decode()
    assert "Hot story" in client.get(site.pages["ben"]).content.decode()


def test_a_citation_moved_to_another_source_re_renders_both_sources_pages(client, site):
    other = make_source(name="NHK")
    other_page = other.get_absolute_url()
    client.get(other_page)
    citation = site.cold.citations.get()
    citation.source = other
    citation.save()
    assert site.rendered(client) == COLD_PAGE | {"kyodo"}
    assert "Cold story" in client.get(other_page).content.decode()
