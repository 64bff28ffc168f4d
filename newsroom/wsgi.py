import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_wsgi_application()

from articles.pagecache.wsgi import PageCacheApp  # noqa: E402 (needs the settings)

# Cached pages are sent from in front of Django (articles/pagecache/).
application = PageCacheApp(django_application)
