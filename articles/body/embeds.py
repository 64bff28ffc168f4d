"""Embedded posts and videos: an allow-list of providers, each URL parsed strictly.

The body stores only the post's URL, as `<figure data-embed="URL"><a href="URL">URL</a></figure>`
(`embed_html()`); readers get a card that loads nothing from the provider until they click
it (articles/body/render.py, static/js/site.js). A URL no provider claims stays a plain link.
"""

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, urlsplit

MAX_URL_LENGTH = 500
# Printable ASCII without spaces, quotes, angle brackets or backslashes: anything else in a
# URL is a trick (or a paste accident) and refuses the embed.
URL_CHARS = re.compile(r"[!#$%&()*+,\-./0-9:;=?@A-Z\[\]_a-z~]+")
HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


@dataclass(frozen=True)
class Embed:
    provider: str  # a key: "youtube", "vimeo", ...
    name: str  # what readers are told: "YouTube"
    url: str  # the canonical URL the body stores and the card links to
    frame_url: str = ""  # the player loaded on a click; empty: the card opens the link


def embed_parse(url: str) -> Embed | None:
    """The embed `url` names, or None when it is not a post of an allowed provider."""
    url = (url or "").strip()
    if len(url) > MAX_URL_LENGTH or not URL_CHARS.fullmatch(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or port is not None:
        return None
    if "@" in parts.netloc or not parts.hostname or not _is_hostname(parts.hostname):
        return None
    host = parts.hostname.removeprefix("www.")
    query = parse_qs(parts.query)
    for parse in PARSERS:
        if embed := parse(host, parts.path, query):
            return embed
    if host in KNOWN_HOSTS:  # a page of youtube.com is not a Mastodon post
        return None
    return _mastodon(parts.hostname, parts.path, query)


def embed_html(url: str) -> str:
    """The body's element for `url`: an embed when a provider claims it, else a plain link.
    For the editor's counterpart, the WordPress importer and tests."""
    embed = embed_parse(url)
    if embed is None:
        return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'
    url = escape(embed.url)
    return f'<figure data-embed="{url}"><a href="{url}">{url}</a></figure>'


def _is_hostname(host: str) -> bool:
    labels = host.split(".")
    named = labels[-1][:1].isalpha()  # a top-level domain, not an IP address's last number
    return len(labels) >= 2 and named and all(HOST_LABEL.fullmatch(label) for label in labels)


def _match(pattern: str, path: str) -> re.Match | None:
    return re.fullmatch(pattern, path)


def _first(query: dict, name: str) -> str:
    values = query.get(name) or [""]
    return values[0]


YOUTUBE_ID = r"[A-Za-z0-9_-]{11}"


def _youtube(host, path, query):
    video = ""
    if host == "youtu.be":
        if m := _match(rf"/({YOUTUBE_ID})/?", path):
            video = m.group(1)
    elif host in ("youtube.com", "m.youtube.com"):
        if path in ("/watch", "/watch/") and re.fullmatch(YOUTUBE_ID, _first(query, "v")):
            video = _first(query, "v")
        elif m := _match(rf"/(?:shorts|embed|live)/({YOUTUBE_ID})/?", path):
            video = m.group(1)
    if not video:
        return None
    return Embed(
        "youtube",
        "YouTube",
        f"https://www.youtube.com/watch?v={video}",
        f"https://www.youtube-nocookie.com/embed/{video}",
    )


def _vimeo(host, path, query):
    m = None
    if host == "vimeo.com":
        m = _match(r"/(\d{1,12})/?", path)
    elif host == "player.vimeo.com":
        m = _match(r"/video/(\d{1,12})/?", path)
    if not m:
        return None
    video = m.group(1)
    return Embed(
        "vimeo",
        "Vimeo",
        f"https://vimeo.com/{video}",
        f"https://player.vimeo.com/video/{video}?dnt=1",
    )


def _x(host, path, query):
    if host not in ("x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"):
        return None
    if m := _match(r"/([A-Za-z0-9_]{1,15})/status/(\d{1,20})/?", path):
        return Embed("x", "X", f"https://x.com/{m.group(1)}/status/{m.group(2)}")
    return None


def _bluesky(host, path, query):
    if host != "bsky.app":
        return None
    handle = r"(?:did:plc:[a-z2-7]{24}|[A-Za-z0-9.-]{3,253})"
    if m := _match(rf"/profile/({handle})/post/([A-Za-z0-9]{{1,64}})/?", path):
        return Embed(
            "bluesky", "Bluesky", f"https://bsky.app/profile/{m.group(1)}/post/{m.group(2)}"
        )
    return None


def _instagram(host, path, query):
    if host != "instagram.com":
        return None
    if m := _match(r"/(p|reel|tv)/([A-Za-z0-9_-]{5,40})/?", path):
        return Embed(
            "instagram", "Instagram", f"https://www.instagram.com/{m.group(1)}/{m.group(2)}/"
        )
    return None


def _facebook(host, path, query):
    if host not in ("facebook.com", "m.facebook.com"):
        return None
    base = "https://www.facebook.com"
    if m := _match(
        r"/([A-Za-z0-9.]{1,80})/(posts|videos)/(\d{1,25}|pfbid[A-Za-z0-9]{10,80})/?", path
    ):
        return Embed("facebook", "Facebook", f"{base}/{m.group(1)}/{m.group(2)}/{m.group(3)}")
    story, page = _first(query, "story_fbid"), _first(query, "id")
    story_ok = re.fullmatch(r"\d{1,25}|pfbid[A-Za-z0-9]{10,80}", story)
    if path == "/permalink.php" and story_ok and re.fullmatch(r"\d{1,25}", page):
        return Embed("facebook", "Facebook", f"{base}/permalink.php?story_fbid={story}&id={page}")
    return None


# Mastodon runs on any host (tried last, on the host as given); a post's URL has one shape:
# /@user/123, or /@user@home.example/123 for a post seen from another instance.
def _mastodon(host, path, query):
    user = r"[A-Za-z0-9_]{1,30}(?:@[a-z0-9.-]{1,253})?"
    if m := _match(rf"/@({user})/(\d{{1,20}})/?", path):
        return Embed("mastodon", "Mastodon", f"https://{host}/@{m.group(1)}/{m.group(2)}")
    return None


PARSERS = (_youtube, _vimeo, _x, _bluesky, _instagram, _facebook)
KNOWN_HOSTS = {
    "youtube.com", "m.youtube.com", "youtu.be", "vimeo.com", "player.vimeo.com", "x.com",
    "twitter.com", "mobile.twitter.com", "mobile.x.com", "bsky.app", "instagram.com",
    "facebook.com", "m.facebook.com",
}  # fmt: skip
