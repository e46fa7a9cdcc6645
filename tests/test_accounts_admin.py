"""Users and groups in the admin: API tokens never listed, and each change of who holds the grant logged."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts import make_member, make_reader
from tests.helpers import form_data
from tracker import roles, visibility

pytestmark = pytest.mark.django_db

GIVEN, TAKEN = "the grant to see confidential sources", "took from"


@pytest.fixture
def administrator(client):
    """An administrator without the grant to see confidential sources, signed in."""
    user = make_member("chief", roles.ADMINISTRATOR)
    client.force_login(user)
    return user


def api_answer(key: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/events/").status_code


def users_action(client, action: str, *users):
    return client.post(
        reverse("admin:auth_user_changelist"), {"action": action, "_selected_action": [user.pk for user in users]}
    )


# API tokens


def test_no_admin_page_shows_an_api_tokens_key(client, administrator):
    reader = make_reader()
    key = Token.objects.create(user=reader).key
    users_action(client, "api_tokens_revoke", make_reader("other"))  # an action logged, for Recent actions
    pages = [
        "/admin/authtoken/tokenproxy/",
        f"/admin/authtoken/tokenproxy/{reader.pk}/change/",
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[reader.pk]),
        reverse("admin:auth_user_history", args=[reader.pk]),
        reverse("admin:index"),
    ]
    assert [url for url in pages if key in client.get(url).content.decode()] == []
    user_page = client.get(reverse("admin:auth_user_change", args=[reader.pk])).content.decode()
    assert f"its key begins “{key[:6]}…”" in user_page


def test_an_administrator_issues_a_key_shown_once_then_reissues_and_revokes_it(client, administrator):
    reader = make_reader()
    response = users_action(client, "api_tokens_issue", reader)
    key = Token.objects.get(user=reader).key
    assert response.status_code == 200 and key in response.content.decode()
    assert api_answer(key) == 200
    assert key not in client.get(reverse("admin:auth_user_change", args=[reader.pk])).content.decode()

    users_action(client, "api_tokens_issue", reader)
    assert api_answer(key) == 401  # reissued: the old key stops working
    new_key = Token.objects.get(user=reader).key
    response = users_action(client, "api_tokens_revoke", reader)
    assert response.status_code == 302 and not Token.objects.filter(user=reader).exists()
    assert api_answer(new_key) == 401
    history = client.get(reverse("admin:auth_user_history", args=[reader.pk])).content.decode()
    assert history.count("Issued a new API token.") == 2 and "Revoked the API token." in history


def test_only_who_may_manage_tokens_issues_them(client):
    user = make_member("clerk", roles.VIEWER)
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client.force_login(user)
    users_action(client, "api_tokens_issue", make_reader())
    assert not Token.objects.exists()


# The grant to see confidential sources: an administrator may give it, themself too, and it is logged.


def grant_log(user) -> list[str]:
    entries = LogEntry.objects.filter(object_id=str(user.pk), change_message__contains=GIVEN).order_by("pk")
    return [f"{entry.user.username}: {entry.change_message}" for entry in entries]


def test_an_administrator_who_gives_themself_the_grant_is_named_in_the_log(client, administrator):
    url = reverse("admin:auth_user_change", args=[administrator.pk])
    data = form_data(client.get(url).content.decode())
    confidential = Group.objects.get(name=roles.CONFIDENTIAL)
    assert client.post(url, data | {"groups": [*data["groups"], confidential.pk]}).status_code == 302
    administrator.refresh_from_db()
    assert visibility.sees_confidential(administrator)  # intended: administrators manage roles
    assert grant_log(administrator) == ["chief: chief gave chief the grant to see confidential sources."]
    assert GIVEN in client.get(reverse("admin:auth_user_history", args=[administrator.pk])).content.decode()

    data = form_data(client.get(url).content.decode())
    client.post(url, data | {"groups": [pk for pk in data["groups"] if pk != str(confidential.pk)]})
    assert grant_log(administrator)[1:] == ["chief: chief took from chief the grant to see confidential sources."]


@pytest.mark.parametrize("way", ["own permission", "superuser flag"])
def test_the_grant_given_to_a_user_any_other_way_is_logged(client, administrator, way):
    editor = make_member("editor", roles.EDITOR)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    data = form_data(client.get(url).content.decode())
    if way == "own permission":
        permission = Permission.objects.get(codename="view_confidential_source")
        data["user_permissions"] = [*data.get("user_permissions", []), permission.pk]
    else:
        data["is_superuser"] = "on"
    assert client.post(url, data).status_code == 302
    assert grant_log(editor) == ["chief: chief gave editor the grant to see confidential sources."]


def test_a_group_given_the_permission_logs_the_grant_for_each_of_its_members(client, administrator):
    editors = [make_member(name, roles.EDITOR) for name in ("editor-1", "editor-2")]
    group = Group.objects.get(name=roles.EDITOR)
    url = reverse("admin:auth_group_change", args=[group.pk])
    data = form_data(client.get(url).content.decode())
    permission = Permission.objects.get(codename="view_confidential_source")
    assert client.post(url, data | {"permissions": [*data["permissions"], permission.pk]}).status_code == 302
    for editor in editors:
        assert grant_log(editor) == [f"chief: chief gave {editor.username} the grant to see confidential sources."]
    assert grant_log(administrator) == []  # not a member
