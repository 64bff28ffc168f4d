"""Passwords are stored with Argon2id at OWASP's parameters (newsroom/hashers.py); older
PBKDF2 hashes still sign in and are rehashed with Argon2id at that sign-in."""

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.models import User

from tests.factories import make_staff

LOGIN = "/admin/login/"
RIGHT = "correct horse battery"


def sign_in(client, password, username="pat"):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, REMOTE_ADDR="198.51.100.20")


def stored_hash(user) -> str:
    return User.objects.values_list("password", flat=True).get(pk=user.pk)


@pytest.fixture
def pbkdf2_user(db):
    """A staff member whose password was stored before Argon2, with Django's PBKDF2."""
    user = make_staff("pat", "Editors")
    user.password = make_password(RIGHT, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    return user


def test_a_new_password_is_stored_as_argon2id_with_owasp_parameters(db):
    user = make_staff("pat", "Editors", password=RIGHT)
    hasher = identify_hasher(user.password)
    assert hasher.algorithm == "argon2"
    decoded = hasher.decode(user.password)
    assert decoded["variety"] == "argon2id"
    assert (decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]) == (19456, 2, 1)
    assert user.check_password(RIGHT)


def test_a_pbkdf2_password_signs_in_and_is_rehashed_as_argon2id(client, pbkdf2_user):
    assert stored_hash(pbkdf2_user).startswith("pbkdf2_sha256$")
    response = sign_in(client, RIGHT)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(pbkdf2_user.pk)
    rehashed = stored_hash(pbkdf2_user)
    assert rehashed.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    # The same password still works, now against the new hash.
    client.logout()
    assert sign_in(client, RIGHT).status_code == 302
    assert stored_hash(pbkdf2_user) == rehashed


def test_a_wrong_password_leaves_the_stored_hash_alone(client, pbkdf2_user):
    before = stored_hash(pbkdf2_user)
    response = sign_in(client, "not the password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert stored_hash(pbkdf2_user) == before
    assert sign_in(client, RIGHT).status_code == 302
