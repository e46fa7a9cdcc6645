"""Review, four eyes: claims and assessments are entered, then reviewed by someone other than who last changed
them, on every surface that reviews (the admin's action, the review queue, the API, an import job's page);
any change sends them back to be reviewed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts import make_member, make_user
from tests.factories import make_claim, make_event, make_fate_claim, make_party, make_person
from tests.helpers import claim_row, csv_bytes, form_data, import_bytes
from tracker import roles
from tracker.filters import EventFilter
from tracker.models import Assessment, Claim, Event, FateClaim, ImportJob, ReviewState
from tracker.models.assessments import organisation

pytestmark = pytest.mark.django_db

OWN = "was last changed by you: another reviewer must review it"
NO_RIGHT = "You may not review records"


@pytest.fixture
def alice():
    return make_member("alice", roles.EDITOR)


@pytest.fixture
def bruno():
    return make_member("bruno", roles.EDITOR)


@pytest.fixture
def clerk():
    """Staff who enter data but may not review: every permission of an Editor but the review's."""
    codenames = [name.split(".")[1] for name in roles.ROLES[roles.EDITOR] if name != roles.REVIEW_PERMISSION]
    return make_user("clerk", *codenames, is_staff=True)


def changed_by(record, user):
    """Save the record as this user: its history names them as who last changed it."""
    record._history_user = user
    record.save()
    return record


@pytest.fixture
def claim(alice):
    return changed_by(make_claim(make_event(ref="SYR-1"), make_party(name="Ministry"), count=40), alice)


@pytest.fixture
def assessment(alice):
    made = Assessment(event=make_event(ref="SYR-2"), assessor=organisation(), grade="weak", method="range",
                      rationale="One source so far.")  # fmt: skip
    return changed_by(made, alice)


def state_of(record):
    record.refresh_from_db()
    return record.review_state


def test_roles_give_the_review_to_editors_and_administrators_not_to_viewers():
    assert make_member("e", roles.EDITOR).has_perm(roles.REVIEW_PERMISSION)
    assert make_member("a", roles.ADMINISTRATOR).has_perm(roles.REVIEW_PERMISSION)
    assert not make_member("v", roles.VIEWER).has_perm(roles.REVIEW_PERMISSION)


def test_a_record_is_entered_and_a_save_enters_it_again(claim, bruno):
    assert claim.review_state == ReviewState.ENTERED
    Claim.objects.filter(pk=claim.pk).update(review_state=ReviewState.REVIEWED, reviewed_by=bruno)
    claim.refresh_from_db()
    claim.notes = "Checked against the ministry's site."
    claim.save(update_fields=["notes"])
    claim.refresh_from_db()
    assert (claim.review_state, claim.reviewed_by, claim.reviewed_at) == (ReviewState.ENTERED, None, None)


# The admin's action


def admin_action(client, model, record):
    url = reverse(f"admin:tracker_{model}_changelist")
    return client.post(url, {"action": "mark_reviewed", "_selected_action": [record.pk]}, follow=True)


@pytest.mark.parametrize("kind", ["claim", "assessment"])
def test_admin_action_refuses_to_review_your_own_change(client, alice, claim, assessment, kind):
    record = {"claim": claim, "assessment": assessment}[kind]
    client.force_login(alice)
    response = admin_action(client, kind, record)
    assert OWN in response.content.decode()
    assert state_of(record) == ReviewState.ENTERED


@pytest.mark.parametrize("kind", ["claim", "assessment"])
def test_admin_action_refuses_a_reviewer_without_the_permission(client, clerk, claim, assessment, kind):
    record = {"claim": claim, "assessment": assessment}[kind]
    client.force_login(clerk)
    response = admin_action(client, kind, record)
    assert NO_RIGHT in response.content.decode()
    assert state_of(record) == ReviewState.ENTERED


@pytest.mark.parametrize("kind", ["claim", "assessment"])
def test_admin_action_reviews_another_users_change_without_changing_the_record(
    client, alice, bruno, claim, assessment, kind
):
    record = {"claim": claim, "assessment": assessment}[kind]
    versions = (record.version, record.history.count())
    client.force_login(bruno)
    response = admin_action(client, kind, record)
    assert "Marked 1 record reviewed." in response.content.decode()
    record.refresh_from_db()
    assert (record.review_state, record.reviewed_by) == (ReviewState.REVIEWED, bruno)
    # The review is no change: no new version, no history, and alice is still who last changed it.
    assert (record.version, record.history.count()) == versions
    assert record.history.first().history_user == alice


