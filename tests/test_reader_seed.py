"""The seed WordPress page, entered through the real admin, renders with its structure intact."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article

from .factories import image_file, make_author, make_section, make_source

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "data" / "seed_article.html"


def seed():
    text = SEED.read_text()
    title = re.search(r"<!-- title: (.*?) -->", text).group(1)
    dek = re.search(r"<!-- dek: (.*?) -->", text).group(1)
    body = re.sub(r"<!--.*?-->\n", "", text)
    return title, dek, body


def add_form_data(response):
    """Every field of the admin's add form as the browser would post it, initial values kept."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        data[f"{formset.prefix}-TOTAL_FORMS"] = "0"
    for form in forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is not None and not callable(value) and not isinstance(value, bool):
                data[form.add_prefix(name)] = value
    return data


def test_seed_article_entered_in_the_admin_keeps_its_structure(client):
    admin = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw-12345!")
    client.force_login(admin)
    author = make_author(name="truthfrontier")
    section = make_section(name="Asia")
    truthfrontier = make_source(name="Truth Frontier", homepage_url="http://www.truthfrontier.com")
    bbc = make_source(name="BBC", homepage_url="http://www.bbc.com")
    title, dek, body = seed()

    form_page = client.get("/admin/articles/article/add/")
    assert form_page.status_code == 200
    data = add_form_data(form_page)
    now = timezone.localtime() - timezone.timedelta(minutes=5)
    data.update(
        {
            "title": title,
            "slug": "",
            "kind": "news",
            "dateline": "TOKYO",
            "dek": dek,
            "body": body,
            "section": section.pk,
            "tags": "North Korea",  # one tag: commas, not spaces, separate tags
            "hero_image": image_file("launch.jpg", size=(1600, 900)),
            "hero_alt": "A missile launch seen from the coast",
            "status": "published",
            "published_at_0": now.strftime("%Y-%m-%d"),
            "published_at_1": now.strftime("%H:%M:%S"),
            "comments_open": "on",
        }
    )
    prefixes = {
        f.formset.model.__name__: f.formset.prefix
        for f in form_page.context["inline_admin_formsets"]
    }
    bylines, citations = prefixes["Byline"], prefixes["Citation"]
    data.update(
        {
            f"{bylines}-TOTAL_FORMS": "1",
            f"{bylines}-0-author": author.pk,
            f"{bylines}-0-role": "reporting",
            f"{bylines}-0-order": "0",
            f"{citations}-TOTAL_FORMS": "2",
            f"{citations}-0-source": truthfrontier.pk,
            f"{citations}-0-url": "http://www.truthfrontier.com",
            f"{citations}-0-order": "0",
            f"{citations}-1-source": bbc.pk,
            f"{citations}-1-url": "http://www.bbc.com",
            f"{citations}-1-order": "1",
        }
    )
    response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    article = Article.objects.get()
    client.logout()

    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<h1 id="article-title">{title}</h1>' in html
    assert html.count("<h1") == 1
    # The body's headings carry the Index's anchors (articles/body/toc.py).
    shown = html[html.index('<div class="body">') : html.index('id="sources-heading"')]
    page_h2 = re.findall(r'<h2 id="[^"]+">(.*?)</h2>', shown)
    page_h3 = re.findall(r'<h3 id="[^"]+">(.*?)</h3>', shown)
    assert page_h2 == re.findall(r"<h2>(.*?)</h2>", body)
    assert len(page_h2) == 9 and len(page_h3) == 14
    assert "Missile Launch Activity Toward the Sea of Japan" in page_h3
    assert html.count("<p>") >= body.count("<p>")
    assert "“extremely regrettable”" in html
    sources = html[html.index('id="sources-heading"') :]
    sources = sources[: sources.index("</ol>")]
    assert sources.index("http://www.truthfrontier.com") < sources.index("http://www.bbc.com")
    assert '<a href="http://www.truthfrontier.com" rel="noopener">' in sources
    assert 'href="/tags/north-korea/" rel="tag">North Korea</a>' in html
    assert 'href="/authors/truthfrontier/" rel="author">truthfrontier</a>' in html
