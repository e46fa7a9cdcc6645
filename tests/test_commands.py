"""The management commands whose interfaces the design fixes, and the first-run set-up."""

import csv
import io
import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tracker.demo import KHALIMOV, SEED_SOURCE_TITLE, TAJIKISTAN
from tracker.ingest.importer import claims_import
from tracker.ingest.limits import ImportLimits
from tracker.ingest.tables import read_table
from tracker.models import Assessment, Claim, Event, FateClaim, Party, Person, ReviewState, Source
from tracker.models.assessments import organisation

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_demo_holds_the_sample_article_claim():
    run("load_demo")
    stated = Claim.objects.filter(event__ref="SYR-2017-09-DEZ-01", party__name="Russian Ministry of Defence")
    claim = stated.get(subgroup=None)
    assert (claim.qualifier, claim.best, claim.category) == ("approximate", 40, "combatant")
    # Its "four important field commanders" are a part of the around 40, from the same statement.
    commanders = stated.get(subgroup__code="commanders")
    assert (commanders.best, commanders.victim_side, commanders.source) == (4, claim.victim_side, claim.source)
    assert claim.is_current and commanders.is_current
    assert claim.victim_side.name == "Islamic State"
    assert "Khalimov" in claim.notes
    assert "around 40 militants" in claim.source.excerpt
    assert claim.source.publisher.startswith("TASS")
    assert claim.event.alleged_perpetrators.filter(name="Russian Ministry of Defence").exists()


def test_demo_shows_every_level_and_a_classification_dispute():
    run("load_demo")
    levels = set(Event.objects.values_list("level", flat=True))
    assert levels == {"agree", "single", "minor", "major", "denial", None}
    assert Event.objects.filter(classification_dispute=True).exists()


def test_demo_marks_what_is_invented():
    run("load_demo")
    real_claims = Claim.objects.filter(party__name="Russian Ministry of Defence", event__ref="SYR-2017-09-DEZ-01")
    for claim in Claim.objects.exclude(pk__in=real_claims.values("pk")):
        assert "ILLUSTRATIVE" in claim.notes
        assert "not a real" in claim.source.title
    for event in Event.objects.exclude(ref="SYR-2017-09-DEZ-01"):
        assert "(illustrative)" in event.title
    # The organisation is the one running the tracker; its assessment of the seed event says it is invented.
    # Tajikistan is named by the account of Khalimov's reports the demo follows.
    named = ["Russian Ministry of Defence", "Islamic State", TAJIKISTAN, organisation().name]
    invented = Party.objects.exclude(name__in=named)
    assert all("(illustrative)" in party.name for party in invented)
    assert all("Illustrative" in assessment.rationale for assessment in Assessment.objects.all())


def test_demo_loads_once():
    run("load_demo")
    models = (Event, Party, Source, Claim, Person, FateClaim)
    counts = [model.objects.count() for model in models]
    assert "0 claims" in run("load_demo")
    assert [model.objects.count() for model in models] == counts


def test_demo_names_the_four_commanders_with_the_ministrys_fate_claims():
    run("load_demo")
    by_ministry = FateClaim.objects.filter(party__name="Russian Ministry of Defence")
    assert by_ministry.count() == 4
    assert set(by_ministry.values_list("event__ref", "status", "source__title")) == {
        ("SYR-2017-09-DEZ-01", "combatant", SEED_SOURCE_TITLE)
    }
    assert set(by_ministry.values_list("fate", flat=True)) == {"killed", "fatally_wounded"}
    commanders = Person.objects.filter(fate_claims__in=by_ministry)
    assert set(commanders.values_list("affiliation__name", flat=True)) == {"Islamic State"}
    # The statement names two of them; the other two are invented, and say so.
    invented = commanders.exclude(name__in=[KHALIMOV, "Abu Muhammad al-Shimali"])
    assert invented.count() == 2
    assert all("(illustrative)" in person.name and "ILLUSTRATIVE" in person.notes for person in invented)
    assert all("ILLUSTRATIVE" in claim.notes for claim in by_ministry.filter(person__in=invented))


def test_demo_khalimov_reported_killed_twice_and_alive_after_death():
    run("load_demo")
    khalimov = Person.objects.get(name=KHALIMOV)
    assert khalimov.conflicts == ["killed_twice", "alive_after_death"]
    # Mosul in April 2017 and Deir ez-Zor in September; Tajikistan's "could not confirm" is a possible death.
    assert khalimov.reported_deaths == 2
    assert set(khalimov.other_names.values_list("name", flat=True)) >= {"Гулмурод Халимов", "غلمراد حليموف"}
    fates = khalimov.fate_claims.order_by("claimed_on")
    assert [(claim.party.name, claim.fate, claim.hedge, claim.fate_date) for claim in fates] == [
        ("A British newspaper (illustrative)", "killed", "stated", date(2017, 4, 1)),
        ("Russian Ministry of Defence", "fatally_wounded", "stated", date(2017, 9, 8)),
        (TAJIKISTAN, "killed", "possible", None),
        ("Later press reports (illustrative)", "alive", "stated", date(2018, 11, 1)),
    ]
    assert fates[0].fate_date_precision == "month" and "Mosul" in fates[0].wording
    # Only the ministry's statement is a real source: every other cites an illustrative one.
    for claim in fates.exclude(party__name="Russian Ministry of Defence"):
        assert "not a real publication" in claim.source.title
    assert Person.objects.named("halimov").get() == khalimov


