"""The generated data set for measuring speed, and the benchmark that times the pages on it."""

import io
import json
from collections import Counter

import pytest
from axes.models import AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Coalesce

from tests.assertions import assert_summaries_in_step
from tests.factories import make_fate_claim, make_party, make_person
from tracker.backups import NotEmpty
from tracker.ingest.importer import file_import
from tracker.models import (
    Assessment,
    AssessmentMethod,
    Claim,
    ComparisonGroup,
    ContainmentDiscrepancy,
    Event,
    FateClaim,
    Grade,
    Inconsistency,
    OtherName,
    Outcome,
    Party,
    PartyKind,
    Person,
    Qualifier,
    ReviewState,
    Source,
    Subgroup,
    VictimCategory,
)
from tracker.models.assessments import by_organisation
from tracker.models.people import STORED_FIELDS
from tracker.perf.scale import (
    FEW,
    MANY,
    MOST,
    SOME,
    SubgroupsMissing,
    bucket_of,
    bucket_sizes,
    claims_csv_generate,
    scale_data_generate,
)
from tracker.rules import discrepancy
from tracker.summaries.fates import people_fates_rebuild
from tracker.summaries.grades import event_grades

pytestmark = pytest.mark.django_db


def stored_data() -> list:
    """Every generated record and stored summary, field by field, in a comparable form."""
    data = []
    for model in (Party, Source, Event, Claim, Assessment, Person, FateClaim):
        fields = [field.attname for field in model._meta.concrete_fields]
        data.append(list(model.objects.order_by("pk").values_list(*fields)))
    perpetrators = Event.alleged_perpetrators.through.objects.values_list("event_id", "party_id")
    data.append(sorted(perpetrators))
    # Groups, perpetrator links and other names are numbered by the database as they are written: compare their
    # content.
    for model in (ComparisonGroup, ContainmentDiscrepancy, Inconsistency, OtherName):
        fields = [field.attname for field in model._meta.concrete_fields if not field.primary_key]
        data.append(sorted(model.objects.values_list(*fields), key=str))
    data.append(sorted(ContainmentDiscrepancy.parts.through.objects.values_list("claim_id", flat=True)))
    return data


def generated_then_undone(**arguments) -> list:
    with transaction.atomic():
        scale_data_generate(**arguments)
        data = stored_data()
        transaction.set_rollback(True)
    return data


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = generated_then_undone(events=120, seed=5)
    assert first == generated_then_undone(events=120, seed=5)
    assert first != generated_then_undone(events=120, seed=6)


def test_the_mix_scales_from_the_reference_size():
    assert bucket_sizes(200_000) == {FEW: 150_000, SOME: 29_980, MANY: 20_000, MOST: 20}
    assert bucket_sizes(600) == {FEW: 450, SOME: 89, MANY: 60, MOST: 1}
    assert bucket_sizes(3) == {FEW: 2, SOME: 0, MANY: 0, MOST: 1}


def test_generated_data_has_the_mix():
    report = scale_data_generate(events=600, seed=2)
    claim_counts = list(Event.objects.annotate(claims_made=Count("claims")).values_list("claims_made", flat=True))
    assert Counter(bucket_of(count) for count in claim_counts) == bucket_sizes(600)
    assert (report.events, report.claims) == (600, Claim.objects.count())
    assert 4 <= report.claims / report.events <= 6
    assert Event.objects.filter(ref="GEN-000001").exists()

    claims = Claim.objects.all()
    assert set(claims.values_list("qualifier", flat=True)) == set(Qualifier.values)
    assert set(claims.values_list("category", flat=True)) == set(VictimCategory.values)
    assert 0 < claims.filter(victim_side__isnull=False).count() < len(claim_counts) * 5
    assert 0.03 < claims.filter(retracted=True).count() / report.claims < 0.07
    revised = (
        claims.values("event", "party", "category", "victim_side")
        .annotate(dates=Count("claimed_on", distinct=True))
        .filter(dates__gt=1)
    )
    assert revised.exists()
    assert set(Event.objects.values_list("level", flat=True)) >= set(discrepancy.SEVERITY)
    assert Event.objects.filter(classification_dispute=True).exists()
    assert ContainmentDiscrepancy.objects.exists()

    assert set(Party.objects.values_list("kind", flat=True)) == set(PartyKind.values)
    assert 0 < Source.objects.filter(confidential=True).count() < Source.objects.count()
    assert Event.objects.filter(title__icontains="market").exists()
    assert Event.objects.filter(alleged_perpetrators__isnull=False).exists()