@pytest.mark.parametrize("kind", ["claim", "assessment"])
def test_a_change_in_the_admin_form_undoes_the_review(client, bruno, claim, assessment, kind):
    record = {"claim": claim, "assessment": assessment}[kind]
    client.force_login(bruno)
    admin_action(client, kind, record)
    assert state_of(record) == ReviewState.REVIEWED
    url = reverse(f"admin:tracker_{kind}_change", args=[record.pk])
    data = form_data(client.get(url).content.decode())
    data["notes" if kind == "claim" else "rationale"] = "Checked again."
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert state_of(record) == ReviewState.ENTERED
    # bruno changed it last now: his own review of it is refused.
    assert OWN in admin_action(client, kind, record).content.decode()


# The review queue


def test_queue_lists_what_awaits_review_by_kind_and_event(client, bruno, claim, assessment):
    client.force_login(bruno)
    page = client.get("/review/").content.decode()
    assert "SYR-1" in page and "SYR-2" in page
    assert "SYR-2" not in client.get("/review/?kind=claim").content.decode()
    assert "SYR-1" not in client.get("/review/?event=SYR-2").content.decode()
    Claim.objects.filter(pk=claim.pk).update(review_state=ReviewState.REVIEWED)
    assert "SYR-1" not in client.get("/review/").content.decode()


def test_queue_refuses_your_own_change_row_by_row(client, alice, bruno, claim, assessment):
    other = changed_by(make_claim(make_event(ref="SYR-3"), count=5), bruno)
    client.force_login(alice)
    page = client.get("/review/").content.decode()
    assert page.count("Last changed by you: another reviewer must review it.") == 2
    response = client.post(
        "/review/", {"claim": [claim.pk, other.pk], "assessment": [assessment.pk], "all": "1"}, follow=True
    )
    page = response.content.decode()
    assert page.count(OWN) == 2 and "Marked 1 record reviewed." in page
    assert [state_of(claim), state_of(assessment), state_of(other)] == [
        ReviewState.ENTERED, ReviewState.ENTERED, ReviewState.REVIEWED,
    ]  # fmt: skip


def test_queue_reviews_one_row_by_its_button(client, bruno, claim, assessment):
    client.force_login(bruno)
    data = {"claim": [claim.pk], "assessment": [assessment.pk], "only": f"assessment-{assessment.pk}"}
    client.post("/review/?kind=", data)
    assert (state_of(claim), state_of(assessment)) == (ReviewState.ENTERED, ReviewState.REVIEWED)


def test_queue_refuses_a_reviewer_without_the_permission(client, claim):
    client.force_login(make_member("viola", roles.VIEWER))
    assert client.get("/review/").status_code == 200
    response = client.post("/review/", {"claim": [claim.pk]}, follow=True)
    assert NO_RIGHT in response.content.decode()
    assert state_of(claim) == ReviewState.ENTERED


@pytest.fixture
def fate_claim(alice):
    khalimov = make_person(name="Gulmurod Khalimov")
    made = make_fate_claim(khalimov, make_party(name="Defence Ministry"), fate="fatally_wounded", hedge="possible")
    return changed_by(made, alice)


def test_queue_lists_fate_claims_awaiting_review(client, bruno, claim, fate_claim):
    client.force_login(bruno)
    page = client.get("/review/").content.decode()
    assert "Defence Ministry: <bdi>Gulmurod Khalimov</bdi> fatally wounded (possibly)" in page
    assert "Gulmurod Khalimov" in client.get("/review/?kind=fate_claim").content.decode()
    assert "Gulmurod Khalimov" not in client.get("/review/?kind=claim").content.decode()
    FateClaim.objects.filter(pk=fate_claim.pk).update(review_state=ReviewState.REVIEWED)
    assert "Gulmurod Khalimov" not in client.get("/review/").content.decode()


def test_queue_reviews_a_fate_claim_by_its_button_and_refuses_your_own_change(client, alice, bruno, fate_claim):
    client.force_login(alice)
    assert "Last changed by you" in client.get("/review/?kind=fate_claim").content.decode()
    refused = client.post("/review/", {"only": f"fate_claim-{fate_claim.pk}"}, follow=True)
    assert OWN in refused.content.decode()
    assert state_of(fate_claim) == ReviewState.ENTERED
    client.force_login(bruno)
    reviewed = client.post("/review/", {"fate_claim": [fate_claim.pk], "all": "1"}, follow=True)
    assert "Marked 1 record reviewed." in reviewed.content.decode()
    assert state_of(fate_claim) == ReviewState.REVIEWED
    assert FateClaim.objects.get().reviewed_by == bruno


# The API


