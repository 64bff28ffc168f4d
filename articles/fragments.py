"""Template fragments kept in the cache under keys made of what they show.

A fragment's key is a digest of the rows it renders (every loaded field, and the related rows
loaded with them), of the options it is rendered with, and of the templates themselves. An
edit changes the key, so nothing is ever purged: the next render simply misses, and the old
HTML expires unread. After a new comment, an article page re-renders only that comment.
Never for one reader: held comments, a form holding a reader's text, the comment form's
signed time and previews are rendered live.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache as once
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db.models import Model, Prefetch, prefetch_related_objects
from django.utils.safestring import SafeString, mark_safe

PREFIX = "frag1"  # a change of what is stored must not read the old entries


def fragment_cache():
    """Their own cache where settings name one (local memory), else the default (Redis)."""
    return caches["fragments" if "fragments" in settings.CACHES else "default"]


def seconds() -> int:
    """How long an unread fragment is kept: a cache entry's life, not its freshness."""
    return settings.PAGE_CACHE_SECONDS


def code_version() -> str:
    """The templates and settings fragments are rendered with: a deploy that changes them
    must not serve HTML its predecessor stored."""
    shown = (settings.SITE_URL, settings.TIME_ZONE, settings.STATIC_URL, settings.MEDIA_URL)
    shown += (settings.COMMENTS_MAX_LENGTH,)  # the comment form's limit
    return _template_version() + _settings_version(shown)


@lru_cache(maxsize=8)  # a page computes 30 keys; tests change these settings
def _settings_version(shown: tuple) -> str:
    return _digest(shown)[:8]


@once
def _template_version() -> str:
    """The templates and the code that renders them (template tags, seo.py...), read once
    per process (about 2 ms), and the names of the hashed static files."""
    roots = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    files = [f for root in roots for f in sorted(root.rglob("*.html"))]
    files += sorted(Path(__file__).parent.rglob("*.py"))
    parts = [f.read_bytes() for f in files if "migrations" not in f.parts]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    parts.append(manifest.stat().st_mtime_ns if manifest.exists() else 0)
    return _digest(parts)[:8]


def fragment_key(name: str, *vary_on) -> str:
    """The cache key of fragment `name` showing `vary_on` (rows, lists of rows, values)."""
    return f"{PREFIX}:{name}:{code_version()}:{_digest([version_of(v) for v in vary_on])}"


_PLAIN = {str, int, bool, float, type(None), datetime}  # values that stand for themselves


def version_of(value, _seen=None) -> object:
    """What a value shows, as something repr() spells exactly: for a row, its loaded fields
    and the rows loaded with it (select_related, prefetch_related), but not `to_attr` lists
    or annotations, which the caller names when a fragment shows them."""
    if type(value) in _PLAIN:  # most of what a comment's key shows
        return value
    if isinstance(value, Model):
        if _seen is None and "_fragment_version" in value.__dict__:
            return value._fragment_version  # rows are read once per request, then shown
        seen = _seen if _seen is not None else set()
        if (type(value), value.pk) in seen:  # a byline's article is the article itself
            return (type(value).__name__, value.pk)
        seen.add((type(value), value.pk))
        loaded = value.__dict__
        fields = [
            (f.attname, str(loaded[f.attname]))
            for f in value._meta.concrete_fields
            if f.attname in loaded
        ]
        related = sorted(value._state.fields_cache.items())
        related += sorted(getattr(value, "_prefetched_objects_cache", {}).items())
        version = (
            type(value).__name__,
            fields,
            [(name, version_of(rows, seen)) for name, rows in related],
        )
        if _seen is None:  # a digest: a page's keys spell the article's body once, not five times
            version = value._fragment_version = _digest(version)
        return version
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return [version_of(v, _seen) for v in value]  # a prefetched queryset reads its cache
    return value


def _digest(parts) -> str:
    return hashlib.md5(repr(parts).encode(), usedforsecurity=False).hexdigest()


def bundle_key(vary_on) -> str:
    """The cache key of the bundle of fragments showing `vary_on`."""
    return fragment_key("bundle", *vary_on)


