"""One screen adds a staff member: account, author profile and set-password email at once."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from articles.models import Author
from articles.roles import AUTHORS, EDITORS

from .factories import make_staff

pytestmark = pytest.mark.django_db

ADD = reverse("admin:staff_add")


@pytest.fixture
def editor(client):
    user = make_staff("ed", EDITORS)
    client.force_login(user)
    return user


def add(client, django_capture_on_commit_callbacks, **data):
    data = {"name": "Mariko Ito", "email": "mariko@example.com", "role": AUTHORS, **data}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(ADD, data, follow=True)


def test_an_editor_adds_an_author_in_one_screen(client, editor, django_capture_on_commit_callbacks):
    assert 'href="/admin/staff/add/"' in client.get(reverse("admin:index")).text
    response = add(client, django_capture_on_commit_callbacks)
    assert "can sign in as “mariko” once they have chosen a password" in response.text
    user = User.objects.get(email="mariko@example.com")
    assert (user.username, user.first_name, user.last_name, user.is_staff) == (
        "mariko",
        "Mariko",
        "Ito",
        True,
    )
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [AUTHORS]
    assert Author.objects.get(user=user).name == "Mariko Ito"
    [email] = mail.outbox
    assert email.to == ["mariko@example.com"] and "Your username is: mariko" in email.body


def test_the_emailed_link_sets_a_password_and_the_author_signs_in(
    client, editor, django_capture_on_commit_callbacks
):
    add(client, django_capture_on_commit_callbacks, role=EDITORS)
    link = re.search(r"http://testserver(/admin/staff/welcome/\S+)", mail.outbox[0].body)[1]
    client.logout()
    form_page = client.get(link, follow=True)
    assert "New password" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "plum-harbour-7431", "new_password2": "plum-harbour-7431"},
        follow=True,
    )
    assert "Your password is set. Sign in as “mariko”." in done.text
    signed_in = client.post(
        reverse("admin:login"),
        {"username": "mariko", "password": "plum-harbour-7431", "next": "/admin/"},
        follow=True,
    )
    assert signed_in.context["user"].username == "mariko"
    assert "Comments awaiting moderation" in signed_in.text  # the editors' start page
    # The link worked once.
    assert "New password" not in client.get(link, follow=True).text


def test_a_duplicate_email_gets_a_clear_error_and_adds_nothing(
    client, editor, django_capture_on_commit_callbacks
):
    make_staff("mariko", AUTHORS, email="Mariko@Example.com")
    response = add(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "mariko@example.com already belongs to the account “mariko”" in response.text
    assert User.objects.filter(email__iexact="mariko@example.com").count() == 1
    assert not Author.objects.filter(name="Mariko Ito").exists() and mail.outbox == []


def test_missing_fields_and_a_bad_role_are_refused_with_messages(client, editor):
    response = client.post(ADD, {"name": "", "email": "not-an-email", "role": "Superusers"})
    assert response.status_code == 200
    text = response.text
    assert "This field is required." in text and "Enter a valid email address." in text
    assert "Select a valid choice." in text
    assert User.objects.count() == 1


def test_a_second_person_with_the_same_mailbox_name_gets_another_username(
    client, editor, django_capture_on_commit_callbacks
):
    make_staff("mariko")
    add(client, django_capture_on_commit_callbacks)
    assert User.objects.get(email="mariko@example.com").username == "mariko-2"


def test_authors_cannot_add_staff(client):
    client.force_login(make_staff("aiko", AUTHORS))
    assert client.get(ADD).status_code == 403
    assert (
        client.post(ADD, {"name": "X", "email": "x@example.com", "role": EDITORS}).status_code
        == 403
    )
    assert not User.objects.filter(email="x@example.com").exists()
    assert 'href="/admin/staff/add/"' not in client.get(reverse("admin:index")).text
