"""Moderation in the admin, reader reports, privacy tools and IP retention."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Author, Ban, Comment, ReplySubscription, Report
from articles.roles import AUTHORS, EDITORS

from .factories import make_article, make_comment, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_comment_changelist")


@pytest.fixture
def editor(client):
    user = make_staff("ed", EDITORS)
    client.force_login(user)
    return user


@pytest.fixture
def article():
    return make_article(title="Typhoon nears Okinawa")


def listed(client, **params):
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return [c.pk for c in response.context["cl"].result_list]


def test_the_queue_puts_pending_and_reported_comments_first(client, editor, article):
    old_approved = make_comment(article, body="Fine")
    reported = make_comment(article, body="Reported twice")
    Comment.objects.filter(pk=reported.pk).update(report_count=2)
    reported_once = make_comment(article, body="Reported once")
    Comment.objects.filter(pk=reported_once.pk).update(report_count=1)
    pending = make_comment(article, status=Comment.Status.PENDING, body="Held")
    assert listed(client) == [reported.pk, reported_once.pk, pending.pk, old_approved.pk]


def test_the_queue_shows_why_a_comment_was_held_and_filters_by_it(client, editor, article):
    held = make_comment(
        article, status="pending", hold_reason=Comment.Reason.TOO_MANY_LINKS, body="Links"
    )
    make_comment(article, status="spam", hold_reason=Comment.Reason.HONEYPOT, body="Bot")
    html = client.get(CHANGELIST).content.decode()
    assert "Too many links" in html and "Hidden field filled in" in html
    assert listed(client, hold_reason__exact="too_many_links") == [held.pk]
    assert listed(client, status__exact="spam") != [held.pk]
    assert listed(client, article__id__exact=article.pk)
    assert listed(client, q="Links") == [held.pk]


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("mark_spam", "spam"), ("remove", "removed")],
)
def test_bulk_actions_moderate_comments(client, editor, article, action, status):
    comments = [make_comment(article, status="pending", body=f"c{n}") for n in range(3)]
    client.post(CHANGELIST, {"action": action, "_selected_action": [c.pk for c in comments[:2]]})
    assert list(Comment.objects.values_list("status", flat=True).order_by("id")) == [
        status,
        status,
        "pending",
    ]


def test_approving_in_the_admin_publishes_the_comment(client, editor, article):
    comment = make_comment(article, status="pending", body="Now you see me")
    assert "Now you see me" not in client.get(article.get_absolute_url()).content.decode()
    client.post(CHANGELIST, {"action": "approve", "_selected_action": [comment.pk]})
    assert "Now you see me" in client.get(article.get_absolute_url()).content.decode()


def test_an_editors_pick_is_marked_from_the_admin(client, editor, article):
    comment = make_comment(article)
    client.post(CHANGELIST, {"action": "make_pick", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.is_editors_pick


def test_the_comment_page_shows_it_in_context_with_a_link_to_the_site(client, editor, article):
    parent = make_comment(article, name="Kenji", body="The parent remark")
    reply = make_comment(article, parent=parent, status="pending")
    html = client.get(reverse("admin:articles_comment_change", args=[reply.pk])).content.decode()
    assert "In reply to <strong>Kenji</strong>: The parent remark" in html
    assert f'href="{article.get_absolute_url()}#comment-{reply.pk}"' in html


def test_the_admin_index_counts_pending_comments(client, editor, article):
    make_comment(article, status="pending")
    make_comment(article, status="pending", body="Another")
    make_comment(article)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'Comments awaiting moderation <span class="desk-count">2</span>' in html


def test_authors_see_only_comments_on_their_own_articles(client, article):
    writer = make_staff("aiko", AUTHORS)
    mine = make_article(title="Mine", authors=[Author.objects.create(name="Aiko", user=writer)])
    own = make_comment(mine, body="On my story", status="pending")
    make_comment(article, body="On someone else's story")
    client.force_login(writer)
    assert listed(client) == [own.pk]
    start_page = client.get(reverse("admin:index")).content.decode()
    assert 'Comments awaiting moderation <span class="desk-count">1</span>' in start_page
    # Reading only: moderating is the editors' job.
    client.post(CHANGELIST, {"action": "approve", "_selected_action": [own.pk]})
    own.refresh_from_db()
    assert own.status == "pending"


def test_ban_action_opens_a_prefilled_ban_form(client, editor, article):
    comment = make_comment(article, email="troll+x@example.com", ip_address="203.0.113.9")
    response = client.post(
        CHANGELIST, {"action": "ban_commenters", "_selected_action": [comment.pk]}
    )
    assert response.status_code == 302
    form = client.get(response["Location"]).context["adminform"].form
    assert form.initial["email"] == "troll+x@example.com"
    assert form.initial["ip_range"] == "203.0.113.9"
    client.post(
        response["Location"], {"email": "troll+x@example.com", "ip_range": "", "reason": "Abuse"}
    )
    assert Ban.objects.get().created_by == editor


def test_readers_can_report_a_comment_and_it_rises_in_the_queue(client, article):
    comment = make_comment(article, body="Rude words")
    url = reverse("articles:comment_report", args=[comment.pk])
    page = client.get(url).content.decode()
    assert "Rude words" in page and "Nothing is hidden automatically" in page
    response = client.post(url, {"reason": "abuse", "note": "<b>nasty</b>"})
    assert "Your report was sent" in response.content.decode()
    comment.refresh_from_db()
    assert comment.report_count == 1 and comment.status == "approved"
    assert Report.objects.get().note == "<b>nasty</b>"
    assert "Rude words" in client.get(article.get_absolute_url()).content.decode()


def test_a_report_without_a_reason_comes_back_with_a_message(client, article):
    comment = make_comment(article)
    response = client.post(reverse("articles:comment_report", args=[comment.pk]), {"note": "x"})
    assert "This field is required." in response.content.decode()
    assert Report.objects.count() == 0


def test_held_comments_cannot_be_reported(client, article):
    comment = make_comment(article, status="pending")
    assert client.get(reverse("articles:comment_report", args=[comment.pk])).status_code == 404


def test_editors_export_everything_about_an_email_address(client, editor, article):
    make_comment(
        article, email="Mariko@example.com", body="日本語のコメント", ip_address="192.0.2.1"
    )
    make_comment(article, email="other@example.com", body="Not hers")
    Ban.objects.create(email="mariko@example.com", reason="Spam run")
    url = reverse("admin:articles_comment_commenter")
    response = client.post(
        url, {"email": "mariko@example.com", "erase_mode": "anonymise", "export": "1"}
    )
    data = json.loads(response.content)
    assert [c["body"] for c in data["comments"]] == ["日本語のコメント"]
    assert data["comments"][0]["ip_address"] == "192.0.2.1"
    assert [b["reason"] for b in data["bans"]] == ["Spam run"]


def test_erasing_can_keep_the_text_as_anonymous(client, editor, article):
    comment = make_comment(
        article, name="Mariko", email="mariko@example.com", ip_address="192.0.2.1"
    )
    ReplySubscription.objects.create(comment=comment, email="mariko@example.com")
    url = reverse("admin:articles_comment_commenter")
    client.post(url, {"email": "mariko@example.com", "erase_mode": "anonymise", "erase": "1"})
    comment.refresh_from_db()
    assert (comment.name, comment.email, comment.ip_address) == ("Anonymous", "", None)
    assert comment.body == "Thanks for the report."
    assert ReplySubscription.objects.count() == 0


def test_erasing_can_remove_the_comments_and_keeps_others_replies(client, editor, article):
    hers = make_comment(article, email="mariko@example.com", body="Hers")
    her_reply = make_comment(article, parent=hers, email="mariko@example.com", body="Hers too")
    answer = make_comment(article, parent=her_reply, email="kenji@example.com", body="Kenji's")
    url = reverse("admin:articles_comment_commenter")
    client.post(url, {"email": "mariko@example.com", "erase_mode": "remove", "erase": "1"})
    assert list(Comment.objects.values_list("body", flat=True)) == ["Kenji's"]
    answer.refresh_from_db()
    assert answer.parent_id is None


def test_authors_cannot_export_or_erase(client, article):
    client.force_login(make_staff("aiko", AUTHORS))
    assert client.get(reverse("admin:articles_comment_commenter")).status_code == 403


def old_comment(article, days, **kwargs):
    comment = make_comment(article, ip_address="198.51.100.7", user_agent="Firefox", **kwargs)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(days=days))
    return comment


def test_clear_comment_ips_forgets_old_addresses_only(article, settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    old, recent = old_comment(article, 31), old_comment(article, 29, body="Recent")
    out = StringIO()
    call_command("clear_comment_ips", "--dry-run", stdout=out)
    assert "Would clear IP addresses from 1 comment(s)" in out.getvalue()
    old.refresh_from_db()
    assert old.ip_address == "198.51.100.7"
    call_command("clear_comment_ips", stdout=out)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert recent.ip_address == "198.51.100.7"


def test_the_scheduled_task_clears_addresses(article):
    from articles.comments.notifications import clear_comment_ips

    old_comment(article, 400)
    result = clear_comment_ips.enqueue()
    assert result.return_value == 1
    assert not Comment.objects.filter(ip_address__isnull=False).exists()
