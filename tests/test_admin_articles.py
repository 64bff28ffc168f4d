"""The article form: checklist, scheduling, locking, slugs, corrections, notes, sanitising."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Comment, SlugRedirect, Source

from .factories import (
    article_form_data,
    image_file,
    make_article,
    make_comment,
    make_section,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return make_staff("author", "Authors", author_name="Aki Author")


@pytest.fixture
def editor():
    return make_staff("editor", "Editors", author_name="Eda Editor")


def ready_article(author, **kwargs):
    kwargs.setdefault("title", "Ferry services resume after the storm")
    return make_article(
        authors=[author.author],
        section=kwargs.pop("section", None) or make_section(name="Local"),
        hero_image=image_file(),
        hero_alt="A ferry leaving the pier",
        **kwargs,
    )


def change(client, article, **overrides):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, article_form_data(article, **overrides))


def errors(response):
    form = response.context["adminform"].form
    inline_errors = [
        e for f in response.context["inline_admin_formsets"] for e in f.formset.non_form_errors()
    ]
    return [*form.non_field_errors(), *sum(form.errors.values(), []), *inline_errors]


def test_publishing_is_refused_until_the_checklist_passes(client, author):
    client.force_login(author)
    article = make_article(authors=[author.author], published=False, dek="", title="Short")
    body = '<p>See the <img src="/media/x.jpg"> chart.</p>'
    response = change(client, article, status="published", body=body)
    assert response.status_code == 200
    messages = " ".join(errors(response))
    for expected in (
        "headline of 10–110",
        "summary (dek)",
        "section chosen",
        "hero image",
        "alt text",
    ):
        assert expected in messages
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_publishing_without_a_byline_is_refused(client, editor):
    client.force_login(editor)
    article = ready_article(editor, published=False)
    data = article_form_data(article, status="published")
    data |= {"bylines-0-DELETE": "on"}
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert "add at least one byline" in " ".join(errors(response))
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_decorative_hero_needs_no_alt_text(client, author):
    client.force_login(author)
    article = ready_article(author, published=False)
    response = change(client, article, status="published", hero_alt="", hero_is_decorative="on")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_live and article.hero_is_decorative


def test_warnings_show_beside_the_publish_controls_without_blocking(client, author):
    client.force_login(author)
    Source.objects.create(name="Reuters", homepage_url="https://www.reuters.com/")
    body = '<p><a href="https://reuters.com/x">Wire</a> and <a href="https://blog.example/y">blog</a></p>'
    article = ready_article(author, published=False, body=body)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert "Cites at least one source" in page
    assert "blog.example" in page and "reuters.com" not in page.split("Links only to")[1][:200]
    assert change(client, article, status="published").status_code == 302
    assert Article.objects.get(pk=article.pk).is_live


def test_a_future_time_schedules_the_article(client, author):
    client.force_login(author)
    article = ready_article(author, published=False)
    when = timezone.localtime() + timedelta(days=2)
    response = change(
        client,
        article,
        status="published",
        published_at_0=when.strftime("%Y-%m-%d"),
        published_at_1=when.strftime("%H:%M:%S"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_scheduled
    assert article.title not in client.get("/").text
    start = client.get(reverse("admin:index")).text
    assert "Scheduled" in start and article.title in start


def test_publish_now_fills_the_time(client, author):
    client.force_login(author)
    article = ready_article(author, published=False)
    assert change(client, article, status="published").status_code == 302
    article.refresh_from_db()
    assert article.is_live
    assert article.title in client.get("/").text


def test_second_save_of_a_stale_form_is_refused_with_a_link(client, editor, author):
    article = ready_article(author)
    stale = article_form_data(article, change_note="mine")
    client.force_login(editor)
    assert (
        change(client, article, title="The editor's better headline", change_note="hed").status_code
        == 302
    )
    client.force_login(author)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, stale | {"title": "The author's headline, typed meanwhile"})
    assert response.status_code == 200
    message = " ".join(str(e) for e in errors(response))
    assert "editor saved a newer version" in message
    assert f'href="{url}"' in message
    assert "The author&#x27;s headline, typed meanwhile" in response.text  # nothing typed is lost
    article.refresh_from_db()
    assert article.title == "The editor's better headline"


def test_editing_a_published_article_needs_a_change_note(client, author):
    client.force_login(author)
    article = ready_article(author)
    response = change(client, article, title="A quietly different headline")
    assert "say briefly what you changed" in " ".join(errors(response))
    assert (
        change(
            client, article, title="A quietly different headline", change_note="typo"
        ).status_code
        == 302
    )


def test_drafts_need_no_change_note_and_slug_follows_the_title(client, author):
    client.force_login(author)
    article = make_article(authors=[author.author], published=False, title="First working title")
    assert change(client, article, title="Second working title").status_code == 302
    article.refresh_from_db()
    assert article.slug == "second-working-title"


def test_changing_a_published_slug_keeps_the_old_url_with_a_301(client, editor):
    client.force_login(editor)
    article = ready_article(editor)
    old_url = article.get_absolute_url()
    assert (
        change(client, article, slug="ferries-back", change_note="shorter URL").status_code == 302
    )
    article.refresh_from_db()
    assert article.slug == "ferries-back"
    assert SlugRedirect.objects.filter(old_slug="ferry-services-resume-after-the-storm").exists()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/articles/ferries-back/"
    assert client.get("/articles/never-existed/").status_code == 404


def test_a_correction_appears_dated_and_marks_the_article_updated(client, editor):
    client.force_login(editor)
    article = ready_article(editor)
    data = article_form_data(article, change_note="correction")
    data |= {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "correction",
        "corrections-0-note": "An earlier version gave the wrong pier.",
        "corrections-0-published_at_0": timezone.localdate().isoformat(),
        "corrections-0-published_at_1": "09:00:00",
    }
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.updated_at is not None
    page = client.get(article.get_absolute_url()).text
    assert "An earlier version gave the wrong pier." in page
    assert "Updated" in page


def test_editorial_notes_stay_in_the_admin(client, author):
    client.force_login(author)
    article = ready_article(author)
    data = article_form_data(article, change_note="note")
    data |= {"editorial_notes-TOTAL_FORMS": "1", "editorial_notes-0-body": "Check the pier name"}
    client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    note = article.editorial_notes.get()
    assert note.created_by == author
    assert (
        "Check the pier name"
        in client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    )
    assert "Check the pier name" not in client.get(article.get_absolute_url()).text


HOSTILE = {
    "script": ("<p>Hi</p><script>alert(1)</script>", ["<script", "alert(1)"]),
    "event handler": (
        '<p onclick="alert(1)">Hi</p><img src="/a.jpg" alt="a" onerror="alert(2)">',
        ["onclick", "onerror"],
    ),
    "javascript link": ('<p><a href="javascript:alert(1)">Hi</a></p>', ["javascript:"]),
    "data link": ('<p><a href="data:text/html;base64,PHNjcmlwdD4=">Hi</a></p>', ["data:"]),
    "iframe": (
        '<p>Hi</p><iframe src="https://evil.example/"></iframe>',
        ["<iframe", "evil.example"],
    ),
    "style": ('<p style="position:fixed;top:0">Hi</p><style>p{}</style>', ["style"]),
    "svg": (
        '<p>Hi</p><svg onload="alert(1)"><script>alert(2)</script></svg>',
        ["<svg", "onload", "alert"],
    ),
}


@pytest.mark.parametrize("body, forbidden", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_bodies_are_sanitised_on_save(client, editor, body, forbidden):
    client.force_login(editor)
    article = ready_article(editor)
    assert change(client, article, body=body, change_note="hostile").status_code == 302
    article.refresh_from_db()
    assert "Hi" in article.body
    for needle in forbidden:
        assert needle not in article.body
    page = client.get(article.get_absolute_url()).text
    assert "alert(" not in page


def test_allowed_formatting_survives_the_editor_and_the_sanitiser(client, editor):
    client.force_login(editor)
    article = ready_article(editor)
    body = (
        '<h2>Heading</h2><p><strong>b</strong> <em>i</em> <a href="https://example.org/">l</a></p>'
        '<ul><li><p>one</p></li></ul><blockquote><p>q</p></blockquote><hr><p><img src="/m/a.jpg" alt="A map"></p>'
    )
    change(client, article, body=body, change_note="format")
    article.refresh_from_db()
    for kept in (
        "<h2>",
        "<strong>",
        "<em>",
        'href="https://example.org/"',
        "<ul>",
        "<blockquote>",
        "<hr>",
        'alt="A map"',
    ):
        assert kept in article.body


def test_start_page_counts_my_drafts_schedule_recent_and_comments(
    client, author, django_assert_max_num_queries
):
    make_article(authors=[author.author], published=False, title="Draft one for the desk")
    make_article(authors=[author.author], published=False, title="Draft two for the desk")
    make_article(
        authors=[author.author],
        published_at=timezone.now() + timedelta(hours=3),
        title="Later today",
    )
    live = make_article(authors=[author.author], title="Out this morning")
    make_comment(live, status=Comment.Status.PENDING, name="Waiting reader")
    make_comment(make_article(title="Not mine at all"), status=Comment.Status.PENDING)
    client.force_login(author)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("admin:index"))
    desk = page.context["desk"]
    assert desk["my_drafts"]["count"] == 2
    assert desk["scheduled"]["count"] == 1
    assert [a.title for a in desk["recent"]["rows"]] == ["Out this morning"]
    assert desk["comments"]["count"] == 1
    assert "Waiting reader" in page.text


def test_the_admin_alone_allows_inline_styles_for_the_editor(client, editor):
    client.force_login(editor)
    admin_csp = client.get(reverse("admin:articles_article_add"))["Content-Security-Policy"]
    site_csp = client.get("/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in admin_csp
    assert "unsafe-inline" not in site_csp


def test_article_list_costs_the_same_queries_for_more_articles(
    client, editor, django_assert_num_queries
):
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")
    make_article(title="The only article at first", tags=["One"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(8):
        make_article(title=f"Another article number {n}", tags=[f"Tag {n}"])
    with django_assert_num_queries(len(few)):
        client.get(url)


def test_tag_suggestions_offer_existing_tags_most_used_first(client, author):
    make_article(tags=["Energy", "Elections"])
    make_article(title="More on elections this year", tags=["Elections"])
    client.force_login(author)
    url = reverse("admin:articles_article_tag_suggestions")
    assert client.get(url, {"q": "e"}).json() == {"tags": ["Elections", "Energy"]}
    assert client.get(url, {"q": "en"}).json() == {"tags": ["Energy"]}
    form = client.get(reverse("admin:articles_article_add")).text
    assert f'data-suggest-url="{url}"' in form
    client.logout()
    assert client.get(url, {"q": "e"}).status_code == 302


def test_publishing_a_draft_without_a_time_publishes_it_now(author):
    from articles.services import article_publish

    draft = ready_article(author, published=False)
    assert draft.published_at is None
    article_publish(draft)
    draft.refresh_from_db()
    assert draft.is_live
    scheduled = ready_article(
        author, title="Embargoed until tomorrow", published=False, section=draft.section
    )
    scheduled.published_at = timezone.now() + timedelta(days=1)
    article_publish(scheduled)
    scheduled.refresh_from_db()
    assert scheduled.is_scheduled
