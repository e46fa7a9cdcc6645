"""Roles, and the permission matrix: every address of the URL configuration, asked by every role.

The addresses come from the URL configuration itself, so a new one without an entry here fails
`test_every_address_has_an_entry`: say who may open it before it ships.
"""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from tests.accounts import make_user
from tests.factories import (
    make_claim,
    make_event,
    make_fate_claim,
    make_party,
    make_person,
    make_source,
    seeded_subgroup,
)
from tracker import roles
from tracker.models import Assessment
from tracker.models.assessments import organisation

pytestmark = pytest.mark.django_db

ANONYMOUS, VIEWER, EDITOR, ADMINISTRATOR = 0, 1, 2, 3
NOBODY = 4  # addresses that answer everyone the same way (the login page), or no one by GET
ROLE_NAMES = {VIEWER: roles.VIEWER, EDITOR: roles.EDITOR, ADMINISTRATOR: roles.ADMINISTRATOR}


def routes(patterns=None, prefix="") -> list[str]:
    """Every route of the URL configuration, as its full pattern."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


# route: (who may open it at least, the address asked, what the allowed get)
PAGES = {
    "": (VIEWER, "/", 200),
    "assess/": (VIEWER, "/assess/", 200),
    "events/": (VIEWER, "/events/", 200),
    "events/export.<str:format>": (VIEWER, "/events/export.csv", 200),
    "events/claims.<str:format>": (VIEWER, "/events/claims.csv", 200),
    "events/assessments.<str:format>": (VIEWER, "/events/assessments.csv", 200),
    "events/<path:ref>/": (VIEWER, "/events/{ref}/", 200),
    "links/": (EDITOR, "/links/", 200),
    "links/decide/": (NOBODY, "/links/decide/", None),  # POST only: tests/test_link_review.py
    "links/<int:pk>/undo/": (NOBODY, "/links/1/undo/", None),  # POST only: tests/test_link_review.py
    "review/": (VIEWER, "/review/", 200),  # reviewing from it: tests/test_review.py
    "parties/": (VIEWER, "/parties/", 200),
    "parties/<int:pk>/": (VIEWER, "/parties/{party}/", 200),
    "parties/compare/": (VIEWER, "/parties/compare/?party={party}&party={party}", 200),
    "parties/track-records.<str:format>": (VIEWER, "/parties/track-records.csv", 200),
    "people/": (VIEWER, "/people/", 200),
    "people/<int:pk>/": (VIEWER, "/people/{person}/", 200),
    "api/": (VIEWER, "/api/", 200),
    "api/schema/": (VIEWER, "/api/schema/", 200),
    "api/docs/": (VIEWER, "/api/docs/", 200),
    "api/^events/$": (VIEWER, "/api/events/", 200),
    "api/^events/(?P<ref>.+)/$": (VIEWER, "/api/events/{ref}/", 200),
    "api/^claims/$": (VIEWER, "/api/claims/", 200),
    "api/^claims/(?P<pk>[^/.]+)/$": (VIEWER, "/api/claims/{claim}/", 200),
    "api/^claims/(?P<pk>[^/.]+)/review/$": (NOBODY, "/api/claims/{claim}/review/", None),  # POST: test_review.py
    "api/^assessments/$": (VIEWER, "/api/assessments/", 200),
    "api/^assessments/(?P<pk>[^/.]+)/$": (VIEWER, "/api/assessments/{assessment}/", 200),
    # POST: tests/test_review.py
    "api/^assessments/(?P<pk>[^/.]+)/review/$": (NOBODY, "/api/assessments/{assessment}/review/", None),
    "api/^parties/$": (VIEWER, "/api/parties/", 200),
    "api/^parties/(?P<pk>[^/.]+)/$": (VIEWER, "/api/parties/{party}/", 200),
    "api/^sources/$": (VIEWER, "/api/sources/", 200),
    "api/^people/$": (VIEWER, "/api/people/", 200),
    "api/^people/(?P<pk>[^/.]+)/$": (VIEWER, "/api/people/{person}/", 200),
    "api/^fate-claims/$": (VIEWER, "/api/fate-claims/", 200),
    "api/^fate-claims/(?P<pk>[^/.]+)/$": (VIEWER, "/api/fate-claims/{fateclaim}/", 200),
    "api/^sources/(?P<pk>[^/.]+)/$": (VIEWER, "/api/sources/{source}/", 200),
    "api/^track-records/$": (VIEWER, "/api/track-records/", 200),
    "accounts/login/": (NOBODY, "/accounts/login/", None),
    "accounts/logout/": (NOBODY, "/accounts/logout/", None),
    "i18n/setlang/": (NOBODY, "/i18n/setlang/", None),
    "admin/": (EDITOR, "/admin/", 200),
    "admin/audit/": (ADMINISTRATOR, "/admin/audit/", 200),
    "admin/login/": (NOBODY, "/admin/login/", None),
    "admin/logout/": (NOBODY, "/admin/logout/", None),
    "admin/password_change/": (EDITOR, "/admin/password_change/", 200),
    "admin/password_change/done/": (EDITOR, "/admin/password_change/done/", 200),
    "admin/autocomplete/": (EDITOR, "/admin/autocomplete/?app_label=tracker&model_name=claim&field_name=party", 200),
    "admin/jsi18n/": (EDITOR, "/admin/jsi18n/", 200),
    "admin/r/<path:content_type_id>/<path:object_id>/": (NOBODY, "/admin/r/1/1/", None),
    "admin/^(?P<app_label>axes|auth|tracker)/$": (EDITOR, "/admin/tracker/", 200),
    "admin/(?P<url>.*)$": (NOBODY, "/admin/nowhere/", None),
    "admin/tracker/claim/read-wording/": (EDITOR, "/admin/tracker/claim/read-wording/?wording=about+40", 200),
    "admin/tracker/claim/import/": (EDITOR, "/admin/tracker/claim/import/", 200),
    # Shown to the editor who uploaded the file, and once imported to a reviewer (tests/test_import_jobs.py,
    # tests/test_review.py): to anyone else, 404.
    "admin/tracker/claim/import/<int:job_id>/": (NOBODY, "/admin/tracker/claim/import/1/", None),
    "admin/auth/user/<id>/password/": (ADMINISTRATOR, "/admin/auth/user/{user}/password/", 200),
}

# Each model in the admin: who may view it (and its history), add to it, and delete from it.
ADMIN_MODELS = {
    "tracker/event": (EDITOR, EDITOR, ADMINISTRATOR, "{event}"),
    "tracker/claim": (EDITOR, EDITOR, ADMINISTRATOR, "{claim}"),
    "tracker/party": (EDITOR, EDITOR, ADMINISTRATOR, "{party}"),
    "tracker/source": (EDITOR, EDITOR, ADMINISTRATOR, "{source}"),
    "tracker/subgroup": (EDITOR, EDITOR, ADMINISTRATOR, "{subgroup}"),
    "tracker/assessment": (EDITOR, EDITOR, ADMINISTRATOR, "{assessment}"),
    "tracker/person": (EDITOR, EDITOR, ADMINISTRATOR, "{person}"),
    "tracker/fateclaim": (EDITOR, EDITOR, ADMINISTRATOR, "{fateclaim}"),
    "auth/user": (ADMINISTRATOR, ADMINISTRATOR, ADMINISTRATOR, "{user}"),
    "auth/group": (ADMINISTRATOR, ADMINISTRATOR, ADMINISTRATOR, "{group}"),
    "axes/accessattempt": (ADMINISTRATOR, NOBODY, ADMINISTRATOR, None),
    "axes/accessfailurelog": (ADMINISTRATOR, NOBODY, ADMINISTRATOR, None),
    "axes/accesslog": (ADMINISTRATOR, NOBODY, ADMINISTRATOR, None),
}


def admin_entries() -> dict:
    entries = {}
    for model, (view, add, delete, key) in ADMIN_MODELS.items():
        base = f"admin/{model}/"
        entries[base] = (view, f"/{base}", 200)
        entries[base + "add/"] = (add, f"/{base}add/", 200)
        with_key = key is not None
        for route, needs, path, status in (
            ("<path:object_id>/change/", view, "change/", 200),
            ("<path:object_id>/history/", view, "history/", 200),
            ("<path:object_id>/delete/", delete, "delete/", 200),
            # Redirects everyone to the change page, whose own entry says who may open it.
            ("<path:object_id>/", ANONYMOUS, "", 302),
        ):
            entries[base + route] = (needs if with_key else NOBODY, f"/{base}{key}/{path}", status)
        if model.startswith("tracker/"):
            entries[base + "^([^/]+)/history/([^/]+)/$"] = (view, f"/{base}{key}/history/{{{model[8:]}_history}}/", 200)
    return entries


MATRIX = {**PAGES, **admin_entries()}


def test_every_address_has_an_entry():
    assert set(routes()) - set(MATRIX) == set(), "addresses without an entry in the permission matrix"
    assert set(MATRIX) - set(routes()) == set(), "entries for addresses that no longer exist"
    registered = {f"{model._meta.app_label}/{model._meta.model_name}" for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS)


@pytest.fixture
def objects():
    party = make_party(name="Ministry")
    event = make_event(ref="SYR-2017-09-DEZ-01", start_date=date(2017, 9, 5))
    claim = make_claim(event, party, count=40, source=make_source(title="Statement"))
    user = make_user("someone")
    subgroup = seeded_subgroup("journalists")  # seeded, and counted by no claim: it may be deleted
    subgroup.save()  # a first history entry, as one made in the admin has
    assessment = Assessment.objects.create(
        event=event, assessor=organisation(), grade="weak", method="range", rationale="One source so far."
    )
    fate_claim = make_fate_claim(make_person(), party, event=event, source=claim.source)
    return {
        "person": fate_claim.person_id, "person_history": fate_claim.person.history.first().history_id,
        "fateclaim": fate_claim.pk, "fateclaim_history": fate_claim.history.first().history_id,
        "assessment": assessment.pk, "assessment_history": assessment.history.first().history_id,
        "subgroup": subgroup.pk, "subgroup_history": subgroup.history.first().history_id,
        "ref": event.ref, "event": event.pk, "claim": claim.pk, "party": party.pk, "source": claim.source_id,
        "user": user.pk, "group": Group.objects.get(name=roles.VIEWER).pk,
        "event_history": event.history.first().history_id, "claim_history": claim.history.first().history_id,
        "party_history": party.history.first().history_id, "source_history": claim.source.history.first().history_id,
    }  # fmt: skip


def person(role: int):
    user = make_user(f"role-{role}")
    roles.role_assign(user=user, roles=[ROLE_NAMES[role]])
    return user


def denied_status(path: str, role: int) -> int:
    if path.startswith("/api/"):
        return 401 if role == ANONYMOUS else 403
    if path.startswith("/admin/"):
        return 302 if role < EDITOR else 403  # not staff: the admin's login
    return 302 if role == ANONYMOUS else 403


@pytest.mark.parametrize(
    "role", [ANONYMOUS, VIEWER, EDITOR, ADMINISTRATOR], ids=["anonymous", "viewer", "editor", "admin"]
)
def test_each_role_opens_exactly_what_it_may(client, objects, role):
    if role != ANONYMOUS:
        client.force_login(person(role))
    wrong = []
    for needs, path, allowed in MATRIX.values():
        if needs == NOBODY:
            continue
        path = path.format(**objects)
        expected = allowed if role >= needs else denied_status(path, role)
        status = client.get(path).status_code
        if status != expected:
            wrong.append(f"{path}: {status}, expected {expected}")
    assert wrong == []


def test_roles_are_kept_in_step_with_their_lists():
    viewer = Group.objects.get(name=roles.VIEWER)
    viewer.permissions.clear()
    call_command("migrate", verbosity=0)
    assert {f"{p.content_type.app_label}.{p.codename}" for p in viewer.permissions.all()} == set(roles.READ_PERMISSIONS)


def test_assign_role_gives_the_staff_flag_to_those_who_work_in_the_admin():
    user = make_user("alice")
    call_command("assign_role", "alice", "editor", "--confidential", stdout=None)
    user.refresh_from_db()
    assert user.is_staff and user.has_perm("tracker.change_claim") and user.has_perm("tracker.view_confidential_source")
    call_command("assign_role", "alice", "viewer")
    user = type(user).objects.get(pk=user.pk)
    assert not user.is_staff and not user.has_perm("tracker.change_claim")
    assert not user.has_perm("tracker.view_confidential_source") and user.has_perm("tracker.view_claim")