def test_about_one_claim_in_ten_counts_who_among_the_killed_or_the_injured():
    report = scale_data_generate(events=600, seed=2)
    claims = Claim.objects.all()
    subgroup_claims = claims.filter(subgroup__isnull=False)
    injured_claims = claims.filter(outcome=Outcome.INJURED)
    assert (report.subgroup_claims, report.injured_claims) == (subgroup_claims.count(), injured_claims.count())
    assert 0.04 < subgroup_claims.count() / report.claims < 0.08
    assert 0.03 < injured_claims.count() / report.claims < 0.06

    # Children, women and men of the killed civilians, commanders of the killed combatants.
    named = set(subgroup_claims.values_list("subgroup__code", "category", "outcome").distinct())
    assert named == {
        ("children", "civilian", "killed"), ("women", "civilian", "killed"), ("men", "civilian", "killed"),
        ("commanders", "combatant", "killed"),
    }  # fmt: skip
    # A party names who among its killed where it counts the whole: no subgroup claim comes before its whole's.
    whole = claims.annotate(side=Coalesce("victim_side", 0)).filter(
        subgroup__isnull=True, outcome=Outcome.KILLED, event=OuterRef("event"), party=OuterRef("party"),
        category=OuterRef("category"), side=Coalesce(OuterRef("victim_side"), 0),
        claimed_on__lte=OuterRef("claimed_on"),
    )  # fmt: skip
    assert not subgroup_claims.filter(~Exists(whole)).exists()
    assert injured_claims.filter(subgroup__isnull=True).count() == injured_claims.count()
    assert set(injured_claims.values_list("category", flat=True)) == {"civilian", "total"}

    # What the rules make of them: a subgroup mostly below the wholes, now and then above another party's
    # (a containment discrepancy), rarely above its own party's (an inconsistency); the injured apart.
    current_subgroups = subgroup_claims.filter(is_current=True).count()
    above_another = ContainmentDiscrepancy.objects.filter(subgroup__isnull=False).count()
    inconsistencies = Inconsistency.objects.count()
    assert 0 < inconsistencies < above_another < current_subgroups / 4
    assert Event.objects.filter(inconsistent=True).count() == inconsistencies
    assert set(Event.objects.values_list("injured_level", flat=True)) > set(discrepancy.DISPUTED)


def test_generated_data_has_the_organisations_judgement_relays_and_reviews():
    report = scale_data_generate(events=600, seed=3)
    assessments = Assessment.objects.all()
    assert report.assessments == assessments.count()
    organisations = by_organisation(assessments)
    current = by_organisation(assessments.current())
    # About half the events reporting civilians killed are assessed, a few of the others.
    assert 0.15 < current.count() / report.events < 0.45
    assert set(current.values_list("grade", flat=True)) == set(Grade.values)
    assert 0 < current.filter(method=AssessmentMethod.PENDING).count() < current.count() / 4
    assert organisations.count() > current.count()  # some revised: their first is the initial grade
    assert current.filter(civilian_low__isnull=False).exists() and current.filter(total_low__isnull=False).exists()
    assert assessments.exclude(pk__in=organisations).exists()  # another recorder's grades
    # The stored grades are those of the rules: some events' claims lie outside the assessed figures.
    differs = Event.objects.filter(assessment_differs=True).count()
    assert 0 < differs < Event.objects.filter(grade__isnull=False).count() == current.count()
    assert Event.objects.filter(suggested_grade="fair").exists() and Event.objects.filter(suggested_grade="weak")
    assert 0.05 < Source.objects.filter(relays__isnull=False).count() / report.sources < 0.2
    entered = Claim.objects.filter(review_state=ReviewState.ENTERED).count()
    assert 0.02 < entered / report.claims < 0.08
    assert assessments.filter(review_state=ReviewState.ENTERED).exists()
    stored = {pk: tuple(grades) for pk, *grades in Event.objects.values_list("pk", *Event.GRADE_FIELDS)}
    assert event_grades(list(stored)) == stored


