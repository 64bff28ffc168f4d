"""The media library: images validated on upload, focal-point crops, the admin's library,
uploads from the editor, and where each image is used."""

import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as Pillow

from articles.models import Article, Image
from articles.renditions import focal_crop, rendition_name

from .factories import article_form_data, committed, image_file, make_article, make_staff

pytestmark = pytest.mark.django_db

RED = (220, 20, 20)


def dotted_file(name="dot.png", size=(1600, 800), dot=(0.9, 0.5), fmt="PNG"):
    """A grey picture with a red dot at `dot` (fractions of the width and height)."""
    picture = Pillow.new("RGB", size, (128, 128, 128))
    x, y = round(dot[0] * size[0]), round(dot[1] * size[1])
    picture.paste(RED, (x - 20, y - 20, x + 20, y + 20))
    buffer = BytesIO()
    picture.save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def stored(name):
    with default_storage.open(name) as file:
        picture = Pillow.open(BytesIO(file.read()))
        picture.load()
    return picture.convert("RGB")


def red_pixels(picture) -> int:
    data = picture.tobytes()
    pixels = (data[i : i + 3] for i in range(0, len(data), 3))
    return sum(1 for r, g, b in pixels if r > 180 and g < 80 and b < 80)


@pytest.fixture
def author(client):
    user = make_staff("author", "Authors", author_name="Aki Author")
    client.force_login(user)
    return user


# Validation -------------------------------------------------------------------------------


def test_create_from_file_stores_a_clean_copy_with_its_description():
    image = Image.objects.create_from_file(
        image_file("harbour.jpg", size=(900, 600)), alt="A harbour", caption="Dawn", credit="AP"
    )
    assert (image.width, image.height) == (900, 600)
    assert image.file.name.startswith("images/") and default_storage.exists(image.file.name)
    assert (image.alt, image.caption, image.credit, image.focal_point) == (
        "A harbour",
        "Dawn",
        "AP",
        (0.5, 0.5),
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.jpg", b"just some text"), "not an image we can read"),
        (
            SimpleUploadedFile("cut.jpg", image_file(size=(400, 300)).read()[:600]),
            "not an image we can read",
        ),
        (
            SimpleUploadedFile("icon.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
            "not an image",
        ),
    ],
    ids=["text", "truncated", "svg"],
)
def test_bad_files_are_refused_with_a_clear_message(upload, message):
    with pytest.raises(ValidationError, match=message):
        Image.objects.create_from_file(upload)
    assert not Image.objects.exists()


def test_huge_and_heavy_images_are_refused(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match="megapixels"):
        Image.objects.create_from_file(image_file(size=(1200, 1000)))
    settings.IMAGE_MAX_BYTES = 1_000
    with pytest.raises(ValidationError, match="at most"):
        Image.objects.create_from_file(image_file(size=(300, 300)))


# Renditions and the focal point -------------------------------------------------------------


def test_focal_crop_keeps_the_focal_point_in_view():
    picture = stored_image_from(dotted_file(dot=(0.9, 0.5)))
    assert red_pixels(focal_crop(picture, (400, 400), (0.9, 0.5))) > 0
    assert red_pixels(focal_crop(picture, (400, 400), (0.5, 0.5))) == 0


def stored_image_from(upload):
    picture = Pillow.open(upload)
    picture.load()
    return picture.convert("RGB")


def test_saving_an_image_makes_crops_around_its_focal_point():
    with committed():
        image = Image.objects.create_from_file(dotted_file(dot=(0.9, 0.2)), alt="A dot")
    image.refresh_from_db()
    assert image.renditions["widths"] == [400, 800, 1200]
    square = stored(image.renditions["crops"]["1x1"])
    assert square.size == (800, 800)
    assert red_pixels(square) == 0  # the middle of the picture: the dot is cut off

    image.focal_x, image.focal_y = 0.9, 0.2
    with committed():
        image.save()
    image.refresh_from_db()
    assert image.renditions["focal"] == [0.9, 0.2]
    name = image.renditions["crops"]["1x1"]
    assert name == rendition_name(image.file.name, "1x1-f90x20", "png")  # a new URL for CDNs
    square = stored(name)
    assert red_pixels(square) > 500
    # The crop would be centred on the dot (x 1440 of 1600) but stops at the picture's edge:
    # the dot sits right of the middle, at x 640 of the 800-pixel square.
    assert square.getpixel((640, 160))[0] > 180
    assert square.getpixel((400, 400))[0] < 180


def test_an_articles_hero_and_share_crops_follow_the_focal_point(client):
    with committed():
        image = Image.objects.create_from_file(
            dotted_file(dot=(0.05, 0.5)), alt="A dot", credit="Desk"
        )
        image.focal_x = 0.05
        image.save()
        article = make_article(hero=image)
    article.refresh_from_db()
    assert article.hero_image.name == image.file.name and article.hero_alt == "A dot"
    assert article.renditions["focal"] == [0.05, 0.5]
    for label in ("1x1", "4x3", "16x9"):
        assert red_pixels(stored(article.renditions["crops"][label])) > 100
    html = client.get(article.get_absolute_url()).content.decode()
    assert "1x1-f5x50" in html  # og:image is the focal crop
    assert '<span class="credit">Desk</span>' in html


