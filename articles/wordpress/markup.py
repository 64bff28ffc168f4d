"""WordPress block and classic markup to the site's sanitised HTML."""

import re
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from articles.body.embeds import embed_html, embed_parse
from articles.sanitize import sanitize_html

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
# A dynamic block (latest posts, search, archives...): WordPress drew it on each view.
DYNAMIC_BLOCK = re.compile(r"<!--\s*wp:([a-z][\w/-]*)[^>]*?/-->", re.S)
CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.S)
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S)
GALLERY = re.compile(r"\[gallery([^\]]*)\]")
MEDIA = re.compile(r"\[(audio|video)([^\]]*)\](?:(.*?)\[/\1\])?", re.S)
MEDIA_TAG = re.compile(r"<(audio|video)\b[^>]*?\bsrc=\"([^\"]+)\"[^>]*>(?:.*?</\1>)?", re.S | re.I)
# A block embed, or a URL alone on its line: WordPress showed the post it names (oEmbed).
EMBED_BLOCK = re.compile(
    r"<figure[^>]*wp-block-embed[^>]*>\s*<div[^>]*>\s*(https?://\S+?)\s*</div>.*?</figure>", re.S
)
BARE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.M)
# Any other shortcode, paired or single: its inner text stays, the brackets go.
SHORTCODE = re.compile(r"\[/?[a-z][\w-]*(?:\s[^\]]*)?/?\]")
SHORTCODE_NAME = re.compile(r"\[([a-z][\w-]*)(?:\s[^\]]*)?/?\]")
# What the sanitiser removes with its content or its function: worth a line in the report.
UNSAFE = re.compile(r"<(script|iframe|object|embed|form|input|style|audio|video|canvas)\b", re.I)
BLOCK_START = re.compile(
    r"^\s*<(?:h[1-6]|p|ul|ol|li|blockquote|figure|div|table|pre|hr|img|dl|details|address)\b",
    re.I,
)
# Kept whole through paragraphing: blank lines inside them are part of them.
KEEP_WHOLE = re.compile(r"<(pre|table|dl|details|ol|ul|figure)\b.*?</\1>", re.S | re.I)
EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|<br>|&nbsp;)*</p>\n?")
HEADING = re.compile(r"<(/?)h([156])\b", re.I)
FIRST_IMG = re.compile(r"(<img\b[^>]*>)", re.I)
ATTR = re.compile(r"(\w+)=(?:\"([^\"]*)\"|'([^']*)'|(\S+))")


def wordpress_to_html(text: str, *, notes: list | None = None, gallery=None) -> str:
    """Blocks and shortcodes to plain HTML, paragraphs as wpautop makes them, then sanitised.

    `notes` receives what could not be kept; `gallery(ids)` gives the (url, alt) of a
    [gallery]'s images (the post's attachments when it names none)."""
    notes = notes if notes is not None else []
    text = text or ""
    for name in dict.fromkeys(DYNAMIC_BLOCK.findall(text)):
        notes.append(f"left out: WordPress's dynamic block {name!r} (drawn on each view)")
    text = BLOCK_COMMENT.sub("", text)
    text = CAPTION.sub(_caption, text)
    text = EMBED.sub(lambda m: _embed(m.group(1).strip(), notes), text)
    text = EMBED_BLOCK.sub(lambda m: _embed(m.group(1), notes), text)
    text = BARE_URL.sub(lambda m: _embed(m.group(1), notes), text)
    text = GALLERY.sub(lambda m: _gallery(m.group(1), gallery, notes), text)
    text = MEDIA.sub(lambda m: _media(m.group(1), m.group(2), m.group(3), notes), text)
    text = MEDIA_TAG.sub(lambda m: _media(m.group(1), f'src="{m.group(2)}"', "", notes), text)
    for name in dict.fromkeys(m.group(1) for m in SHORTCODE_NAME.finditer(text)):
        notes.append(f"left out: the [{name}] shortcode (a WordPress plugin's)")
    text = SHORTCODE.sub("", text)
    for tag in dict.fromkeys(t.lower() for t in UNSAFE.findall(text)):
        notes.append(f"left out: <{tag}> (not allowed in articles)")
    # The site's headings run h2-h4 under the page's one h1.
    text = HEADING.sub(lambda m: f"<{m.group(1)}h{'2' if m.group(2) == '1' else '4'}", text)
    return EMPTY_PARAGRAPH.sub("", sanitize_html(autop(text))).strip()


