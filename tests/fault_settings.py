"""Production settings for a server started by a test: static files from the source tree,
so that no `collectstatic` run is needed."""

from newsroom.settings import *  # noqa: F403

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
