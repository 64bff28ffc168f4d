"""Forms of the authoring desk: the article form (prose editor, locking, checklist)."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.formsets import DELETION_FIELD_NAME
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django_prose_editor.fields import ProseEditorFormField
from taggit.models import Tag

from articles.images import image_clean
from articles.media import hero_fields
from articles.models import Article, EditLock, Section
from articles.sanitize import sanitize_html
from articles.services import (
    article_checklist,
    article_is_editor,
    byline_may_credit,
    checklist_failures,
)

from .uploads import KeptFileInput, pending_upload_store

# What the site renders, and nothing more; the server sanitises whatever arrives.
PROSE_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    # autolink off also makes the link mark non-inclusive: typing at a link's end is plain text.
    "Link": {"enableTarget": False, "autolink": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Image": True,
    "Figure": True,  # the menu's image button: URL, alt text and an optional caption
    "Caption": True,
    "HorizontalRule": True,
    "HardBreak": True,
    # Tables (the insert dialog offers a header row), and corrections: Strike is <s>, the
    # Deletion/Insertion marks <del>/<ins>; Embed takes a post's URL. The last three are
    # ours (DJANGO_PROSE_EDITOR_EXTENSIONS: static/admin_newsroom/prose_extensions.js).
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Strike": True,
    "Deletion": True,
    "Insertion": True,
    "Embed": True,
    "AnchorIds": True,  # headings keep their ids
}


class ArticleAdminForm(forms.ModelForm):
    body = ProseEditorFormField(
        config={"extensions": PROSE_EXTENSIONS}, sanitize=sanitize_html, required=False
    )
    change_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What changed and why; required once the article is published.",
    )
    minor_edit = forms.BooleanField(
        label="Minor edit",
        required=False,
        help_text='A small fix (typo, link): no change note needed, and the public "Updated" '
        "time stays as it is. A revision is still kept.",
    )
    index = forms.TypedChoiceField(
        label="Index (table of contents)",
        choices=Article.Index.choices,
        required=False,
        empty_value=Article.Index.AUTO,  # a form from before the field existed: automatic
        help_text="Automatic shows it once the body has enough headings.",
    )
    form_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The publish panel's picker sends the time it shows in the browser's own zone as an ISO
    # string with its offset; without JavaScript the date and time fields (the site's zone) rule.
    schedule_at = forms.CharField(widget=forms.HiddenInput, required=False)
    editing_user = None  # set by the admin: whoever saves (the edit lock is theirs or free)
    restored = None  # an autosave's fields, when the page was opened to restore it

    class Meta:
        model = Article
        widgets = {"dek": forms.Textarea(attrs={"rows": 3}), "hero_image": KeptFileInput}
        labels = {"hero": "Hero image from the library", "hero_image": "or upload a new one"}
        # The admin's fieldsets choose what is shown; this is the most a form may take.
        fields = [
            "title", "slug", "dek", "body", "index", "hero_image", "hero_alt", "hero_is_decorative",
            "hero", "hero_caption", "hero_credit", "section", "kind", "dateline", "tags",
            "status",
            "published_at", "updated_at", "comments_open", "is_featured",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["form_version"].initial = self.instance.version
        if self.restored and not self.is_bound:
            self.initial.update({k: v for k, v in self.restored.items() if k in self.fields})
        if "tags" in self.fields:
            self.fields["tags"].widget.attrs |= {
                "data-suggest-url": reverse("admin:articles_article_tag_suggestions"),
                "autocomplete": "off",
            }
            self.fields[
                "tags"
            ].help_text = "Separate tags with commas; suggestions appear as you type."
        if "hero_alt" in self.fields:
            self.fields[
                "hero_alt"
            ].help_text = (
                "Describe the image for someone who cannot see it. Required unless decorative."
            )

    def clean_hero_image(self):
        image = self.cleaned_data.get("hero_image")
        if isinstance(image, UploadedFile) and not getattr(image, "kept_token", None):
            return image_clean(image)
        return image  # unchanged, cleared, or kept from a refused save (cleaned then)

    def keep_upload(self):
        """The form is shown again with errors: keep a new hero image for the next save."""
        image = getattr(self, "cleaned_data", {}).get("hero_image")
        if "hero_image" in self.fields and isinstance(image, UploadedFile):
            token = getattr(image, "kept_token", None) or pending_upload_store(image)
            image.kept_token = token
            self.fields["hero_image"].widget.kept = (image.name, token)

    @property
    def kept_upload_token(self) -> str | None:
        """The token of a kept hero image this save used (its stored copy may go)."""
        image = getattr(self, "cleaned_data", {}).get("hero_image")
        return getattr(image, "kept_token", None)

    def clean_schedule_at(self):
        value = self.cleaned_data.get("schedule_at", "").strip()
        if not value:
            return None
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                "The publication time could not be read; pick it again."
            ) from None
        if timezone.is_naive(when):
            raise ValidationError("The publication time came without its time zone.")
        return when

    def clean(self):
        data = super().clean()
        article = self.instance
        if data.get("schedule_at"):
            data["published_at"] = data["schedule_at"]
        for name in ("published_at", "updated_at"):
            # The form shows whole seconds: an untouched time keeps its microseconds.
            original = getattr(article, name)
            if original and data.get(name) == original.replace(microsecond=0):
                data[name] = original
        if article.pk:
            self._check_version(article)
            self._check_lock(article)
            was_published = Article.objects.filter(
                pk=article.pk, status=Article.Status.PUBLISHED
            ).exists()
            minor = was_published and data.get("minor_edit")
            if was_published and not minor and not data.get("change_note", "").strip():
                self.add_error(
                    "change_note", "This article is published: say briefly what you changed."
                )
        if data.get("status") == Article.Status.PUBLISHED:
            # Only publishing needs alt text: drafts always save (the checklist says so).
            hero = hero_fields(data)
            if hero["hero_image"] and not hero["hero_alt"] and not hero["hero_is_decorative"]:
                self.add_error("hero_alt", "Describe the hero image, or mark it as decorative.")
            if not data.get("published_at"):
                data["published_at"] = timezone.now()
            self._check_publishable(data)
        return data

    def _check_version(self, article):
        current = Article.objects.filter(pk=article.pk).values_list("version", flat=True).first()
        submitted = self.cleaned_data.get("form_version")
        if current is not None and submitted != current:
            latest = article.history.order_by("-history_id").select_related("history_user").first()
            who = latest.history_user if latest and latest.history_user else "someone else"
            url = reverse("admin:articles_article_change", args=[article.pk])
            raise ValidationError(
                format_html(
                    "{} saved a newer version of this article while you were editing, so your "
                    "save was refused to avoid overwriting it. Your text is still below. "
                    '<a href="{}" target="_blank" rel="noopener">Open the newer version</a> '
                    "in a new tab, copy your changes across, and save there.",
                    who,
                    url,
                ),
                code="stale",
            )

    def _check_lock(self, article):
        if self.editing_user is None:
            return
        lock = EditLock.objects.held().filter(article=article).select_related("user").first()
        if lock and lock.user_id != self.editing_user.pk:
            raise ValidationError(
                "%(who)s is editing this article since %(since)s, so your save was refused to "
                "avoid overwriting their work. Your text is still below (and autosaved): copy "
                "it somewhere safe, or ask them to close the article, then save again.",
                params={"who": editor_name(lock.user), "since": lock_time(lock.since)},
                code="locked",
            )

    def primary_action(self) -> str:
        """What the panel's main button will do, from the form as it stands."""
        data = getattr(self, "cleaned_data", None) or {}
        status = data.get("status") or self["status"].value() or self.instance.status
        when = data.get("published_at", self.instance.published_at)
        was_live = self.instance.pk and Article.objects.published().filter(pk=self.instance.pk)
        return publish_action(status, when, was_live=bool(was_live and was_live.exists()))

    def _check_publishable(self, data):
        checks = article_checklist(
            title=data.get("title"),
            dek=data.get("dek"),
            section=data.get("section"),
            **hero_fields(data),
            body=data.get("body"),
            byline_count=1,  # bylines are inline: BylineFormSet checks them
            citation_count=1,
        )
        for failure in checklist_failures(checks):
            self.add_error(None, f"Before publishing: {failure.lower()}.")