def autop(text: str) -> str:
    """WordPress's rule: blank lines part paragraphs, single newlines are line breaks;
    preformatted text, tables and lists stay as written."""
    kept = []

    def keep(match):
        kept.append(match.group(0))
        return f"\n\n<pre>\x00{len(kept) - 1}\x00</pre>\n\n"

    text = KEEP_WHOLE.sub(keep, text.replace("\r\n", "\n"))
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text)]
    html = "\n".join(
        chunk if BLOCK_START.match(chunk) else "<p>" + chunk.replace("\n", "<br>\n") + "</p>"
        for chunk in chunks
        if chunk
    )
    return re.sub(r"<pre>\x00(\d+)\x00</pre>", lambda m: kept[int(m.group(1))], html)


def _embed(url: str, notes) -> str:
    """WordPress showed the post a URL names: a card here, or a link where no card fits."""
    if not embed_parse(url):
        notes.append(f"embed kept as a link (no card for this site): {url}")
    return "\n\n" + embed_html(url) + "\n\n"


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
        for m in ATTR.finditer(text)
    }


def _gallery(attributes: str, gallery, notes) -> str:
    ids = [i.strip() for i in _attrs(attributes).get("ids", "").split(",") if i.strip()]
    images = gallery(ids) if gallery else []
    if not images:
        notes.append("left out: a [gallery] with no images in the export")
        return ""
    tags = "".join(f'<img src="{escape(url)}" alt="{escape(alt)}">' for url, alt in images)
    return f"\n\n<figure>{tags}</figure>\n\n"


def _media(kind: str, attributes: str, inner: str | None, notes) -> str:
    attrs = _attrs(attributes)
    url = attrs.get("src") or next(
        (v for k, v in attrs.items() if k in {"mp3", "m4a", "ogg", "wav", "mp4", "webm", "ogv"}), ""
    )
    url = url or (attributes.strip() if attributes.strip().startswith("http") else "")
    url = url or (inner or "").strip()
    if not url.startswith(("http://", "https://")):
        notes.append(f"left out: an [{kind}] with no file")
        return ""
    if embed_parse(url):
        return embed_html(url)
    notes.append(f"{kind} kept as a link to its file: {url}")
    label = "Listen" if kind == "audio" else "Watch"
    name = escape(url.rsplit("/", 1)[-1] or url)
    return f'\n\n<p><a href="{escape(url)}">{label}: {name}</a></p>\n\n'


def _caption(match) -> str:
    inner = match.group(1).strip()
    parts = FIRST_IMG.split(inner, maxsplit=1)
    if len(parts) < 3:
        return inner
    before, image, caption = parts
    image = re.sub(r"^<a\b[^>]*>|</a>$", "", before.strip() + image + "")  # drop a wrapping link
    caption = re.sub(r"^\s*</a>", "", caption).strip()
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def outside_links(html: str, own_hosts: set[str]) -> list[tuple[str, str]]:
    """(url, link text) for each http(s) link to another site, first mention only."""
    collector = _LinkCollector()
    collector.feed(html)
    seen, result = set(), []
    for url, text in collector.links:
        parts = urlsplit(url)
        host = bare_host(parts.hostname or "")
        if parts.scheme in {"http", "https"} and host and host not in own_hosts and url not in seen:
            seen.add(url)
            result.append((url, text))
    return result


def bare_host(host: str) -> str:
    host = host.lower()
    return host[4:] if host.startswith("www.") else host
