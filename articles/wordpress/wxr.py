"""Read a WordPress eXtended RSS export (WXR 1.0 to 1.2, any version the file declares) into
plain dataclasses."""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
# WordPress's importer reads whatever version the file declares, on http or https.
WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
CONTENT_TYPES = {"post", "page"}


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
    parent: str = ""  # the parent's slug, for categories


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
    guid: str = ""
    password: str = ""
    parent_id: str = "0"
    menu_order: int = 0
    local_date: str = ""  # post_date as written: WordPress's /YYYY/MM/DD/ links use it
    categories: list[WPTerm] = field(default_factory=list)
    tags: list[WPTerm] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WPComment] = field(default_factory=list)
    attachment_url: str = ""
    is_sticky: bool = False

    @property
    def old_urls(self) -> list[str]:
        return [url for url in dict.fromkeys((self.link, self.guid)) if url]


@dataclass
class WPSite:
    """What the export says about the site; its posts are streamed from the file by items()."""

    path: Path
    ns: dict[str, str]
    utc_offset: timedelta = timedelta(0)
    title: str = ""
    base_url: str = ""  # the blog's own address (base_blog_url)
    site_url: str = ""  # base_site_url: wordpress.com, or a multisite network's address
    authors: list[WPAuthor] = field(default_factory=list)
    categories: list[WPTerm] = field(default_factory=list)
    tags: list[WPTerm] = field(default_factory=list)
    attachments: dict[str, WPPost] = field(default_factory=dict)
    menu_items: list[WPPost] = field(default_factory=list)
    item_types: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)  # (type, status) -> items
    page_paths: dict[str, str] = field(default_factory=dict)  # page id -> slug

    @property
    def post_count(self) -> int:
        return self.item_types["post"] + self.item_types["page"]

    def items(self) -> Iterator[WPPost]:
        """Each post and page in file order, one in memory at a time."""
        tz = timezone(self.utc_offset)
        for element in _items(self.path):
            if (_text(element, "wp:post_type", self.ns) or "post") in CONTENT_TYPES:
                yield _item(element, self.ns, tz)
            element.clear()

    def posts(self) -> Iterator[WPPost]:
        return (item for item in self.items() if item.type == "post")


def parse_wxr(path, *, site_time_zone: str = "UTC") -> WPSite:
    """Read the whole file once, checking it, and keep all but the posts' content.

    Raises WXRError with a clear message on anything malformed, before anything is written.
    """
    path = Path(path)
    ns = _namespaces(path)
    site = WPSite(path=path, ns=ns)
    offsets = Counter()
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
                        _slug(_text(element, "wp:category_parent", ns)),
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
                site.site_url = (element.text or "").strip().rstrip("/")
            elif tag == _qname(ns, "wp", "base_blog_url"):
                site.base_url = (element.text or "").strip().rstrip("/")
            elif tag == "item":
                post = _item(element, ns, UTC)  # checks every item, dates included
                site.item_types[post.type] += 1
                site.statuses[post.type, post.status] += 1
                if offset := _offset(element, ns):
                    offsets[offset] += 1
                if post.type == "attachment":
                    post.content = ""
                    site.attachments[post.id] = post
                elif post.type == "nav_menu_item":
                    site.menu_items.append(post)
                element.clear()
    except ET.ParseError as error:
        line, column = error.position
        raise WXRError(f"not well-formed XML at line {line}, column {column}") from None
    if not seen_channel:
        raise WXRError("this is not a WordPress export (no <channel>)")
    site.base_url = site.base_url or site.site_url  # WXR 1.0 of a single blog: the same
    if offsets:  # the blog's time zone, as its items' local and UTC dates differ
        site.utc_offset = offsets.most_common(1)[0][0]
    else:
        now = datetime.now(UTC)
        site.utc_offset = now.astimezone(ZoneInfo(site_time_zone)).utcoffset() or timedelta(0)
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
    if not WP_NAMESPACE.match(ns.get("wp", "")):
        raise WXRError("this is not a WordPress export (no WordPress export namespace)")
    if "excerpt" not in ns:
        ns["excerpt"] = ns["wp"] + "excerpt/"
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


def _parse(value: str) -> datetime | None:
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise WXRError(f"unreadable date {value!r}") from None


def _date(gmt: str, local: str, tz) -> datetime | None:
    """WordPress writes 0000-00-00 00:00:00 for 'never': such dates are None."""
    if when := _parse(gmt):
        return when.replace(tzinfo=UTC)
    if when := _parse(local):
        return when.replace(tzinfo=tz)
    return None


def _offset(el, ns) -> timedelta | None:
    """post_date minus post_date_gmt, to the quarter hour (time zones are whole quarters)."""
    local = _parse(_text(el, "wp:post_date", ns))
    gmt = _parse(_text(el, "wp:post_date_gmt", ns))
    if local is None or gmt is None:
        return None
    minutes = round((local - gmt).total_seconds() / 900) * 15
    return timedelta(minutes=minutes) if abs(minutes) <= 14 * 60 else None


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
        # WXR 1.0 writes tags as domain="tag"; a term without a domain repeats one with it.
        domain = {"tag": "post_tag"}.get(term.get("domain"), term.get("domain"))
        if domain in terms:
            name = (term.text or "").strip()
            terms[domain].append(WPTerm(_slug(term.get("nicename") or name), name))
    try:
        menu_order = int(_text(el, "wp:menu_order", ns) or 0)
    except ValueError:
        menu_order = 0
    return WPPost(
        id=post_id,
        type=_text(el, "wp:post_type", ns) or "post",
        title=_text(el, "title", ns),
        link=_text(el, "link", ns),
        guid=_text(el, "guid", ns),
        slug=_slug(_text(el, "wp:post_name", ns)),
        status=_text(el, "wp:status", ns),
        password=_text(el, "wp:post_password", ns),
        parent_id=_text(el, "wp:post_parent", ns) or "0",
        menu_order=menu_order,
        author_login=_raw(el, "dc:creator", ns),
        content=_raw(el, "content:encoded", ns),
        excerpt=_raw(el, "excerpt:encoded", ns).strip(),
        local_date=_text(el, "wp:post_date", ns),
        published_at=_date(_text(el, "wp:post_date_gmt", ns), _text(el, "wp:post_date", ns), tz),
        modified_at=_date(
            _text(el, "wp:post_modified_gmt", ns), _text(el, "wp:post_modified", ns), tz
        ),
        comment_status=_text(el, "wp:comment_status", ns) or "open",
        categories=_unique(terms["category"]),
        tags=_unique(terms["post_tag"]),
        meta={
            _text(meta, "wp:meta_key", ns): _text(meta, "wp:meta_value", ns)
            for meta in el.findall("wp:postmeta", ns)
        },
        comments=[_comment(c, ns, tz) for c in el.findall("wp:comment", ns)],
        attachment_url=_text(el, "wp:attachment_url", ns),
        is_sticky=_text(el, "wp:is_sticky", ns) == "1",
    )


def _unique(terms: list[WPTerm]) -> list[WPTerm]:
    """One term per slug, in file order (WXR 1.0 lists each twice)."""
    return list({term.slug: term for term in terms}.values())


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
