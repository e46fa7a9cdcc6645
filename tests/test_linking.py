"""Linking stored events across datasets: candidates, accept (merge), reject, undo, re-import, the command."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from tests.accounts import make_user
from tests.factories import make_claim, make_event, make_fate_claim, make_party, make_person, make_source
from tests.helpers import FIXTURES, claim_row, csv_bytes
from tracker import linking
from tracker.ingest.importer import file_import
from tracker.models import (
    Assessment,
    Claim,
    Event,
    EventAlias,
    EventLink,
    LinkCandidate,
    LinkStatus,
    Party,
    ReviewState,
    Source,
)
from tracker.models.assessments import grade_suggestion

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def ged_and_airwars(*, north=Decimal("0.01")):
    """A GED event and an Airwars event a kilometre apart on the same day, with counts far apart."""
    ged = make_event(ref="GED-1", origin="ucdp_ged", origin_id="1", start_date=date(2017, 6, 1),
                     latitude=Decimal("35.950000"), longitude=Decimal("39.010000"))  # fmt: skip
    airwars = make_event(ref="AW-CS1", origin="airwars", origin_id="CS1", start_date=date(2017, 6, 1),
                         latitude=Decimal("35.950000") + north, longitude=Decimal("39.010000"),
                         event_type="airstrike")  # fmt: skip
    coalition = make_party(name="U.S.-led Coalition", kind="state_military")
    airwars.alleged_perpetrators.add(coalition)
    make_claim(ged, make_party(name="UCDP GED"), count=3, category="civilian")
    make_claim(airwars, make_party(name="Airwars"), count=("range", 12, None, 15), category="civilian",
               source=make_source(title="Airwars incident CS1"))  # fmt: skip
    make_claim(airwars, coalition, count=0, category="civilian")
    linking.link_candidates_refresh()  # as link_events or an import would: the review reads what is stored
    return ged, airwars


def only_candidate():
    proposal = linking.link_proposal()
    assert len(proposal.candidates) == 1
    return proposal.candidates[0]


def test_two_datasets_events_of_one_incident_are_proposed_with_a_score_and_reasons():
    ged, airwars = ged_and_airwars()
    candidate = only_candidate()
    assert (candidate.first, candidate.second) == (ged.pk, airwars.pk)
    assert [code for code, _ in candidate.reasons] == ["same_day", "distance", "type_unsaid"]
    assert 0 < candidate.score < 100
    assert linking.link_proposal(radius_km=0.5).candidates == []


def test_accept_merges_claims_sources_and_perpetrators_into_the_event_entered_first():
    ged, airwars = ged_and_airwars()
    assert Event.objects.get(pk=ged.pk).level == "single"
    editor = make_user("editor")
    link = linking.event_link_accept(candidate=only_candidate(), user=editor)

    assert not Event.objects.filter(pk=airwars.pk).exists()
    kept = Event.objects.get(pk=ged.pk)
    assert set(kept.claims.values_list("party__name", flat=True)) == {"UCDP GED", "Airwars", "U.S.-led Coalition"}
    assert "Airwars incident CS1" in set(kept.claims.values_list("source__title", flat=True))
    assert list(kept.alleged_perpetrators.values_list("name", flat=True)) == ["U.S.-led Coalition"]
    assert kept.level == "denial"  # the summaries refreshed: the coalition's 0 against Airwars' 12–15
    alias = EventAlias.objects.get()
    assert (alias.event, alias.ref, alias.origin, alias.origin_id) == (kept, "AW-CS1", "airwars", "CS1")
    assert (link.status, link.decided_by, link.first_ref, link.second_ref) == ("accepted", editor, "GED-1", "AW-CS1")
    # The history says who merged what, on both events and on each claim that moved.
    merged_history = Event.history.filter(id=airwars.pk).latest("history_date")
    assert (merged_history.history_type, merged_history.history_user) == ("-", editor)
    assert merged_history.history_change_reason == "Merged AW-CS1 into GED-1"
    assert Event.history.filter(id=ged.pk, history_change_reason="Merged AW-CS1 into GED-1", history_user=editor)
    assert Claim.history.filter(history_change_reason="Merged AW-CS1 into GED-1").count() == 2
    assert linking.link_proposal().candidates == []  # one incident now: nothing more to propose


def test_a_rejected_pair_is_never_proposed_again():
    ged_and_airwars()
    link = linking.event_link_reject(candidate=only_candidate(), user=make_user("editor"))
    assert link.status == LinkStatus.REJECTED
    assert linking.link_proposal().candidates == []
    assert Event.objects.count() == 2


def snapshot(event_pk: int) -> dict:
    event = Event.objects.get(pk=event_pk)
    fields = {field.attname: getattr(event, field.attname) for field in Event._meta.concrete_fields}
    claims = {claim.pk: model_to_dict(claim, exclude=["version"]) for claim in event.claims.all()}
    for claim in Claim.objects.filter(event=event):
        claims[claim.pk]["is_current"] = claim.is_current
    return {
        "fields": fields,
        "perpetrators": set(event.alleged_perpetrators.values_list("pk", flat=True)),
        "claims": claims,
        "aliases": set(event.aliases.values_list("ref", flat=True)),
        "groups": sorted(event.groups.values_list("category", "victim_side_id", "level", "lo_max", "hi_min")),
    }


def test_undo_restores_both_events_exactly_field_by_field():
    ged, airwars = ged_and_airwars()
    ged.alleged_perpetrators.add(make_party(name="Russian MoD", kind="state_military"))
    before = {pk: snapshot(pk) for pk in (ged.pk, airwars.pk)}
    editor = make_user("editor")
    link = linking.event_link_accept(candidate=only_candidate(), user=editor)

    restored = linking.event_link_undo(link=link, user=editor)

    assert restored.pk == airwars.pk
    after = {pk: snapshot(pk) for pk in (ged.pk, airwars.pk)}
    for pk in before:
        for name, value in before[pk]["fields"].items():
            assert after[pk]["fields"][name] == value, f"event {pk}: {name}"
        assert after[pk] == before[pk]
    assert EventAlias.objects.count() == 0
    assert EventLink.objects.get().status == LinkStatus.UNDONE
    assert Event.history.get(id=airwars.pk, history_type="+", history_change_reason__startswith="Undid the merge")
    assert len(linking.link_proposal().candidates) == 1  # an undone merge may be proposed again


def test_a_merge_into_an_event_merged_since_cannot_be_undone_before_the_later_one():
    ged_and_airwars()
    acled = make_event(ref="ACLED-1", origin="acled", origin_id="SYR1", start_date=date(2017, 6, 1),
                       latitude=Decimal("35.950000"), longitude=Decimal("39.020000"))  # fmt: skip
    first = linking.event_link_accept(candidate=linking.link_proposal().candidates[0], user=None)
    second = linking.event_link_accept(candidate=only_candidate(), user=None)
    assert {first.second_ref, second.second_ref} == {"AW-CS1", acled.ref}
    with pytest.raises(linking.LinkRefused, match="later merge"):
        linking.event_link_undo(link=first, user=None)
    linking.event_link_undo(link=second, user=None)
    linking.event_link_undo(link=first, user=None)
    assert Event.objects.count() == 3


GED_ROW = "ged191_syria_2017.csv"


def claims_file_near_the_ged_event() -> bytes:
    """A claims file from another dataset: the first GED row's day and place, a monitor's count."""
    row = claim_row(event_ref="SOHR 2017/01 #14", event_date="2017-01-14", location="Wadi Barada",
                    latitude="33.63", longitude="36.13", party="Syrian Observatory", best="40",
                    category="total")  # fmt: skip
    return csv_bytes([row])


def test_re_importing_either_dataset_after_a_merge_lands_on_the_merged_event_and_changes_nothing():
    with (FIXTURES / GED_ROW).open("rb") as stream:
        assert file_import(file=stream, name=GED_ROW, format="ucdp-ged").ok
    assert file_import(file=io.BytesIO(claims_file_near_the_ged_event()), name="sohr.csv").ok
    proposal = linking.link_proposal()
    pair = next(item for item in proposal.candidates if Event.objects.get(pk=item.second).ref == "SOHR 2017/01 #14")
    linking.event_link_accept(candidate=pair, user=None)
    counts = (Event.objects.count(), Claim.objects.count(), Event.history.count(), Claim.history.count())

    with (FIXTURES / GED_ROW).open("rb") as stream:
        ged_again = file_import(file=stream, name=GED_ROW, format="ucdp-ged")
    sohr_again = file_import(file=io.BytesIO(claims_file_near_the_ged_event()), name="sohr.csv")

    for report in (ged_again, sohr_again):
        assert report.ok and sum(report.created.values()) == 0 and report.updated == 0
    assert (Event.objects.count(), Claim.objects.count(), Event.history.count(), Claim.history.count()) == counts
    assert not Event.objects.filter(ref="SOHR 2017/01 #14").exists()


def test_the_command_ends_with_the_counts_and_accepts_one_to_one_pairs_above_a_score(capsys):
    ged_and_airwars()
    make_event(ref="GED-2", origin="ucdp_ged", origin_id="2", start_date=date(2017, 8, 1))  # a pair without places
    make_event(ref="AW-CS2", origin="airwars", origin_id="CS2", start_date=date(2017, 8, 1))
    make_event(ref="AW-CS3", origin="airwars", origin_id="CS3", start_date=date(2017, 8, 1))
    out = io.StringIO()
    call_command("link_events", stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("3 candidates, 1 one-to-one, 5 events in a candidate")

    out = io.StringIO()
    call_command("link_events", "--accept", "--dry-run", stdout=out)
    assert "Would accept 1 one-to-one candidates scoring at least 0." in out.getvalue()
    assert EventLink.objects.count() == 0

    threshold = only_one_to_one_score() + 1
    call_command("link_events", "--accept", "--min-score", str(threshold), stdout=io.StringIO())
    assert EventLink.objects.count() == 0
    out = io.StringIO()
    call_command("link_events", "--accept", "--min-score", str(threshold - 1), stdout=out)
    assert "Merged 1 pairs of events." in out.getvalue()
    assert out.getvalue().splitlines()[-1].startswith("3 candidates, 1 one-to-one")  # as found before merging
    assert EventLink.objects.get().second_ref == "AW-CS1"


def only_one_to_one_score() -> int:
    (candidate,) = linking.link_proposal().one_to_one
    return candidate.score


def test_the_radius_is_an_option_of_the_command():
    ged_and_airwars(north=Decimal("0.08"))  # about 9 km apart
    out = io.StringIO()
    call_command("link_events", stdout=out)
    assert out.getvalue().startswith("0 candidates")
    call_command("link_events", "--radius", "10", stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("1 candidates")


def test_events_holding_the_same_claim_are_not_merged_and_the_bulk_merge_goes_on_with_a_reason():
    """A claim is stored once: a merge that would hold it twice is refused, naming the claim, and nothing moves."""
    ged, airwars = ged_and_airwars()
    monitor, source = make_party(name="Local monitor"), make_source(title="Bulletin")
    make_claim(ged, monitor, count=9, category="civilian", source=source)
    twin = make_claim(airwars, monitor, count=9, category="civilian", source=source)

    merged, refusals = linking.links_accept(candidates=[only_candidate()], user=make_user("editor"))

    assert merged == 0 and len(refusals) == 1
    assert f"GED-1 already holds the same claim as AW-CS1 (claim {twin.pk})" in refusals[0]
    assert Event.objects.filter(pk=airwars.pk).exists() and not EventLink.objects.exists()
    assert Claim.objects.get(pk=twin.pk).event_id == airwars.pk


def test_a_merge_is_not_undone_over_an_event_entered_since_under_the_merged_reference():
    ged_and_airwars()
    link = linking.event_link_accept(candidate=only_candidate(), user=make_user("editor"))
    newcomer = make_event(ref="AW-CS1")

    with pytest.raises(linking.LinkRefused, match="An event entered since the merge has the reference"):
        linking.event_link_undo(link=link, user=None)

    assert EventLink.objects.get(pk=link.pk).status == LinkStatus.ACCEPTED
    assert list(Event.objects.filter(ref="AW-CS1")) == [newcomer]
    newcomer.delete()
    assert linking.event_link_undo(link=link, user=None).ref == "AW-CS1"


def proposed(*events: Event):
    """The candidate these two events make among the stored events now."""
    keys = {event.pk for event in events}
    return next(item for item in linking.link_proposal().candidates if {item.first, item.second} == keys)


def test_the_undo_of_each_decision_is_judged_for_all_of_them_in_one_query(django_assert_num_queries):
    acled = make_event(ref="ACLED-1", origin="acled", origin_id="SYR1", start_date=date(2017, 6, 1),
                       latitude=Decimal("35.950000"), longitude=Decimal("39.020000"))  # fmt: skip
    ged, airwars = ged_and_airwars()
    by_hand = make_event(ref="MANUAL-1", start_date=date(2017, 6, 1))  # no place: a candidate of any place
    linking.event_link_accept(candidate=proposed(ged, airwars), user=None)
    linking.event_link_accept(candidate=proposed(acled, ged), user=None)  # GED-1, the kept event above, is gone
    linking.event_link_accept(candidate=proposed(acled, by_hand), user=None)  # a later merge into ACLED-1
    decided = {}
    for kind, day in (("R", date(2017, 9, 1)), ("T", date(2017, 10, 1)), ("U", date(2017, 11, 1))):
        decided[kind] = [
            make_event(ref=f"{origin}-{kind}", origin=origin, start_date=day) for origin in ("acled", "airwars")
        ]
    linking.event_link_reject(candidate=proposed(*decided["R"]), user=None)
    linking.event_link_accept(candidate=proposed(*decided["T"]), user=None)
    make_event(ref="airwars-T")  # entered since, under the merged event's reference
    linking.event_link_undo(link=linking.event_link_accept(candidate=proposed(*decided["U"]), user=None), user=None)

    with django_assert_num_queries(1):
        refusals = {link.second_ref: linking.undo_refusal(link) for link in EventLink.objects.with_undo_checks()}

    assert refusals == {
        "AW-CS1": "The kept event has since been merged into another: undo that merge first.",
        "GED-1": "A later merge into the same event must be undone first.",
        "MANUAL-1": None,
        "airwars-R": "Only an accepted merge can be undone.",
        "airwars-T": "An event entered since the merge has the reference or dataset identifier of airwars-T: "
        "rename or delete it before undoing.",
        "airwars-U": "Only an accepted merge can be undone.",
    }


def test_an_event_entered_since_under_the_merged_events_identifier_holds_the_undo_up():
    ged_and_airwars()
    link = linking.event_link_accept(candidate=only_candidate(), user=None)
    make_event(ref="AW-CS1-AGAIN", origin="airwars", origin_id="CS1")
    (checked,) = EventLink.objects.with_undo_checks()
    assert "the reference or dataset identifier of AW-CS1" in linking.undo_refusal(checked)
    with pytest.raises(linking.LinkRefused, match="dataset identifier"):
        linking.event_link_undo(link=link, user=None)


def stored_pairs() -> dict:
    return {(item.first_id, item.second_id): item for item in LinkCandidate.objects.all()}


def test_the_command_stores_its_proposal_for_the_review_and_a_rejected_pair_is_not_stored_again():
    ged, airwars = ged_and_airwars(north=Decimal("0.08"))  # about 9 km apart: beyond the default radius
    assert stored_pairs() == {}
    call_command("link_events", "--radius", "10", stdout=io.StringIO())
    (stored,) = stored_pairs().values()
    assert (stored.first_id, stored.second_id, stored.radius_km, stored.is_one_to_one) == (ged.pk, airwars.pk, 10, True)
    assert [code for code, _ in stored.reasons] == ["same_day", "distance", "type_unsaid"]
    # Decided at the radius it was found within, not the default one.
    linking.event_link_reject(candidate=linking.pair_candidate(ged.pk, airwars.pk), user=None)
    call_command("link_events", "--radius", "10", stdout=io.StringIO())
    assert stored_pairs() == {}


def test_a_new_proposal_writes_only_the_pairs_that_changed():
    ged, airwars = ged_and_airwars()
    make_event(ref="GED-2", origin="ucdp_ged", origin_id="2", start_date=date(2017, 8, 1))
    make_event(ref="AW-CS2", origin="airwars", origin_id="CS2", start_date=date(2017, 8, 1))
    linking.link_candidates_refresh()
    before = stored_pairs()
    acled = make_event(ref="ACLED-2", origin="acled", origin_id="SYR2", start_date=date(2017, 8, 1))

    linking.link_candidates_refresh()

    after = stored_pairs()
    kept = before[(ged.pk, airwars.pk)]
    assert (after[(ged.pk, airwars.pk)].pk, after[(ged.pk, airwars.pk)].proposed_at) == (kept.pk, kept.proposed_at)
    assert len(after) == 4
    assert [pair for pair in after if acled.pk in pair] == [pair for pair in after if pair not in before]
    # The August pair has company now: it is stored again, no longer one-to-one.
    (august,) = [pair for pair in before if pair != (ged.pk, airwars.pk)]
    assert before[august].is_one_to_one and not after[august].is_one_to_one
    assert after[august].pk != before[august].pk


def test_an_import_that_makes_events_proposes_the_candidates_anew_once_it_has_committed(
    django_capture_on_commit_callbacks,
):
    ged, airwars = ged_and_airwars()
    near = claim_row(event_ref="SOHR-1", event_date="2017-06-01", location="Raqqa", latitude="35.95",
                     longitude="39.02", party="Syrian Observatory")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False) as dry_run:
        assert file_import(file=io.BytesIO(csv_bytes([near])), name="sohr.csv", dry_run=True).ok
    assert dry_run == []
    with django_capture_on_commit_callbacks(execute=True):
        assert file_import(file=io.BytesIO(csv_bytes([near])), name="sohr.csv").ok
    sohr = Event.objects.get(ref="SOHR-1")
    assert {pair for pair in stored_pairs() if sohr.pk in pair} == {(ged.pk, sohr.pk), (airwars.pk, sohr.pk)}

    LinkCandidate.objects.all().delete()
    more = claim_row(event_ref="SOHR-1", event_date="2017-06-01", location="Raqqa", party="Hospital")
    with django_capture_on_commit_callbacks(execute=True):
        assert file_import(file=io.BytesIO(csv_bytes([more])), name="hospital.csv").ok  # a claim, no new event
    assert stored_pairs() == {}


def test_a_merge_moves_the_merged_events_assessments_and_an_undo_takes_them_back():
    ged, airwars = ged_and_airwars()
    theirs = Assessment.objects.create(
        event=airwars, assessor=Party.objects.get(name="Airwars"), grade="fair", method="source_hierarchy",
        rationale="Airwars grading as published", assessed_on=date(2017, 7, 1),
    )  # fmt: skip
    editor = make_user("editor")
    link = linking.event_link_accept(candidate=only_candidate(), user=editor)
    theirs.refresh_from_db()
    assert theirs.event_id == ged.pk  # kept, not deleted with the merged event
    assert theirs.history.first().history_user == editor
    restored = linking.event_link_undo(link=link, user=editor)
    theirs.refresh_from_db()
    assert theirs.event_id == restored.pk


def test_events_assessed_by_one_assessor_on_one_day_are_not_merged():
    ged, airwars = ged_and_airwars()
    airwars_party = Party.objects.get(name="Airwars")
    for event in (ged, airwars):
        Assessment.objects.create(
            event=event, assessor=airwars_party, grade="weak", method="pending", rationale="r",
            assessed_on=date(2017, 7, 1),
        )  # fmt: skip
    merged, refusals = linking.links_accept(candidates=[only_candidate()], user=make_user("editor"))
    assert merged == 0
    assert "GED-1 and AW-CS1 were both assessed by Airwars on 2017-07-01" in refusals[0]
    assert Assessment.objects.filter(event=airwars).exists()


def ged_246518_and_airwars_cs1447():
    """GED-246518 ("SOHR; Airwars") and the Airwars incident it cites, CS1447, imported from their real rows."""
    for path, format in ((DATA / "ged_246518.csv", "ucdp-ged"), (DATA / "airwars_cs1447.csv", "airwars")):
        with path.open("rb") as stream:
            assert file_import(file=stream, name=path.name, format=format).ok
    linking.link_candidates_refresh()  # as the import's commit would
    return Event.objects.get(origin="ucdp_ged", origin_id="246518"), Event.objects.get(origin_id="33194")


def ged_source(event: Event) -> Source:
    return Source.objects.filter(claims__event=event, claims__origin="ucdp_ged").distinct().get()


def test_a_ged_source_naming_airwars_relays_the_airwars_incident_once_the_two_are_linked():
    ged, airwars = ged_246518_and_airwars_cs1447()
    relayed = Source.objects.get(url="https://airwars.org/civilian-casualties/cs1447-september-5-2017/")
    assert ged_source(ged).publisher == "SOHR; Airwars" and ged_source(ged).relays is None
    editor = make_user("editor")
    candidate = linking.pair_candidate(ged.pk, airwars.pk)

    link = linking.event_link_accept(candidate=candidate, user=editor)

    source = ged_source(ged)
    assert source.relays == relayed
    change = source.history.latest("history_date")
    assert (change.history_user, change.history_change_reason) == (editor, f"Merged {airwars.ref} into {ged.ref}")
    # GED's 1 civilian and Airwars' 1–2 are one report, not two independent sources: `weak` (as Airwars
    # grades it), where two independent ones and the Coalition as alleged perpetrator would make it `fair`.
    assert grade_suggestion(ged.pk) == "weak"
    assert source.relay_loop_problem(source.relays_id) is None

    linking.event_link_undo(link=link, user=editor)
    assert ged_source(ged).relays is None


def test_undoing_the_link_keeps_a_relay_staff_changed_since():
    ged, airwars = ged_246518_and_airwars_cs1447()
    link = linking.event_link_accept(candidate=linking.pair_candidate(ged.pk, airwars.pk), user=None)
    source = ged_source(ged)
    source.relays = make_source(title="SOHR report")
    source.save()

    linking.event_link_undo(link=link, user=None)

    assert ged_source(ged).relays.title == "SOHR report"


def test_a_ged_source_naming_other_offices_only_relays_nothing_after_the_link():
    ged, airwars = ged_246518_and_airwars_cs1447()
    Source.objects.filter(publisher="SOHR; Airwars").update(publisher="SOHR")

    linking.event_link_accept(candidate=linking.pair_candidate(ged.pk, airwars.pk), user=None)

    assert ged_source(ged).relays is None
    assert grade_suggestion(ged.pk) == "fair"  # two independent sources, as far as the tracker knows


def test_a_merge_and_its_undo_send_the_moved_claims_and_assessments_back_to_be_reviewed():
    _ged, airwars = ged_and_airwars()
    Assessment.objects.create(
        event=airwars, assessor=Party.objects.get(name="Airwars"), grade="fair", method="source_hierarchy",
        rationale="Airwars grading as published", assessed_on=date(2017, 7, 1),
    )  # fmt: skip
    reviewer = make_user("reviewer")
    for model in (Claim, Assessment):
        model.objects.update(review_state=ReviewState.REVIEWED, reviewed_by=reviewer)
    link = linking.event_link_accept(candidate=only_candidate(), user=make_user("editor"))
    moved = Claim.objects.filter(pk__in=link.merged["claims"])
    assert set(moved.values_list("review_state", "reviewed_by")) == {(ReviewState.ENTERED, None)}
    assert Assessment.objects.get().review_state == ReviewState.ENTERED
    # The kept event's own claim did not move: its review stands.
    assert Claim.objects.exclude(pk__in=link.merged["claims"]).get().review_state == ReviewState.REVIEWED
    for model in (Claim, Assessment):
        model.objects.update(review_state=ReviewState.REVIEWED, reviewed_by=reviewer)
    linking.event_link_undo(link=link, user=make_user("other"))
    assert set(moved.values_list("review_state", flat=True)) == {ReviewState.ENTERED}
    assert Assessment.objects.get().review_state == ReviewState.ENTERED


def test_a_merge_moves_the_merged_events_fate_claims_and_an_undo_takes_them_back():
    ged, airwars = ged_and_airwars()
    named = make_fate_claim(make_person(name="Gulmurod Khalimov"), Party.objects.get(name="Airwars"), event=airwars)
    editor = make_user("editor")
    link = linking.event_link_accept(candidate=only_candidate(), user=editor)
    named.refresh_from_db()
    assert named.event_id == ged.pk  # kept, not deleted with the merged event (nor holding the merge up)
    assert named.history.first().history_user == editor
    restored = linking.event_link_undo(link=link, user=editor)
    named.refresh_from_db()
    assert named.event_id == restored.pk
