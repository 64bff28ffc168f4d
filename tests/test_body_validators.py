"""An article using everything the body can hold (Index, table, correction, embeds, body
images, citations) passes the Nu Html Checker with no errors. axe-core checks the same kind
of page in a real browser in test_writing_seed_browser.py."""

import pytest

from articles.body.embeds import embed_html
from articles.media import figure_html
from articles.models import Image

from .factories import committed, image_file, make_article, make_citation, make_source
from .test_validators_html import SENTINEL, nu_html_check

pytestmark = pytest.mark.django_db


def test_an_article_with_every_body_feature_passes_the_nu_html_checker(client, tmp_path):
    with committed():
        photo = Image.objects.create_from_file(
            image_file(size=(1600, 900)), alt="Radar screens", caption="The radar room."
        )
    body = (
        "<h2>North Korea’s Recent Actions</h2>"
        '<p>As <a href="https://www.bbc.com/news">the BBC</a> reported, it flew '
        "<del>300 km</del> <ins>350 km</ins>, <s>roughly</s>.</p>"
        + figure_html(photo)
        + "<h3>Missile Launch Activity</h3>"
        "<table><tbody><tr><th><p>Date</p></th><th><p>Launch</p></th></tr>"
        "<tr><td><p>1 December</p></td><td><p>Ballistic</p></td></tr></tbody></table>"
        + embed_html("https://youtu.be/dQw4w9WgXcQ")
        + embed_html("https://mastodon.social/@nhk/1234")
        + '<h2 id="response">Tokyo’s Response</h2><h2>Tokyo’s Response</h2><h3>Next</h3><h4>Aside</h4>'
    )
    article = make_article(body=body)
    make_citation(article, source=make_source(name="BBC"), url="https://www.bbc.com/news")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    for shown in ('<nav class="index"', "<table>", "<del>", "embed-youtube", "srcset="):
        assert shown in html, shown
    errors = nu_html_check({"article": response.content, "sentinel": SENTINEL}, tmp_path)
    assert errors.pop("sentinel"), "the checker found nothing wrong with a known-bad page"
    assert errors == {"article": []}
