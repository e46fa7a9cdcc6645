"""Assessments and independent sources as stored: the organisation's party, relays and their loops, the
suggested grade from an event's current claims, the rationale it asks, current and initial grades, and
the admin's pages for them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation

from tests.admin_forms import admin_page_fields
from tests.factories import make_claim, make_event, make_party, make_source
from tracker.models import Assessment, Party
from tracker.models.assessments import grade_suggestion, organisation
from tracker.rules.discrepancy import ABOVE, BELOW, WITHIN
from tracker.rules.grading import Against

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a trigger of PostgreSQL's")


def make_assessment(event, **fields) -> Assessment:
    fields.setdefault("assessor", organisation())
    fields.setdefault("grade", "weak")
    fields.setdefault("method", "range")
    fields.setdefault("rationale", "Reviewed by the team.")
    return Assessment.objects.create(event=event, **fields)


# --- The organisation ---------------------------------------------------------------------------------


def test_the_organisation_is_made_a_monitor_on_first_use_and_found_after(settings):
    settings.TRACKER_ORGANISATION = "Syrian Archive"
    assert not Party.objects.filter(name="Syrian Archive").exists()
    first = organisation()
    assert (first.name, first.kind) == ("Syrian Archive", "monitor")
    assert organisation() == first
    assert Party.objects.filter(name__iexact="syrian archive").count() == 1


def test_the_organisation_is_a_stored_party_of_that_name_in_any_case(settings):
    stored = make_party(name="AIRWARS", kind="monitor")
    settings.TRACKER_ORGANISATION = "Airwars"
    assert organisation() == stored


def test_the_organisation_is_our_organisation_by_default():
    assert organisation().name == "Our organisation"


# --- Relays -------------------------------------------------------------------------------------------


def test_a_loop_of_relays_is_refused_naming_its_chain():
    tass = make_source(title="TASS")
    reuters = make_source(title="Reuters", relays=tass)
    tass.relays = reuters
    with pytest.raises(ValidationError) as refused:
        tass.full_clean()
    assert refused.value.message_dict["relays"] == [
        "The relays would go round in a loop (TASS → Reuters → TASS): a chain of relays ends at a source that "
        "relays nothing."
    ]


def test_a_longer_loop_is_named_whole_and_a_chain_that_ends_is_accepted():
    tass = make_source(title="TASS")
    reuters = make_source(title="Reuters", relays=tass)
    newspaper = make_source(title="", url="https://paper.example/a", relays=reuters)
    tass.relays = newspaper
    assert [source.label for source in tass.relay_loop(newspaper.pk)] == [
        "TASS", "https://paper.example/a", "Reuters", "TASS",
    ]  # fmt: skip
    monitor = make_source(title="Monitor")
    monitor.relays = newspaper
    monitor.full_clean()  # joins the chain, which ends at TASS


def test_a_source_relaying_itself_is_refused_by_the_model_and_the_database():
    tass = make_source(title="TASS")
    tass.relays = tass
    with pytest.raises(ValidationError, match="A source cannot relay itself"):
        tass.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        tass.save()


@postgresql_only
def test_postgresql_refuses_a_loop_of_relays_written_past_the_model():
    tass = make_source(title="TASS")
    reuters = make_source(title="Reuters", relays=tass)
    tass.relays = reuters
    with pytest.raises(IntegrityError, match="TASS → Reuters → TASS"), transaction.atomic():
        tass.save()
    make_source(title="Newspaper", relays=reuters)  # a chain that ends is written


def test_a_relayed_source_cannot_be_deleted_while_a_source_relays_it():
    # Deleting it would make its relays first publishers: counted as independent reports unawares.
    tass = make_source(title="TASS")
    make_source(title="Reuters", relays=tass)
    with pytest.raises(ProtectedError):
        tass.delete()


# --- The suggested grade from an event's claims ------------------------------------------------------


@pytest.fixture
def strike():
    """An airstrike the ministry is alleged to have carried out, its parties, and sources that relay."""
    ministry, monitor, hospital = make_party(name="Ministry"), make_party(name="Monitor"), make_party(name="Hospital")
    event = make_event()
    event.alleged_perpetrators.add(ministry)
    tass = make_source(title="TASS")
    return {
        "event": event, "ministry": ministry, "monitor": monitor, "hospital": hospital, "tass": tass,
        "reuters": make_source(title="Reuters", relays=tass), "own": make_source(title="Monitor's report"),
    }  # fmt: skip


def claims_of(strike, *claims):
    for party, count, fields in claims:
        make_claim(strike["event"], strike[party], count=count, **fields)


# One hand-made event per row of the design's rule; the claims are (party, count, fields).
STORED_CASES = [
    ("confirmed", [("ministry", 2, {})], None),
    ("contested", [("monitor", 4, {})], "armed group"),
    ("fair", [("monitor", 4, {"source": "own"}), ("hospital", 5, {"source": "tass"})], None),
    ("weak", [("monitor", 4, {"source": "reuters"}), ("hospital", 5, {"source": "tass"})], None),  # one origin
    ("weak", [("monitor", 4, {})], None),
    (None, [("monitor", 0, {}), ("ministry", 0, {})], None),
    (None, [("ministry", 12, {"category": "combatant"})], None),
    ("weak", [("ministry", 0, {}), ("monitor", 4, {})], None),  # the perpetrator's zero concedes nothing
]


@pytest.mark.parametrize(("expected", "claims", "second_perpetrator"), STORED_CASES)
def test_an_events_current_claims_suggest_its_grade(strike, expected, claims, second_perpetrator):
    if second_perpetrator:
        strike["event"].alleged_perpetrators.add(make_party(name=second_perpetrator))
    claims_of(strike, *[(party, count, {**fields, "source": strike.get(fields.get("source"))})
                        for party, count, fields in claims])  # fmt: skip
    assert grade_suggestion(strike["event"].pk) == expected


def test_only_current_claims_count_for_the_suggestion(strike):
    # The ministry conceded two civilians, then withdrew it; the monitor's four were revised to none.
    claims_of(
        strike,
        ("ministry", 2, {"retracted": True}),
        ("monitor", 4, {"claimed_on": date(2018, 1, 2)}),
        ("monitor", 0, {"claimed_on": date(2018, 1, 3)}),
    )
    assert grade_suggestion(strike["event"].pk) is None


def test_a_subgroup_or_the_injured_suggest_nothing(strike):
    from tracker.models import Subgroup

    children = Subgroup.objects.get(code="children")
    claims_of(strike, ("ministry", 2, {"subgroup": children}), ("ministry", 3, {"outcome": "injured"}))
    assert grade_suggestion(strike["event"].pk) is None


# --- An assessment's rationale, current and initial grades, and its figures against the claims ---------


def test_a_grade_other_than_the_suggestion_needs_a_rationale(strike):
    claims_of(strike, ("monitor", 4, {}))  # suggests weak
    agreeing = Assessment(event=strike["event"], assessor=organisation(), grade="weak", method="range")
    agreeing.full_clean()
    differing = Assessment(event=strike["event"], assessor=organisation(), grade="fair", method="range")
    with pytest.raises(ValidationError) as refused:
        differing.full_clean()
    assert "needs a rationale" in refused.value.message_dict["rationale"][0]
    assert "(weak)" in refused.value.message_dict["rationale"][0]
    differing.rationale = "A second, independent witness was interviewed."
    differing.full_clean()


def test_discounted_always_needs_a_rationale_and_no_suggestion_is_a_difference(strike):
    for grade in ("discounted", "weak"):  # no claims: no suggestion
        with pytest.raises(ValidationError, match="needs a rationale"):
            Assessment(event=strike["event"], assessor=organisation(), grade=grade, method="pending").full_clean()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"civilian_high": 5}, "civilian_low", "needs its low"),
        ({"total_low": 9, "total_high": 5}, "total_high", "cannot be below its low"),
    ],
)
def test_a_figure_is_whole_and_ordered_in_the_model_and_the_database(strike, fields, field, message):
    assessment = Assessment(event=strike["event"], assessor=organisation(), grade="weak", method="range",
                            rationale="r", **fields)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        assessment.full_clean()
    assert message in refused.value.message_dict[field][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        assessment.save()


def test_the_current_assessment_is_each_assessors_latest_and_the_first_is_the_initial(strike):
    event, airwars = strike["event"], make_party(name="Airwars")
    first = make_assessment(event, grade="weak", assessed_on=date(2018, 2, 1))
    latest = make_assessment(event, grade="fair", assessed_on=date(2018, 5, 1))
    theirs = make_assessment(event, assessor=airwars, grade="contested", assessed_on=date(2018, 1, 1))
    assert set(Assessment.objects.current()) == {latest, theirs}
    assert set(Assessment.objects.initial()) == {first, theirs}


def test_an_assessor_assesses_an_event_once_a_day(strike):
    make_assessment(strike["event"], assessed_on=date(2018, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_assessment(strike["event"], assessed_on=date(2018, 2, 1))


def test_each_partys_current_whole_claim_stands_against_the_assessed_figures(strike):
    claims_of(
        strike,
        ("monitor", 30, {}),
        ("ministry", 0, {}),
        ("hospital", ("range", 10, None, 14), {}),
        ("hospital", 40, {"category": "combatant"}),  # no combatant figure
        ("ministry", 99, {"victim_side": strike["monitor"]}),  # a side's dead, not the whole
    )
    assessment = make_assessment(strike["event"], civilian_low=12, civilian_high=20)
    assert assessment.against() == [
        Against("Hospital", "civilian", WITHIN),
        Against("Ministry", "civilian", BELOW),
        Against("Monitor", "civilian", ABOVE),
    ]


# --- The admin ---------------------------------------------------------------------------------------


def test_a_loop_of_relays_is_refused_on_the_source_page(editor_client):
    tass = make_source(title="TASS")
    reuters = make_source(title="Reuters", relays=tass)
    page = editor_client.get(reverse("admin:tracker_source_change", args=[tass.pk]))
    response = editor_client.post(page.request["PATH_INFO"], {**admin_page_fields(page), "relays": reuters.pk})
    assert response.status_code == 200
    assert "TASS → Reuters → TASS" in response.content.decode()
    tass.refresh_from_db()
    assert tass.relays is None


def test_a_relay_is_kept_with_its_history_and_a_hidden_source_is_not_named(editor_client):
    secret = make_source(title="Informant", confidential=True)
    tass = make_source(title="TASS", relays=secret)
    page = editor_client.get(reverse("admin:tracker_source_change", args=[tass.pk]))
    assert "Informant" not in page.content.decode()
    reuters = make_source(title="Reuters")
    editor_client.post(page.request["PATH_INFO"], {**admin_page_fields(page), "relays": reuters.pk})
    tass.refresh_from_db()
    assert tass.relays == reuters
    assert [version.relays_id for version in tass.history.order_by("history_date")] == [secret.pk, reuters.pk]
    history = editor_client.get(reverse("admin:tracker_source_history", args=[tass.pk])).content.decode()
    assert "Confidential source" in history and "Reuters" in history and "Informant" not in history
    # A loop through the hidden source is named without it.
    newspaper = make_source(title="Newspaper", relays=secret)
    secret.relays = tass
    secret.save()
    page = editor_client.get(reverse("admin:tracker_source_change", args=[tass.pk]))
    response = editor_client.post(page.request["PATH_INFO"], {**admin_page_fields(page), "relays": newspaper.pk})
    content = response.content.decode()
    assert "TASS → Newspaper → Confidential source → TASS" in content
    assert "Informant" not in content


def event_page_fields(editor_client, event) -> tuple[str, dict]:
    """Return the event page's address and what it posts as drawn, without the empty claim it offers."""
    page = editor_client.get(reverse("admin:tracker_event_change", args=[event.pk]))
    data = admin_page_fields(page)
    return page.request["PATH_INFO"], data | {"claims-TOTAL_FORMS": data["claims-INITIAL_FORMS"]}


