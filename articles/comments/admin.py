"""Comment moderation for editors; authors see (only) the comments on their own articles."""

import json
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from articles.comments import privacy, queue, services
from articles.comments.forms import CommenterForm
from articles.models import Article, Ban, BlocklistEntry, Comment, ReplySubscription, Report
from articles.pagecache.triggers import PICK, comments_changed

ROW_BUTTONS = [("approve", "Approve"), ("spam", "Spam"), ("trash", "Trash")]

Status = Comment.Status


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = True
    fields = ["reason", "note", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # Five narrow columns and the row's buttons: the queue fits a 1,366-pixel screen.
    list_display = ["comment_cell", "article_link", "status_cell", "created_at", "row_actions"]
    list_display_links = None
    list_filter = ["status", "hold_reason", "is_editors_pick", queue.PendingArticleFilter]
    list_select_related = ["article"]
    search_fields = ["name", "email", "body", "=ip_address"]
    raw_id_fields = ["article", "parent", "user"]
    actions = ["approve", "mark_spam", "remove", "make_pick", "ban_commenters"]
    inlines = [ReportInline]
    readonly_fields = [
        "in_context",
        "hold_reason",
        "hold_detail",
        "report_count",
        "ip_address",
        "user_agent",
        "created_at",
    ]
    fieldsets = [
        (None, {"fields": ["in_context", "status", "is_editors_pick"]}),
        ("Comment", {"fields": ["name", "email", "website", "body"]}),
        (
            "Moderation",
            {
                "fields": [
                    "hold_reason",
                    "hold_detail",
                    "report_count",
                    "ip_address",
                    "user_agent",
                    "created_at",
                ]
            },
        ),
        ("Thread", {"classes": ["collapse"], "fields": ["article", "parent", "user"]}),
    ]

    def get_ordering(self, request):
        # The queue: held and reported comments first, most reported first, newest first.
        needs_attention = Case(
            When(Q(status=Status.PENDING) | Q(report_count__gt=0), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [needs_attention.asc(), "-report_count", "-created_at"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.has_perm("articles.change_comment"):
            # A subquery, not a join: no duplicate rows, and no DISTINCT to fight the ordering.
            own = Article.objects.filter(bylines__author__user=request.user)
            queryset = queryset.filter(article__in=own)
        return queryset

    class Media:
        js = ["admin_newsroom/moderation.js"]
        css = {"all": ["admin_newsroom/moderation.css"]}

    def get_list_display(self, request):
        if self.has_change_permission(request):
            return self.list_display
        return [name for name in self.list_display if name != "row_actions"]  # authors read

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "undo_offer": queue.undo_offer(request),
            "can_moderate": self.has_change_permission(request),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="comment")
    def comment_cell(self, obj):
        staff = mark_safe(' <span class="staff-badge">Staff</span>') if obj.is_staff_reply else ""
        return format_html(
            '<a class="comment-edit" href="{}"><strong>{}</strong></a>{}'
            '<span class="queue-body">{}</span>',
            reverse("admin:articles_comment_change", args=[obj.pk]),
            obj.name,
            staff,
            Truncator(obj.body).chars(160),
        )

    @admin.display(description="status", ordering="status")
    def status_cell(self, obj):
        why = format_html("<br><small>{}</small>", obj.get_hold_reason_display())
        reports = format_html("<br><small>{} report(s)</small>", obj.report_count)
        return format_html(
            '<span class="queue-status status-{}">{}</span>{}{}{}',
            obj.status,
            obj.get_status_display(),
            why if obj.hold_reason else "",
            reports if obj.report_count else "",
            mark_safe("<br><small>Editor&#x27;s pick</small>") if obj.is_editors_pick else "",
        )

    @admin.display(description="moderate")
    def row_actions(self, obj):
        """Buttons of the changelist form (its CSRF token) posting to the row's own URL."""
        buttons = format_html_join(
            "",
            '<button type="submit" class="queue-action queue-{0}" data-action="{0}"'
            ' formaction="{1}"{3}>{2}</button>',
            (
                (
                    action,
                    reverse("admin:articles_comment_moderate", args=[obj.pk, action]),
                    label,
                    mark_safe(" disabled") if obj.status == status else "",
                )
                for (action, label), status in zip(
                    ROW_BUTTONS, [Status.APPROVED, Status.SPAM, Status.REMOVED], strict=True
                )
            ),
        )
        reply_url = reverse("admin:articles_comment_reply", args=[obj.pk])
        return format_html(
            '<div class="queue-actions" data-comment="{pk}">{buttons}'
            '<a class="queue-edit" href="{edit}">Edit</a>'
            '<details class="queue-reply"><summary>Reply</summary>'
            '<label for="reply-{pk}">Reply to {name} as staff (published at once)</label>'
            '<textarea id="reply-{pk}" name="reply-{pk}" rows="3" maxlength="{max}"></textarea>'
            '<button type="submit" class="queue-action queue-send" data-action="reply"'
            ' formaction="{reply_url}">Send reply</button></details></div>',
            pk=obj.pk,
            buttons=buttons,
            edit=reverse("admin:articles_comment_change", args=[obj.pk]),
            name=obj.name,
            max=settings.COMMENTS_MAX_LENGTH,
            reply_url=reply_url,
        )

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.article.get_absolute_url(), obj.article)

    @admin.display(description="in context")
    def in_context(self, obj):
        parent = ""
        if obj.parent_id:
            parent = format_html(
                "<p>In reply to <strong>{}</strong>: {}</p>",
                obj.parent.name,
                Truncator(obj.parent.body).chars(300),
            )
        where = (
            "Open it on the site"
            if obj.is_approved
            else "Its place on the site (shown once approved)"
        )
        return format_html(
            '{}<p>On <a href="{}">{}</a>. <a href="{}">{}</a></p>',
            parent,
            obj.article.get_absolute_url(),
            obj.article,
            obj.get_absolute_url(),
            where,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data and obj.is_approved:
            services.comment_approved(obj)

    def _set_status(self, request, queryset, status, label):
        count = services.comment_set_status(list(queryset), status)
        self.message_user(request, f"{count} comment(s) {label}.", messages.SUCCESS)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._set_status(request, queryset, Status.APPROVED, "approved")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._set_status(request, queryset, Status.SPAM, "marked as spam")

    @admin.action(description="Remove selected comments", permissions=["change"])
    def remove(self, request, queryset):
        self._set_status(request, queryset, Status.REMOVED, "removed")

    @admin.action(description="Mark selected comments as editor's picks", permissions=["change"])
    def make_pick(self, request, queryset):
        comments = list(queryset.filter(is_editors_pick=False))
        count = queryset.update(is_editors_pick=True)
        # update() sends no signals: the pages showing these comments change.
        comments_changed([c for c in comments if c.is_approved], PICK)
        self.message_user(request, f"{count} comment(s) marked as editor's picks.")

    @admin.action(description="Ban the commenter (email and IP)", permissions=["change"])
    def ban_commenters(self, request, queryset):
        comment = queryset.first()
        if queryset.count() != 1:
            self.message_user(request, "Select one comment to ban its author.", messages.WARNING)
            return None
        query = urlencode({"email": comment.email, "ip_range": comment.ip_address or ""})
        return redirect(f"{reverse('admin:articles_ban_add')}?{query}")

    def get_urls(self):
        view = self.admin_site.admin_view(self.commenter_view)

        def row(function):
            return self.admin_site.admin_view(partial(function, model_admin=self))

        return [
            path("commenter/", view, name="articles_comment_commenter"),
            path("undo/", row(queue.undo), name="articles_comment_undo"),
            path(
                "<int:pk>/moderate/<str:action>/",
                row(queue.row_action),
                name="articles_comment_moderate",
            ),
            path("<int:pk>/reply/", row(queue.reply), name="articles_comment_reply"),
            *super().get_urls(),
        ]

    def commenter_view(self, request):
        """Export or erase everything stored about one commenter's email address."""
        if not request.user.has_perm("articles.delete_comment"):
            return HttpResponse("Editors only.", status=403)
        form = CommenterForm(request.POST or None, initial={"email": request.GET.get("email", "")})
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            if "export" in request.POST:
                data = json.dumps(privacy.commenter_export(email), indent=2, ensure_ascii=False)
                response = HttpResponse(data, content_type="application/json; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="commenter.json"'
                return response
            remove = form.cleaned_data["erase_mode"] == CommenterForm.Erase.REMOVE
            count = privacy.commenter_erase(email, remove=remove)
            verb = "removed" if remove else "anonymised"
            self.message_user(request, f"{count} comment(s) by {email} {verb}.", messages.SUCCESS)
            return redirect("admin:articles_comment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Export or erase a commenter's data",
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/articles/comment/commenter.html", context)


@admin.register(BlocklistEntry)
class BlocklistEntryAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "note", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "ip_range", "reason", "expires_at", "created_by"]
    search_fields = ["email", "ip_range", "reason"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReplySubscription)
class ReplySubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "comment", "created_at", "confirmed_at", "unsubscribed_at"]
    search_fields = ["email"]
    raw_id_fields = ["comment"]
    readonly_fields = ["comment", "email", "created_at", "confirmed_at", "unsubscribed_at"]
