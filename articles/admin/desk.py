"""The article page's desk tools: the publish panel, edit locks, autosave and Preview."""

import math
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles.models import Article, Autosave, EditLock
from articles.models.article import WORDS_PER_MINUTE
from articles.sanitize import sanitize_html
from articles.services import article_is_editor

from .forms import editor_name, lock_time

# The form's own text: what an autosave keeps (files, choices and inline rows are quick to redo).
AUTOSAVE_FIELDS = [
    "title", "slug", "dek", "body", "dateline", "hero_alt", "hero_caption", "hero_credit",
    "tags", "change_note",
]  # fmt: skip


def words_and_minutes(body: str) -> tuple[int, int]:
    """Words and minutes to read, counted as publish_panel.js counts them while typing."""
    words = len(re.sub(r"<[^>]*>", " ", body or "").split())
    return words, max(1, math.ceil(words / WORDS_PER_MINUTE))


def lock_state(lock: EditLock, user) -> dict:
    holder, since = editor_name(lock.user), lock_time(lock.since)
    mine = lock.user_id == user.pk
    return {
        "mine": mine,
        "holder": holder,
        "since": since,
        "message": "" if mine else f"{holder} is editing this article since {since}.",
    }


class DeskViews:
    """Mixed into ArticleAdmin (before ModelAdmin)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        attrs = {"editing_user": request.user}
        restoring = request.method == "GET" and request.GET.get("restore")
        if restoring and (autosave := self._autosave(request, obj)):
            attrs["restored"] = autosave.fields
        return type(form.__name__, (form,), attrs)

    def _autosave(self, request, obj):
        return Autosave.objects.filter(user=request.user, article=obj).first()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        lock = None
        if obj is not None and self.has_change_permission(request, obj):
            if request.method == "GET":
                lock = EditLock.objects.claim(obj, request.user)
            else:
                lock = EditLock.objects.held().filter(article=obj).first()
        autosave = self._autosave(request, obj)
        saved_at = obj.modified_at if obj else None
        if autosave and saved_at and autosave.saved_at <= saved_at:
            autosave = None  # older than the article: nothing to offer
        words, minutes = words_and_minutes(form["body"].value())
        context.update(
            desk_lock=lock if lock and lock.user_id != request.user.pk else None,
            desk_may_take_over=article_is_editor(request.user),
            desk_lock_url=reverse("admin:articles_article_lock", args=[obj.pk]) if obj else "",
            desk_autosave_url=self._autosave_url(obj),
            desk_autosave=None if form.restored or form.is_bound else autosave,
            desk_restored=bool(form.restored),
            desk_primary=form.primary_action(),
            desk_is_published=bool(obj and obj.status == Article.Status.PUBLISHED),
            desk_site_zone=settings.TIME_ZONE,
            desk_words=words,
            desk_minutes=minutes,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _autosave_url(obj):
        if obj is None:
            return reverse("admin:articles_article_autosave_new")
        return reverse("admin:articles_article_autosave", args=[obj.pk])

    # Preview saves first -----------------------------------------------------------

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return self._to_preview(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return self._to_preview(request, obj)
        return super().response_change(request, obj)

    def _to_preview(self, request, obj):
        return HttpResponseRedirect(reverse("articles:article_preview", args=[obj.pk]))

    # Edit locks ----------------------------------------------------------------------

    def lock_view(self, request, object_id):
        """POST action=heartbeat (renew or claim a free lock), release, or take (editors)."""
        article = self.get_object(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        action = request.POST.get("action", "heartbeat")
        if action == "release":
            EditLock.objects.release(article, request.user)
            return JsonResponse({"released": True})
        if action == "take":
            if not article_is_editor(request.user):
                raise PermissionDenied("Only editors take over an article.")
            EditLock.objects.claim(article, request.user, take_over=True)
            messages.info(request, "You are editing this article now.")
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        lock = EditLock.objects.claim(article, request.user)
        return JsonResponse(lock_state(lock, request.user))

    # Autosave ------------------------------------------------------------------------

    def autosave_view(self, request, object_id=None):
        """Keep the form's text (POST), or drop it (?discard=1); never a revision."""
        article = self.get_object(request, object_id) if object_id else None
        allowed = (
            self.has_change_permission(request, article)
            if article
            else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        if request.GET.get("discard"):
            Autosave.objects.filter(user=request.user, article=article).delete()
            page = (
                reverse("admin:articles_article_change", args=[article.pk])
                if article
                else reverse("admin:articles_article_add")
            )
            return HttpResponseRedirect(page)
        fields = {name: request.POST[name] for name in AUTOSAVE_FIELDS if name in request.POST}
        if "body" in fields:
            fields["body"] = sanitize_html(fields["body"])
        autosave, _ = Autosave.objects.update_or_create(
            user=request.user,
            article=article,
            defaults={"fields": fields, "saved_at": timezone.now()},
        )
        return JsonResponse({"saved_at": autosave.saved_at.isoformat()})

    def desk_urls(self):
        def view(function):
            return self.admin_site.admin_view(require_POST(function))

        return [
            path("autosave/", view(self.autosave_view), name="articles_article_autosave_new"),
            path(
                "<path:object_id>/autosave/",
                view(self.autosave_view),
                name="articles_article_autosave",
            ),
            path("<path:object_id>/lock/", view(self.lock_view), name="articles_article_lock"),
        ]
