import json
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from taggit.models import Tag

from articles.models import Article, Author, Comment, Section, Source
from articles.roles import sync_groups

# flush needs real transactions; serialized rollback puts back what migrations made.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Per-request values: CSP nonces, CSRF tokens and the comment form's signed timestamp.
NONCE = re.compile(rb'nonce="[^"]*"|name="(?:csrfmiddlewaretoken|issued)" value="[^"]*"')


def public_urls() -> list[str]:
    models = [
        Article.objects.published(),
        Author.objects.all(),
        Section.objects.all(),
        Source.objects.all(),
    ]
    urls = [
        "/",
        "/?page=2",
        "/corrections/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/search/?q=missile",
    ]
    urls += [obj.get_absolute_url() for qs in models for obj in qs]
    return urls + [f"/tags/{tag.slug}/" for tag in Tag.objects.all()]


def snapshot(client, urls) -> dict[str, bytes]:
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = NONCE.sub(b"", response.content)
    return pages


def empty_database():
    """What a fresh `migrate` leaves: no rows, but the groups and their permissions."""
    call_command("flush", interactive=False, verbosity=0)
    sync_groups(apps)


def test_export_then_import_into_an_empty_database_gives_identical_pages(client, tmp_path):
    call_command("demo", stdout=StringIO())
    urls = public_urls()
    before = snapshot(client, urls)
    counts = {m: m.objects.count() for m in (Article, Comment, Author, Tag)}
    backup = tmp_path / "site.json"

    call_command("export_json", str(backup), stdout=StringIO())
    empty_database()
    assert Article.objects.count() == 0
    call_command("import_json", str(backup), verbosity=0)

    assert {m: m.objects.count() for m in counts} == counts
    after = snapshot(client, urls)
    for url in urls:
        assert after[url] == before[url], url
    # New rows after an import get fresh ids (sequences were reset).
    assert Section.objects.create(name="Brand new").pk > max(
        s.pk for s in Section.objects.exclude(name="Brand new")
    )


def test_a_backup_from_before_links_carried_times_still_fills_tag_and_author_pages(
    client, tmp_path
):
    call_command("demo", "--articles", "3", stdout=StringIO())
    tag = Tag.objects.filter(articles_taggedarticle_items__isnull=False).first()
    author = Author.objects.filter(bylines__isnull=False).first()
    urls = [f"/tags/{tag.slug}/", author.get_absolute_url()]
    before = snapshot(client, urls)
    backup = tmp_path / "old.json"
    call_command("export_json", str(backup), stdout=StringIO())
    rows = json.loads(backup.read_text())
    for row in rows:
        if row["model"] in ("articles.taggedarticle", "articles.byline"):
            del row["fields"]["listed_at"]
    backup.write_text(json.dumps(rows))
    empty_database()
    call_command("import_json", str(backup), verbosity=0)
    assert snapshot(client, urls) == before


def test_import_refuses_a_database_with_content(tmp_path):
    call_command("demo", "--articles", "3", stdout=StringIO())
    backup = tmp_path / "site.json"
    call_command("export_json", str(backup), stdout=StringIO())
    with pytest.raises(CommandError, match="already has articles"):
        call_command("import_json", str(backup))


def test_a_broken_backup_leaves_the_database_empty(tmp_path):
    call_command("demo", "--articles", "3", stdout=StringIO())
    backup = tmp_path / "site.json"
    call_command("export_json", str(backup), stdout=StringIO())
    empty_database()
    backup.write_text(backup.read_text()[:-2000])
    with pytest.raises(Exception, match="(?i)json|problem installing"):
        call_command("import_json", str(backup), verbosity=0)
    assert Article.objects.count() == 0 and Author.objects.count() == 0