def event_page_with_assessment(editor_client, event, **fields):
    address, data = event_page_fields(editor_client, event)
    data |= {"assessments-TOTAL_FORMS": "1"}
    entered = {"assessor": "", "assessed_on": "2018-03-01", "grade": "weak", "method": "range", **fields}
    data |= {f"assessments-0-{name}": value for name, value in entered.items()}
    return editor_client.post(address, data)


def test_an_assessment_entered_on_the_event_page_is_the_organisations_and_shows_the_suggestion(
    editor_client, editor, strike
):
    claims_of(strike, ("monitor", 4, {}))
    response = event_page_with_assessment(editor_client, strike["event"], civilian_low="3", civilian_high="6")
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.assessor, assessment.entered_by, assessment.grade) == (organisation(), editor, "weak")
    assert (assessment.civilian_low, assessment.civilian_high, assessment.total_low) == (3, 6, None)
    page = editor_client.get(reverse("admin:tracker_event_change", args=[strike["event"].pk])).content.decode()
    assert "<strong>weak</strong>: a single source, or scant detail" in page


def test_the_event_page_asks_a_rationale_for_a_grade_other_than_the_suggestion(editor_client, strike):
    claims_of(strike, ("monitor", 4, {}))
    response = event_page_with_assessment(editor_client, strike["event"], grade="confirmed")
    assert response.status_code == 200
    assert "needs a rationale" in response.content.decode()
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("stored_since_opened", [False, True])
def test_the_event_page_refuses_a_second_assessment_the_same_day(editor_client, strike, stored_since_opened):
    if not stored_since_opened:
        make_assessment(strike["event"], assessed_on=date(2018, 3, 1))
    address, data = event_page_fields(editor_client, strike["event"])
    if stored_since_opened:  # entered by someone else while this page was open
        make_assessment(strike["event"], assessed_on=date(2018, 3, 1))
    added = int(data["assessments-TOTAL_FORMS"])
    data |= {"assessments-TOTAL_FORMS": str(added + 1)}
    data |= {f"assessments-{added}-{name}": value for name, value in
             {"assessed_on": "2018-03-01", "grade": "weak", "method": "range", "rationale": "r"}.items()}  # fmt: skip
    response = editor_client.post(address, data)
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert Assessment.objects.count() == 1


