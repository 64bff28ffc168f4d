"""The churn benchmark's writers act as real people would: the forms they read back and post
are the site's own, and the readers' mix is weighted like news traffic."""

import itertools
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest

from articles.models import Article
from articles.roles import AUTHORS, EDITORS
from tests.benchmarks import attack
from tests.benchmarks.churn import answers_by_second, pooled, read_mix, split_seconds
from tests.benchmarks.writers import Writer, form_errors, form_fields, with_changes

from .factories import image_file, make_article, make_section, make_staff

pytestmark = pytest.mark.django_db


def post_fields(client, path, fields):
    """POST the fields as a browser sends them (repeated names kept)."""
    return client.post(path, urlencode(fields), content_type="application/x-www-form-urlencoded")


def test_an_editor_saving_the_article_form_as_read_back_changes_only_the_dek(client):
    editor = make_staff("desk", EDITORS)
    article = make_article(
        section=make_section(), hero_image=image_file(), hero_alt="A launch site"
    )
    client.force_login(editor)
    path = f"/admin/articles/article/{article.pk}/change/"
    fields = form_fields(client.get(path).content.decode(), "article_form")
    changes = {"dek": "What we know so far", "change_note": "New dek", "_continue": "1"}

    response = post_fields(client, path, with_changes(fields, changes))

    assert response.status_code == 302, form_errors(response.content.decode())
    article.refresh_from_db()
    assert article.dek == "What we know so far"
    assert (article.title, article.status) == (
        "North Korea fires missiles toward the Sea of Japan",
        Article.Status.PUBLISHED,
    )


def test_an_author_saving_a_draft_as_read_back_keeps_it_a_draft(client):
    author = make_staff("writer", AUTHORS, author_name="Writer")
    draft = make_article(published=False, authors=[author.author])
    client.force_login(author)
    path = f"/admin/articles/article/{draft.pk}/change/"
    fields = form_fields(client.get(path).content.decode(), "article_form")

    response = post_fields(
        client, path, with_changes(fields, {"dek": "Revision 2", "_continue": "1"})
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.dek, draft.status) == ("Revision 2", Article.Status.DRAFT)


def test_the_sign_in_form_read_back_signs_a_staff_member_in(client):
    make_staff("desk", EDITORS, password="pw-for-the-bench")
    fields = form_fields(client.get("/admin/login/").content.decode(), "login-form")
    changes = {"username": "desk", "password": "pw-for-the-bench"}

    response = post_fields(client, "/admin/login/?next=/admin/", with_changes(fields, changes))

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_readers_mix_is_weighted_like_news_traffic():
    people = {
        "hot": [f"/articles/hot-{i}/" for i in range(10)],
        "others": [f"/articles/other-{i}/" for i in range(100)],
        "older": [f"/articles/old-{i}/" for i in range(50)],
        "tags": [f"/tags/t-{i}/" for i in range(25)],
    }
    slots = Counter(read_mix(people))

    def share(prefix):
        return sum(n for path, n in slots.items() if path.startswith(prefix)) / 1000

    assert share("/articles/hot-") == 0.30 and slots["/"] == 400
    assert share("/articles/other-") == 0.20
    assert share("/articles/old-") + share("/tags/") == 0.10
    assert len({p for p in slots if p.startswith("/articles/hot-")}) == 10


def test_readers_of_a_small_archive_read_tag_pages_instead_of_older_articles():
    people = {"hot": ["/a/"], "others": ["/b/"], "older": [], "tags": ["/tags/t/"]}

    assert Counter(read_mix(people)) == {"/": 400, "/a/": 300, "/b/": 200, "/tags/t/": 100}


def test_form_fields_are_what_a_browser_submits():
    html = """<form id="f"><input name="a" value="1"><input type="checkbox" name="b">
    <input type="checkbox" name="c" checked><input type="submit" name="_save" value="Save">
    <textarea name="t">
&lt;p&gt;Body&lt;/p&gt;</textarea><select name="s"><option value="x">X</option>
    <option value="y" selected>Y</option></select><input name="d" disabled value="no"></form>
    <form id="other"><input name="z" value="9"></form>"""

    assert form_fields(html, "f") == [("a", "1"), ("c", "on"), ("t", "<p>Body</p>"), ("s", "y")]


def test_slices_of_reads_pool_into_one_row_of_requests_over_seconds():
    def slice_(requests, rps, p50, p99, hits):
        return {"requests": requests, "rps": rps, "seconds": requests / rps, "p50": p50,
                "p99": p99, "errors": 1, "states": {"hit": hits, "miss": 1}, "load": "0.5"}  # fmt: skip

    row = pooled([slice_(6000, 3000.0, 4.0, 9.0, 5999), slice_(10000, 5000.0, 3.0, 12.0, 9999),
                  slice_(4000, 4000.0, 5.0, 8.0, 3999)])  # fmt: skip

    assert row["rps"] == 20000 / 5  # not the mean of the three rates
    assert (row["seconds"], row["slices"], row["errors"]) == (5, 3, 3)
    assert (row["p50"], row["p99"]) == (4.0, 12.0)  # the middle slice's, the highest
    assert row["states"] == {"hit": 19997, "miss": 3}


