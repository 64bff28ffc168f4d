"""Emails about comments, sent through Django's tasks framework so readers never wait."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.tasks import default_task_backend, task
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import Comment, ReplySubscription
from articles.roles import EDITORS

from . import privacy, tokens


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def send(subject: str, template: str, context: dict, to: list[str], headers=None) -> int:
    context = {"site_name": settings.SITE_NAME, **context}
    body = render_to_string(template, context)
    message = EmailMessage(f"[{settings.SITE_NAME}] {subject}", body, to=to, headers=headers)
    return message.send()


@task
def notify_new_comment(comment_id: int) -> int:
    """The article's authors hear of every new comment; editors of every held one."""
    comment = Comment.objects.select_related("article").get(pk=comment_id)
    article = comment.article
    authors = {
        user.email
        for user in get_user_model().objects.filter(author__articles=article, is_active=True)
        if user.email and user.email.lower() != comment.email.lower()
    }
    context = {
        "comment": comment,
        "article": article,
        "comment_url": absolute(comment.get_absolute_url()),
        "admin_url": absolute(reverse("admin:articles_comment_change", args=[comment.pk])),
    }
    sent = 0
    if authors:
        sent += send(
            f"New comment on {article.title}",
            "comments/email/new_comment.txt",
            context,
            sorted(authors),
        )
    if comment.status == Comment.Status.PENDING:
        editors = get_user_model().objects.filter(groups__name=EDITORS, is_active=True)
        emails = sorted({user.email for user in editors if user.email} - authors)
        if emails:
            sent += send(
                f"Comment awaiting moderation on {article.title}",
                "comments/email/held_comment.txt",
                context,
                emails,
            )
    return sent


@task
def notify_reply(comment_id: int) -> int:
    """An approved reply reaches the parent comment's confirmed subscriber."""
    reply = Comment.objects.select_related("article", "parent").get(pk=comment_id)
    if not reply.parent_id or not reply.is_approved:
        return 0
    subscription = ReplySubscription.objects.filter(comment_id=reply.parent_id).first()
    if not subscription or not subscription.is_active:
        return 0
    if subscription.email.lower() == reply.email.lower():
        return 0  # nobody needs an email about their own reply
    unsubscribe_url = absolute(
        reverse(
            "articles:comment_unsubscribe",
            args=[tokens.email_token(subscription.email, tokens.UNSUBSCRIBE_SALT)],
        )
    )
    context = {
        "reply": reply,
        "article": reply.article,
        "reply_url": absolute(reply.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return send(
        f"New reply to your comment on {reply.article.title}",
        "comments/email/reply.txt",
        context,
        [subscription.email],
        headers=headers,
    )


@task
def send_subscription_confirmation(subscription_id: int) -> int:
    subscription = ReplySubscription.objects.select_related("comment__article").get(
        pk=subscription_id
    )
    confirm_url = absolute(
        reverse(
            "articles:comment_confirm_subscription",
            args=[tokens.email_token(subscription.email, tokens.SUBSCRIBE_SALT)],
        )
    )
    context = {"article": subscription.comment.article, "confirm_url": confirm_url}
    return send("Confirm reply emails", "comments/email/confirm.txt", context, [subscription.email])


@task
def clear_comment_ips() -> int:
    """Forget old IP addresses; where a worker runs, this task schedules its next run daily."""
    from datetime import timedelta

    from django.utils import timezone

    cleared = privacy.clear_old_ips()
    if default_task_backend.supports_defer:
        clear_comment_ips.using(run_after=timezone.now() + timedelta(days=1)).enqueue()
    return cleared
