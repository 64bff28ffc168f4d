"""Newsroom settings: one module, configured from environment variables only.

Defaults are safe for production (DEBUG off, no hosts allowed beyond localhost);
`make run` switches DEBUG on for local work. See README.md for every variable.
"""

import hashlib
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django_prose_editor.config import html_tags
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    try:
        return float(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A key generated once and kept in var/, so local sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")

INSTALLED_APPS = [
    "articles.admin_site.NewsroomAdminConfig",  # django.contrib.admin with the newsroom's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "taggit",
    "django_prose_editor",
    "simple_history",
    "django_tasks_db",
    "articles",
]

MIDDLEWARE = [
    # First: a cached page costs no more than this, and its stored copy already carries the
    # headers that the middleware below added (plain-HTTP requests redirected by
    # SECURE_SSL_REDIRECT are never stored, and are keyed apart from HTTPS).
    "articles.pagecache.middleware.PageCacheMiddleware",
    "newsroom.middleware.ForwardedForMiddleware",
    "newsroom.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "newsroom.middleware.StyledErrorMiddleware",
    "newsroom.middleware.ServiceUnavailableMiddleware",
    "newsroom.middleware.RejectNullBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "articles.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL (psycopg 3 with its pool), else a SQLite file.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_health_checks=True)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The pool replaces persistent connections: CONN_MAX_AGE must stay 0.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN", 1),
        "max_size": env_int("DB_POOL_MAX", 8),
        "timeout": env_int("DB_POOL_TIMEOUT", 10),
    }

