"""Template helpers for the public pages: images, structured data, snippets, share links."""

import html
import json
import re

from django import template
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles import fragments, seo
from articles.models.article import HIGHLIGHT_START, HIGHLIGHT_STOP
from articles.renditions import avatar_data, picture_data

register = template.Library()

# Characters that could end the <script> element or confuse an HTML parser, as json_script does.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
_TAG = re.compile(r"<[^>]*>")
SITE_CARD_SIZE = {"width": 1200, "height": 630}  # static/img/share.png


@register.filter
def ld_json(data) -> str:
    """JSON for a <script type="application/ld+json"> element, safe inside HTML."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308


@register.filter
def iso_time(value) -> str:
    """A datetime for <time datetime>, metadata and sitemaps, to the second: HTML allows at
    most three digits of a fraction of a second, and |date:'c' writes six."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


@register.filter
def absolute(url: str) -> str:
    return seo.absolute(str(url))


@register.filter
def snippet(text: str) -> str:
    """A search headline (a piece of the body's HTML): tags dropped, entities read as the
    characters they stand for, then all of it escaped, with the highlights as <mark>.
    Escaping last is what makes a plain pattern enough (strip_tags parses: 0.2 ms a card)."""
    plain = html.unescape(_TAG.sub("", text or ""))
    escaped = escape(" ".join(plain.split()))
    highlighted = escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    return mark_safe(highlighted)  # noqa: S308 - escaped above


@register.inclusion_tag("includes/picture.html")
def picture(image, manifest, alt="", sizes="100vw", lead=False, css_class=""):
    """<picture> with WebP and original-format srcsets; the original alone until renditions exist."""
    return {
        "image": picture_data(image, manifest),
        "alt": alt,
        "sizes": sizes,
        "lead": lead,
        "css_class": css_class,
    }


@register.inclusion_tag("includes/avatar.html")
def avatar(author, size=64):
    image = avatar_data(author.avatar, author.avatar_renditions, size) if author.avatar else {}
    return {"author": author, "size": size, "image": image}


@register.simple_tag
def og_image(article) -> dict:
    """The share image's absolute URL, with its width and height when known."""
    return seo.article_share_image(article) or {
        "url": seo.absolute(static("img/share.png")),
        **SITE_CARD_SIZE,
    }


@register.simple_tag(takes_context=True)
def page_url(context) -> str:
    """This page's absolute URL, ?page=N past the first: its canonical link and og:url."""
    request, page = context.get("request"), context.get("page_obj")
    url = seo.absolute(request.path if request else "/")
    return f"{url}?page={page.number}" if page and page.number > 1 else url


@register.simple_tag
def share_links(article):
    return seo.share_links(seo.absolute(article.get_absolute_url()), article.title)


@register.simple_tag
def structured_data(kind, obj=None):
    builders = {
        "article": seo.news_article,
        "author": seo.author_profile,
        "website": lambda _: seo.website(),
    }
    return builders[kind](obj)


@register.simple_tag
def breadcrumbs(*pairs):
    """{% breadcrumbs "Asia" "/sections/asia/" "Headline" "/articles/x/" %}"""
    return seo.breadcrumbs(*zip(pairs[::2], pairs[1::2], strict=True))


@register.tag
def fragment(parser, token):
    """{% fragment "card" article level %}...{% endfragment %}: the enclosed HTML, kept in the
    cache under a key made of the name and what it shows (articles/fragments.py)."""
    name, *vary_on = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, name, vary_on)


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        if context.get("is_preview"):  # a preview shows a draft to its editors alone
            return self.nodelist.render(context)
        values = [v.resolve(context) for v in self.vary_on]
        # Read ahead by the view (the article page's, with its comments: one round trip), else
        # shared by the templates of one render (a page and its base), not by includes.
        loaded = context.get("fragment_bundles")
        if loaded is None:
            loaded = context.render_context.setdefault("fragment_bundles", {})
        return fragments.bundled_html(
            self.name.resolve(context), values, lambda: self.nodelist.render(context), loaded
        )
