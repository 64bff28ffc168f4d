"""Two app servers, one PostgreSQL, one Redis, media on S3-compatible storage (moto's
server): whatever a visitor does through one server holds on the other, and neither keeps
anything on its own disk (docs/deploy.md).

Each gunicorn has a VAR_DIR of its own and no MEDIA_ROOT in common; both read the test
database (committed rows: a transactional test) and a redis-server started here.
"""

import os
import re
import time
import urllib.request
from contextlib import ExitStack
from datetime import timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone
from PIL import Image

from tests.benchmarks.serve import gunicorn
from tests.cluster import Visitor, running_redis, running_s3
from tests.factories import image_file, make_article, make_section

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="app servers sharing one database need PostgreSQL (SQLite is one process's file)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple 19"


def database_url() -> str:
    """The test database, as the servers reach it."""
    s = connection.settings_dict
    user = quote(s["USER"] or "")
    password = f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def servers(tmp_path):
    """Two gunicorns (two workers each) on their own ports and VAR_DIRs; yields their URLs
    and the S3 endpoint's URL."""
    with ExitStack() as stack:
        redis_url = stack.enter_context(running_redis())
        s3 = stack.enter_context(running_s3())
        bases = []
        for name in ("a", "b"):
            var = tmp_path / name
            var.mkdir()
            env = {
                "DJANGO_SETTINGS_MODULE": "tests.fault_settings",  # static files from the tree
                "DATABASE_URL": database_url(),
                "REDIS_URL": redis_url,
                **s3,
                "VAR_DIR": str(var),
                "SECRET_KEY": "cluster-test-" + "k" * 40,
                "DEBUG": "0",
                "PAGE_CACHE": "1",
                "LOG_LEVEL": "WARNING",
                "COMMENTS_MODERATION": "none",
                "COMMENTS_MIN_SECONDS": "0",
                "COMMENTS_RATE_PER_MINUTE": "3",
                "TASKS_BACKEND": "immediate",
            }
            log = stack.enter_context((tmp_path / f"{name}.log").open("w"))
            base, _ = stack.enter_context(gunicorn("newsroom.wsgi", env, workers=2, log=log))
            bases.append(base)
        endpoint = re.search(r"endpoint_url=([^&]+)", s3["MEDIA_STORAGE_URL"])[1]
        yield *bases, endpoint, tmp_path


def clear_of_window_end(period: int, margin: float = 15) -> None:
    """The limits count in fixed windows of `period` seconds: start a run of attempts far
    enough from a window's end that they all fall in one."""
    while time.time() % period > period - margin:
        time.sleep(0.5)


def page(base: str, path: str = "/") -> tuple[int, str, str]:
    status, headers, text = Visitor().get(base + path)
    return status, headers.get("X-Page-Cache", ""), text


def post_comment(visitor: Visitor, base: str, slug: str, number: int) -> int:
    issued = re_json(visitor.get(base + "/comments/token/")[2], "issued")
    form = {"name": f"Reader {number}", "email": f"reader{number}@example.com", "website": "",
            "parent": "", "address": "", "issued": issued, "body": f"Comment number {number}."}  # fmt: skip
    return visitor.post(f"{base}/articles/{slug}/comments/", form)[0]


def re_json(text: str, key: str) -> str:
    import json

    return str(json.loads(text)[key])


def test_two_servers_share_pages_purges_rate_limits_lockouts_sessions_and_media(servers):
    from django.contrib.auth.models import User

    a, b, s3_endpoint, var = servers
    User.objects.create_superuser("chief", "chief@example.com", PASSWORD)
    User.objects.create_superuser("deputy", "deputy@example.com", PASSWORD)
    commented = make_article(title="Rice harvest breaks records", comments_open=True)
    draft = make_article(
        title="Typhoon Mawar reaches Okinawa", published=False, section=make_section(name="World")
    )

    # Both servers have the front page stored (in Redis: the second server's first look hits).
    for base in (a, b, a, b):
        status, _, text = page(base)
        assert status == 200 and "Typhoon Mawar" not in text
    assert page(b)[1] == "hit" and page(a)[1] == "hit"

    # An editor signs in on A; the session works on B (sessions in the shared database).
    editor = Visitor()
    status, headers, text = editor.login(a, "chief", PASSWORD)
    assert status == 302, text[:500]
    assert editor.get(b + "/admin/")[0] == 200

    # Publishing through A, with a hero image uploaded to A...
    now = timezone.localtime(timezone.now() - timedelta(minutes=1))
    status, headers, text = editor.submit(
        f"{a}/admin/articles/article/{draft.pk}/change/",
        "article_form",
        {
            "status": "published",
            "published_at_0": now.strftime("%Y-%m-%d"),
            "published_at_1": now.strftime("%H:%M:%S"),
            "hero_alt": "Waves over the sea wall in Naha",
        },
        files={"hero_image": ("typhoon.jpg", image_file(size=(1600, 900)).read(), "image/jpeg")},
    )
    assert status == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', text, re.S) or text[:800]

    # ...is on both front pages at once: the purge reached the shared store.
    for base in (b, a):
        status, state, text = page(base)
        assert status == 200 and "Typhoon Mawar reaches Okinawa" in text, (base, state)
    # The image is served from object storage, named on B's page, with a year's caching.
    status, _, text = page(b, draft.get_absolute_url())
    assert status == 200
    images = re.findall(rf'(?:src|srcset)="({re.escape(s3_endpoint)}/[^" ]+)', text)
    assert images, "B's article page names no image on object storage"
    with urllib.request.urlopen(images[0], timeout=10) as response:
        assert response.headers["Content-Type"].startswith("image/")
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert Image.open(BytesIO(response.read())).width >= 400  # a real picture
    # Nothing written to either server's own disk: no media, no stamp file, nothing.
    assert [list((var / name).iterdir()) for name in ("a", "b")] == [[], []]

    # Comments from one address: three a minute, counted across both servers.
    reader = Visitor()
    clear_of_window_end(60)
    statuses = [
        post_comment(reader, base, commented.slug, n) for n, base in enumerate((a, b, a, b, a))
    ]
    assert statuses == [302, 302, 302, 429, 429]
    status, _, text = page(b, commented.get_absolute_url())
    assert "Comment number 2." in text  # posted on A, shown by B

    # Five wrong passwords on A lock the account from this address on B too.
    intruder = Visitor()
    clear_of_window_end(900)  # ADMIN_LOGIN_LOCKOUT_SECONDS
    for _ in range(5):
        assert intruder.login(a, "deputy", "wrong password")[0] == 200
    status, _, text = intruder.login(b, "deputy", PASSWORD)
    assert status == 429, text[:500]