def bundled_html(name: str, vary_on, render: Callable[[], str], loaded: dict) -> SafeString:
    """Fragment `name` showing `vary_on`, rendered (and stored) on a miss. Fragments showing
    the same rows are stored together, a {name: html} bundle: an article page's head, data
    and body are one round trip to Redis, not five. `loaded`: the bundles this render read
    (or that its view read ahead, with cached_many())."""
    key = bundle_key(vary_on)
    bundle = loaded.get(key)
    if bundle is None:
        bundle = loaded[key] = fragment_cache().get(key) or {}
    if name not in bundle:
        bundle[name] = str(render())
        fragment_cache().set(key, bundle, seconds())
    return mark_safe(bundle[name])  # noqa: S308 - stored from a template's output


def cached_many(
    renders: dict[str, Callable[[], str]], bundles=()
) -> tuple[dict[str, SafeString], dict[str, dict]]:
    """Many fragments in one round trip: {key: html}, the missing ones rendered and stored;
    and, read in the same round trip, the bundles showing each of `bundles` (lists of what
    a {% fragment %} shows), as bundled_html()'s `loaded`: a page's other fragments then
    cost no round trip of their own."""
    bundle_keys = [bundle_key(vary_on) for vary_on in bundles]
    keys = [*renders, *bundle_keys]
    found = fragment_cache().get_many(keys) if keys else {}
    missing = {key: str(render()) for key, render in renders.items() if key not in found}
    if missing:
        fragment_cache().set_many(missing, seconds())
    html = {key: found[key] if key in found else missing[key] for key in renders}
    loaded = {key: found.get(key) or {} for key in bundle_keys}
    return {key: mark_safe(h) for key, h in html.items()}, loaded  # noqa: S308


# The rows an article page shows besides the article itself and its comments. After a new
# comment they are the same, so a published article's are kept in a memo that any change to
# them purges (`a<pk>`: an edit of the article, a byline, tag, correction, citation, author
# or source, see articles/pagecache/triggers.py): four queries fewer; the fragments' keys
# still read them. The related and author boxes' choice of articles, made from those rows,
# is kept with them (a new story may take PAGE_CACHE_SECONDS to join the boxes).
PAGE_ROWS = ("bylines", "tags", "corrections", "citations")


def load_page_rows(article, *, kept: bool, choose: Callable[[], object]) -> object:
    """Prefetch PAGE_ROWS onto `article` and return `choose()`, called once they are loaded;
    `kept`: both from the memo, for a published article (a draft's changes purge nothing,
    so previews always read the database)."""
    from articles.memos import memo
    from articles.pagecache import keys

    if not kept:
        _prefetch(article)
        return choose()

    def compute():
        _prefetch(article)
        chosen = choose()
        rows = {name: list(getattr(article, name).all()) for name in PAGE_ROWS}
        for row in (*rows["bylines"], *rows["corrections"], *rows["citations"]):
            row._state.fields_cache.pop("article", None)  # no copy of the article in the memo
        return (rows, chosen), time.time() + settings.PAGE_CACHE_SECONDS

    # "page-rows2": the rows and the choice (a deploy must not read the rows alone as both).
    rows, chosen = memo(f"page-rows2:{article.pk}", [keys.article(article.pk)], compute)
    prefetched = article.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, found in rows.items():
        manager = getattr(article, name)
        if name == "tags":  # taggit names its own cache
            name = manager.prefetch_cache_name
        else:  # the rows that point at their article
            for row in found:
                row._state.fields_cache["article"] = article
        prefetched.pop(name, None)
        queryset = manager.all()
        # As prefetch_related() leaves them: all() answers from this list, with no query.
        queryset._result_cache, queryset._prefetch_done = found, True
        prefetched[name] = queryset
    return chosen


def _prefetch(article) -> None:
    from articles.models import Byline, Citation

    prefetch_related_objects(
        [article],
        Prefetch("bylines", queryset=Byline.objects.select_related("author")),
        "tags",
        "corrections",
        Prefetch("citations", queryset=Citation.objects.select_related("source")),
    )


def kept_cards(ids) -> dict:
    """{pk: article} of the published articles `ids` as cards show them, kept until one of
    them is purged (`r<pk>`: an edit of what a compact card shows, an unpublish, its
    renditions made): the related and author boxes, whose cards are compact."""
    from articles.memos import memo
    from articles.models import Article
    from articles.pagecache import keys

    def compute():
        cards = Article.objects.published().for_cards().select_related("section").in_bulk(ids)
        for card in cards.values():
            version_of(card)  # kept with the row: a render then spends no time on its key
        return cards, time.time() + settings.PAGE_CACHE_SECONDS

    if not ids:
        return {}
    return memo(f"cards:{_digest(ids)}", [keys.compact_card(pk) for pk in ids], compute)
