"""WordPress block and classic markup to the site's sanitised HTML."""

import re
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from articles.sanitize import sanitize_html

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.S)
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S)
# Any other shortcode, paired or single: its inner text stays, the brackets go.
SHORTCODE = re.compile(r"\[/?[a-z][\w-]*(?:\s[^\]]*)?/?\]")
BLOCK_START = re.compile(
    r"^\s*<(?:h[1-6]|p|ul|ol|li|blockquote|figure|div|table|pre|hr|img)\b", re.I
)
HEADING = re.compile(r"<(/?)h([156])\b", re.I)
FIRST_IMG = re.compile(r"(<img\b[^>]*>)", re.I)


def wordpress_to_html(text: str) -> str:
    """Blocks and shortcodes to plain HTML, paragraphs as wpautop makes them, then sanitised."""
    text = BLOCK_COMMENT.sub("", text or "")
    text = CAPTION.sub(_caption, text)
    text = EMBED.sub(lambda m: _link(m.group(1).strip()), text)
    text = SHORTCODE.sub("", text)
    # The site's headings run h2-h4 under the page's one h1.
    text = HEADING.sub(lambda m: f"<{m.group(1)}h{'2' if m.group(2) == '1' else '4'}", text)
    return sanitize_html(autop(text)).strip()


def autop(text: str) -> str:
    """WordPress's rule: blank lines part paragraphs, single newlines are line breaks."""
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return "\n".join(
        chunk if BLOCK_START.match(chunk) else "<p>" + chunk.replace("\n", "<br>\n") + "</p>"
        for chunk in chunks
        if chunk
    )


def _caption(match) -> str:
    inner = match.group(1).strip()
    parts = FIRST_IMG.split(inner, maxsplit=1)
    if len(parts) < 3:
        return inner
    before, image, caption = parts
    image = re.sub(r"^<a\b[^>]*>|</a>$", "", before.strip() + image + "")  # drop a wrapping link
    caption = re.sub(r"^\s*</a>", "", caption).strip()
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


def _link(url: str) -> str:
    return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'


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
