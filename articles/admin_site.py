"""The newsroom's admin site: a start page for the desk and the admin-only CSP.

Kept outside the articles.admin package, which imports models, because
INSTALLED_APPS loads this module before the app registry is ready.
"""

import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.template.response import TemplateResponse
from django.views.decorators.csp import csp_override

from articles.comments.ratelimit import RateLimit, client_ip

START_PAGE_ROWS = 8
log = logging.getLogger("newsroom.security")


def login_limits() -> list[tuple[RateLimit, str]]:
    """(limit, prefix): failed admin logins per IP address and per username."""
    seconds = settings.ADMIN_LOGIN_LOCKOUT_SECONDS
    return [
        (RateLimit("admin-login-ip", settings.ADMIN_LOGIN_FAILURES_PER_IP, seconds), "ip"),
        (RateLimit("admin-login-user", settings.ADMIN_LOGIN_FAILURES_PER_USER, seconds), "user"),
    ]


def login_identities(request) -> dict[str, str]:
    username = request.POST.get("username", "").strip().lower()[:150]
    return {"ip": f"ip:{client_ip(request)}", "user": f"user:{username}" if username else ""}


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom desk"
    site_title = "Newsroom desk"
    index_title = "Start"

    def admin_view(self, view, cacheable=False):
        # The prose editor needs inline styles; only admin pages get that allowance.
        return super().admin_view(csp_override(settings.ADMIN_CSP)(view), cacheable)

    def login(self, request, extra_context=None):
        """Django's login, refused for a while after too many failures from an address or
        for a username (guessing passwords); a success clears the username's count."""
        if request.method != "POST":
            return super().login(request, extra_context)
        identities = login_identities(request)
        limits = [(limit, identities[kind]) for limit, kind in login_limits() if identities[kind]]
        if any(limit.count(identity) >= limit.limit for limit, identity in limits):
            log.warning("admin login refused: locked out")
            minutes = -(-settings.ADMIN_LOGIN_LOCKOUT_SECONDS // 60)
            message = (
                "Too many failed sign-in attempts. For your security, signing in is paused "
                f"for up to {minutes} minutes. Please wait and try again, or ask an "
                "administrator to reset your password."
            )
            context = {"message": message, "site_name": self.site_header}
            return TemplateResponse(request, "429.html", context, status=429)
        response = super().login(request, extra_context)
        if request.user.is_authenticated and response.status_code == 302:
            for limit, identity in limits:
                if identity.startswith("user:"):
                    limit.reset(identity)
        else:
            for limit, identity in limits:
                limit.hit(identity)
            log.info("admin login failed")
        return response

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "desk": desk_summary(request.user)}
        return super().index(request, extra_context)


def desk_summary(user) -> dict:
    """What a staff member sees first: their drafts, the schedule, the latest, the queue."""
    from articles.models import Article, Comment
    from articles.services import article_is_editor

    articles = Article.objects.select_related("section")
    mine = articles.filter(bylines__author__user=user).distinct()
    visible = articles if article_is_editor(user) else mine
    comments = Comment.objects.pending()
    if not user.has_perm("articles.change_comment"):
        comments = comments.filter(article__in=mine)
    sections = {
        "my_drafts": ("My drafts", mine.drafts().order_by("-modified_at")),
        "scheduled": ("Scheduled", visible.scheduled().order_by("published_at")),
        "recent": ("Recently published", visible.published().order_by("-published_at")),
    }
    summary = {
        key: {"title": title, "count": qs.count(), "rows": list(qs[:START_PAGE_ROWS])}
        for key, (title, qs) in sections.items()
    }
    summary["comments"] = {
        "title": "Comments awaiting moderation",
        "count": comments.count(),
        "rows": list(comments.select_related("article").order_by("-created_at")[:START_PAGE_ROWS]),
    }
    return summary


class NewsroomAdminConfig(AdminConfig):
    default_site = "articles.admin_site.NewsroomAdminSite"