def test_generated_people_about_one_per_twenty_events_some_in_each_fate_conflict():
    report = scale_data_generate(events=2000, seed=1)
    people, fate_claims = Person.objects.all(), FateClaim.objects.all()
    assert (report.people, report.fate_claims) == (100, fate_claims.count()) == (people.count(), report.fate_claims)
    assert not people.filter(other_names__isnull=True).exists()  # a Cyrillic and an Arabic spelling at least
    assert OtherName.objects.filter(name__startswith="Abu ").exists()  # noms de guerre
    assert people.filter(affiliation__isnull=False).exists() and people.filter(affiliation__isnull=True).exists()
    # 1-4 fate claims each, by as many parties; and one person reported again and again, for the person page.
    per_person = Counter(people.annotate(n=Count("fate_claims")).values_list("n", flat=True))
    assert set(per_person) == {1, 2, 3, 4, 50} and per_person[50] == 1
    assert fate_claims.filter(event__isnull=False).values("event").distinct().count() > 50  # spread over events
    assert fate_claims.filter(event__isnull=True).exists()  # dated, in no event
    assert 0.02 < fate_claims.filter(hedge="possible").count() / report.fate_claims < 0.12
    assert 0.02 < fate_claims.filter(retracted=True).count() / report.fate_claims < 0.1
    for conflict in ("killed_twice", "alive_after_death", "disputed"):
        assert 0 < people.filter(**{conflict: True}).count() < report.people / 10, conflict
    assert people.filter(reported_deaths__gt=1).exists() and people.filter(reported_deaths=0).exists()

    # What is stored is what the fate rules find, as tracker.summaries.fates stores it.
    stored = list(people.order_by("pk").values_list("pk", *STORED_FIELDS))
    people_fates_rebuild()
    assert list(people.order_by("pk").values_list("pk", *STORED_FIELDS)) == stored
    assert Person.objects.named("halimov").count() == people.filter(name__contains="Khalimov").count() > 0


