"""The moderation queue's one-click row actions: Approve, Spam, Trash, Reply and Undo.

Each is a plain POST (the changelist form's CSRF token, a button's `formaction`) that
redirects back to the queue; moderation.js sends the same POST with fetch and gets JSON.
Status changes go through services.comment_set_status, so the page cache stays right.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from articles.models import Article, Comment

from . import services

Status = Comment.Status

# action in the URL -> (new status, what the message says happened)
ROW_ACTIONS = {
    "approve": (Status.APPROVED, "approved"),
    "spam": (Status.SPAM, "marked as spam"),
    "trash": (Status.REMOVED, "moved to the trash"),
}
UNDO_SESSION_KEY = "comment_queue_undo"
FILTER_ARTICLES = 30


class PendingArticleFilter(admin.SimpleListFilter):
    """The articles with comments awaiting moderation, most first: a big site has thousands of
    articles with comments, and a list of them all is neither readable nor fast."""

    title = "article (with held comments)"
    parameter_name = "article__id__exact"

    def lookups(self, request, model_admin):
        pending = model_admin.get_queryset(request).filter(status=Status.PENDING)
        counts = (
            pending.values("article")
            .annotate(count=Count("id"))
            .order_by("-count", "-article")[:FILTER_ARTICLES]
        )
        by_article = {row["article"]: row["count"] for row in counts}
        if (value := self.value()) and value.isdigit():
            by_article.setdefault(int(value), 0)  # the one chosen stays listed
        titles = dict(Article.objects.filter(pk__in=by_article).values_list("pk", "title"))
        return [
            (str(pk), f"{titles[pk]} ({count})") for pk, count in by_article.items() if pk in titles
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(article_id=int(value))


def _comment_to_moderate(model_admin, request, pk) -> Comment:
    """One the user may see (authors: on their own articles) and change (editors only)."""
    comment = model_admin.get_queryset(request).select_related("article").filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment.")
    if not model_admin.has_change_permission(request, comment):
        raise PermissionDenied("Moderating comments is the editors' job.")
    return comment


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request):
    """To the queue as it was (filters, page), from the Referer when it is ours."""
    referer = request.headers.get("Referer", "")
    changelist = reverse("admin:articles_comment_changelist")
    if referer and url_has_allowed_host_and_scheme(
        referer, {request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(referer)
    return HttpResponseRedirect(changelist)


def _answer(request, comment, message, level=messages.SUCCESS, status=200, **extra):
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": status == 200,
                "message": message,
                "id": comment.pk if comment else None,
                "status": comment.status if comment else None,
                "status_label": comment.get_status_display() if comment else None,
                **extra,
            },
            status=status,
        )
    messages.add_message(request, level, message)
    return _back(request)


def guarded(view):
    """POST only; a refusal sent by fetch gets JSON, a plain form gets the 403 page."""

    @require_POST
    def wrapper(request, model_admin, *args, **kwargs):
        try:
            return view(model_admin, request, *args, **kwargs)
        except PermissionDenied as error:
            if _wants_json(request):
                return JsonResponse({"ok": False, "message": str(error)}, status=403)
            raise

    return wrapper


@guarded
def row_action(model_admin, request, pk, action):
    if action not in ROW_ACTIONS:
        raise Http404("No such action.")
    comment = _comment_to_moderate(model_admin, request, pk)
    status, done = ROW_ACTIONS[action]
    if comment.status == status:
        return _answer(request, comment, f"The comment by {comment.name} was already {done}.")
    services.comment_set_status([comment], status)
    request.session[UNDO_SESSION_KEY] = comment.pk
    message = f"The comment by {comment.name} was {done}."
    return _answer(request, comment, message, undo_url=reverse("admin:articles_comment_undo"))


@guarded
def undo(model_admin, request):
    """Undo the last row action of this session."""
    pk = request.session.pop(UNDO_SESSION_KEY, None)
    comment = pk and model_admin.get_queryset(request).filter(pk=pk).first()
    if not comment:
        return _answer(request, None, "There is nothing to undo.", messages.WARNING, 409)
    comment = _comment_to_moderate(model_admin, request, pk)
    if not services.comment_undo(comment):
        return _answer(request, comment, "There is nothing to undo.", messages.WARNING, 409)
    message = f"Undone: the comment by {comment.name} is {comment.get_status_display().lower()}."
    return _answer(request, comment, message)


@guarded
def reply(model_admin, request, pk):
    """A staff reply, shown at once under the comment and marked as staff."""
    comment = _comment_to_moderate(model_admin, request, pk)
    body = request.POST.get(f"reply-{pk}", request.POST.get("body", "")).strip()
    body = body.replace("\r\n", "\n")
    limit = settings.COMMENTS_MAX_LENGTH
    if not body or len(body) > limit:
        problem = (
            "Write a reply first." if not body else f"A reply is at most {limit:,} characters."
        )
        return _answer(request, comment, problem, messages.ERROR, 400)
    reply = services.comment_staff_reply(comment, request.user, body)
    return _answer(
        request,
        comment,
        f"Your reply to {comment.name} is published.",
        reply_id=reply.pk,
        reply_url=reply.get_absolute_url(),
    )


def undo_offer(request):
    """The comment the "Undo" button would restore, if any (shown above the queue)."""
    pk = request.session.get(UNDO_SESSION_KEY)
    if not pk:
        return None
    return Comment.objects.filter(pk=pk).exclude(previous_status="").first()
