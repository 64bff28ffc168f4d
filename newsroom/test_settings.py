"""Settings for pytest: the real settings, with what a test run needs when the environment
gives nothing (`pytest tests/test_models.py` straight after cloning works)."""

import os

# Tests sign nothing that outlives the run; DEBUG stays off, as in production.
os.environ.setdefault("SECRET_KEY", "insecure-test-key")

from newsroom.settings import *  # noqa: E402, F403