def run_for(actor, seconds: float) -> None:
    """Let `actor` (anything with run(stop), as the bench's writers and outsiders) work in a
    thread of its own for `seconds`, then stop it."""
    stop = threading.Event()
    thread = threading.Thread(target=actor.run, args=(stop,))
    thread.start()
    time.sleep(seconds)
    stop.set()
    thread.join()


def test_a_writer_paused_between_slices_goes_on_with_its_schedule():
    seen = []
    writer = Writer("note", every=0.05, first=0.0, act=lambda n, write: seen.append(n) or {})
    for _ in range(2):
        run_for(writer, 0.5)
        time.sleep(0.5)  # paused: no write is owed for this time

    assert seen == list(range(len(seen)))  # each write once, in order, none skipped
    # About 20: 1 s of work at one every 0.05 s. Starting the schedule again would give
    # about 11, catching up the pause about 30.
    assert 14 <= len(seen) <= 24


def test_a_read_run_splits_into_its_busy_seconds_and_the_others(tmp_path):
    counts = tmp_path / "counts.txt"
    # As the wrk script writes them, in no order: second, X-Page-Cache, answers.
    counts.write_text(
        "101 hit 3000\n100 hit 900\n102 hit 2700\n102 stale 3\n103 hit 3000\n"
        "104 hit 2880\n105 hit 3200\n106 miss 1\n106 hit 2999\n109 hit 400\n"
    )  # 107 and 108: no answer at all (a stall)
    run = {"p50": 4.0, "p99": 15.0, "errors": 2, "load": "1.0",
           "by_second": answers_by_second(counts)}  # fmt: skip

    busy, alone, pairs = split_seconds(run, lambda second: second % 2 == 0)

    # 100 and 109 are partial (wrk started and stopped within them): left out.
    assert (busy["seconds"], busy["requests"], busy["rps"]) == (4, 8583, 8583 / 4)
    assert busy["states"] == {"hit": 8579, "stale": 3, "miss": 1}
    assert (alone["seconds"], alone["requests"], alone["rps"]) == (4, 9200, 9200 / 4)
    assert pairs == [2703 / 3000, 2880 / 3200]  # 107 answered nothing, 109 is partial
    # Latency and errors are the run's, counted against the busy seconds alone.
    assert (busy["p50"], busy["p99"], busy["errors"]) == (4.0, 15.0, 2)
    assert (alone["p50"], alone["p99"], alone["errors"]) == (None, None, 0)
    slice_ = {"requests": 3000, "rps": 3000.0, "seconds": 1.0, "p50": 3.0, "p99": 9.0,
              "errors": 0, "states": {"hit": 3000}, "load": "0.5"}  # fmt: skip
    quiet = pooled([slice_, alone])
    assert (quiet["rps"], quiet["slices"], quiet["p99"]) == (12200 / 5, 5, 9.0)


class Recorder(BaseHTTPRequestHandler):
    """Answers every request with the status its path names, and keeps what it got."""

    def do_GET(self):
        self.record(b"")

    def do_POST(self):
        self.record(self.rfile.read(int(self.headers["Content-Length"])))

    def record(self, body):
        self.server.got.append((self.command, self.path, self.headers.get("Cookie"), body))
        self.send_response(int(self.path.split("?")[0].strip("/")))
        self.send_header("Location", "/elsewhere/")
        self.end_headers()
        self.wfile.write(b"answer" * 10_000)

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.got = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_outsiders_request_gets_its_own_status_and_follows_no_redirect(recorder):
    server, base = recorder
    headers = {"Cookie": "csrftoken=abc"}

    assert (
        attack.send(base, "POST", "/302/", {"username": "eda", "password": "x y"}, headers) == 302
    )
    assert attack.send(base, "GET", "/405/?q=1", None, {}) == 405
    assert server.got == [
        ("POST", "/302/", "csrftoken=abc", b"username=eda&password=x+y"),
        ("GET", "/405/?q=1", None, b""),
    ]
    server.server_close()  # nobody answers now
    assert attack.send(base, "GET", "/200/", None, {}) == 0


def test_an_attacker_sends_only_while_at_work_and_counts_the_answers(recorder):
    server, base = recorder
    turns = itertools.cycle([True, False])  # at work every other turn
    outsider = attack.Attacker(
        base,
        "test",
        lambda n: ("GET", f"/204/?n={n}", None, {}),
        100,
        at_work=lambda s: next(turns),
    )
    run_for(outsider, 0.3)

    sent = sorted(int(path.split("=")[1]) for _, path, _, _ in server.got)
    assert len(sent) >= 5
    assert sent == list(range(0, 2 * len(sent), 2))  # its schedule kept, every other one sent
    assert outsider.statuses == Counter({204: len(sent)})
