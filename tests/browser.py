"""Helpers for the browser tests (Playwright driving Debian's Chromium)."""

STAFF_PASSWORD = "correct horse battery"


def admin_log_in(page, live_server, username, password=STAFF_PASSWORD):
    """Sign `page` in to the admin through the login form, as a person would."""
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
