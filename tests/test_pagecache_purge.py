"""purge(): stamps now and on commit, and the keys handed to the CDN purger once committed."""

import pytest
from django.core.management import call_command

from articles.models import Article, Author
from articles.pagecache import purgers
from articles.services import article_save, article_unpublish
from tests.factories import make_article

pytestmark = pytest.mark.django_db


class Recorder:
    def __init__(self):
        self.calls = []

    def purge(self, keys, hard=False):
        self.calls.append((sorted(keys), hard))


@pytest.fixture
def cdn(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(purgers, "get_purger", lambda: recorder)
    return recorder


def test_an_edit_reaches_the_cdn_as_a_soft_purge_of_the_article_once_committed(
    cdn, django_capture_on_commit_callbacks
):
    article = make_article(title="Story")
    cdn.calls.clear()
    article.title = "Story, updated"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article_save(article)
    assert cdn.calls == [], "nothing is sent before the commit"
    for callback in callbacks:
        callback()
    pk = article.pk  # a new title: its page, cards and compact cards
    assert (sorted([f"a{pk}", f"k{pk}", f"r{pk}", "sitemap"]), False) in cdn.calls


def test_an_unpublish_reaches_the_cdn_as_a_hard_purge(cdn, django_capture_on_commit_callbacks):
    article = make_article(title="Story")
    cdn.calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article)
    pk = article.pk  # gone from its page and from every card of it
    assert (sorted([f"a{pk}", f"k{pk}", f"r{pk}", "sitemap"]), True) in cdn.calls
    assert all(not hard for keys, hard in cdn.calls if "front" in keys)


def test_a_draft_save_sends_the_cdn_nothing(cdn, django_capture_on_commit_callbacks):
    draft = make_article(title="Draft", published=False)
    cdn.calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article_save(draft)
    assert cdn.calls == []


def test_the_demo_and_a_json_import_purge_every_page_they_write_without_signals(
    cdn, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", articles=2, comments_per_article=0, verbosity=0)
    assert (["chrome"], False) in cdn.calls
    call_command("export_json", str(tmp_path / "site.json"), verbosity=0)
    Article.objects.all().delete()
    Author.objects.all().delete()
    cdn.calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_json", str(tmp_path / "site.json"), verbosity=0)
    assert (["chrome"], False) in cdn.calls


def test_a_soft_purge_racing_a_hard_one_never_revives_the_page(monkeypatch):
    """An edit's soft purge and an unpublish's hard purge of the same article at once: the
    page stays unservable whatever order their writes reach the cache in."""
    from django.core.cache import cache

    from articles.pagecache.purge import _write
    from articles.pagecache.store import judge, now_ns, stamp_keys

    stored = now_ns()  # a page stored before both purges
    real_set_many = cache.set_many
    raced = []

    def hard_purge_slips_in(stamps, timeout=None):
        if not raced:
            raced.append(True)
            _write(["a1"], hard=True)  # lands between the soft purge's clock and its write
        return real_set_many(stamps, timeout)

    monkeypatch.setattr(cache, "set_many", hard_purge_slips_in)
    _write(["a1"], hard=False)
    assert raced
    assert judge(stored, ["a1"], cache.get_many(stamp_keys(["a1"])), grace=10) is None
