"""Helpers for the browser tests (Playwright driving Debian's Chromium)."""

import base64

from .factories import image_file

STAFF_PASSWORD = "correct horse battery"


def admin_log_in(page, live_server, username, password=STAFF_PASSWORD):
    """Sign `page` in to the admin through the login form, as a person would."""
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")


# A File from PNG bytes, sent to the body editor as a drop (at its bottom) or a paste.
_SEND_FILE = """([kind, name, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "image/png" }));
  const editor = document.querySelector(".field-body .ProseMirror[contenteditable]");
  const box = editor.getBoundingClientRect();
  const event = kind === "drop"
    ? new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true,
        clientX: box.left + 20, clientY: box.bottom - 10 })
    : new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true });
  editor.dispatchEvent(event);
}"""


def drop_or_paste_picture(page, kind: str, name: str, colour):
    """A 1600x900 PNG of one colour dropped on the article body's editor ("drop") or pasted
    into it ("paste"), as a person would from their desktop; the media dialog then opens."""
    data = base64.b64encode(image_file(name, size=(1600, 900), color=colour, fmt="PNG").read())
    page.evaluate(_SEND_FILE, [kind, name, data.decode()])
    page.wait_for_selector(".media-dialog[open]")
