"""Admin sign-in throttling that nobody can turn against a staff member: locks per (username,
address) and per address, only a short growing wait per username; addresses in one spelling."""

import time

import pytest
from django.test import Client

from tests.factories import make_staff

LOGIN = "/admin/login/"
LOCKED = "Too many failed sign-in attempts"
RIGHT = "correct horse battery"
ATTACKER, BOB_AT_HOME = "203.0.113.66", "198.51.100.7"


@pytest.fixture
def bob(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ADMIN_LOGIN_FAILURES_PER_USER = 5
    settings.ADMIN_LOGIN_FAILURES_PER_IP = 20
    settings.ADMIN_LOGIN_USER_DELAY_MAX = 30
    return make_staff("bob", "Editors", password=RIGHT)


class Clock:
    """A frozen time.time() that a test moves on by hand."""

    def __init__(self, monkeypatch):
        self.now = 1_800_000_000.0  # the start of a lockout window (a multiple of 900)
        monkeypatch.setattr(time, "time", lambda: self.now)

    def advance(self, seconds: float):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def attempt(client, username="bob", password="wrong", ip=ATTACKER, **extra):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, REMOTE_ADDR=ip, **extra)


def test_an_attacker_cannot_lock_bob_out_from_another_address(client, bob, clock):
    for name in ["BOB", "bob", "Bob", "BOB", "bob", "bob", "BOB", "bob"]:
        attempt(client, username=name)
    # At once, Bob is asked to wait a moment, with the time to wait, not locked out.
    response = attempt(client, password=RIGHT, ip=BOB_AT_HOME)
    assert response.status_code == 429
    assert "Please wait 1 second and try again." in response.content.decode()
    assert response["Retry-After"] == "1"
    assert 'href="/admin/login/">Back to sign in' in response.content.decode()
    assert "_auth_user_id" not in client.session
    clock.advance(1)
    response = attempt(client, password=RIGHT, ip=BOB_AT_HOME)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_the_attackers_own_address_stays_locked_for_that_username(client, bob, clock):
    for _ in range(5):
        assert attempt(client, username="BOB").status_code == 200
    clock.advance(60)
    assert attempt(client, password=RIGHT, ip=BOB_AT_HOME).status_code == 302
    client.logout()
    # Bob's success does not unlock the attacker's pair, even with the right password.
    response = attempt(client, password=RIGHT)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "paused for up to 14 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_wait_per_username_grows_with_failures_from_many_addresses_up_to_a_cap(
    client, bob, clock
):
    waits = []
    for n in range(12):
        response = attempt(client, ip=f"192.0.2.{n}")
        if response.status_code == 429:
            waits.append(int(response["Retry-After"]))
            clock.advance(int(response["Retry-After"]))
            assert attempt(client, ip=f"192.0.2.{n}").status_code == 200
    assert waits == [1, 2, 4, 8, 16, 30, 30]
    # Each refusal answers at once: the wait is the client's, no worker sleeps through it.
    assert attempt(client, password=RIGHT, ip=BOB_AT_HOME).status_code == 429
    clock.advance(30)
    assert attempt(client, password=RIGHT, ip=BOB_AT_HOME).status_code == 302


def test_the_address_limit_still_locks_an_address_guessing_many_usernames(client, bob, clock):
    for n in range(20):
        assert attempt(client, username=f"guess{n}").status_code == 200
    assert attempt(client, password=RIGHT).status_code == 429
    clock.advance(60)
    assert attempt(client, password=RIGHT).status_code == 429
    assert attempt(client, password=RIGHT, ip=BOB_AT_HOME).status_code == 302


def test_a_browser_bob_signed_in_from_before_skips_the_wait(client, bob, clock):
    assert attempt(client, password=RIGHT, ip=BOB_AT_HOME).status_code == 302
    client.post("/admin/logout/")  # as Bob's browser does: its cookies stay
    attacker = Client()
    for n in range(10):
        attempt(attacker, ip=f"192.0.2.{n}")
        clock.advance(20)
    # Without Bob's device cookie, even the right password waits; Bob's browser does not.
    assert attempt(attacker, password=RIGHT, ip="192.0.2.99").status_code == 429
    assert attempt(client, password=RIGHT, ip=BOB_AT_HOME).status_code == 302


def test_a_device_cookie_helps_only_the_username_it_was_given_for(client, bob, clock, settings):
    make_staff("alice", "Editors", password=RIGHT)
    assert attempt(client, password=RIGHT, ip=BOB_AT_HOME).status_code == 302
    client.post("/admin/logout/")
    for n in range(6):
        attempt(Client(), username="alice", ip=f"192.0.2.{n}")
    assert attempt(client, username="alice", password=RIGHT, ip=BOB_AT_HOME).status_code == 429


def test_a_forged_device_cookie_is_ignored(client, bob, clock):
    from articles.login_throttle import DEVICE_COOKIE

    for n in range(6):
        attempt(client, ip=f"192.0.2.{n}")
    client.cookies[DEVICE_COOKIE] = "forged:bob"
    assert attempt(client, password=RIGHT, ip=BOB_AT_HOME).status_code == 429


def test_ipv4_mapped_addresses_are_counted_as_the_ipv4_address(client, bob, clock):
    for n in range(10):
        attempt(client, username=f"guess{n}", ip=f"::ffff:{ATTACKER}")
        attempt(client, username=f"other{n}", ip=ATTACKER)
    assert attempt(client, password=RIGHT, ip=ATTACKER).status_code == 429
    assert attempt(client, password=RIGHT, ip=f"::ffff:{ATTACKER}").status_code == 429
    assert attempt(client, password=RIGHT, ip=BOB_AT_HOME).status_code == 302


def test_two_ipv6_addresses_in_one_64_share_one_address_limit(client, bob, clock):
    for n in range(20):
        attempt(client, username=f"guess{n}", ip=f"2001:db8:1:2::{n + 1:x}")
    assert attempt(client, password=RIGHT, ip="2001:db8:1:2:aaaa::1").status_code == 429
    assert attempt(client, password=RIGHT, ip="2001:db8:1:3::1").status_code == 302


def test_an_address_that_is_no_address_gets_a_clear_answer_not_a_500(client, bob, clock):
    for _ in range(5):
        assert attempt(client, ip="not-an-address").status_code == 200
    response = attempt(client, password=RIGHT, ip="not-an-address")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_with_the_cache_server_down_staff_can_still_sign_in(client, bob, settings):
    from django.test import override_settings

    from tests.test_faults_health import UNREACHABLE_CACHE

    with override_settings(CACHES=UNREACHABLE_CACHE):
        for _ in range(6):
            assert attempt(client).status_code == 200
        assert attempt(client, password=RIGHT).status_code == 302


def test_one_password_check_at_a_time_runs_for_a_username_under_attack(client, bob, clock, rf):
    """Parallel requests would otherwise all pass the wait before any failure is counted."""
    from articles.login_throttle import LoginAttempt

    for n in range(5):
        attempt(client, ip=f"192.0.2.{n}")
    clock.advance(1)
    in_flight = LoginAttempt(rf.post(LOGIN, {"username": "BOB", "password": "x"}))
    assert in_flight.refuse() is None  # its check is running
    response = attempt(client, password=RIGHT, ip=BOB_AT_HOME)
    assert response.status_code == 429 and response["Retry-After"] == "1"
    in_flight.release()
    assert attempt(client, password=RIGHT, ip=BOB_AT_HOME).status_code == 302
