"""Spam and moderation rules: each decides a status and records why; no outside service."""

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from articles.models import Ban, BlocklistEntry, Comment
from articles.models.moderation import ip_in_range

Status, Reason = Comment.Status, Comment.Reason

LINK_RE = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
DUPLICATE_MIN_LENGTH = 40  # "Thanks!" twice is not spam
DUPLICATE_WINDOW = timedelta(days=30)


@dataclass
class Verdict:
    status: str
    reason: str = ""
    detail: str = ""


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def fingerprint(article_id, parent_id, email: str, body: str) -> str:
    """Same article, parent, address and text: a repeated submission, not a new comment."""
    raw = f"{article_id}|{parent_id or ''}|{email.strip().lower()}|{normalise(body)}"
    return hashlib.sha256(raw.encode()).hexdigest()


def count_links(text: str) -> int:
    return len(LINK_RE.findall(text))


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def blocklist_match(comment: Comment) -> BlocklistEntry | None:
    text = normalise(f"{comment.name} {comment.website} {comment.body}")
    email = comment.email.lower()
    website_host = (urlsplit(comment.website).hostname or "").lower()
    for entry in BlocklistEntry.objects.all():
        value = entry.value.lower()
        if entry.kind == BlocklistEntry.Kind.WORD and value and value in text:
            return entry
        if entry.kind == BlocklistEntry.Kind.EMAIL and email == value:
            return entry
        if entry.kind == BlocklistEntry.Kind.DOMAIN and value in {
            email_domain(email),
            website_host,
        }:
            return entry
        if entry.kind == BlocklistEntry.Kind.IP_RANGE and ip_in_range(comment.ip_address, value):
            return entry
    return None


def active_ban(email: str, ip: str | None) -> Ban | None:
    return next((ban for ban in Ban.objects.active() if ban.matches(email, ip)), None)


def is_duplicate(comment: Comment) -> bool:
    """The same text posted recently anywhere else: the mark of copy-paste spam."""
    if len(normalise(comment.body)) < DUPLICATE_MIN_LENGTH:
        return False
    since = timezone.now() - DUPLICATE_WINDOW
    recent = Comment.objects.filter(created_at__gte=since).exclude(status=Status.REMOVED)
    # Compare a prefix in the database, then the whole normalised text here.
    candidates = recent.filter(body__istartswith=comment.body[:20]).values_list("body", flat=True)
    target = normalise(comment.body)
    return any(normalise(body) == target for body in candidates[:50])


def assess(comment: Comment, *, honeypot: bool = False, too_fast: bool = False) -> Verdict:
    """Spam rules first (they win), then the rules that only hold for a person to look."""
    if honeypot:
        return Verdict(Status.SPAM, Reason.HONEYPOT)
    if ban := active_ban(comment.email, comment.ip_address):
        return Verdict(Status.SPAM, Reason.BANNED, ban.reason[:200])
    if entry := blocklist_match(comment):
        return Verdict(Status.SPAM, Reason.BLOCKLIST, str(entry)[:200])
    if too_fast:
        return Verdict(Status.SPAM, Reason.TOO_FAST)
    if (links := count_links(comment.body)) > settings.COMMENTS_MAX_LINKS:
        return Verdict(Status.PENDING, Reason.TOO_MANY_LINKS, f"{links} links")
    if is_duplicate(comment):
        return Verdict(Status.PENDING, Reason.DUPLICATE)
    mode = settings.COMMENTS_MODERATION
    if mode == "all":
        return Verdict(Status.PENDING, Reason.HOLD_ALL)
    if mode == "first" and not Comment.objects.approved().by_email(comment.email).exists():
        return Verdict(Status.PENDING, Reason.FIRST_COMMENT)
    return Verdict(Status.APPROVED)
