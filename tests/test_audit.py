"""The audit trail: every recorded change as a CSV for Administrators, masked as every history is."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts import make_member
from tests.factories import make_claim, make_fate_claim, make_party, make_person, make_source
from tracker.models import Claim
from tracker.roles import ADMINISTRATOR, EDITOR

pytestmark = pytest.mark.django_db


def audit(client, **filters) -> list[dict]:
    response = client.get(reverse("audit"), {"user": "", "record": "", "date_from": "", "date_to": "", **filters})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode().lstrip("\ufeff"))))


@pytest.fixture
def administrator(client):
    user = make_member("auditor", ADMINISTRATOR)
    client.force_login(user)
    return user


def changed_by(user, claim: Claim, **fields) -> None:
    for name, value in fields.items():
        setattr(claim, name, value)
    claim._history_user = user
    claim.save()


def test_an_administrator_downloads_every_change_field_by_field(client, administrator):
    claim = make_claim(party=make_party(name="Ministry"), count=40)
    changed_by(administrator, claim, best=45, wording="around 45")

    rows = [row for row in audit(client, record="claim") if row["record_id"] == str(claim.pk)]

    created = [row for row in rows if row["action"] == "created"]
    assert {"field": "Claimant", "old": "", "new": "Ministry"} in [
        {key: row[key] for key in ("field", "old", "new")} for row in created
    ]
    changed = {row["field"]: (row["old"], row["new"], row["user"]) for row in rows if row["action"] == "changed"}
    assert changed["Best"] == ("40", "45", "auditor")
    assert "Version" not in changed


def test_the_audit_filters_by_user_record_and_dates(client, administrator):
    editor = make_member("entering", EDITOR)
    claim = make_claim(count=10)
    changed_by(editor, claim, best=12)
    changed_by(administrator, claim, best=14)

    by_editor = audit(client, user=editor.pk, record="claim")
    assert [(row["old"], row["new"]) for row in by_editor if row["field"] == "Best"] == [("10", "12")]
    assert {row["user"] for row in by_editor} == {"entering"}
    assert not [row for row in audit(client, record="party") if row["record"] == "claim"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert audit(client, date_from=tomorrow) == []


def test_a_day_range_that_runs_backwards_is_refused_in_words(client, administrator):
    response = client.get(reverse("audit"), {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 200 and "The first day comes after the last." in response.content.decode()


def test_only_administrators_may_download_it_and_see_its_link(client):
    client.force_login(make_member("editor", EDITOR))
    assert client.get(reverse("audit"), {"record": ""}).status_code == 403
    assert reverse("audit") not in client.get(reverse("admin:index")).content.decode()
    client.force_login(make_member("administrator", ADMINISTRATOR))
    assert reverse("audit") in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("grant", [False, True])
def test_confidential_sources_and_their_notes_are_masked_without_the_grant(client, grant):
    client.force_login(make_member("administrator", ADMINISTRATOR, confidential=grant))
    secret = make_source(title="Informant in Hajin", confidential=True)
    claim = make_claim(source=secret, notes="told by Abu Khalid")
    changed_by(None, claim, source=make_source(title="Public report"), notes="press conference")
    make_source(title="Newspaper", relays=secret)
    make_fate_claim(make_person(name="Gulmurod Khalimov"), source=secret, notes="seen by Umm Ahmad")

    text = " ".join(" ".join(row.values()) for row in audit(client))

    assert "Gulmurod Khalimov" in text
    for secret_text in ("Informant in Hajin", "Abu Khalid", "Umm Ahmad"):
        assert (secret_text in text) is grant
    assert "Public report" in text and "Newspaper" in text
    if not grant:
        assert "Confidential source" in text and "Hidden with the confidential source." in text
