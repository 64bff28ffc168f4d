"""The XSS corpus and a checker that finds markup a browser (or feed reader) would run."""

import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

VECTORS_FILE = Path(__file__).resolve().parent / "data" / "xss_vectors.txt"


def xss_vectors() -> list[str]:
    lines = VECTORS_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


# Attributes a browser follows or loads. (`cite` is not: no browser navigates to it.)
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "background", "poster",
    "xlink:href", "srcset", "lowsrc", "dynsrc", "codebase", "manifest", "ping",
}  # fmt: skip
ALWAYS_LIVE_TAGS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "svg",
    "math", "isindex", "template", "xmp", "noembed", "keygen", "marquee",
}  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "livescript:")
CONTROL = re.compile(r"[\x00-\x20]")


class LiveMarkupFinder(HTMLParser):
    """Collect every tag or attribute that would execute script when the page is shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        where = self.get_starttag_text()
        if tag in ALWAYS_LIVE_TAGS:
            self.problems.append(f"<{tag}> element: {where}")
        if tag == "script" and not self._is_own_script(attributes):
            self.problems.append(f"foreign script: {where}")
        if tag == "style" and "nonce" not in attributes:
            self.problems.append(f"style element without nonce: {where}")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.problems.append(f"meta refresh: {where}")
        rel = attributes.get("rel", "").lower()
        own_href = attributes.get("href", "").startswith("/static/")
        if tag == "link" and rel in {"import", "stylesheet"} and not own_href:
            self.problems.append(f"foreign stylesheet: {where}")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name}: {where}")
            if name in {"srcdoc", "style"} and value:
                lowered = CONTROL.sub("", value).lower()
                if name == "srcdoc" or "expression(" in lowered or "javascript:" in lowered:
                    self.problems.append(f"{name} attribute: {where}")
            if name in URL_ATTRIBUTES:
                url = CONTROL.sub("", value).lower()
                if url.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"{name}={value!r}: {where}")

    handle_startendtag = handle_starttag

    @staticmethod
    def _is_own_script(attributes) -> bool:
        if "src" in attributes:
            return attributes["src"].startswith("/static/")
        return attributes.get("type") == "application/ld+json" and "nonce" in attributes


def live_markup(html: str) -> list[str]:
    finder = LiveMarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


ATOM = "{http://www.w3.org/2005/Atom}"
# Entry fields a feed reader renders as HTML (channel descriptions and titles are text).
HTML_FEED_ELEMENTS = [
    "channel/item/description",
    "channel/item/{http://purl.org/rss/1.0/modules/content/}encoded",
    f"{ATOM}entry/{ATOM}summary",
    f"{ATOM}entry/{ATOM}content",
]


def live_markup_in_xml(xml: bytes) -> list[str]:
    """Feeds and sitemaps: well-formed XML, no live markup in it or in its HTML fields."""
    problems = live_markup(xml.decode())
    root = ElementTree.fromstring(xml)  # raises on anything not well-formed
    for path in HTML_FEED_ELEMENTS:
        for element in root.findall(path):
            problems += [f"{path}: {p}" for p in live_markup(element.text or "")]
    return problems
