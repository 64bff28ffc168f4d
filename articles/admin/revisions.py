"""Article history in the admin: who changed what and when, diffs against live, restore."""

import difflib
import re

from django.contrib import messages
from django.contrib.admin.utils import display_for_value
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import strip_tags

from articles.models import Article, Section
from articles.services import article_restore, article_snapshot

# Fields shown in a diff, in the order of the article form.
DIFF_FIELDS = [
    "title", "slug", "dek", "body", "hero_image", "hero_alt", "hero_is_decorative",
    "hero_caption", "hero_credit", "section_id", "kind", "dateline", "status",
    "published_at", "updated_at", "comments_open", "is_featured",
]  # fmt: skip
LONG_FIELDS = {"dek", "body"}
IMG = re.compile(r"<img\b(?:[^>]*?\balt=\"([^\"]*)\")?[^>]*>")
BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote)>|<(hr|br)\s*/?>")


def _display(name, value):
    if name == "section_id":
        return str(Section.objects.filter(pk=value).first() or "—") if value else "—"
    if name == "body":
        # One line per block, images as [image: alt], so the diff reads like the text.
        text = IMG.sub(lambda m: f"[image: {m.group(1) or 'no alt text'}]", value or "")
        text = BLOCK_END.sub("\n", text)
        return "\n".join(line.strip() for line in strip_tags(text).splitlines() if line.strip())
    if hasattr(value, "isoformat"):
        return display_for_value(value, "—")  # the admin's own date format
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value not in (None, "") else "—"


def _snapshot_lines(snapshot: dict) -> dict[str, str]:
    return {
        "bylines": "\n".join(f"{b['name']} ({b['role']})" for b in snapshot.get("bylines", [])),
        "tags": ", ".join(snapshot.get("tags", [])),
        "citations": "\n".join(
            f"{c['source_name']}: {c['url']} {c['title']}".strip()
            for c in snapshot.get("citations", [])
        ),
        "corrections": "\n".join(
            f"{c['kind']} {c['published_at'][:10]}: {c['note']}"
            for c in snapshot.get("corrections", [])
        ),
    }


def revision_diff(record, article: Article) -> list[dict]:
    """Rows of (field, revision value, live value, changed, line diff) for the template."""
    rows = []
    for name in DIFF_FIELDS:
        field = Article._meta.get_field(name.removesuffix("_id"))
        old, new = _display(name, getattr(record, name)), _display(name, getattr(article, name))
        rows.append(_row(field.verbose_name, old, new, long=name in LONG_FIELDS))
    if record.snapshot:
        old_meta, new_meta = (
            _snapshot_lines(record.snapshot),
            _snapshot_lines(article_snapshot(article)),
        )
        for key in old_meta:
            rows.append(_row(key, old_meta[key] or "—", new_meta[key] or "—", long=True))
    return rows


def revision_changes(record, previous) -> list[str]:
    """Names of what a revision changed compared with the one before it."""
    if previous is None:
        return ["created"]
    fields = record.diff_against(previous, excluded_fields=["version"]).changed_fields
    names = [str(Article._meta.get_field(name).verbose_name) for name in fields]
    if record.snapshot and previous.snapshot:
        names += [
            key for key in record.snapshot if record.snapshot[key] != previous.snapshot.get(key)
        ]
    return names


def _row(label, old, new, *, long):
    lines = []
    if long and old != new:
        for line in difflib.ndiff(old.splitlines(), new.splitlines()):
            if line[:1] in "+- ":
                lines.append(
                    {"op": {"+": "added", "-": "removed"}.get(line[0], "same"), "text": line[2:]}
                )
    return {"label": label, "old": old, "new": new, "changed": old != new, "lines": lines}


class RevisionViews:
    """Mixed into ArticleAdmin: replaces the admin's history page with revisions."""

    object_history_template = "admin/articles/article/history.html"

    def revision_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/history/<int:history_id>/",
                view(self.revision_diff_view),
                name="articles_article_revision",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                view(self.revision_restore_view),
                name="articles_article_restore",
            ),
        ]

    def _article_and_record(self, request, object_id, history_id):
        article = self.get_object(request, object_id)  # 404 for articles not theirs
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        record = get_object_or_404(
            article.history.select_related("history_user"), history_id=history_id
        )
        return article, record

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        records = list(article.history.select_related("history_user").order_by("-history_id"))
        for record, previous in zip(records, [*records[1:], None], strict=True):
            record.changes = revision_changes(record, previous)
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {article}",
            "subtitle": None,
            "object": article,
            "records": records,
            "opts": self.model._meta,
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def revision_diff_view(self, request, object_id, history_id):
        article, record = self._article_and_record(request, object_id, history_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revision of {display_for_value(record.history_date, '')} compared with the live article",
            "object": article,
            "record": record,
            "rows": revision_diff(record, article),
            "opts": self.model._meta,
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revision_diff.html", context)

    def revision_restore_view(self, request, object_id, history_id):
        article, record = self._article_and_record(request, object_id, history_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.method != "POST":
            raise Http404("Restore from the revision page.")
        try:
            article_restore(
                article, record, user=request.user, note=request.POST.get("note", "").strip()
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            url = reverse("admin:articles_article_revision", args=[article.pk, history_id])
            return HttpResponseRedirect(url)
        messages.success(
            request, "The revision was restored; the previous text is kept in the history."
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
