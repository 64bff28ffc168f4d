"""What is stored about commenters: IP retention, export and erasure by email address."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import Ban, Comment, ReplySubscription, Report
from articles.pagecache.triggers import ERASE, comments_changed


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
        # Bans stay after an erasure: the newsroom's record of abuse, not the reader's data.
        "bans": [
            {
                "reason": b.reason,
                "created_at": b.created_at.isoformat(),
                "expires_at": b.expires_at and b.expires_at.isoformat(),
            }
            for b in Ban.objects.filter(email__iexact=email)
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
    # update() sends no signals: the pages showing these comments change.
    comments_changed(list(comments.filter(status=Comment.Status.APPROVED)), ERASE)
    return comments.update(
        name="Anonymous", email="", website="", ip_address=None, user_agent="", fingerprint=""
    )