def test_quickstart_loads_the_demo_and_creates_admin_once():
    out = run("quickstart")
    assert Event.objects.exists()
    admin = get_user_model().objects.get(username="admin")
    password = out.split("password")[1].split()[0]
    assert admin.is_superuser and admin.check_password(password)
    assert "password" not in run("quickstart")
    assert get_user_model().objects.count() == 1


def test_export_claims_then_import_into_an_empty_database_gives_the_same_file():
    run("load_demo")
    first = run("export_claims")
    Person.objects.all().delete()  # their fate claims keep the events, parties and sources they cite
    Claim.objects.all().delete()
    Event.objects.all().delete()
    Source.objects.exclude(relays=None).delete()  # a relayed source is kept while another relays it
    Source.objects.all().delete()
    Party.objects.all().delete()
    header, rows = read_table(io.BytesIO(first.encode()), name="claims.csv", limits=ImportLimits.from_settings())
    assert claims_import(rows=rows, header=header).ok
    assert run("export_claims") == first
    assert first.splitlines()[0].startswith("event_ref,event_title,event_date")


def test_export_discrepancies_csv_has_one_row_per_event():
    run("load_demo")
    rows = list(csv.DictReader(io.StringIO(run("export_discrepancies", "--format", "csv"))))
    assert len(rows) == Event.objects.count()
    first, second = rows[:2]  # the two denials, newest first
    assert (first["ref"], first["level"], first["ratio"], first["comparison"]) == (
        "DEMO-2019-03-GRN-01", "denial", "", "containment: part of combatant",
    )  # fmt: skip
    assert (second["ref"], second["level"], second["ratio"], second["classification_dispute"]) == (
        "DEMO-2018-07-DEN-01", "denial", "", "false",
    )  # fmt: skip
    seed = next(row for row in rows if row["ref"] == "SYR-2017-09-DEZ-01")
    assert (seed["level"], seed["ratio"], seed["classification_dispute"]) == ("major", "5.14", "true")


def test_export_discrepancies_json_for_no_events_is_an_empty_array():
    assert json.loads(run("export_discrepancies")) == []


def test_event_without_claims_has_null_level():
    run("load_demo")
    records = {record["ref"]: record for record in json.loads(run("export_discrepancies"))}
    pending = records["DEMO-2019-02-PND-01"]
    assert (pending["level"], pending["ratio"], pending["groups"]) == (None, None, [])


SEED_REF = "SYR-2017-09-DEZ-01"


def test_demo_states_a_claim_to_the_month_in_a_source_relaying_the_statement(reader):
    run("load_demo")
    relayed = Claim.objects.get(event__ref=SEED_REF, party__name="Valley News Agency (illustrative)")
    assert (relayed.claimed_on, relayed.claimed_on_precision) == (date(2017, 9, 1), "month")
    assert (relayed.qualifier, relayed.low) == ("at_least", 12)
    assert relayed.source.published_on_precision == "month"
    assert relayed.source.relays.title == SEED_SOURCE_TITLE
    assert "September 2017" in reader.get(reverse("event_detail", args=[SEED_REF])).content.decode()
    assert "2017-09," in run("export_claims")


def test_demo_has_a_reviewed_claim_and_records_awaiting_review(reader):
    run("load_demo")
    reviewed = Claim.objects.filter(review_state=ReviewState.REVIEWED)
    assert set(reviewed.values_list("event__ref", "party__name", "reviewed_by")) == {
        (SEED_REF, "Russian Ministry of Defence", None)
    }
    assert not reviewed.filter(reviewed_at=None).exists()
    queue = reader.get(reverse("review_queue")).content.decode()
    assert "DEMO-2018-07-DEN-01" in queue


@pytest.mark.parametrize("page", ["dashboard", "event_list", "event_detail", "review_queue", "party_list"])
def test_demo_pages_render_in_arabic(reader, page):
    run("load_demo")
    reader.cookies["django_language"] = "ar"
    response = reader.get(reverse(page, args=[SEED_REF] if page == "event_detail" else []))
    assert response.status_code == 200
    assert 'lang="ar"' in response.content.decode()
