import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def codenames(name):
    return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_migrate_creates_the_authors_and_editors_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Authors", "Editors"}


def test_authors_write_articles_but_only_view_the_desk():
    perms = codenames("Authors")
    assert {"add_article", "change_article", "view_article", "add_citation"} <= perms
    assert {"view_section", "view_source", "view_tag"} <= perms
    assert not {"delete_article", "change_section", "change_source", "change_tag"} & perms
    # Authors may read the comments on their own articles (the admin filters them), nothing more.
    assert {p for p in perms if p.endswith("_comment")} == {"view_comment"}


def test_editors_run_the_whole_desk():
    perms = codenames("Editors")
    for model in ("article", "section", "source", "tag", "citation", "comment", "correction"):
        assert {f"{action}_{model}" for action in ("add", "change", "delete", "view")} <= perms


def test_group_permissions_grant_real_access(django_user_model):
    user = django_user_model.objects.create_user(username="writer", is_staff=True)
    user.groups.add(Group.objects.get(name="Authors"))
    assert user.has_perm("articles.add_article")
    assert not user.has_perm("articles.delete_article")


def test_ensure_admin_creates_one_login_and_prints_it_once(django_user_model, capsys):
    from io import StringIO

    first, second = StringIO(), StringIO()
    call_command("ensure_admin", stdout=first)
    call_command("ensure_admin", stdout=second)
    assert "password:" in first.getvalue()
    assert second.getvalue() == ""
    password = first.getvalue().split("password: ")[1].split()[0]
    admin = django_user_model.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