def api_as(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def api_record(kind, claim, assessment):
    """The record of this kind and its endpoint's path."""
    record = {"claim": claim, "assessment": assessment}[kind]
    return record, f"/api/{kind}s/{record.pk}/"


@pytest.mark.parametrize("kind", ["claim", "assessment"])
def test_api_refuses_to_review_your_own_change(alice, claim, assessment, kind):
    record, path = api_record(kind, claim, assessment)
    response = api_as(alice).post(f"{path}review/")
    assert response.status_code == 403 and OWN in response.json()["detail"]
    assert state_of(record) == ReviewState.ENTERED


@pytest.mark.parametrize("kind", ["claim", "assessment"])
def test_api_refuses_a_reviewer_without_the_permission(claim, assessment, kind):
    record, path = api_record(kind, claim, assessment)
    response = api_as(make_member("viola", roles.VIEWER)).post(f"{path}review/")
    assert response.status_code == 403 and NO_RIGHT in response.json()["detail"]
    assert state_of(record) == ReviewState.ENTERED


@pytest.mark.parametrize("kind", ["claim", "assessment"])
def test_api_reviews_another_users_change(bruno, claim, assessment, kind):
    record, path = api_record(kind, claim, assessment)
    response = api_as(bruno).post(f"{path}review/")
    assert response.status_code == 200 and response.json()["review_state"] == "reviewed"
    assert state_of(record) == ReviewState.REVIEWED
    assert api_as(bruno).get(path).json()["review_state"] == "reviewed"


@pytest.mark.parametrize("kind", ["claim", "assessment"])
def test_a_change_after_an_api_review_enters_the_record_again(alice, bruno, claim, assessment, kind):
    record, path = api_record(kind, claim, assessment)
    api_as(bruno).post(f"{path}review/")
    record.refresh_from_db()
    changed_by(record, alice)
    assert api_as(bruno).get(path).json()["review_state"] == "entered"
    # alice changed it last again: she may not review it, bruno may.
    assert api_as(alice).post(f"{path}review/").status_code == 403
    assert api_as(bruno).post(f"{path}review/").status_code == 200


def test_api_lists_assessments_by_event_with_their_figures(bruno, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(civilian_low=10, civilian_high=12)
    results = api_as(bruno).get("/api/assessments/", {"event": "SYR-2"}).json()["results"]
    assert [(row["event"], row["grade"], row["civilian_low"], row["civilian_high"]) for row in results] == [
        ("SYR-2", "weak", 10, 12)
    ]
    assert api_as(bruno).get("/api/assessments/", {"event": "SYR-1"}).json()["count"] == 0


def test_api_session_review_asks_the_csrf_token(client, bruno, claim):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(bruno)
    assert api.post(f"/api/claims/{claim.pk}/review/").status_code == 403
    assert state_of(claim) == ReviewState.ENTERED


# Imports, and an import job's page

CLAIM = {"event_ref": "IMP-1", "notes": "First reading."}


def uploaded(client, user, rows) -> ImportJob:
    client.force_login(user)
    response = client.post(
        "/admin/tracker/claim/import/", {"file": SimpleUploadedFile("claims.csv", csv_bytes(rows)), "format": "claims"},
        follow=True,
    )  # fmt: skip
    job = response.context["job"]
    client.post(reverse("admin:tracker_claim_import_job", kwargs={"job_id": job.pk}), {"confirm": "1"})
    return job


def job_page(client, job, **data):
    url = reverse("admin:tracker_claim_import_job", kwargs={"job_id": job.pk})
    return client.post(url, data, follow=True) if data else client.get(url)


def test_imports_enter_their_rows_and_the_uploader_may_not_review_them(client, alice):
    job = uploaded(client, alice, [claim_row(**CLAIM)])
    assert list(Claim.objects.values_list("review_state", flat=True)) == [ReviewState.ENTERED]
    assert "Review all rows of this import" not in job_page(client, job).content.decode()
    response = job_page(client, job, review="1")
    assert "You uploaded this import: another reviewer must review its rows." in response.content.decode()
    assert Claim.objects.get().review_state == ReviewState.ENTERED


def test_another_reviewer_reviews_all_rows_of_an_import_and_no_others(client, alice, bruno):
    job = uploaded(client, alice, [claim_row(**CLAIM), claim_row(**CLAIM, category="total", best="20")])
    elsewhere = changed_by(make_claim(count=3), alice)
    client.force_login(bruno)
    assert job_page(client, job).request["PATH_INFO"] in client.get("/admin/tracker/claim/import/").content.decode()
    page = job_page(client, job).content.decode()
    assert "2 claims and assessments this import created or changed await review." in page
    assert "Review all rows of this import" in page
    assert "Marked 2 records reviewed." in job_page(client, job, review="1").content.decode()
    assert set(Claim.objects.exclude(pk=elsewhere.pk).values_list("review_state", flat=True)) == {"reviewed"}
    assert state_of(elsewhere) == ReviewState.ENTERED


def test_import_job_page_of_another_user_is_hidden_from_who_may_not_review(client, alice, clerk):
    job = uploaded(client, alice, [claim_row(**CLAIM)])
    client.force_login(clerk)
    assert job_page(client, job).status_code == 404
    url = reverse("admin:tracker_claim_import_job", kwargs={"job_id": job.pk})
    assert client.post(url, {"review": "1"}).status_code == 404
    assert Claim.objects.get().review_state == ReviewState.ENTERED


def test_an_import_restating_a_reviewed_claim_with_changes_enters_it_again(alice, bruno):
    import_bytes(csv_bytes([claim_row(**CLAIM)]), user=alice)
    Claim.objects.update(review_state=ReviewState.REVIEWED, reviewed_by=bruno)
    import_bytes(csv_bytes([claim_row(**CLAIM)]), user=alice)
    assert Claim.objects.get().review_state == ReviewState.REVIEWED  # the same, changed in nothing
    import_bytes(csv_bytes([claim_row(**{**CLAIM, "notes": "Second reading."})]), user=alice)
    claim = Claim.objects.get()
    assert (claim.notes, claim.review_state, claim.reviewed_by) == ("Second reading.", ReviewState.ENTERED, None)


# The event list's filter


def test_event_list_filters_by_review(reader, bruno):
    waiting, checked = make_event(ref="WAIT-1"), make_event(ref="DONE-1")
    make_event(ref="NONE-1")  # no claims: neither awaiting review nor reviewed
    make_claim(waiting, count=4)
    Claim.objects.filter(pk=make_claim(checked, count=5).pk).update(review_state=ReviewState.REVIEWED)
    entered = reader.get("/events/?review=entered").content.decode()
    reviewed = reader.get("/events/?review=reviewed").content.decode()
    assert "WAIT-1" in entered and "DONE-1" not in entered and "NONE-1" not in entered
    assert "DONE-1" in reviewed and "WAIT-1" not in reviewed and "NONE-1" not in reviewed


def assessed(event, **review) -> Assessment:
    made = Assessment.objects.create(event=event, assessor=organisation(), grade="weak", method="range",
                                     rationale="One source so far.")  # fmt: skip
    Assessment.objects.filter(pk=made.pk).update(**review)
    return made


def test_event_list_review_filter_reads_assessments_beside_claims(reader):
    claims_done = make_event(ref="CLAIMS-DONE-ASSESSMENT-WAITS")
    Claim.objects.filter(pk=make_claim(claims_done, count=5).pk).update(review_state=ReviewState.REVIEWED)
    assessed(claims_done)
    only_assessed = make_event(ref="ONLY-ASSESSED-DONE")
    assessed(only_assessed, review_state=ReviewState.REVIEWED)
    both_done = make_event(ref="BOTH-DONE")
    Claim.objects.filter(pk=make_claim(both_done, count=5).pk).update(review_state=ReviewState.REVIEWED)
    assessed(both_done, review_state=ReviewState.REVIEWED)
    entered = {event.ref for event in EventFilter({"review": "entered"}, Event.objects.all()).qs}
    reviewed = {event.ref for event in EventFilter({"review": "reviewed"}, Event.objects.all()).qs}
    assert entered == {"CLAIMS-DONE-ASSESSMENT-WAITS"}
    assert reviewed == {"ONLY-ASSESSED-DONE", "BOTH-DONE"}
    assert "CLAIMS-DONE-ASSESSMENT-WAITS" in reader.get("/events/?review=entered").content.decode()


def test_an_assessments_import_restating_a_reviewed_assessment_with_changes_enters_it_again(alice, bruno):
    make_event(ref="SYR-2018-01-RAQ-01")
    row = {
        "event_ref": "SYR-2018-01-RAQ-01", "assessor": "", "grade": "weak", "method": "range",
        "rationale": "One monitor so far.", "assessed_on": "2018-02-01", "civilian_low": "10", "civilian_high": "12",
    }  # fmt: skip

    def imported(**changes):
        content = csv_bytes([{**row, **changes}])
        assert import_bytes(content, name="assessments.csv", format="assessments", user=alice).ok

    imported()
    Assessment.objects.update(review_state=ReviewState.REVIEWED, reviewed_by=bruno)
    imported()
    assert Assessment.objects.get().review_state == ReviewState.REVIEWED
    imported(civilian_high="14")
    assert (Assessment.objects.get().civilian_high, Assessment.objects.get().review_state) == (14, "entered")