def test_generation_refuses_a_database_without_the_seeded_subgroups():
    Subgroup.objects.filter(code="commanders").delete()
    with pytest.raises(SubgroupsMissing, match="commanders"):
        scale_data_generate(events=10, seed=1)
    with pytest.raises(CommandError, match="subgroups commanders are missing"):
        call_command("generate_scale_data", "--events", "10", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Event.objects.exists()


def test_generated_summaries_equal_the_rules():
    scale_data_generate(events=300, seed=3)
    assert_summaries_in_step()


def test_new_records_after_generation_get_new_keys():
    scale_data_generate(events=20, seed=4)
    assert make_party().pk == Party.objects.count()
    assert make_fate_claim(make_person()).pk == FateClaim.objects.count()
    assert make_person().pk == Person.objects.count()


def test_generation_refuses_a_database_with_records():
    make_party()
    with pytest.raises(NotEmpty):
        scale_data_generate(events=10, seed=1)
    with pytest.raises(CommandError, match="already holds records"):
        call_command("generate_scale_data", "--events", "10", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Event.objects.exists()


def test_generate_command_reports_what_it_made():
    out = io.StringIO()
    call_command("generate_scale_data", "--events", "40", "--seed", "9", stdout=out, stderr=io.StringIO())
    subgroups, injured = Claim.objects.filter(subgroup__isnull=False).count(), Claim.objects.filter(outcome="injured")
    assert (
        f"Generated 40 events, {Claim.objects.count():,} claims ({subgroups:,} of a subgroup, "
        f"{injured.count():,} of the injured)"
    ) in out.getvalue()


def test_generated_claims_csv_imports_on_new_events_by_the_stored_parties():
    scale_data_generate(events=60, seed=1)
    parties = Party.objects.count()
    stream = io.StringIO()
    rows = claims_csv_generate(claims=80, seed=1, stream=stream)
    assert rows == 80
    report = file_import(file=io.BytesIO(stream.getvalue().encode()), name="generated.csv")
    assert report.ok, report.errors
    assert (report.created["claims"], report.created["parties"]) == (80, 0)
    assert Party.objects.count() == parties
    imported = Claim.objects.filter(event__ref__startswith="IMP-")
    assert imported.filter(subgroup__isnull=False).exists() and imported.filter(outcome=Outcome.INJURED).exists()
    assert Event.objects.filter(ref__startswith="IMP-").count() == report.created["events"]


PAGE_TARGETS = [
    "/parties/", "/", "/?outcome=injured", "/events/?party=", "/events/?q=market", "/events/?ordering=-ratio",
    "/events/?page=1", "/events/?level=major", "/events/?outcome=injured", "/events/?injured_level=major",
    "/events/?inconsistent=true", "/events/?grade=fair", "/events/?assessment=differs", "/events/?suggested=weak",
    "/assess/", "/review/", "/events/GEN-", "/events/", "/api/events/",
]  # fmt: skip
# The people's list, its filters and a person's page.
PEOPLE_TARGETS = [
    "/people/", "/people/?conflict=any", "/people/?q=halimov", "/people/?affiliation=", "/people/?fate=killed",
    "/people/",
]  # fmt: skip
# Every party's track record, under no filter and under one of each kind.
FIGURE_TARGETS = [
    "party_track_records()", "party_track_records(category=civilian)", "party_track_records(victim_side=own)",
    "party_track_records(country=", "party_track_records(date_from=", "party_track_records(event_type=airstrike)",
    "party_track_records(others_kind=monitor)",
]  # fmt: skip
HEAVY_TARGETS = ["/events/export.csv", "import_claims", "rebuild_summaries", "export_claims", "export_discrepancies"]


def page_targets() -> list[str]:
    return [*PAGE_TARGETS, *PEOPLE_TARGETS]


def expected_targets() -> list[str]:
    return [*page_targets(), *FIGURE_TARGETS, *HEAVY_TARGETS]


# What a reader of the benchmark's JSON finds in it.
REPORT_KEYS = {"date", "database", "data", "machine", "debug", "runs", "heavy_runs", "baseline", "items"}
MACHINE_KEYS = {"platform", "cpus", "python", "django", "note"}
BASELINE_KEYS = {"name", "target", "runs", "median_ms", "p95_ms", "queries"}
ITEM_KEYS = {"name", "target", "kind", "runs", "median_ms", "p95_ms", "queries", "admin_median_ms", "ratio", "note"}


def test_benchmark_times_every_item_beside_the_admin_and_leaves_the_data_as_it_was(tmp_path):
    # A tiny run, the fewest events and one run of each item: the report's shape, not its timings.
    scale_data_generate(events=1, seed=1)
    before = stored_data()
    users = get_user_model().objects.count()
    out, output, table = io.StringIO(), tmp_path / "bench.json", tmp_path / "bench.md"
    call_command(
        "benchmark", "--runs", "1", "--heavy-runs", "1", "--machine", "a test", "--output", str(output),
        "--table", str(table), stdout=out, stderr=io.StringIO(),
    )  # fmt: skip

    report = json.loads(output.read_text())
    assert set(report) == REPORT_KEYS
    models = {
        "events": Event, "claims": Claim, "parties": Party, "sources": Source, "people": Person,
        "fate_claims": FateClaim,
    }  # fmt: skip
    assert report["data"] == {name: model.objects.count() for name, model in models.items()}
    assert report["data"]["events"] == 1
    assert set(report["machine"]) == MACHINE_KEYS and report["machine"]["note"] == "a test"
    assert (report["runs"], report["heavy_runs"]) == (1, 1)
    assert set(report["baseline"]) == BASELINE_KEYS
    assert report["baseline"]["target"] == "/admin/tracker/event/"
    assert report["baseline"]["runs"] == len(expected_targets())  # one beside each item's run
    targets = [item["target"] for item in report["items"]]
    assert len(targets) == len(expected_targets())
    for target, expected in zip(targets, expected_targets(), strict=True):
        assert target.startswith(expected)
    for item in report["items"]:
        assert set(item) == ITEM_KEYS, item
        assert item["runs"] == 1, item
        assert item["median_ms"] > 0 and item["p95_ms"] >= item["median_ms"], item
        assert item["admin_median_ms"] > 0 and item["ratio"] > 0, item
        assert item["queries"] > 0, item

    text = table.read_text()
    assert text == out.getvalue()
    assert text.count("\n| ") == 2 + len(expected_targets())
    assert "`/admin/tracker/event/`" in text and "`rebuild_summaries`" in text and "a test" in text

    # Nothing is left of the run: no data changed, no user, session or sign-in record.
    assert stored_data() == before
    assert get_user_model().objects.count() == users
    assert not Session.objects.exists()
    assert not AccessLog.objects.exists()


def test_benchmark_times_the_people_list_its_filters_and_the_page_of_the_most_reported(tmp_path):
    scale_data_generate(events=100, seed=1)
    output = tmp_path / "bench.json"
    call_command(
        "benchmark", "--runs", "1", "--kinds", "page", "--output", str(output), stdout=io.StringIO(),
        stderr=io.StringIO(),
    )  # fmt: skip
    report = json.loads(output.read_text())
    people = [item for item in report["items"] if item["target"].startswith("/people/")]
    largest = Party.objects.annotate(people=Count("members")).order_by("-people", "pk").first()
    most_reported = Person.objects.annotate(fates=Count("fate_claims")).get(fates=50)
    assert [item["target"] for item in people] == [
        "/people/", "/people/?conflict=any", "/people/?q=halimov", f"/people/?affiliation={largest.pk}",
        "/people/?fate=killed", f"/people/{most_reported.pk}/",
    ]  # fmt: skip
    assert people[-1]["note"] == "50 fate claims"
    assert all(item["runs"] == 1 for item in people)
    assert report["data"]["people"] == 5


def test_benchmark_refuses_an_empty_database():
    with pytest.raises(CommandError, match="no events"):
        call_command("benchmark", stdout=io.StringIO(), stderr=io.StringIO())


def test_benchmark_times_only_the_kinds_named_each_its_number_of_runs(tmp_path):
    scale_data_generate(events=1, seed=1)
    call_command(
        "benchmark", "--runs", "1", "--heavy-runs", "2", "--kinds", "page,command",
        "--output", str(tmp_path / "bench.json"), stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    report = json.loads((tmp_path / "bench.json").read_text())
    runs = Counter((item["kind"], item["runs"]) for item in report["items"])
    pages = len(page_targets())
    assert runs == {("page", 1): pages, ("command", 2): 3}
    assert report["baseline"]["runs"] == pages + 3 * 2


def test_benchmark_refuses_an_unknown_kind():
    with pytest.raises(CommandError, match="--kinds"):
        call_command("benchmark", "--kinds", "pages", stdout=io.StringIO(), stderr=io.StringIO())
