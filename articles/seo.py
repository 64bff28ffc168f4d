"""Structured data (schema.org JSON-LD) and share links for the public pages."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from articles.renditions import crop_size, crop_urls


def absolute(url: str) -> str:
    """SITE_URL + path for site-relative URLs; absolute URLs (e.g. S3) unchanged."""
    return settings.SITE_URL + url if url.startswith("/") else url


def publisher() -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": {"@type": "ImageObject", "url": absolute(static("img/logo.png"))},
    }


def person(author) -> dict:
    data = {"@type": "Person", "name": author.name, "url": absolute(author.get_absolute_url())}
    if author.role:
        data["jobTitle"] = author.role
    if links := [url for _, url in author.links]:
        data["sameAs"] = links
    return data


def article_images(article) -> list[str]:
    return [absolute(url) for url in crop_urls(article.hero_image, article.renditions)]


def article_share_image(article) -> dict | None:
    """The share image with its size: the 16:9 crop (best for social cards), the original
    until the crops are made, or the drawn card of an article without a hero image. None
    while that card is still being drawn."""
    images = article_images(article)
    if not images:
        return None
    manifest = article.renditions or {}
    size = (manifest.get("width"), manifest.get("height"))  # the original's, or the card's
    has_crops = article.hero_image and manifest.get("source") == article.hero_image.name
    if has_crops and "16x9" in manifest.get("crops", {}):
        size = crop_size(manifest, "16x9") or (None, None)
    return {"url": images[-1], "width": size[0], "height": size[1]}


def news_article(article) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "headline": article.title,
        "description": article.dek,
        "image": article_images(article),
        # A preview of a draft has no publication time yet: its creation stands in.
        "datePublished": (article.published_at or article.created_at).isoformat(),
        "dateModified": (
            article.updated_at or article.published_at or article.created_at
        ).isoformat(),
        "author": [person(byline.author) for byline in article.bylines.all()],
        "publisher": publisher(),
        "wordCount": article.word_count,
        "keywords": [tag.name for tag in article.tags.all()],
        "citation": [
            {
                "@type": "CreativeWork",
                "name": citation.title or citation.source.name,
                "url": citation.url,
                "publisher": {"@type": "Organization", "name": citation.source.name},
            }
            for citation in article.citations.all()
        ],
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": correction.note,
                "datePublished": correction.published_at.isoformat(),
            }
            for correction in article.corrections.all()
        ],
    }
    if article.section_id:
        data["articleSection"] = article.section.name
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def breadcrumbs(*trail: tuple[str, str]) -> dict:
    """BreadcrumbList from (name, path) pairs, starting at the front page."""
    items = [(settings.SITE_NAME, reverse("articles:article_list")), *trail]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": absolute(path)}
            for n, (name, path) in enumerate(items, start=1)
        ],
    }


def author_profile(author) -> dict:
    data = person(author)
    if author.bio:
        data["description"] = author.bio
    return {"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": data}


def website() -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "publisher": publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute(reverse("articles:search")) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def share_links(url: str, title: str) -> list[tuple[str, str, str]]:
    """(network key, label, share URL) for plain links: no third-party scripts."""
    return [
        ("x", "X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        (
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        (
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        (
            "email",
            "Email",
            "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote),
        ),
    ]
