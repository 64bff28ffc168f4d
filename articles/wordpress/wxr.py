"""Read a WordPress eXtended RSS (WXR 1.1/1.2) export into plain dataclasses."""

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
WP_NAMESPACES = {f"http://wordpress.org/export/{v}/" for v in ("1.0", "1.1", "1.2")}


class WXRError(ValueError):
    """The file is not a readable WordPress export."""


@dataclass
class WPAuthor:
    login: str
    email: str
    display_name: str
    first_name: str = ""
    last_name: str = ""


@dataclass
class WPTerm:
    slug: str
    name: str
    description: str = ""


@dataclass
class WPComment:
    id: str
    author: str
    email: str
    url: str
    ip: str
    date: datetime
    content: str
    approved: str
    type: str
    parent_id: str


@dataclass
class WPPost:
    id: str
    type: str
    title: str
    link: str
    slug: str
    status: str
    author_login: str
    content: str
    excerpt: str
    published_at: datetime | None
    modified_at: datetime | None
    comment_status: str
    categories: list[WPTerm] = field(default_factory=list)
    tags: list[WPTerm] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WPComment] = field(default_factory=list)
    attachment_url: str = ""
    is_sticky: bool = False


@dataclass
class WPSite:
    """What the export says about the site; its posts are streamed from the file by posts()."""

    path: Path
    ns: dict[str, str]
    time_zone: ZoneInfo
    title: str = ""
    base_url: str = ""
    authors: list[WPAuthor] = field(default_factory=list)
    categories: list[WPTerm] = field(default_factory=list)
    tags: list[WPTerm] = field(default_factory=list)
    attachments: dict[str, WPPost] = field(default_factory=dict)
    item_types: Counter = field(default_factory=Counter)

    @property
    def post_count(self) -> int:
        return self.item_types["post"]

    def posts(self) -> Iterator[WPPost]:
        """Each post in file order, one in memory at a time."""
        for element in _items(self.path):
            if _text(element, "wp:post_type", self.ns) in {"post", ""}:
                yield _item(element, self.ns, self.time_zone)
            element.clear()


def parse_wxr(path, *, site_time_zone: str = "UTC") -> WPSite:
    """Read the whole file once, checking it, and keep all but the posts' content.

    Raises WXRError with a clear message on anything malformed, before anything is written.
    """
    path = Path(path)
    ns = _namespaces(path)
    site = WPSite(path=path, ns=ns, time_zone=ZoneInfo(site_time_zone))
    seen_channel = False
    try:
        for _, element in ET.iterparse(path, events=("end",)):
            tag = element.tag
            if tag == "channel":
                seen_channel = True
            elif tag == _qname(ns, "wp", "author"):
                site.authors.append(_author(element, ns))
            elif tag == _qname(ns, "wp", "category"):
                site.categories.append(
                    WPTerm(
                        _slug(_text(element, "wp:category_nicename", ns)),
                        _text(element, "wp:cat_name", ns),
                        _text(element, "wp:category_description", ns),
                    )
                )
            elif tag == _qname(ns, "wp", "tag"):
                site.tags.append(
                    WPTerm(
                        _slug(_text(element, "wp:tag_slug", ns)), _text(element, "wp:tag_name", ns)
                    )
                )
            elif tag == "title" and not site.title:
                site.title = (element.text or "").strip()
            elif tag == _qname(ns, "wp", "base_site_url"):
                site.base_url = (element.text or "").strip().rstrip("/")
            elif tag == "item":
                post = _item(element, ns, site.time_zone)  # checks every item, dates included
                site.item_types[post.type] += 1
                if post.type == "attachment":
                    post.content = ""
                    site.attachments[post.id] = post
                element.clear()
    except ET.ParseError as error:
        line, column = error.position
        raise WXRError(f"not well-formed XML at line {line}, column {column}") from None
    if not seen_channel:
        raise WXRError("this is not a WordPress export (no <channel>)")
    return site


def _namespaces(path: Path) -> dict[str, str]:
    """The prefixes the export declares on <rss> (older WordPress writes wp 1.0 or 1.1)."""
    ns = {}
    try:
        for event, value in ET.iterparse(path, events=("start-ns", "start")):
            if event == "start":
                break
            prefix, uri = value
            if prefix in NS:
                ns[prefix] = uri
    except ET.ParseError as error:
        line, column = error.position
        raise WXRError(f"not well-formed XML at line {line}, column {column}") from None
    except OSError as error:
        raise WXRError(f"cannot read the file: {error.strerror or error}") from None
    if ns.get("wp") not in WP_NAMESPACES:
        raise WXRError("this is not a WordPress export (no WordPress export namespace)")
    return NS | ns