# Read replicas (newsroom/replicas.py, docs/deploy.md): anonymous readers' pages may read from
# one; writes, the admin and a visitor's requests for DATABASE_PRIMARY_PIN_SECONDS after a
# write go to the primary. A replica lagging more than DATABASE_REPLICA_MAX_LAG seconds, or
# not answering, is skipped (asked again every DATABASE_REPLICA_CHECK_SECONDS).
DATABASE_REPLICA_MAX_LAG = env_float("DATABASE_REPLICA_MAX_LAG", 5)
DATABASE_REPLICA_CHECK_SECONDS = env_float("DATABASE_REPLICA_CHECK_SECONDS", 2)
DATABASE_REPLICA_RETRY_SECONDS = env_float("DATABASE_REPLICA_RETRY_SECONDS", 10)
DATABASE_REPLICA_TIMEOUT = env_float("DATABASE_REPLICA_TIMEOUT", 2)
DATABASE_PRIMARY_PIN_SECONDS = env_int("DATABASE_PRIMARY_PIN_SECONDS", 15)
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _replica = dj_database_url.parse(_url, conn_health_checks=True)
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS must name PostgreSQL servers")
    _replica["CONN_MAX_AGE"] = 0
    _replica.setdefault("OPTIONS", {}).update(  # the URL's own (?sslmode=...) kept
        pool={
            "min_size": 0,
            "max_size": env_int("DB_POOL_MAX", 8),
            # A replica that went away costs a reader this long once, then it is skipped.
            "timeout": DATABASE_REPLICA_TIMEOUT,
        },
        connect_timeout=max(1, round(DATABASE_REPLICA_TIMEOUT)),
    )
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_number}"] = _replica
DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"] if len(DATABASES) > 1 else []
if DATABASE_ROUTERS:  # first: it decides where every query of the request reads
    MIDDLEWARE.insert(0, "newsroom.replicas.ReplicaMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (failing soft: newsroom/redis_cache.py), else local memory.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.redis_cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            # A server that hangs costs each request at most this, not a worker forever.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "newsroom.locmem_cache.AnyKeyLocMemCache"}}
    # Template fragments (articles/fragments.py) apart, so that their many small entries do
    # not push stored pages out of the 300 that local memory keeps; on Redis they share it.
    CACHES["fragments"] = {
        "BACKEND": "newsroom.locmem_cache.AnyKeyLocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }

# The page cache (articles/pagecache/): anonymous readers get stored copies of public pages,
# fresh for PAGE_CACHE_SECONDS at most (a change purges the pages that show it at once).
# After a soft purge, readers get the old copy for PAGE_CACHE_GRACE_SECONDS at most while one
# of them renders the page again. A CDN in front may keep them PAGE_CACHE_CDN_SECONDS
# (s-maxage). Off by default with DEBUG.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", not DEBUG)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_CDN_SECONDS = env_int("PAGE_CACHE_CDN_SECONDS", 60)
PAGE_CACHE_GRACE_SECONDS = env_int("PAGE_CACHE_GRACE_SECONDS", 10)
# Varnish servers (base URLs) told of every purge by key (docs/varnish.md); none by default.
PAGE_CACHE_PURGE_URLS = env_list("PAGE_CACHE_PURGE_URLS")
PAGE_CACHE_STAMP = VAR_DIR / "page-cache-stamp"
# How many stale pages one machine renders again at once (articles/pagecache/slots.py): after
# a purge of many pages, the other workers go on answering from the cache. 0: no bound.
PAGE_CACHE_RENDER_SLOTS = env_int("PAGE_CACHE_RENDER_SLOTS", max(1, (os.cpu_count() or 2) // 2))
# Lock files, not data: in the system's temporary directory (a server keeps nothing on its
# own disk), one set per install.
_INSTALL = hashlib.sha256(str(VAR_DIR.resolve()).encode()).hexdigest()[:16]
PAGE_CACHE_RENDER_SLOTS_DIR = Path(tempfile.gettempdir()) / f"newsroom-render-slots-{_INSTALL}"

# Background work: Django's tasks framework. "database" queues to django-tasks-db
# and needs `manage.py db_worker` running; "immediate" runs tasks in-process.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "").strip().lower() or "immediate"
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# Argon2id first (newsroom/hashers.py says why); the others only verify older hashes, which
# Django rehashes with the first at their owner's next successful sign-in.
PASSWORD_HASHERS = [
    "newsroom.hashers.OWASPArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en-us")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Django serves uploads itself only locally; production puts them behind the web server or S3.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# `import_wordpress --fetch-media` never fetches from private addresses; tests serve the old
# site's files on the loopback and allow that alone.
WORDPRESS_FETCH_ALLOW_LOOPBACK = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365


def media_storage(url: str) -> tuple[dict, str]:
    """MEDIA_STORAGE_URL, s3://BUCKET[/PREFIX][?endpoint_url=..&region=..&custom_domain=..
    &addressing_style=..], as (django-storages' S3Storage, the origin media are served from).
    Keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the machine's role)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    unknown = set(query) - {"endpoint_url", "region", "custom_domain", "addressing_style"}
    if parts.scheme != "s3" or not parts.netloc or unknown:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must look like s3://bucket/prefix?endpoint_url=...&region=..."
            f"&custom_domain=...&addressing_style=... (got {url!r})"
        )
    endpoint = query.get("endpoint_url")
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "endpoint_url": endpoint,
        "region_name": query.get("region"),
        "custom_domain": query.get("custom_domain"),
        # S3-compatible servers (MinIO, Ceph, moto) answer at endpoint/bucket/key.
        "addressing_style": query.get("addressing_style", "path" if endpoint else None),
        # Plain public URLs, cached by browsers and CDNs for a year: every upload's name
        # is new (articles/images.py names it by its content) and nothing is overwritten.
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
    }
    if options["custom_domain"]:
        origin = f"https://{options['custom_domain']}"
    elif endpoint:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(endpoint))
    else:
        origin = f"https://{parts.netloc}.s3.amazonaws.com"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, origin


# Uploads, renditions and share cards: local disk (MEDIA_ROOT) by default; S3-compatible
# object storage with MEDIA_STORAGE_URL, so that app servers share no disk (docs/deploy.md).
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"
MEDIA_STORAGE_URL = os.environ.get("MEDIA_STORAGE_URL", "").strip()
MEDIA_ORIGIN = ""
if MEDIA_STORAGE_URL:
    STORAGES["default"], MEDIA_ORIGIN = media_storage(MEDIA_STORAGE_URL)

# Uploads: refuse anything larger than this before it reaches Pillow.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email (Django 6.1 mailers): the console by default; SMTP when EMAIL_HOST is set.
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    _mailer = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _email_host,
            "port": env_int("EMAIL_PORT", 587),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": env_int("EMAIL_TIMEOUT", 10),
        },
    }
else:
    _mailer = {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. HTTPS-only settings switch on together with SECURE_HTTPS=1,
# so that local runs over plain HTTP keep working.
SECURE_HTTPS = env_bool("SECURE_HTTPS", False)
SECURE_SSL_REDIRECT = SECURE_HTTPS
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
# Behind a reverse proxy: trust its X-Forwarded-Proto, and take the client's address from
# the X-Forwarded-For entry added by the nearest PROXY_COUNT proxies (newsroom.middleware).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
PROXY_COUNT = env_int("PROXY_COUNT", 1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # Embedded videos, loaded only when a reader clicks their card (articles/body/embeds.py).
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# Browser features no page uses are switched off (newsroom.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
} | {"fullscreen": ["self"]}
CSRF_FAILURE_VIEW = "articles.views.site.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Admin login throttling (articles/login_throttle.py): failed logins counted in the cache
# per (username, address) and per address (IPv6 by /64), each locked past its limit until
# the window ends; per username alone only a growing wait (at most ADMIN_LOGIN_USER_DELAY_MAX
# seconds), so that nobody can lock a staff member out from another address.
ADMIN_LOGIN_FAILURES_PER_IP = env_int("ADMIN_LOGIN_FAILURES_PER_IP", 20)
ADMIN_LOGIN_FAILURES_PER_USER = env_int("ADMIN_LOGIN_FAILURES_PER_USER", 5)
ADMIN_LOGIN_LOCKOUT_SECONDS = env_int("ADMIN_LOGIN_LOCKOUT_SECONDS", 15 * 60)
ADMIN_LOGIN_USER_DELAY_MAX = env_int("ADMIN_LOGIN_USER_DELAY_MAX", 30)

# The admin only: the prose editor (Tiptap) injects a <style> element without a nonce.
# Browsers ignore 'unsafe-inline' when a nonce is listed, so this style-src has none.
ADMIN_CSP = SECURE_CSP | {"style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

# Logs: one JSON object per line on stderr (key=value lines with DEBUG on, or LOG_FORMAT=plain),
# emails and IP addresses masked (newsroom/logs.py). Requests are logged by newsroom.middleware
# with the route name, not the path, so Django's own request logger adds nothing but errors.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "newsroom.logs.JsonFormatter"},
        "plain": {"()": "newsroom.logs.PlainFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if LOG_FORMAT == "plain" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per background task is noise in a terminal; failures still show.
        "django.tasks": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # A line per request only when asked for: gunicorn's own access log is off.
        "newsroom.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
    },
}

TAGGIT_CASE_INSENSITIVE = True
TAGGIT_TAGS_FROM_STRING = "articles.tagging.comma_splitter"
TAGGIT_STRING_FROM_TAGS = "articles.tagging.comma_joiner"
# JSON that keeps microseconds, so export_json/import_json round trips are exact.
SERIALIZATION_MODULES = {"json": "articles.exact_json"}

# Revisions: change notes can be longer than a line.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Newsroom's own settings.
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 20)
FEED_FULL_TEXT = env_bool("FEED_FULL_TEXT", False)
# An article shows its Index (table of contents) from this many h2/h3 headings, unless it
# says always or never (Article.index).
ARTICLE_INDEX_MIN_HEADINGS = env_int("ARTICLE_INDEX_MIN_HEADINGS", 3)
# The body editor's own extensions (static/admin_newsroom/prose_extensions.js): corrections as
# <del>/<ins>, and embeds.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("admin_newsroom/prose_extensions.js")],
        "extensions": {
            "Deletion": html_tags(["del"]),
            "Insertion": html_tags(["ins"]),
            "Embed": html_tags(["figure", "a"], {"figure": ["data-embed"], "a": ["href"]}),
            "AnchorIds": html_tags([], {"h2": ["id"], "h3": ["id"], "h4": ["id"]}),
        },
    }
]

# Comments (see README "Comments"). Moderation: "all" holds every comment, "first" holds
# an address's first comment until one is approved, "none" publishes at once.
COMMENTS_MODERATION = os.environ.get("COMMENTS_MODERATION", "first").strip().lower()
if COMMENTS_MODERATION not in {"all", "first", "none"}:
    raise ImproperlyConfigured("COMMENTS_MODERATION must be one of all, first, none")
COMMENTS_MAX_DEPTH = env_int("COMMENTS_MAX_DEPTH", 4)
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 30)  # 0: never close
COMMENTS_MAX_LENGTH = env_int("COMMENTS_MAX_LENGTH", 5000)
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)
COMMENTS_MIN_SECONDS = env_int("COMMENTS_MIN_SECONDS", 3)
COMMENTS_FORM_MAX_AGE_HOURS = env_int("COMMENTS_FORM_MAX_AGE_HOURS", 72)
COMMENTS_RATE_PER_MINUTE = env_int("COMMENTS_RATE_PER_MINUTE", 5)
COMMENTS_RATE_PER_HOUR = env_int("COMMENTS_RATE_PER_HOUR", 30)
COMMENTS_REPORTS_PER_HOUR = env_int("COMMENTS_REPORTS_PER_HOUR", 10)
COMMENTS_IP_RETENTION_DAYS = env_int("COMMENTS_IP_RETENTION_DAYS", 30)
# Links typed as "www.example.org" in comments become https:// links (Django 2028's default).
URLIZE_ASSUME_HTTPS = True

# Signed preview links for people outside the admin stop working after this many seconds.
PREVIEW_LINK_MAX_AGE = env_int("PREVIEW_LINK_MAX_AGE", 7 * 24 * 60 * 60)
# Uploaded images: bytes and pixels (the pixel limit stops decompression bombs).
IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 5 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
