"""The newsroom's admin site: a start page for the desk and the admin-only CSP.

Kept outside the articles.admin package, which imports models, because
INSTALLED_APPS loads this module before the app registry is ready.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.csp import csp_override

from articles.login_throttle import LoginAttempt, device_remember
from articles.roles import menu_hidden

START_PAGE_ROWS = 8
log = logging.getLogger("newsroom.security")


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom desk"
    site_title = "Newsroom desk"
    index_title = "Start"

    def admin_view(self, view, cacheable=False):
        # The prose editor needs inline styles; only admin pages get that allowance.
        return super().admin_view(csp_override(settings.ADMIN_CSP)(view), cacheable)

    def login(self, request, extra_context=None):
        """Django's login behind the throttle in articles.login_throttle."""
        if request.method != "POST":
            return super().login(request, extra_context)
        attempt = LoginAttempt(request)
        if refusal := attempt.refuse():
            log.warning("admin login refused", extra={"reason": refusal.reason})
            context = {
                "message": refusal.message,
                "site_name": self.site_header,
                "back_url": request.get_full_path(),
            }
            response = TemplateResponse(request, "429.html", context, status=429)
            response["Retry-After"] = str(refusal.retry_after)
            return response
        try:
            response = super().login(request, extra_context)
        except BaseException:
            attempt.release()
            raise
        succeeded = request.user.is_authenticated and response.status_code == 302
        attempt.record(succeeded)
        if succeeded:
            device_remember(response, attempt.username)
        else:
            log.info("admin login failed")
        return response

    def index(self, request, extra_context=None):
        from articles.admin.staff import may_add_staff

        extra_context = {
            **(extra_context or {}),
            "desk": desk_summary(request.user),
            "may_add_staff": may_add_staff(request.user),
        }
        return super().index(request, extra_context)

    def get_app_list(self, request, app_label=None):
        """Each role's menu shows what it uses (roles.MENU_HIDDEN); superusers see it all."""
        app_list = super().get_app_list(request, app_label)
        if request.user.is_superuser:
            return app_list
        hidden = menu_hidden(request.user)
        tags = []
        for app in app_list:
            app["models"] = [
                m
                for m in app["models"]
                if f"{app['app_label']}.{m['object_name'].lower()}" not in hidden
            ]
            if app["app_label"] == "taggit" and not app_label:  # "Taggit" means nothing here
                tags, app["models"] = app["models"], []
        app_list = [app for app in app_list if app["models"]]
        for app in app_list:
            if app["app_label"] == "articles" and tags:
                app["models"] = sorted(app["models"] + tags, key=lambda m: m["name"])
        return app_list

    def get_urls(self):
        from articles.admin import staff
        from articles.admin.site import view_on_site

        # Ahead of Django's own, which redirects any staff member to any object's page.
        view = self.admin_view(partial(view_on_site, admin_site=self))
        route = "r/<int:content_type_id>/<path:object_id>/"
        return [
            path(route, view, name="view_on_site"),
            *staff.urls(self),
            *super().get_urls(),
        ]


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
