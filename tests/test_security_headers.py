"""Security headers on every kind of response, and production settings that pass check --deploy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def urls(db):
    article = make_article(tags=["weather"])
    return ["/", article.get_absolute_url(), "/search/?q=x", "/feed/", "/no-such-page/"]


def test_every_response_carries_the_security_headers(client, urls):
    for url in urls:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_pages_have_a_strict_content_security_policy_with_a_nonce(client, urls):
    response = client.get(urls[1])
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    nonce = directives["script-src"].split("'nonce-")[1].split("'")[0]
    # The page's only inline scripts (structured data) carry that nonce; no origin but ours.
    assert f'nonce="{nonce}"' in response.content.decode()
    # Other origins only as frames: the video players an embed's card loads on a click.
    players = "https://www.youtube-nocookie.com https://player.vimeo.com"
    assert directives["frame-src"] == players
    assert "http" not in csp.replace(players, "")


def test_the_admin_keeps_its_own_policy_for_the_editor_only(client, urls, admin_user):
    client.force_login(admin_user)
    csp = client.get("/admin/articles/article/add/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "'unsafe-inline'" not in client.get("/")["Content-Security-Policy"].split("style-src")[1]


def test_error_pages_carry_the_headers_too(client, db):
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_the_session_and_csrf_cookies_are_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def run_manage(*args, **env):
    # Not the test run's own variables: the browser fixture allows async-unsafe calls.
    unwanted = {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
    )


PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "news.example",
    "EMAIL_HOST": "smtp.news.example",
    "SECURE_HTTPS": "1",
}


def test_production_settings_pass_check_deploy_with_no_warnings(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", VAR_DIR=str(tmp_path), **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_secure_https_check_deploy_names_what_is_missing(tmp_path):
    """Plain HTTP stays possible for local runs; the deploy check then says what is off."""
    env = PRODUCTION | {"SECURE_HTTPS": "0"}
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", VAR_DIR=str(tmp_path), **env
    )
    assert result.returncode != 0
    for warning in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert warning in result.stderr


def test_secure_https_switches_on_hsts_secure_cookies_and_the_redirect(tmp_path):
    probe = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000)"
    )
    env = (
        os.environ
        | PRODUCTION
        | {"VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + probe],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.stdout.split() == ["True"] * 4, result.stderr
