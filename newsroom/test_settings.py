"""Settings for pytest: the real settings, with what a test run needs when the environment
gives nothing (`pytest tests/test_models.py` straight after cloning works)."""

import os

# Tests sign nothing that outlives the run; DEBUG stays off, as in production.
os.environ.setdefault("SECRET_KEY", "insecure-test-key")

from newsroom.settings import *  # noqa: E402, F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory database: the live server answers the browser's
    # requests (heartbeats, autosaves, queue actions) in threads of their own, which a
    # shared-cache memory database refuses with "table is locked" instead of waiting.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
