"""What a stored page shows, as short keys: a purge of a key makes stale every page carrying it.

- `a<pk>`: an article's page, and the feeds that carry its text: any change of it;
- `k<pk>`: its card on lists and the front page (title, dek, byline, section, image, date);
- `r<pk>`: its compact card in related and author boxes, the front page's section blocks and
  the corrections (no dek, no byline). An edit of its body purges neither card, of its dek
  `k<pk>` alone (articles/pagecache/triggers.py);
- `c<pk>`: the approved comments of article pk;
- `front`, `s<pk>`, `t<pk>`, `u<pk>`, `o<pk>`: the front page and the lists (with their
  feeds) of a section, tag, author or source; `corrections`, `sitemap`, `feed` (site-wide);
- `chrome`: the menu, banner and footer, which every page carries;
- `missing`: the 404 page, which only a CDN keeps: a publication may fill its URL.
Memos (articles/memos.py) carry keys too; `authors` and `schedule` are carried by memos alone.

Views declare what they show with `shows()` and `shows_articles()`, next to the code that
picks the rows; the middleware stores the keys with the page and names them in its headers.
"""

CHROME = "chrome"
MISSING = "missing"
# Lists of pages that show comment counts on cards: the counts may lag this long (a comment
# purges its article's page only, not every list that shows its card).
COUNTS_MAX_AGE = 60

# The keys, what carries them: the "what purges what" table (manage.py purge_table) reads this.
CARRIED_BY = {
    "a<pk>": "the article's page; the feeds (they carry its text)",
    "k<pk>": "its card on lists and the front page (title, dek, byline, section, image, date)",
    "r<pk>": "its compact card (no dek, no byline): related and author boxes, the front "
    "page's section blocks, the corrections",
    "c<pk>": "the article's page (its comments)",
    "front": "the front page (every page number)",
    "s<pk>": "the section's list and feed",
    "t<pk>": "the tag's list and feed",
    "u<pk>": "the author's page and feed",
    "o<pk>": "the source's page and feed",
    "corrections": "the corrections page and feed",
    "feed": "the site-wide feeds",
    "sitemap": "the sitemaps",
    "chrome": "every page (menu, banner, footer)",
    "missing": "404 pages, kept by a CDN only (for `s-maxage`)",
    "authors": "the memo of authors (search's filter); no page",
    "schedule": "the memo of the next scheduled change; no page",
}


def article(pk) -> str:
    return f"a{pk}"


def card(pk) -> str:
    return f"k{pk}"


def compact_card(pk) -> str:
    return f"r{pk}"


def comments(article_pk) -> str:
    return f"c{article_pk}"


def section(pk) -> str:
    return f"s{pk}"


def tag(pk) -> str:
    return f"t{pk}"


def author(pk) -> str:
    return f"u{pk}"


def source(pk) -> str:
    return f"o{pk}"


def shows(request, *keys, max_age: int | None = None):
    """Declare that the page answering `request` shows `keys` (and, with `max_age`, that it
    may be stored at most that many seconds: counts that no purge follows)."""
    if request is None:  # a preview, or code outside a request: nothing is stored
        return
    request.page_keys = getattr(request, "page_keys", set()) | set(keys)
    if max_age is not None:
        current = getattr(request, "page_max_age", None)
        request.page_max_age = max_age if current is None else min(current, max_age)


def shows_articles(request, articles, *, counts: bool = False, compact: bool = False):
    """Declare the cards of `articles` (None entries skipped), `compact` ones or full ones;
    `counts`: they show comment counts, so the page is kept at most COUNTS_MAX_AGE seconds."""
    face = compact_card if compact else card
    shows(
        request,
        *(face(a.pk) for a in articles if a is not None),
        max_age=COUNTS_MAX_AGE if counts else None,
    )
