import os
from pathlib import Path

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True, scope="session")
def _plain_static_storage():
    # Manifest storage needs `collectstatic`; tests read static files from the source tree.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The page cache is tested in test_perf_*.py; elsewhere each request renders afresh.
    settings.PAGE_CACHE_ENABLED = False
    settings.PAGE_CACHE_STAMP = tmp_path / "page-cache-stamp"
    # A test's own machine: parallel test processes must not take each other's render slots.
    settings.PAGE_CACHE_RENDER_SLOTS_DIR = tmp_path / "render-slots"


@pytest.fixture(autouse=True)
def _no_outage_seen(monkeypatch):
    """A database outage that a test made is not seen by the next (each process answers 503
    for a moment after one, newsroom/middleware.py)."""
    monkeypatch.setattr("newsroom.middleware._outage", {"until": 0.0})


ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which trips Django's
    # async-safety guard for every database call made by the tests after it starts.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    assert Path(CHROMIUM).exists(), "Browser tests need Debian's chromium: run `make chromium`."
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page_factory(browser):
    """New browser pages that record console errors."""
    contexts = []

    def new_page(width=1280, height=800):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (rate-limit counters live there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
