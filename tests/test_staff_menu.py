"""The admin menu shows each role what it uses; superusers still see everything."""

import pytest
from django.urls import reverse

from articles.roles import AUTHORS, EDITORS

from .factories import make_staff

pytestmark = pytest.mark.django_db


def menu(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    return {
        (app["app_label"], model["name"])
        for app in response.context["app_list"]
        for model in app["models"]
    }


def test_editors_see_the_desk_without_taggit_tasks_or_reply_subscriptions(client):
    shown = menu(client, make_staff("ed", EDITORS))
    apps = {app for app, _ in shown}
    models = {model for _, model in shown}
    assert "taggit" not in apps and "django_tasks_database" not in apps
    assert not {"Reply subscriptions", "Reports", "Task Results"} & models
    assert {("articles", "Tags"), ("articles", "Comments"), ("articles", "Sections")} <= shown


def test_authors_see_their_articles_and_comments_only(client):
    shown = menu(client, make_staff("aiko", AUTHORS))
    assert {("articles", "Articles"), ("articles", "Comments")} <= shown
    assert not {m for _, m in shown} & {
        "Tags",
        "Sections",
        "Sources",
        "Authors",
        "Reply subscriptions",
    }
    assert "taggit" not in {app for app, _ in shown}


def test_superusers_still_see_everything(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", None)
    shown = menu(client, admin)
    assert {("taggit", "Tags"), ("articles", "Reply subscriptions")} <= shown
    assert any(app == "django_tasks_database" for app, _ in shown)


def test_the_tags_page_breadcrumb_still_leads_somewhere_for_editors(client):
    client.force_login(make_staff("ed", EDITORS))
    response = client.get(reverse("admin:app_list", args=["taggit"]))
    assert response.status_code == 200 and "Tags" in response.text
