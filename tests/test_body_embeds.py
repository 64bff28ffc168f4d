"""Embeds: which URLs are a provider's post, parsed strictly, and what the body stores."""

import pytest

from articles.body.embeds import embed_html, embed_parse
from articles.sanitize import sanitize_html

VIDEO = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "url, provider, canonical, frame",
    [
        (f"https://www.youtube.com/watch?v={VIDEO}&t=42s&si=track", "youtube",
         f"https://www.youtube.com/watch?v={VIDEO}", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        (f"https://youtu.be/{VIDEO}?si=x", "youtube", f"https://www.youtube.com/watch?v={VIDEO}", None),
        (f"https://youtube.com/shorts/{VIDEO}", "youtube", f"https://www.youtube.com/watch?v={VIDEO}", None),
        (f"http://m.youtube.com/watch?v={VIDEO}", "youtube", f"https://www.youtube.com/watch?v={VIDEO}", None),
        ("https://vimeo.com/76979871", "vimeo", "https://vimeo.com/76979871",
         "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "vimeo", "https://vimeo.com/76979871", None),
        ("https://twitter.com/NHKWORLD_News/status/1790000000000000000", "x",
         "https://x.com/NHKWORLD_News/status/1790000000000000000", ""),
        ("https://bsky.app/profile/nhk.bsky.social/post/3kq2abcdefg2x", "bluesky",
         "https://bsky.app/profile/nhk.bsky.social/post/3kq2abcdefg2x", ""),
        ("https://mastodon.social/@Gargron/109412345678901234", "mastodon",
         "https://mastodon.social/@Gargron/109412345678901234", ""),
        ("https://social.example.jp/@reporter@mastodon.social/1234", "mastodon",
         "https://social.example.jp/@reporter@mastodon.social/1234", ""),
        ("https://www.instagram.com/p/C1a2B3c4D5e/?igsh=track", "instagram",
         "https://www.instagram.com/p/C1a2B3c4D5e/", ""),
        ("https://www.facebook.com/nhkworld/posts/1234567890", "facebook",
         "https://www.facebook.com/nhkworld/posts/1234567890", ""),
        ("https://m.facebook.com/permalink.php?story_fbid=123&id=456", "facebook",
         "https://www.facebook.com/permalink.php?story_fbid=123&id=456", ""),
    ],
)  # fmt: skip
def test_each_provider_s_posts_are_recognised_and_made_canonical(url, provider, canonical, frame):
    embed = embed_parse(url)
    assert embed is not None, url
    assert (embed.provider, embed.url) == (provider, canonical)
    if frame is not None:
        assert embed.frame_url == frame


@pytest.mark.parametrize(
    "url",
    [
        f"javascript:alert(1)//https://www.youtube.com/watch?v={VIDEO}",
        f"https://youtube.com.evil.example/watch?v={VIDEO}",
        f"https://evilyoutube.com/watch?v={VIDEO}",
        f"https://www.youtube.com@evil.example/watch?v={VIDEO}",
        f"https://user:pw@www.youtube.com/watch?v={VIDEO}",
        f"https://www.youtube.com:8443/watch?v={VIDEO}",
        f"https://www.youtube.com./watch?v={VIDEO}",
        f'https://www.youtube.com/watch?v={VIDEO}"onmouseover=alert(1)',
        "https://www.youtube.com/watch?v=<script>",
        f"https://www.youtube.com\\@evil.example/watch?v={VIDEO}",
        f"ftp://www.youtube.com/watch?v={VIDEO}",
        f"//www.youtube.com/watch?v={VIDEO}",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/channel/UC123",
        "https://vimeo.com/channels/staffpicks",
        "https://x.com/home",
        "https://x.com/@123/status/1",  # not Mastodon either: X's own host
        "https://www.youtube.com/@someone/123",
        "https://127.0.0.1/@admin/1",
        "https://localhost/@admin/1",
        "https://example.com/users/someone/statuses/1",
        "https://www.facebook.com/permalink.php?story_fbid=1&id=abc",
        "https://" + "a" * 600 + ".example/@x/1",
        "",
        "not a url",
    ],
)
def test_hostile_and_foreign_urls_are_not_embeds(url):
    assert embed_parse(url) is None


def test_the_body_stores_the_url_only_and_the_sanitiser_keeps_it():
    html = embed_html(f"https://youtu.be/{VIDEO}")
    canonical = f"https://www.youtube.com/watch?v={VIDEO}"
    assert (
        html == f'<figure data-embed="{canonical}"><a href="{canonical}">{canonical}</a></figure>'
    )
    assert sanitize_html(html) == html


def test_a_url_no_provider_claims_stays_a_plain_link():
    assert embed_html("https://example.com/a?b=1&c=<2>") == (
        '<p><a href="https://example.com/a?b=1&amp;c=&lt;2&gt;">'
        "https://example.com/a?b=1&amp;c=&lt;2&gt;</a></p>"
    )


def test_the_sanitiser_refuses_embeds_of_other_hosts_and_canonicalises_good_ones():
    forged = (
        '<figure data-embed="https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ">'
        '<a href="https://youtube.com.evil.example/x">watch</a></figure>'
    )
    assert sanitize_html(forged) == (
        '<figure><a href="https://youtube.com.evil.example/x">watch</a></figure>'
    )
    hidden = '<figure data-embed="javascript:alert(1)" onclick="x()" class="y"></figure>'
    assert sanitize_html(hidden) == "<figure></figure>"
    tracked = f'<figure data-embed="https://youtu.be/{VIDEO}?si=abc"></figure>'
    assert sanitize_html(tracked) == (
        f'<figure data-embed="https://www.youtube.com/watch?v={VIDEO}"></figure>'
    )
