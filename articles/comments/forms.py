import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import URLValidator

from articles.models import Report

TOKEN_SALT = "articles.comments.form"


def form_token(now: float | None = None) -> str:
    """The signed time the form was issued, checked on submit (too fast, too old)."""
    return signing.dumps(int(time.time() if now is None else now), salt=TOKEN_SALT)


class CommentForm(forms.Form):
    name = forms.CharField(
        max_length=100, strip=True, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        max_length=254,
        help_text="Required, never shown.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.URLField(
        max_length=200,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    body = forms.CharField(label="Comment", strip=True, widget=forms.Textarea(attrs={"rows": 6}))
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    remember = forms.BooleanField(
        label="Remember my name, email and website in this browser", required=False
    )
    notify_replies = forms.BooleanField(label="Email me replies to my comment", required=False)
    # The honeypot: hidden from people, irresistible to form-filling robots.
    address = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    issued = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = settings.COMMENTS_MAX_LENGTH
        if not self.is_bound:
            self.initial.setdefault("issued", form_token())
        self.too_fast = False

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        limit = settings.COMMENTS_MAX_LENGTH
        if len(body) > limit:
            raise forms.ValidationError(
                f"Your comment is {len(body):,} characters long; the limit is {limit:,}. "
                "Please shorten it (your text is kept below)."
            )
        return body

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_issued(self):
        max_age = settings.COMMENTS_FORM_MAX_AGE_HOURS * 3600
        try:
            issued = signing.loads(self.cleaned_data["issued"], salt=TOKEN_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(
                "This form could not be checked. Please submit it again."
            ) from None
        age = time.time() - int(issued)
        if age > max_age:
            raise forms.ValidationError(
                "This form had been open too long. Please submit it again; your text is kept."
            )
        self.too_fast = age < settings.COMMENTS_MIN_SECONDS
        return issued

    def refresh_token(self):
        """After a rejection, a fresh signed time so that resubmitting works at once.

        Back-dated by the minimum: the reader has already spent that time on the form.
        """
        if self.is_bound:
            self.data = self.data.copy()
            self.data["issued"] = form_token(time.time() - settings.COMMENTS_MIN_SECONDS)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=Report.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Anything we should know (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommenterForm(forms.Form):
    """Admin: export or erase what is stored about one email address."""

    class Erase:
        ANONYMISE = "anonymise"
        REMOVE = "remove"

    email = forms.EmailField()
    erase_mode = forms.ChoiceField(
        label="When erasing",
        choices=[
            (Erase.ANONYMISE, 'Keep the comment text, shown as by "Anonymous"'),
            (Erase.REMOVE, "Remove the comments entirely"),
        ],
        initial=Erase.ANONYMISE,
        widget=forms.RadioSelect,
    )
