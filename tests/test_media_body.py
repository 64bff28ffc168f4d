"""Library images in article bodies: stored as references, rendered as responsive figures
from their records (one query per body), and never shown from another site."""

import re

import pytest

from articles.media import figure_html, foreign_images, render_body_images
from articles.models import Image
from articles.sanitize import sanitize_html
from articles.services import article_checklist_for

from .factories import committed, image_file, make_article

pytestmark = pytest.mark.django_db


def library_image(**kwargs):
    with committed():
        return Image.objects.create_from_file(image_file(size=(1600, 900)), **kwargs)


def test_a_reference_survives_the_sanitiser_and_renders_a_responsive_figure():
    image = library_image(alt="A ferry at dawn", caption="The 6:10 ferry", credit="Kyodo")
    image.refresh_from_db()
    stored = sanitize_html(figure_html(image) + '<img src="x" onerror="alert(1)">')
    assert f'data-file="{image.pk}"' in stored and "onerror" not in stored

    html = render_body_images(stored)
    figure = re.search(r'<figure class="body-image">.*?</figure>', html, re.S)[0]
    assert re.search(r'<source type="image/webp" srcset="[^"]*/w400\.webp 400w', figure)
    assert re.search(r'srcset="[^"]*/w400\.jpg 400w, [^"]*/w800\.jpg 800w', figure)
    assert 'sizes="(min-width: 50rem) 48rem, 100vw"' in figure
    assert 'width="1600" height="900"' in figure and 'loading="lazy"' in figure
    assert 'alt="A ferry at dawn"' in figure
    assert '<figcaption>The 6:10 ferry <span class="credit">Kyodo</span></figcaption>' in figure
    assert "data-file" not in html and "http" not in figure


def test_the_caption_and_alt_typed_in_the_body_win_over_the_librarys():
    image = library_image(alt="Library alt", caption="Library caption", credit="AP")
    body = (
        f'<figure><img src="/media/old.jpg" alt="Body &quot;alt&quot;" data-file="{image.pk}">'
        "<figcaption>Body <em>caption</em></figcaption></figure>"
    )
    html = render_body_images(sanitize_html(body))
    assert 'alt="Body &quot;alt&quot;"' in html
    assert '<figcaption>Body <em>caption</em> <span class="credit">AP</span></figcaption>' in html
    assert "/media/old.jpg" not in html  # the URL comes from the record, never the body


def test_texts_from_the_record_are_escaped():
    image = library_image(alt='"><script>alert(1)</script>', caption="<b>bold</b>", credit="<i>")
    html = render_body_images(figure_html(image, alt=None, caption=""))
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_all_the_images_of_a_body_load_in_one_query(django_assert_num_queries):
    images = [library_image(alt=f"Picture {n}") for n in range(4)]
    body = "".join(f"<p>Para {n}</p>{figure_html(image)}" for n, image in enumerate(images))
    with django_assert_num_queries(1):
        html = render_body_images(sanitize_html(body))
    assert html.count('<figure class="body-image">') == 4


def test_a_deleted_image_leaves_the_rest_of_the_body():
    image = library_image(alt="Gone soon")
    body = sanitize_html(f"<p>Before</p>{figure_html(image)}<p>After</p>")
    image.delete()
    assert render_body_images(body) == "<p>Before</p><p>After</p>"


def test_images_from_other_sites_are_dropped_for_their_alt_text_and_flagged():
    body = sanitize_html(
        '<p>One</p><img src="https://tracker.example/pixel.png" alt="A chart of rainfall">'
        '<img src="//cdn.example/x.png" alt=""><img src="/media/articles/kept.jpg" alt="Ours">'
    )
    html = render_body_images(body)
    assert "tracker.example" not in html and "cdn.example" not in html
    assert '<span class="image-missing">A chart of rainfall</span>' in html
    assert '<img src="/media/articles/kept.jpg" alt="Ours">' in html
    assert foreign_images(body) == ["https://tracker.example/pixel.png", "//cdn.example/x.png"]

    article = make_article(body=body)
    check = {c.key: c for c in article_checklist_for(article)}["image_hosts"]
    assert not check.ok and not check.blocking
    assert "tracker.example" in check.detail and "cdn.example" in check.detail


def test_the_article_page_and_the_full_text_feed_show_the_figure(client, settings):
    image = library_image(alt="A ferry", caption="At dawn", credit="Kyodo")
    article = make_article(title="Ferries return", body=f"<p>Text</p>{figure_html(image)}")
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count('<figure class="body-image">') == 1 and "w400.webp 400w" in page
    settings.FEED_FULL_TEXT = True
    feed = client.get("/feed/").content.decode()
    assert "body-image" in feed and "Kyodo" in feed


def test_a_new_caption_shows_on_the_page_at_once(client):
    image = library_image(alt="A ferry", credit="Kyodo")
    article = make_article(title="Ferries return", body=f"<p>Text</p>{figure_html(image)}")
    assert "Kyodo" in client.get(article.get_absolute_url()).content.decode()
    image.credit = "Reuters"
    with committed():
        image.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Reuters" in page and "Kyodo" not in page
