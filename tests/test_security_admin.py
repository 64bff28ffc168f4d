"""Admin login: throttled per address, per (username, address) and per username, with clear
messages (tests/test_security_login.py for the throttle's finer points)."""

import time

import pytest
from django.contrib.auth.models import User

from tests.factories import make_staff

LOGIN = "/admin/login/"
LOCKED = "Too many failed sign-in attempts"


@pytest.fixture
def editor(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ADMIN_LOGIN_FAILURES_PER_USER = 3
    settings.ADMIN_LOGIN_FAILURES_PER_IP = 6
    return make_staff("editor", "Editors", password="correct horse battery")


def attempt(client, username="editor", password="wrong", ip="203.0.113.7"):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def test_a_username_is_locked_after_repeated_failures_even_with_the_right_password(client, editor):
    for _ in range(3):
        assert attempt(client).status_code == 200
    response = attempt(client, password="correct horse battery")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_for_a_username_from_other_addresses_mean_a_short_wait_not_a_lock(
    client, editor, monkeypatch
):
    for n in range(3):
        attempt(client, ip=f"198.51.100.{n}")
    response = attempt(client, password="correct horse battery", ip="192.0.2.99")
    assert response.status_code == 429
    assert "Please wait 1 second and try again." in response.content.decode()
    later = time.time() + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert attempt(client, password="correct horse battery", ip="192.0.2.99").status_code == 302


def test_an_address_is_locked_after_failures_across_many_usernames(client, editor):
    for n in range(6):
        assert attempt(client, username=f"guess{n}").status_code == 200
    response = attempt(client, password="correct horse battery")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # Another address is not affected.
    assert attempt(client, password="correct horse battery", ip="192.0.2.1").status_code == 302


def test_usernames_are_counted_whatever_their_case(client, editor):
    for name in ["editor", "EDITOR", "Editor "]:
        attempt(client, username=name)
    assert attempt(client, password="correct horse battery").status_code == 429


def test_a_successful_login_clears_the_username_count(client, editor):
    for _ in range(2):
        attempt(client)
    assert attempt(client, password="correct horse battery").status_code == 302
    client.logout()
    for _ in range(2):
        assert attempt(client).status_code == 200
    assert attempt(client, password="correct horse battery").status_code == 302


def test_the_lock_lifts_by_itself_when_the_window_ends(client, editor, settings, monkeypatch):
    for _ in range(3):
        attempt(client)
    assert attempt(client, password="correct horse battery").status_code == 429
    later = time.time() + settings.ADMIN_LOGIN_LOCKOUT_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert attempt(client, password="correct horse battery").status_code == 302


def test_the_login_page_itself_is_never_locked_for_reading(client, editor):
    for _ in range(4):
        attempt(client)
    assert client.get(LOGIN).status_code == 200


def test_staff_passwords_go_through_djangos_validators(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/password_change/",
        {"old_password": "correct horse battery", "new_password1": "12345678", "new_password2": "12345678"},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert "This password is too common." in page
    assert "This password is entirely numeric." in page
    assert User.objects.get(username="editor").check_password("correct horse battery")


def test_behind_a_proxy_each_client_is_counted_by_its_own_address(client, editor, settings):
    """Every request reaches Django from the proxy; the lockout must not lock out everyone."""
    from django.test import override_settings

    with override_settings(BEHIND_PROXY=True, PROXY_COUNT=1):
        proxy = {"REMOTE_ADDR": "10.0.0.2"}
        for n in range(6):
            client.post(
                LOGIN,
                {"username": f"guess{n}", "password": "x"},
                HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.50",
                **proxy,
            )
        locked = client.post(
            LOGIN,
            {"username": "editor", "password": "correct horse battery"},
            HTTP_X_FORWARDED_FOR="203.0.113.50",
            **proxy,
        )
        other = client.post(
            LOGIN,
            {"username": "editor", "password": "correct horse battery", "next": "/admin/"},
            HTTP_X_FORWARDED_FOR="198.51.100.60",
            **proxy,
        )
    assert locked.status_code == 429
    assert other.status_code == 302
