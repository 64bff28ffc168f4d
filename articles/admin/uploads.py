"""Uploads kept across a refused save: an image the author chose survives any form error.

A browser never re-sends a file, so when the article form is shown again with errors the
cleaned upload waits in storage under `pending/`, named by a signed hidden field; the next
save takes it from there as if it had just been uploaded.
"""

from contextlib import suppress
from datetime import timedelta
from pathlib import PurePosixPath
from uuid import uuid4

from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import format_html

PENDING_DIR = "pending"
SALT = "articles.admin.pending-upload"
MAX_AGE = timedelta(days=1)


def pending_upload_store(upload) -> str:
    """Store `upload` (already validated) for a later submit; return its signed token."""
    pending_upload_prune()
    suffix = PurePosixPath(upload.name).suffix.lower()
    upload.seek(0)
    path = default_storage.save(f"{PENDING_DIR}/{uuid4().hex}{suffix}", upload)
    upload.seek(0)
    chosen = getattr(upload, "chosen_name", None) or upload.name
    return signing.dumps({"path": path, "name": upload.name, "chosen": chosen}, salt=SALT)


def pending_upload_open(token) -> SimpleUploadedFile | None:
    """The upload a token names, or None if the token is forged, stale or its file gone."""
    try:
        kept = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
        with default_storage.open(kept["path"]) as stored:
            upload = SimpleUploadedFile(kept["name"], stored.read())
    except (signing.BadSignature, OSError, KeyError, TypeError):
        return None
    upload.kept_token = token
    upload.chosen_name = kept.get("chosen") or kept["name"]
    return upload


def pending_upload_discard(token):
    with suppress(signing.BadSignature, OSError, KeyError, TypeError):
        default_storage.delete(signing.loads(token, salt=SALT)["path"])


def pending_upload_prune():
    """Delete uploads left behind by forms that were never saved."""
    try:
        names = default_storage.listdir(PENDING_DIR)[1]
    except FileNotFoundError:
        return
    cutoff = timezone.now() - MAX_AGE
    for name in names:
        path = f"{PENDING_DIR}/{name}"
        with suppress(OSError):  # another request may have deleted it first
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)


class KeptFileInput(AdminFileWidget):
    """The admin's file input, also carrying an upload kept from a refused submit."""

    kept = None  # (file name, token) once the form keeps an upload for the next submit

    @staticmethod
    def kept_name(name):
        return f"{name}_kept"

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        token = data.get(self.kept_name(name))
        if value is None and token:  # no new file and "clear" unticked: the kept upload
            # Django asks more than once per submit: read the stored file once.
            if getattr(self, "_opened", (None, None))[0] != token:
                self._opened = (token, pending_upload_open(token))
            value = self._opened[1]
        return value

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.kept:
            return html
        file_name, token = self.kept
        with suppress(signing.BadSignature, KeyError, TypeError):
            file_name = signing.loads(token, salt=SALT).get("chosen") or file_name
        return html + format_html(
            '<input type="hidden" name="{}" value="{}">'
            '<p class="help upload-kept" role="status">{} is uploaded, it will be saved. '
            "Choose another file to replace it.</p>",
            self.kept_name(name),
            token,
            file_name,
        )
