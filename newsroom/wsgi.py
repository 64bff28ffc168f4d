import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_wsgi_application()

from articles.cache import PageCacheApp  # noqa: E402 (needs the settings above)

# Cached pages are sent from in front of Django (articles/cache.py).
application = PageCacheApp(django_application)