def publish_action(status, published_at, *, was_live=False) -> str:
    """The label of the publish panel's main button: Save draft, Publish, Schedule, Update."""
    if status != Article.Status.PUBLISHED:
        return "Unpublish" if was_live else "Save draft"
    if published_at and published_at > timezone.now():
        return f"Schedule for {date_format(timezone.localtime(published_at), 'DATETIME_FORMAT')}"
    return "Update" if was_live else "Publish"


def editor_name(user) -> str:
    return user.get_full_name() or user.get_username()


def lock_time(when) -> str:
    """A lock's time as the desk shows times of day: the site's zone, the admin's format."""
    return date_format(timezone.localtime(when), "TIME_FORMAT")


class BylineFormSet(forms.BaseInlineFormSet):
    """Refuses to publish an article left without a byline, and an author's crediting of a
    staff colleague (which would also open the article to them)."""

    def __init__(self, *args, author_joins=False, user=None, **kwargs):
        # True when the saving author will be added as the first byline on save.
        self.author_joins = author_joins
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("author")
        ]
        for form in kept:
            author = form.cleaned_data["author"]
            credits_anew = not form.instance.pk or "author" in form.changed_data
            if credits_anew and self.user and not byline_may_credit(self.user, author):
                form.add_error(
                    "author",
                    f"{author} is a staff colleague: only an editor can credit them. Add a "
                    "guest contributor (an author without an account), or ask an editor.",
                )
        if self.instance.status == Article.Status.PUBLISHED and not kept and not self.author_joins:
            raise ValidationError("Before publishing: add at least one byline.")


class EditorialNoteFormSet(forms.BaseInlineFormSet):
    """A note stays as its writer wrote it (it is credited to them): others see it read-only
    and cannot delete it. Editors look after notes whose writer has left."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        note = form.instance
        if not note.pk or self.user is None:
            return
        orphan = note.created_by_id is None and article_is_editor(self.user)
        if note.created_by_id != self.user.pk and not orphan:
            # Disabled fields keep their saved value whatever a forged POST says.
            for name in ("body", DELETION_FIELD_NAME):
                if name in form.fields:
                    form.fields[name].disabled = True
            form.fields["body"].help_text = (
                f"Written by {note.created_by or 'a former colleague'}: only they can change "
                "or delete it."
            )


class SectionChoiceForm(forms.Form):
    section = forms.ModelChoiceField(queryset=Section.objects.all())


class TagChoiceForm(forms.Form):
    tag = forms.CharField(max_length=100, help_text="An existing tag, or a new one.")


class TagMergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Tag.objects.none(), label="Merge into", empty_label=None)

    def __init__(self, *args, tags=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = tags