def test_the_assessment_list_filters_and_searches_and_keeps_history(editor_client, strike):
    other = make_event(ref="IRQ-2017-01")
    make_assessment(strike["event"], grade="weak", civilian_low=3, civilian_high=None)
    kept = make_assessment(other, grade="fair", method="majority")
    listing = reverse("admin:tracker_assessment_changelist")
    assert "civilian \u20663+\u2069" in editor_client.get(listing).content.decode()
    for query in ("grade=fair", "method=majority", "q=IRQ-2017"):
        shown = editor_client.get(f"{listing}?{query}").context["cl"].result_list
        assert list(shown) == [kept], query
    page = editor_client.get(reverse("admin:tracker_assessment_change", args=[kept.pk]))
    editor_client.post(page.request["PATH_INFO"], {**admin_page_fields(page), "grade": "weak"})
    kept.refresh_from_db()
    assert (kept.grade, kept.version) == ("weak", 2)
    history = editor_client.get(reverse("admin:tracker_assessment_history", args=[kept.pk]))
    assert history.status_code == 200
    assert kept.history.count() == 2


def test_the_assessment_page_reads_in_arabic(editor_client, strike):
    claims_of(strike, ("monitor", 4, {}))
    assessment = make_assessment(strike["event"], civilian_low=3)
    editor_client.cookies["django_language"] = "ar"
    with translation.override(translation.get_language()):
        page = editor_client.get(reverse("admin:tracker_assessment_change", args=[assessment.pk])).content.decode()
    assert "<strong>ضعيف</strong>: مصدر واحد، أو تفاصيل شحيحة" in page  # the suggested grade and its meaning
    assert "مدنيون، الحد الأدنى" in page  # a figure's label
