"""Signed values: links in emails, the held-comment redirect, the remember-me cookie.

None needs a database secret; each salt keeps one kind from being used as another.
"""

from django.core import signing

from articles.models import Comment

HELD_SALT = "articles.comments.held"
HELD_MAX_AGE = 60 * 60 * 24 * 7
SUBSCRIBE_SALT = "articles.comments.subscribe"
SUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 14
UNSUBSCRIBE_SALT = "articles.comments.unsubscribe"
REMEMBER_COOKIE = "comment_author"
REMEMBER_SALT = "articles.comments.remember"


def held_token(comment: Comment) -> str:
    return signing.dumps(comment.pk, salt=HELD_SALT)


def held_comment_id(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=HELD_SALT, max_age=HELD_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def email_token(email: str, salt: str) -> str:
    return signing.dumps(email.lower(), salt=salt)


def email_from_token(token: str, salt: str, max_age=None) -> str | None:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def remember_cookie_value(data: dict) -> str:
    """Name, email and website; static/js/site.js decodes the payload to fill the form."""
    fields = {key: data.get(key) or "" for key in ("name", "email", "website")}
    return signing.dumps(fields, salt=REMEMBER_SALT)
