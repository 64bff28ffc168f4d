"""Comment actions that span models: posting, moderating, reports, reply subscriptions."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article, Comment, ReplySubscription, Report
from articles.pagecache.triggers import comments_changed

from . import notifications, rules


def comments_are_open(article: Article) -> bool:
    """Open per article, and closed automatically some days after publication."""
    if not article.comments_open or not article.is_live:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return not days or article.published_at + timedelta(days=days) > timezone.now()


def _on_commit(task, *args):
    transaction.on_commit(partial(task.enqueue, *args))


@transaction.atomic
def comment_post(article, data: dict, *, ip=None, user_agent="", too_fast=False, honeypot=False):
    """Save a comment with the verdict of the rules; a repeated submission returns the first.

    Returns (comment, created).
    """
    fingerprint = rules.fingerprint(article.pk, data.get("parent"), data["email"], data["body"])
    if existing := Comment.objects.filter(fingerprint=fingerprint).first():
        return existing, False
    comment = Comment(
        article=article,
        parent=data.get("parent"),
        name=data["name"],
        email=data["email"],
        website=data.get("website", ""),
        body=data["body"],
        ip_address=ip,
        user_agent=user_agent[:500],
        fingerprint=fingerprint,
    )
    verdict = rules.assess(comment, honeypot=honeypot, too_fast=too_fast)
    comment.status, comment.hold_reason, comment.hold_detail = (
        verdict.status,
        verdict.reason,
        verdict.detail,
    )
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:  # the same submission, saved a moment ago by a double click
        return Comment.objects.get(fingerprint=fingerprint), False
    if comment.status == Comment.Status.SPAM:
        return comment, True
    if data.get("notify_replies"):
        subscription_request(comment)
    _on_commit(notifications.notify_new_comment, comment.pk)
    if comment.is_approved:
        comment_approved(comment)
    return comment, True


def comment_set_status(comments, status: str, *, undoing: bool = False) -> int:
    """Moderate comments (admin actions); approving a reply emails its subscriber.

    Each keeps the status it had, for the queue's "Undo" (an undo leaves nothing to undo).
    """
    changed = [comment for comment in comments if comment.status != status]
    # bulk_update sends no signals: the pages of comments shown before or after change.
    shown = [c for c in changed if Comment.Status.APPROVED in (c.status, status)]
    for comment in changed:
        comment.previous_status = "" if undoing else comment.status
        comment.status = status
    Comment.objects.bulk_update(changed, ["status", "previous_status"])
    comments_changed(shown)
    if status == Comment.Status.APPROVED:
        for comment in changed:
            comment_approved(comment)
    return len(changed)


def comment_undo(comment: Comment) -> bool:
    """Put back the status the last moderation replaced; False if there is nothing to undo."""
    if not comment.previous_status:
        return False
    comment_set_status([comment], comment.previous_status, undoing=True)
    return True


@transaction.atomic
def comment_staff_reply(parent: Comment, user, body: str) -> Comment:
    """A reply from the queue: shown at once, marked as staff, under `parent` (approved with
    it if held, as replying to it says it may be shown)."""
    if parent.status != Comment.Status.APPROVED:
        comment_set_status([parent], Comment.Status.APPROVED)
    author = getattr(user, "author", None)
    reply = Comment.objects.create(
        article=parent.article,
        parent=parent,
        name=(author.name if author else user.get_full_name() or user.get_username())[:100],
        email=user.email,
        body=body,
        status=Comment.Status.APPROVED,
        user=user,
        is_staff_reply=True,
    )
    comment_approved(reply)
    return reply


def comment_approved(comment: Comment):
    """What follows an approval: the parent's subscriber hears of the reply."""
    if comment.parent_id:
        _on_commit(notifications.notify_reply, comment.pk)


def comment_report(comment: Comment, reason: str, note: str = "", ip=None) -> Report:
    report = Report.objects.create(comment=comment, reason=reason, note=note, ip_address=ip)
    Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    return report


def subscription_request(comment: Comment) -> ReplySubscription:
    """Double opt-in: an address confirms once; later requests from it are active at once."""
    email = comment.email.lower()
    confirmed = ReplySubscription.objects.filter(email=email, confirmed_at__isnull=False).exists()
    subscription = ReplySubscription.objects.create(
        comment=comment, email=email, confirmed_at=timezone.now() if confirmed else None
    )
    if not confirmed:
        _on_commit(notifications.send_subscription_confirmation, subscription.pk)
    return subscription


def subscription_confirm(email: str) -> int:
    return ReplySubscription.objects.filter(
        email=email, confirmed_at__isnull=True, unsubscribed_at__isnull=True
    ).update(confirmed_at=timezone.now())


def subscriptions_cancel(email: str) -> int:
    return ReplySubscription.objects.filter(email=email, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
