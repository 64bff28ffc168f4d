"""Comment actions that span models: posting, moderating, subscriptions, privacy."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article, Comment, ReplySubscription, Report

from . import notifications, rules

HELD_SALT = "articles.comments.held"
HELD_MAX_AGE = 60 * 60 * 24 * 7
SUBSCRIBE_SALT = "articles.comments.subscribe"
UNSUBSCRIBE_SALT = "articles.comments.unsubscribe"
REMEMBER_COOKIE = "comment_author"
REMEMBER_SALT = "articles.comments.remember"


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


def comment_set_status(comments, status: str) -> int:
    """Moderate comments (admin actions); approving a reply emails its subscriber."""
    changed = [comment for comment in comments if comment.status != status]
    for comment in changed:
        comment.status = status
    Comment.objects.bulk_update(changed, ["status"])
    if status == Comment.Status.APPROVED:
        for comment in changed:
            comment_approved(comment)
    return len(changed)


def comment_approved(comment: Comment):
    """What follows an approval: the parent's subscriber hears of the reply."""
    if comment.parent_id:
        _on_commit(notifications.notify_reply, comment.pk)


def comment_report(comment: Comment, reason: str, note: str = "", ip=None) -> Report:
    report = Report.objects.create(comment=comment, reason=reason, note=note, ip_address=ip)
    Comment.objects.filter(pk=comment.pk).update(report_count=F("report_count") + 1)
    return report


# Signed tokens: links in emails and the held-comment redirect carry no database secret.


def held_token(comment: Comment) -> str:
    return signing.dumps(comment.pk, salt=HELD_SALT)


def held_comment_id(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=HELD_SALT, max_age=HELD_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None


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


def email_token(email: str, salt: str) -> str:
    return signing.dumps(email.lower(), salt=salt)


def email_from_token(token: str, salt: str, max_age=None) -> str | None:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


# Remembered commenter details: a signed cookie, set only when the reader ticks the box.


def remember_cookie_value(data: dict) -> str:
    fields = {key: data.get(key) or "" for key in ("name", "email", "website")}
    return signing.dumps(fields, salt=REMEMBER_SALT)


def remembered(request) -> dict:
    value = request.COOKIES.get(REMEMBER_COOKIE, "")
    try:
        return signing.loads(value, salt=REMEMBER_SALT) if value else {}
    except signing.BadSignature:
        return {}


# Privacy.


def clear_old_ips(days: int | None = None, *, dry_run: bool = False) -> int:
    """Forget IP addresses (and browsers) of comments older than the retention period."""
    days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    old = Comment.objects.filter(created_at__lt=cutoff, ip_address__isnull=False)
    if dry_run:
        return old.count()
    Report.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(ip_address=None)
    return old.update(ip_address=None, user_agent="")


def commenter_export(email: str) -> dict:
    """Everything stored about an email address, as plain data."""
    comments = Comment.objects.by_email(email).select_related("article")
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "comments": [
            {
                "id": c.pk,
                "article": c.article.title,
                "url": settings.SITE_URL + c.get_absolute_url(),
                "name": c.name,
                "email": c.email,
                "website": c.website,
                "body": c.body,
                "status": c.status,
                "created_at": c.created_at.isoformat(),
                "ip_address": c.ip_address,
                "user_agent": c.user_agent,
            }
            for c in comments
        ],
        "reply_subscriptions": [
            {
                "comment": s.comment_id,
                "created_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at and s.confirmed_at.isoformat(),
                "unsubscribed_at": s.unsubscribed_at and s.unsubscribed_at.isoformat(),
            }
            for s in ReplySubscription.objects.filter(email__iexact=email)
        ],
    }


@transaction.atomic
def commenter_erase(email: str, *, remove: bool) -> int:
    """Erase an address: remove its comments, or keep their text as "Anonymous"."""
    comments = Comment.objects.by_email(email)
    ReplySubscription.objects.filter(email__iexact=email).delete()
    if remove:
        count = comments.count()
        # Replies by others stay: re-attach them to the removed comment's parent.
        for pk in list(comments.values_list("pk", flat=True)):
            parent_id = Comment.objects.values_list("parent_id", flat=True).get(pk=pk)
            Comment.objects.filter(parent_id=pk).update(parent_id=parent_id)
        comments.delete()
        return count
    return comments.update(
        name="Anonymous", email="", website="", ip_address=None, user_agent="", fingerprint=""
    )
