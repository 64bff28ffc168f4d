"""Read a WordPress eXtended RSS (WXR 1.1/1.2) export into plain dataclasses."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
OLDER_WP_NAMESPACES = ("http://wordpress.org/export/1.1/", "http://wordpress.org/export/1.0/")


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
    title: str
    base_url: str
    authors: list[WPAuthor]
    categories: list[WPTerm]
    tags: list[WPTerm]
    items: list[WPPost]

    @property
    def posts(self) -> list[WPPost]:
        return [item for item in self.items if item.type == "post"]

    @property
    def attachments(self) -> dict[str, WPPost]:
        return {item.id: item for item in self.items if item.type == "attachment"}


def parse_wxr(source, *, site_time_zone: str = "UTC") -> WPSite:
    """Parse a path or file object; raise WXRError with a clear message on anything malformed."""
    try:
        tree = ET.parse(source)
    except ET.ParseError as error:
        line, column = error.position
        raise WXRError(f"not well-formed XML at line {line}, column {column}") from None
    except OSError as error:
        raise WXRError(f"cannot read the file: {error.strerror or error}") from None
    root = tree.getroot()
    _normalise_namespaces(root)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None or channel.find("wp:wxr_version", NS) is None:
        raise WXRError("this is not a WordPress export (no <channel> with <wp:wxr_version>)")
    tz = ZoneInfo(site_time_zone)
    return WPSite(
        title=_text(channel, "title"),
        base_url=(_text(channel, "wp:base_site_url") or _text(channel, "link")).rstrip("/"),
        authors=[_author(el) for el in channel.findall("wp:author", NS)],
        categories=[
            WPTerm(
                _slug(_text(el, "wp:category_nicename")),
                _text(el, "wp:cat_name"),
                _text(el, "wp:category_description"),
            )
            for el in channel.findall("wp:category", NS)
        ],
        tags=[
            WPTerm(_slug(_text(el, "wp:tag_slug")), _text(el, "wp:tag_name"))
            for el in channel.findall("wp:tag", NS)
        ],
        items=[_item(el, tz) for el in channel.findall("item")],
    )


def _normalise_namespaces(root) -> None:
    """Exports from older WordPress versions use 1.0/1.1 namespaces: read them as 1.2."""
    for element in root.iter():
        for old in OLDER_WP_NAMESPACES:
            if element.tag.startswith("{" + old):
                element.tag = element.tag.replace(old, NS["wp"])


def _text(element, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _raw(element, path: str) -> str:
    """Text without stripping: post content keeps its line breaks for paragraphing."""
    found = element.find(path, NS)
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


def _author(el) -> WPAuthor:
    login = _text(el, "wp:author_login")
    if not login:
        raise WXRError("an author has no login")
    return WPAuthor(
        login=login,
        email=_text(el, "wp:author_email"),
        display_name=_text(el, "wp:author_display_name") or login,
        first_name=_text(el, "wp:author_first_name"),
        last_name=_text(el, "wp:author_last_name"),
    )


def _item(el, tz) -> WPPost:
    post_id = _text(el, "wp:post_id")
    if not post_id:
        raise WXRError(f"the item {_text(el, 'title')!r} has no wp:post_id")
    terms = {"category": [], "post_tag": []}
    for term in el.findall("category"):
        if term.get("domain") in terms:
            name = (term.text or "").strip()
            terms[term.get("domain")].append(WPTerm(_slug(term.get("nicename") or name), name))
    return WPPost(
        id=post_id,
        type=_text(el, "wp:post_type") or "post",
        title=_text(el, "title"),
        link=_text(el, "link"),
        slug=_slug(_text(el, "wp:post_name")),
        status=_text(el, "wp:status"),
        author_login=_text(el, "dc:creator"),
        content=_raw(el, "content:encoded"),
        excerpt=_raw(el, "excerpt:encoded").strip(),
        published_at=_date(_text(el, "wp:post_date_gmt"), _text(el, "wp:post_date"), tz),
        modified_at=_date(_text(el, "wp:post_modified_gmt"), _text(el, "wp:post_modified"), tz),
        comment_status=_text(el, "wp:comment_status") or "open",
        categories=terms["category"],
        tags=terms["post_tag"],
        meta={
            _text(meta, "wp:meta_key"): _text(meta, "wp:meta_value")
            for meta in el.findall("wp:postmeta", NS)
        },
        comments=[_comment(c, tz) for c in el.findall("wp:comment", NS)],
        attachment_url=_text(el, "wp:attachment_url"),
        is_sticky=_text(el, "wp:is_sticky") == "1",
    )


def _comment(el, tz) -> WPComment:
    return WPComment(
        id=_text(el, "wp:comment_id"),
        author=_text(el, "wp:comment_author"),
        email=_text(el, "wp:comment_author_email"),
        url=_text(el, "wp:comment_author_url"),
        ip=_text(el, "wp:comment_author_IP"),
        date=_date(_text(el, "wp:comment_date_gmt"), _text(el, "wp:comment_date"), tz),
        content=_raw(el, "wp:comment_content").strip(),
        approved=_text(el, "wp:comment_approved"),
        type=_text(el, "wp:comment_type"),
        parent_id=_text(el, "wp:comment_parent") or "0",
    )
