"""Image renditions and share cards: made through django.tasks on save, never while a page renders."""

import re
from io import BytesIO, StringIO

import pytest
from django.core.files.storage import default_storage
from django.tasks.signals import task_enqueued
from PIL import Image

from articles.models import Article
from articles.renditions import rendition_name

from .factories import committed, image_file, make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def stored_image(name):
    with default_storage.open(name) as file:
        image = Image.open(BytesIO(file.read()))
        image.load()
    return image


@pytest.fixture
def enqueued():
    """(task name, args) of every task enqueued during the test."""
    calls = []

    def record(sender, task_result, **kwargs):
        calls.append((task_result.task.name, task_result.args))

    task_enqueued.connect(record)
    yield calls
    task_enqueued.disconnect(record)


def test_saving_a_hero_image_makes_webp_and_original_format_widths(enqueued):
    article = make_article(hero_image=image_file(size=(1600, 900)), hero_alt="A launch")
    assert enqueued == [
        ("refresh_renditions", ["articles.image", article.hero_id]),
        ("refresh_renditions", ["articles.article", article.pk]),
    ]
    article.refresh_from_db()
    source = article.hero_image.name
    assert article.renditions["source"] == source
    assert article.renditions["widths"] == [400, 800, 1200]
    for width in (400, 800, 1200):
        webp = stored_image(rendition_name(source, f"w{width}", "webp"))
        jpeg = stored_image(rendition_name(source, f"w{width}", "jpg"))
        assert webp.format == "WEBP" and jpeg.format == "JPEG"
        assert webp.size == jpeg.size == (width, round(900 * width / 1600))


def test_crops_have_the_ratios_search_engines_ask_for():
    article = make_article(hero_image=image_file(size=(1600, 900)), hero_alt="A launch")
    article.refresh_from_db()
    sizes = {label: stored_image(name).size for label, name in article.renditions["crops"].items()}
    assert sizes == {"1x1": (900, 900), "4x3": (1200, 900), "16x9": (1200, 675)}


def test_transparent_png_keeps_its_format():
    upload = image_file("logo.png", size=(900, 600), fmt="PNG")
    article = make_article(hero_image=upload, hero_alt="A logo")
    article.refresh_from_db()
    assert article.renditions["ext"] == "png"
    assert stored_image(rendition_name(article.hero_image.name, "w400", "png")).format == "PNG"


def test_article_page_serves_the_renditions_with_srcset(client):
    article = make_article(hero_image=image_file(size=(1600, 900)), hero_alt="A launch")
    html = client.get(article.get_absolute_url()).content.decode()
    picture = re.search(r'<figure class="hero">\s*<picture>(.*?)</picture>', html, re.S).group(1)
    assert re.search(
        r'<source type="image/webp" srcset="[^"]*/w400\.webp 400w, [^"]*/w800\.webp 800w, [^"]*/w1200\.webp 1200w"',
        picture,
    )
    assert 'width="1600" height="900"' in picture
    assert 'fetchpriority="high"' in picture
    assert 'alt="A launch"' in picture


def test_missing_renditions_fall_back_to_the_original_and_are_not_made_by_the_page(client):
    article = make_article(hero_image=image_file(size=(1600, 900)), hero_alt="A launch")
    Article.objects.filter(pk=article.pk).update(renditions={})
    source = Article.objects.get(pk=article.pk).hero_image.name
    default_storage.delete(rendition_name(source, "w400", "webp"))

    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<img src="/media/{source}" alt="A launch" width="1600" height="900" fetchpriority="high">'
        in html
    )
    assert "webp" not in html
    assert not default_storage.exists(rendition_name(source, "w400", "webp"))


def test_renditions_of_a_replaced_image_are_not_used(client):
    article = make_article(hero_image=image_file("old.jpg", size=(1600, 900)), hero_alt="Old")
    article.refresh_from_db()
    stale = dict(article.renditions)
    article.hero_image = image_file("new.jpg", size=(1000, 1000))
    with committed():
        article.save()
    Article.objects.filter(pk=article.pk).update(renditions=stale)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "/old/" not in html
    assert re.search(r'<img src="/media/images/[\d/]+/new[^"]*\.jpg"', html)


def test_lazy_loading_below_the_fold(client):
    make_article(title="Lead", is_featured=True, hero_image=image_file(), hero_alt="Lead photo")
    make_article(title="Second", hero_image=image_file(), hero_alt="Second photo")
    html = client.get("/").content.decode()
    lead = html[html.index('class="lead-story"') : html.index('id="latest-heading"')]
    latest = html[html.index('id="latest-heading"') :]
    assert 'fetchpriority="high"' in lead and 'loading="lazy"' not in lead
    assert 'loading="lazy"' in latest and 'fetchpriority="high"' not in latest


def test_share_card_is_drawn_for_articles_without_a_hero_image():
    article = make_article(title="A headline with no picture", section=make_section(name="Asia"))
    article.refresh_from_db()
    card = stored_image(article.renditions["card"])
    assert (card.format, card.size) == ("PNG", (1200, 630))


def test_share_card_is_redrawn_when_the_headline_changes(enqueued):
    article = make_article(title="First headline")
    article.refresh_from_db()
    first = article.renditions["card"]
    article.dek = "A new dek changes nothing on the card."
    with committed():
        article.save()
    assert len(enqueued) == 1
    article.title = "Second headline"
    with committed():
        article.save()
    article.refresh_from_db()
    assert article.renditions["card"] != first
    assert default_storage.exists(article.renditions["card"])


def test_author_avatar_gets_a_square_crop_for_the_author_box(client):
    author = make_author(name="Aiko Tanaka", avatar=image_file("aiko.jpg", size=(600, 800)))
    author.refresh_from_db()
    square = stored_image(author.avatar_renditions["crops"]["1x1"])
    assert square.size == (600, 600)
    article = make_article(authors=[author])
    html = client.get(article.get_absolute_url()).content.decode()
    # The box shows its own 72-pixel square (and 144 for dense screens), not the 1:1 crop.
    assert re.search(
        r'<img class="avatar" src="/media/renditions/authors/aiko[^"]*/avatar-72\.jpg" '
        r'srcset="[^"]*avatar-72\.jpg 72w, [^"]*avatar-144\.jpg 144w, [^"]*avatar-240\.jpg 240w" '
        r'sizes="72px" alt="" width="72" height="72"',
        html,
    )
    assert stored_image(re.search(r'src="/media/([^"]*avatar-72\.jpg)"', html)[1]).size == (72, 72)


def test_a_broken_image_file_does_not_break_saving_or_the_page(client):
    broken = image_file()
    article = make_article(hero_image=broken, hero_alt="Broken")
    default_storage.delete(article.hero_image.name)
    with default_storage.open(article.hero_image.name, "wb") as file:
        file.write(b"not an image")
    Article.objects.filter(pk=article.pk).update(renditions={})
    article.refresh_from_db()
    article.hero_caption = "Saved again"
    with committed():
        article.save()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_refresh_renditions_command_fills_in_what_is_missing():
    from django.core.management import call_command

    article = make_article(hero_image=image_file(), hero_alt="A launch")
    make_article(title="Up to date")
    Article.objects.filter(pk=article.pk).update(renditions={})
    out = StringIO()
    call_command("refresh_renditions", stdout=out)
    assert out.getvalue().strip() == "Queued renditions for 1 row(s)."
    article.refresh_from_db()
    assert article.renditions["widths"] == [400, 800]
