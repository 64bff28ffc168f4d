"""Editing locks: opening an article takes it, a colleague sees who has it and since when,
a heartbeat keeps it, it lapses without one, and only editors take over; the one taken over
keeps their text (their save is refused, with what they typed shown back)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import EditLock

from .factories import article_form_data, make_article, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def aiko():
    return make_staff("aiko", "Authors", author_name="Aiko Tanaka", first_name="Aiko")


@pytest.fixture
def ben():
    return make_staff("ben", "Authors", author_name="Ben Ode", first_name="Ben")


@pytest.fixture
def eda():
    return make_staff("eda", "Editors", author_name="Eda Editor", first_name="Eda")


@pytest.fixture
def article(aiko, ben):
    return make_article(authors=[aiko.author, ben.author], published=False)


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def open_page(client, article):
    return client.get(reverse("admin:articles_article_change", args=[article.pk]))


def lock(client, article, action="heartbeat"):
    url = reverse("admin:articles_article_lock", args=[article.pk])
    return client.post(url, {"action": action})


def test_opening_an_article_takes_its_lock(aiko, article):
    response = open_page(client_for(aiko), article)
    assert "is editing this article" not in response.text
    assert EditLock.objects.get(article=article).user == aiko


def test_a_colleague_sees_who_is_editing_and_since_when(aiko, ben, article):
    open_page(client_for(aiko), article)
    since = timezone.localtime().replace(hour=10, minute=42)
    EditLock.objects.update(since=since)
    html = open_page(client_for(ben), article).text
    assert "Aiko is editing this article since 10:42" in html
    assert "Take over" not in html  # authors do not take over
    assert EditLock.objects.get().user == aiko


def test_a_heartbeat_renews_the_lock_and_reports_it(aiko, ben, article):
    first = client_for(aiko)
    open_page(first, article)
    EditLock.objects.update(heartbeat_at=timezone.now() - timedelta(seconds=60))
    state = lock(first, article).json()
    assert state["mine"] is True
    assert EditLock.objects.get().is_held
    other = lock(client_for(ben), article).json()
    assert other["mine"] is False and other["message"].startswith("Aiko is editing this article")


def test_a_lock_without_heartbeats_lapses_and_the_next_person_gets_it(aiko, ben, article):
    open_page(client_for(aiko), article)
    EditLock.objects.update(heartbeat_at=timezone.now() - timedelta(seconds=91))
    html = open_page(client_for(ben), article).text
    assert "is editing this article" not in html
    assert EditLock.objects.get().user == ben


def test_closing_the_tab_releases_the_lock(aiko, ben, article):
    first = client_for(aiko)
    open_page(first, article)
    lock(first, article, "release")
    assert not EditLock.objects.exists()
    assert "is editing" not in open_page(client_for(ben), article).text


def test_an_editor_takes_over_and_the_first_is_told_at_the_next_heartbeat(aiko, eda, article):
    first, editor = client_for(aiko), client_for(eda)
    open_page(first, article)
    assert "Take over" in open_page(editor, article).text
    response = lock(editor, article, "take")
    assert response.status_code == 302
    assert EditLock.objects.get().user == eda
    state = lock(first, article).json()
    assert state == state | {"mine": False, "holder": "Eda"}
    assert EditLock.objects.get().user == eda  # the heartbeat did not take it back


def test_an_author_cannot_take_over(aiko, ben, article):
    open_page(client_for(aiko), article)
    assert lock(client_for(ben), article, "take").status_code == 403
    assert EditLock.objects.get().user == aiko


def test_the_one_taken_over_keeps_their_text_and_their_save_is_refused(aiko, eda, article):
    first = client_for(aiko)
    open_page(first, article)
    lock(client_for(eda), article, "take")
    typed = article_form_data(article, title="A headline Aiko typed and must not lose")
    response = first.post(reverse("admin:articles_article_change", args=[article.pk]), typed)
    assert response.status_code == 200
    assert "Eda is editing this article since" in response.text
    assert 'value="A headline Aiko typed and must not lose"' in response.text
    article.refresh_from_db()
    assert article.title != "A headline Aiko typed and must not lose"


def test_lock_posts_need_the_csrf_token(aiko, article):
    assert lock(client_for(aiko, enforce_csrf_checks=True), article).status_code == 403


def test_someone_elses_article_has_no_lock_for_an_author(aiko):
    theirs = make_article(published=False)
    assert lock(client_for(aiko), theirs).status_code == 404
    assert not EditLock.objects.exists()