# The admin's library ------------------------------------------------------------------------


def test_the_library_lists_thumbnails_and_searches_descriptions_and_file_names(client, author):
    Image.objects.create_from_file(image_file("ferry.jpg"), alt="A ferry at dawn", credit="AP")
    Image.objects.create_from_file(image_file("chart.png", fmt="PNG"), alt="Rainfall chart")
    url = reverse("admin:articles_image_changelist")
    html = client.get(url).content.decode()
    assert html.count('class="image-thumb"') == 2
    assert "A ferry at dawn" in client.get(url, {"q": "ferry"}).content.decode()
    assert "Rainfall chart" not in client.get(url, {"q": "ferry"}).content.decode()
    assert "Rainfall chart" in client.get(url, {"q": "chart"}).content.decode()  # file name
    library = reverse("admin:articles_image_library")
    found = client.get(library, {"q": "AP"}).json()["results"]
    assert [r["alt"] for r in found] == ["A ferry at dawn"]
    chart = Image.objects.get(alt="Rainfall chart")
    assert [r["alt"] for r in client.get(library, {"id": chart.pk}).json()["results"]] == [
        "Rainfall chart"
    ]


def test_the_change_page_sets_the_focal_point_with_numbers(client, author):
    image = Image.objects.create_from_file(image_file(), alt="A ferry")
    url = reverse("admin:articles_image_change", args=[image.pk])
    html = client.get(url).content.decode()
    assert "data-focal-picker" in html and 'name="focal_x"' in html
    data = {"alt": "A ferry", "caption": "", "credit": "", "focal_x": "0.25", "focal_y": "0.75"}
    assert client.post(url, data).status_code == 302
    image.refresh_from_db()
    assert image.focal_point == (0.25, 0.75)
    response = client.post(url, data | {"focal_x": "1.5"})
    assert "Give a number from 0 to 1" in response.content.decode()
    response = client.post(url, data | {"alt": ""})
    assert "Describe the image, or mark it as decorative." in response.content.decode()


def test_used_in_lists_heroes_and_bodies(client, author):
    image = Image.objects.create_from_file(image_file(), alt="A ferry")
    hero = make_article(title="Ferry hero story", hero=image)
    body = make_article(
        title="Ferry body story",
        body=f'<figure><img src="/x.jpg" alt="" data-file="{image.pk}"></figure>',
    )
    make_article(title="Other story", body=f'<img src="/x.jpg" alt="" data-file="{image.pk}0">')
    assert set(image.used_in()) == {hero, body}
    html = client.get(reverse("admin:articles_image_change", args=[image.pk])).content.decode()
    assert "Ferry hero story" in html and "Ferry body story" in html
    assert "Other story" not in html


def test_deleting_an_image_in_use_says_where_and_the_pages_survive(client):
    editor = make_staff("editor", "Editors", author_name="Eda Editor")
    client.force_login(editor)
    image = Image.objects.create_from_file(image_file(), alt="A ferry")
    hero = make_article(title="Ferry hero story", hero=image)
    body = make_article(
        title="Ferry body story",
        body=f'<p>Before</p><figure><img src="/x.jpg" alt="A ferry" data-file="{image.pk}">'
        "<figcaption>At dawn</figcaption></figure><p>After</p>",
    )
    url = reverse("admin:articles_image_delete", args=[image.pk])
    html = client.get(url).content.decode()
    assert "Published articles show this image" in html
    assert "Ferry hero story" in html and "Ferry body story" in html
    assert Image.objects.filter(pk=image.pk).exists()  # asking deleted nothing
    changelist = client.get(reverse("admin:articles_image_changelist")).content.decode()
    assert "delete_selected" not in changelist  # no bulk delete without the warning

    with committed():
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Image.objects.filter(pk=image.pk).exists()
    hero.refresh_from_db()
    assert hero.hero is None and not hero.hero_image
    assert client.get(hero.get_absolute_url()).status_code == 200
    page = client.get(body.get_absolute_url()).content.decode()
    assert "Before" in page and "After" in page and "At dawn" not in page


def test_replacing_the_file_of_an_image_in_use_asks_first(client, author):
    with committed():
        image = Image.objects.create_from_file(image_file(), alt="A ferry")
    image.refresh_from_db()
    article = make_article(title="Ferry hero story", hero=image)
    url = reverse("admin:articles_image_change", args=[image.pk])
    data = {"alt": "A ferry", "caption": "", "credit": "", "focal_x": "0.5", "focal_y": "0.5"}
    response = client.post(url, data | {"file": image_file("new.jpg", size=(1000, 1000))})
    assert response.status_code == 200
    assert "Published articles show this image" in response.content.decode()
    assert "Ferry hero story" in response.content.decode()
    with committed():
        response = client.post(
            url,
            data | {"file": image_file("new.jpg", size=(1000, 1000)), "replace_confirmed": "on"},
        )
    assert response.status_code == 302
    old_name, old_crop = image.file.name, image.renditions["crops"]["1x1"]
    image.refresh_from_db()
    article.refresh_from_db()
    assert article.hero_image.name == image.file.name and "new" in image.file.name
    assert article.hero_width == 1000
    assert not default_storage.exists(old_name) and not default_storage.exists(old_crop)
    assert default_storage.exists(image.renditions["crops"]["1x1"])


