"""The Index: anchors on the body's headings, and the table of contents on the article page."""

import re

import pytest

from articles.body.render import body_for_feed, body_render
from articles.body.toc import heading_anchors
from articles.models import Article

from .factories import make_article

pytestmark = pytest.mark.django_db

SEED_HEADINGS = (
    "<h2>North Korea’s Recent Actions</h2><p>a</p>"
    "<h3>Missile Launch Activity</h3><p>b</p>"
    "<h2>Tokyo’s Response</h2><p>c</p>"
)


def anchors(html):
    return [h.anchor for h in heading_anchors(html)[1]]


def test_anchors_come_from_the_heading_text_and_are_unique():
    html, headings = heading_anchors(
        "<h2>Why it matters</h2><h3>Why it <em>matters</em></h3><h2>東京の反応</h2>"
        "<h2>Comments</h2><h2>Sources</h2><h2>!!!</h2><h4>Aside</h4>"
    )
    assert [h.anchor for h in headings] == [
        "why-it-matters", "why-it-matters-2", "東京の反応",
        "comments-2",  # the page's own #comments is not taken
        "sources", "section",
    ]  # fmt: skip
    assert [h.text for h in headings][:2] == ["Why it matters", "Why it matters"]
    assert '<h4 id="aside">Aside</h4>' in html  # anchored, but not in the Index


def test_an_anchor_stays_when_other_headings_change():
    before = anchors("<h2>Background</h2><h2>What comes next</h2>")
    after = anchors("<h2>Background and history</h2><h3>New</h3><h2>What comes next</h2>")
    assert before[1] == after[2] == "what-comes-next"


def test_an_author_set_id_is_kept_and_wins_over_a_generated_one():
    html, headings = heading_anchors(
        '<h2>Launches</h2><h2 id="launches">Timeline</h2><h2 id="article-title">Sneaky</h2>'
    )
    assert [h.anchor for h in headings] == ["launches-2", "launches", "sneaky"]
    assert html.count('id="launches"') == 1


def test_the_article_page_links_to_every_heading_from_its_index(client):
    article = make_article(body=SEED_HEADINGS)
    html = client.get(article.get_absolute_url()).content.decode()
    nav = html[html.index('<nav class="index"') : html.index("</nav>", html.index("index-heading"))]
    targets = re.findall(r'href="#([^"]+)"', nav)
    assert targets == ["north-koreas-recent-actions", "missile-launch-activity", "tokyos-response"]
    for target in targets:
        assert html.count(f'id="{target}"') == 1
    # h3 nested under its h2
    assert re.search(r"Recent Actions</a>\s*<ol><li><a href=\"#missile-launch-activity\"", nav)


def test_the_index_shows_from_the_configured_number_of_headings(settings):
    assert body_render(SEED_HEADINGS).headings  # 3 headings, default threshold 3
    settings.ARTICLE_INDEX_MIN_HEADINGS = 4
    assert body_render(SEED_HEADINGS).headings == []
    assert body_render(SEED_HEADINGS, "on").headings
    settings.ARTICLE_INDEX_MIN_HEADINGS = 1
    assert body_render(SEED_HEADINGS, "off").headings == []
    # ...and the anchors are there whatever the Index does
    assert 'id="tokyos-response"' in body_render(SEED_HEADINGS, "off").html


def test_an_article_can_switch_its_index_off_or_on(client):
    short = make_article(title="Short", body="<h2>Only one</h2><p>x</p>", index=Article.Index.ON)
    long = make_article(title="Long", body=SEED_HEADINGS, index=Article.Index.OFF)
    assert 'class="index"' in client.get(short.get_absolute_url()).content.decode()
    assert 'class="index"' not in client.get(long.get_absolute_url()).content.decode()


def test_the_embed_is_a_card_that_loads_nothing_until_clicked(client):
    body = (
        '<p>Watch:</p><figure data-embed="https://youtu.be/dQw4w9WgXcQ"></figure>'
        '<figure data-embed="https://x.com/nhk/status/123"><a href="https://x.com/nhk/status/123">'
        "post</a></figure>"
    )
    article = make_article(body=body)
    html = client.get(article.get_absolute_url()).content.decode()
    card = html[html.index('<figure class="embed embed-youtube"') :]
    card = card[: card.index("</figure>")]
    assert 'data-embed-frame="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in card
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener">' in card
    assert '<p class="embed-consent" hidden><button type="button" class="embed-load">' in card
    assert "Load YouTube content</button>" in card  # shown by site.js: without it, a link
    assert "<iframe" not in html and "youtube-nocookie.com/embed" not in html.replace(card, "")
    assert '<figure class="embed embed-x">' in html  # no player: the card is the link
    assert "Load X content" not in html


def test_feeds_get_embeds_as_plain_links():
    html = body_for_feed('<figure data-embed="https://vimeo.com/76979871"></figure>')
    assert html == (
        '<p>Vimeo post: <a href="https://vimeo.com/76979871">https://vimeo.com/76979871</a></p>'
    )


def test_header_cells_say_what_they_head():
    html = body_render(
        "<table><tbody><tr><th>Date</th><th>Kind</th></tr>"
        "<tr><th>1 Dec</th><td>Ballistic</td></tr></tbody></table>"
    ).html
    assert '<th scope="col">Date</th><th scope="col">Kind</th>' in html
    assert '<th scope="row">1 Dec</th>' in html