def _items(path: Path) -> Iterator:
    for _, element in ET.iterparse(path, events=("end",)):
        if element.tag == "item":
            yield element


def _qname(ns, prefix, name) -> str:
    return f"{{{ns.get(prefix, '')}}}{name}"


def _text(element, path: str, ns=NS) -> str:
    found = element.find(path, ns)
    return (found.text or "").strip() if found is not None else ""


def _raw(element, path: str, ns=NS) -> str:
    """Text without stripping: post content keeps its line breaks for paragraphing."""
    found = element.find(path, ns)
    return found.text or "" if found is not None else ""


def _slug(value: str) -> str:
    return unquote(value).strip()


def _date(gmt: str, local: str, tz) -> datetime | None:
    """WordPress writes 0000-00-00 00:00:00 for 'never': such dates are None."""
    for value, zone in ((gmt, UTC), (local, tz)):
        if value and not value.startswith("0000"):
            try:
                return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
            except ValueError:
                raise WXRError(f"unreadable date {value!r}") from None
    return None


def _author(el, ns) -> WPAuthor:
    login = _text(el, "wp:author_login", ns)
    if not login:
        raise WXRError("an author has no login")
    return WPAuthor(
        login=login,
        email=_text(el, "wp:author_email", ns),
        display_name=_text(el, "wp:author_display_name", ns) or login,
        first_name=_text(el, "wp:author_first_name", ns),
        last_name=_text(el, "wp:author_last_name", ns),
    )


def _item(el, ns, tz) -> WPPost:
    post_id = _text(el, "wp:post_id", ns)
    if not post_id:
        raise WXRError(f"the item {_text(el, 'title', ns)!r} has no wp:post_id")
    terms = {"category": [], "post_tag": []}
    for term in el.findall("category"):
        if term.get("domain") in terms:
            name = (term.text or "").strip()
            terms[term.get("domain")].append(WPTerm(_slug(term.get("nicename") or name), name))
    return WPPost(
        id=post_id,
        type=_text(el, "wp:post_type", ns) or "post",
        title=_text(el, "title", ns),
        link=_text(el, "link", ns),
        slug=_slug(_text(el, "wp:post_name", ns)),
        status=_text(el, "wp:status", ns),
        author_login=_text(el, "dc:creator", ns),
        content=_raw(el, "content:encoded", ns),
        excerpt=_raw(el, "excerpt:encoded", ns).strip(),
        published_at=_date(_text(el, "wp:post_date_gmt", ns), _text(el, "wp:post_date", ns), tz),
        modified_at=_date(
            _text(el, "wp:post_modified_gmt", ns), _text(el, "wp:post_modified", ns), tz
        ),
        comment_status=_text(el, "wp:comment_status", ns) or "open",
        categories=terms["category"],
        tags=terms["post_tag"],
        meta={
            _text(meta, "wp:meta_key", ns): _text(meta, "wp:meta_value", ns)
            for meta in el.findall("wp:postmeta", ns)
        },
        comments=[_comment(c, ns, tz) for c in el.findall("wp:comment", ns)],
        attachment_url=_text(el, "wp:attachment_url", ns),
        is_sticky=_text(el, "wp:is_sticky", ns) == "1",
    )


def _comment(el, ns, tz) -> WPComment:
    return WPComment(
        id=_text(el, "wp:comment_id", ns),
        author=_text(el, "wp:comment_author", ns),
        email=_text(el, "wp:comment_author_email", ns),
        url=_text(el, "wp:comment_author_url", ns),
        ip=_text(el, "wp:comment_author_IP", ns),
        date=_date(_text(el, "wp:comment_date_gmt", ns), _text(el, "wp:comment_date", ns), tz),
        content=_raw(el, "wp:comment_content", ns).strip(),
        approved=_text(el, "wp:comment_approved", ns),
        type=_text(el, "wp:comment_type", ns),
        parent_id=_text(el, "wp:comment_parent", ns) or "0",
    )