# Uploads from the editor --------------------------------------------------------------------


def test_authors_upload_from_the_editor_and_get_the_reference(client, author):
    response = client.post(
        reverse("admin:articles_image_upload"),
        {"file": image_file("storm.jpg"), "alt": "A storm", "caption": "Landfall"},
    )
    assert response.status_code == 201
    answer = response.json()
    image = Image.objects.get(pk=answer["id"])
    assert (image.alt, image.caption, image.uploaded_by) == ("A storm", "Landfall", author)
    assert f'data-file="{image.pk}"' in answer["html"] and "<figcaption>Landfall" in answer["html"]


def test_a_bad_upload_is_refused_with_a_message(client, author):
    response = client.post(
        reverse("admin:articles_image_upload"), {"file": SimpleUploadedFile("x.jpg", b"nope")}
    )
    assert response.status_code == 400
    assert "not an image we can read" in response.json()["error"]
    assert client.post(reverse("admin:articles_image_upload")).json()["error"]


def test_uploads_need_a_signed_in_author_and_a_csrf_token(client):
    url = reverse("admin:articles_image_upload")
    response = client.post(url, {"file": image_file()})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(reverse("admin:articles_image_library")).status_code == 302
    make_staff("nobody")  # staff without the Authors group: no library
    client.force_login(make_staff("visitor"))
    assert client.post(url, {"file": image_file()}).status_code == 403
    assert client.get(reverse("admin:articles_image_library")).status_code == 403

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_staff("author", "Authors"))
    assert strict.post(url, {"file": image_file()}).status_code == 403
    assert not Image.objects.exists()


# The hero from the library ------------------------------------------------------------------


def test_the_article_form_takes_its_hero_from_the_library(client, author):
    image = Image.objects.create_from_file(image_file(), alt="A ferry", caption="At dawn")
    with committed():
        response = client.post(
            reverse("admin:articles_article_add"), article_form_data(hero=image.pk)
        )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.hero == image and article.hero_image.name == image.file.name
    assert (article.hero_alt, article.hero_caption) == ("A ferry", "At dawn")
    assert article.renditions["source"] == image.file.name


def test_an_upload_on_the_article_form_goes_into_the_library(client, author):
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form_data(hero_image=image_file("pier.jpg"), hero_alt="A pier"),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.hero.alt == "A pier" and article.hero.file.name == article.hero_image.name


def test_publishing_with_a_library_hero_without_alt_text_is_refused(client, author):
    image = Image.objects.create_from_file(image_file())
    article = make_article(published=False, authors=[author.author])
    data = article_form_data(article, hero=image.pk, status="published")
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "Describe the hero image, or mark it as decorative." in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_the_migration_moves_existing_heroes_into_the_library_with_their_texts():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("articles.migrations.0016_media_library")
    first = make_article(hero_image=image_file(), hero_alt="A ferry", hero_credit="Kyodo")
    name = first.hero_image.name
    second = make_article(hero_alt="The same ferry")
    # As before the library: a stored file on the article, no record.
    Article.objects.filter(pk__in=[first.pk, second.pk]).update(hero=None, hero_image=name)
    Image.objects.all().delete()
    migration.heroes_into_library(apps, None)
    image = Image.objects.get()
    assert (image.file.name, image.alt, image.credit) == (name, "A ferry", "Kyodo")
    assert set(Article.objects.values_list("hero", flat=True)) == {image.pk}


def test_cards_crop_around_the_focal_point_too(client):
    with committed():
        image = Image.objects.create_from_file(dotted_file(dot=(0.9, 0.2)), alt="A dot")
        image.focal_x, image.focal_y = 0.9, 0.2
        image.save()
        make_article(title="Lead story", hero=image, is_featured=True)
    html = client.get("/").content.decode()
    assert re.search(r'<img src="[^"]*" class="fx-9 fy-2"', html)


def test_the_add_page_uploads_into_the_library_and_refuses_bad_files(client, author):
    url = reverse("admin:articles_image_add")
    data = {"alt": "A pier", "caption": "", "credit": "", "focal_x": "0.5", "focal_y": "0.5"}
    response = client.post(url, data | {"file": SimpleUploadedFile("pier.jpg", b"GIF89a broken")})
    assert response.status_code == 200 and "Upload a valid image" in response.text
    assert client.post(url, data | {"file": image_file("pier.jpg")}).status_code == 302
    image = Image.objects.get()
    assert (image.alt, image.uploaded_by, image.width) == ("A pier", author, 1200)
