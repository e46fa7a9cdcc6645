"""Importing the claims CSV: the rules applied end to end, all or nothing, and idempotent."""

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.ingest.formats.claims import COLUMNS
from tracker.models import Claim, Event, Party, Source
from tracker.rules.counts import Count
from tracker.rules.discrepancy import ClaimFacts, event_result
from tracker.rules.wording import count_from_wording
from tracker.summaries import thresholds

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export_json():
    out, _ = run("export_discrepancies", "--format", "json")
    return {record["ref"]: record for record in json.loads(out)}


def stored_counts():
    """Everything an import could have touched, history included."""
    return tuple(
        model.objects.count()
        for model in (Event, Party, Source, Claim, Event.history.model, Claim.history.model, Party.history.model)
    )


def write_csv(tmp_path, rows, *, name="claims.csv", columns=COLUMNS, encoding="utf-8", newline="\n"):
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns, lineterminator=newline)
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(**fields):
    base = {
        "event_ref": "EV-1", "event_title": "Strike", "event_date": "2018-01-01", "country": "SY",
        "location": "Raqqa", "party": "Monitor", "party_kind": "monitor", "category": "civilian",
        "qualifier": "exact", "best": "10", "claimed_on": "2018-01-02", "source_title": "Report",
    }  # fmt: skip
    return {**base, **fields}


EXPECTED = {
    # ref: (level, ratio, dispute, {(category, victim side): (level, ratio)})
    "FIX-01": ("major", 5.14, True, {("civilian", None): ("agree", None), ("combatant", "Group"): ("major", 5.14)}),
    "FIX-02": ("minor", 1.02, False, {("total", None): ("minor", 1.02)}),
    "FIX-03": ("denial", None, False, {("civilian", None): ("denial", None), ("combatant", None): ("agree", None)}),
    "FIX-04": (
        "major",
        5.0,
        False,
        {("combatant", "North"): ("major", 2.67), ("combatant", "South"): ("major", 5.0)},
    ),
    "FIX-05": ("single", None, False, {("total", None): ("single", None)}),
    "FIX-06": ("minor", 1.29, False, {("civilian", None): ("minor", 1.29), ("unknown", None): ("minor", 1.11)}),
    "FIX-07": ("agree", None, False, {("civilian", None): ("agree", None)}),
}


def test_import_then_export_gives_the_levels_the_rules_give():
    out, _ = run("import_claims", str(DATA / "claims_every_form.csv"))
    assert "26 rows" in out
    records = export_json()
    assert set(records) == set(EXPECTED)
    for ref, (level, ratio, dispute, groups) in EXPECTED.items():
        record = records[ref]
        assert (record["level"], record["ratio"], record["classification_dispute"]) == (level, ratio, dispute), ref
        assert {(g["category"], g["victim_side"]): (g["level"], g["ratio"]) for g in record["groups"]} == groups, ref


def test_export_shows_intervals_and_which_claims_are_current():
    run("import_claims", str(DATA / "claims_every_form.csv"))
    (group,) = export_json()["FIX-02"]["groups"]
    claims = [(c["party"], c["lo"], c["hi"], c["current"], c["claimed_on"]) for c in group["claims"]]
    assert claims == [
        ("Monitor", 10, None, False, "2019-01-18"),  # at least 10, revised later
        ("Agency", 90, 110, False, "2019-01-18"),  # nearly 100, retracted
        ("Agency", 36, 44, True, "2019-01-20"),  # about 40
        ("Ministry", 20, 20, False, "2019-01-20"),  # same day, entered first
        ("Ministry", 41, 41, True, "2019-01-20"),  # same day, entered last
        ("Monitor", 42, 42, True, "2019-01-25"),
    ]
    single = export_json()["FIX-05"]["groups"][0]["claims"][0]
    assert (single["qualifier"], single["best"], single["lo"], single["hi"]) == ("approximate", 50, 45, 55)


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_file(tmp_path):
    """From a file written by hand (victim sides before their own claims, sources told apart by
    publisher only), not from the importer's own output."""
    rows = [
        row(party="Army", party_kind="state_military", victim_side="Rebels", source_title="Statement",
            source_publisher="Army press office", source_date="2018-01-02", wording="about 40", qualifier="",
            best=""),
        row(party="Rebels", party_kind="armed_group", victim_side="Rebels", source_title="Statement",
            source_publisher="Rebel channel", source_date="2018-01-02", best="7", notes="مقتل سبعة مقاتلين"),
        row(party="Informant", source_title="Call with a resident", source_confidential="true", best="9"),
    ]  # fmt: skip
    run("import_claims", str(DATA / "claims_every_form.csv"))
    run("import_claims", str(write_csv(tmp_path, rows, name="more.csv")))
    first, _ = run("export_claims")
    for model in (Claim, Event, Source, Party):
        model.objects.all().delete()
    (tmp_path / "first.csv").write_text(first, encoding="utf-8")
    run("import_claims", str(tmp_path / "first.csv"))
    second, _ = run("export_claims")
    assert second == first
    assert Party.objects.get(name="Rebels").kind == "armed_group"
    assert Source.objects.get(title="Call with a resident").confidential  # a backup never makes a source public


def test_wording_is_read_when_the_qualifier_is_empty():
    run("import_claims", str(DATA / "claims_every_form.csv"))
    about_forty = Claim.objects.get(event__ref="FIX-01", party__name="Ministry")
    assert (about_forty.qualifier, about_forty.best, about_forty.wording) == ("approximate", 40, "around 40 militants")
    assert Claim.objects.get(event__ref="FIX-04", victim_side__name="North", party__name="North").best == 40
    assert Claim.objects.get(event__ref="FIX-07", party__name="Monitor").best == 0


def test_importing_the_same_file_twice_changes_nothing():
    path = str(DATA / "claims_every_form.csv")
    run("import_claims", path)
    before, summary = stored_counts(), export_json()
    out, _ = run("import_claims", path)
    assert "new 0 events, 0 parties, 0 sources, 0 claims" in out
    assert "26 already stored unchanged" in out
    assert stored_counts() == before
    assert export_json() == summary


def test_a_bad_file_changes_nothing_and_names_every_bad_line(tmp_path):
    run("import_claims", str(DATA / "claims_every_form.csv"))
    before = stored_counts()
    path = write_csv(
        tmp_path,
        [
            row(),  # line 2: good
            row(event_ref="EV-2", event_date="01/02/2018"),  # line 3: date not ISO
            row(qualifier="range", low="15", best="", high="12"),  # line 4: low above high
            row(party="Newcomer", party_kind=""),  # line 5: new party without kind
            row(qualifier="", best="", wording="dozens"),  # line 6: unreadable wording
            row(category="children"),  # line 7: unknown category
            row(best="-3"),  # line 8: negative
            row(event_ref="EV-3", country="Syria"),  # line 9: country not ISO
            row(claimed_on=""),  # line 10: no claim date
            row(source_title="", source_url=""),  # line 11: no source
            row(qualifier="at_most", best="", high=""),  # line 12: at most without a high
        ],
    )
    with pytest.raises(CommandError, match="10 bad row"):
        run("import_claims", str(path))
    assert stored_counts() == before


def test_bad_rows_are_reported_with_their_line_and_reason(tmp_path, capsys):
    path = write_csv(
        tmp_path,
        [row(), row(event_ref="EV-2", event_date="01/02/2018"), row(), row(qualifier="range", low="15", high="12")],
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_claims", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0] == "claims.csv: line 3: event_date '01/02/2018' is not a date as YYYY-MM-DD"
    assert lines[1].startswith("claims.csv: line 5: ")
    assert "low number (15) is above the high number (12)" in lines[1]
    assert "best number (10) is below the low number (15)" in lines[1]
    assert len(lines) == 2


def test_dry_run_reports_and_stores_nothing(tmp_path):
    path = write_csv(tmp_path, [row(), row(party="Ministry", party_kind="state_military", best="40")])
    out, _ = run("import_claims", str(path), "--dry-run")
    assert "dry run" in out
    assert "new 1 events, 2 parties, 1 sources, 2 claims" in out
    assert stored_counts() == (0,) * 7


def test_missing_columns_are_named(tmp_path):
    path = write_csv(tmp_path, [{"event_ref": "EV-1"}], columns=["event_ref", "title"])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_claims", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 1: missing required column(s): party, category, claimed_on" in err.getvalue()


def test_what_spreadsheets_write_is_accepted(tmp_path):
    """A byte order mark, CRLF line ends, quoted commas and line breaks, Arabic text, column order free."""
    columns = list(reversed(COLUMNS))
    path = write_csv(
        tmp_path,
        [
            row(party="المرصد السوري", wording="مقتل ٤٠ شخصاً", notes='Quoted, with a comma\nand a "line" break'),
            row(
                event_title="Strike",
                party="Ministry",
                party_kind="state_military",
                qualifier="",
                best="",
                wording="around 40",
            ),
        ],
        columns=columns,
        encoding="utf-8-sig",
        newline="\r\n",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbfnotes,")
    run("import_claims", str(path))
    arabic = Claim.objects.get(party__name="المرصد السوري")
    assert arabic.wording == "مقتل ٤٠ شخصاً"
    assert arabic.notes == 'Quoted, with a comma\nand a "line" break'
    assert Claim.objects.get(party__name="Ministry").count == Count("approximate", best=40)


def test_lines_are_counted_as_a_spreadsheet_shows_them(tmp_path):
    """A line break inside a quoted field does not shift the numbers; blank rows still count."""
    path = tmp_path / "claims.csv"
    good = ",".join(row().get(column, "") for column in COLUMNS)
    bad = ",".join(row(category="children").get(column, "") for column in COLUMNS)
    multiline = good.replace("Report", '"Report\nsecond line"')
    path.write_text(",".join(COLUMNS) + "\n" + multiline + "\n\n" + bad + "\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_claims", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 4: category 'children'" in err.getvalue()


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = write_csv(tmp_path, [row(location="Alep")])
    path.write_bytes(path.read_bytes().replace(b"Alep", "Alép".encode("latin-1")))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_claims", str(path), stdout=io.StringIO(), stderr=err)
    assert "claims.csv: line 2: this row is not UTF-8 text" in err.getvalue()
    assert stored_counts() == (0,) * 7


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import_claims", str(tmp_path / "nowhere.csv"))


def test_parties_are_matched_by_alias_and_sources_reused(tmp_path):
    Party.objects.create(name="Russian Ministry of Defence", kind="state_military", aliases="Russian MoD\nMinDef")
    path = write_csv(
        tmp_path,
        [
            row(party="russian mod", party_kind="", source_url="https://example.org/a"),
            row(party="MinDef", party_kind="", best="12", source_url="https://example.org/a", source_title="Other"),
        ],
    )
    run("import_claims", str(path))
    assert Party.objects.count() == 1
    assert Source.objects.count() == 1
    assert Claim.objects.filter(party__name="Russian Ministry of Defence").count() == 2


def test_changing_the_retraction_updates_the_stored_claim(tmp_path):
    run("import_claims", str(write_csv(tmp_path, [row()])))
    out, _ = run("import_claims", str(write_csv(tmp_path, [row(retracted="true")], name="again.csv")))
    assert "1 claims updated" in out
    claim = Claim.objects.get()
    assert claim.retracted
    assert claim.history.count() == 2
    assert claim.history.first().history_change_reason == "import of again.csv"


def test_a_claim_stated_twice_alike_is_one_claim(tmp_path):
    out, _ = run("import_claims", str(write_csv(tmp_path, [row(), row(wording="")])))
    assert "new 1 events, 1 parties, 1 sources, 1 claims" in out
    assert "1 already stored unchanged" in out
    assert Claim.objects.count() == 1


def test_a_claim_stated_twice_differently_is_refused(tmp_path):
    path = write_csv(tmp_path, [row(), row(party="Other", party_kind="media"), row(retracted="true")])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_claims", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 4: states again the claim of line 2, with another retraction" in err.getvalue()
    assert stored_counts() == (0,) * 7


def test_reimporting_a_file_leaves_the_history_alone(tmp_path):
    path = write_csv(tmp_path, [row(), row(), row(party="Ministry", party_kind="state_military", retracted="true")])
    run("import_claims", str(path))
    before = stored_counts()
    run("import_claims", str(path))
    assert stored_counts() == before


def test_a_victim_side_gets_the_kind_a_later_row_names(tmp_path):
    rows = [row(victim_side="Rebels"), row(party="Rebels", party_kind="armed_group", best="3")]
    run("import_claims", str(write_csv(tmp_path, rows)))
    assert Party.objects.get(name="Rebels").kind == "armed_group"


def test_sources_without_a_url_are_told_apart_by_publisher(tmp_path):
    rows = [
        row(source_title="Statement", source_publisher="Army press office", source_date="2018-01-02"),
        row(party="Rebels", party_kind="armed_group", source_title="Statement", source_publisher="Rebel channel",
            source_date="2018-01-02"),
    ]  # fmt: skip
    run("import_claims", str(write_csv(tmp_path, rows)))
    assert Claim.objects.get(party__name="Rebels").source.publisher == "Rebel channel"
    assert Source.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"best": "inf"}, "best 'inf' is not a whole number"),
        ({"best": "NaN"}, "best 'NaN' is not a whole number"),
        ({"best": "3000000000"}, "larger than any death count"),
        ({"latitude": "nan", "longitude": "40"}, "latitude 'nan' is not a number"),
        ({"wording": "x" * 600}, "line 2: wording: Ensure this value has at most 500 characters"),
        ({"claimed_on": "2018-01-02Tgarbage"}, "claimed_on '2018-01-02Tgarbage' is not a date"),
        ({"claimed_on": "20180102"}, "claimed_on '20180102' is not a date"),
        ({"claimed_on": "2018-02-30"}, "claimed_on '2018-02-30' is not a date"),
    ],
)
def test_odd_values_are_row_errors_not_crashes(tmp_path, fields, message):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_claims", str(write_csv(tmp_path, [row(**fields)])), stdout=io.StringIO(), stderr=err)
    assert message in err.getvalue()
    assert stored_counts() == (0,) * 7


def test_a_non_utf8_row_is_named_as_the_spreadsheet_numbers_it(tmp_path):
    path = write_csv(tmp_path, [row(notes="two\nlines"), row(location="Alep")])
    path.write_bytes(path.read_bytes().replace(b"Alep", "Alép".encode("latin-1")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_claims", str(path), stdout=io.StringIO(), stderr=err)
    assert "claims.csv: line 3: this row is not UTF-8 text" in err.getvalue()


def test_a_file_can_hide_a_source_but_never_reveal_one(tmp_path):
    run("import_claims", str(write_csv(tmp_path, [row(source_url="https://example.org/a")])))
    source = Source.objects.get()
    run(
        "import_claims", str(write_csv(tmp_path, [row(source_url="https://example.org/a", source_confidential="true")]))
    )
    source.refresh_from_db()
    assert source.confidential
    run(
        "import_claims",
        str(write_csv(tmp_path, [row(source_url="https://example.org/a", source_confidential="false")])),
    )
    source.refresh_from_db()
    assert source.confidential


def test_a_new_victim_side_is_added_with_a_warning(tmp_path):
    _, err = run("import_claims", str(write_csv(tmp_path, [row(victim_side="Unknown Brigade")])))
    assert "line 2: victim_side 'Unknown Brigade' is a new party" in err
    assert Party.objects.get(name="Unknown Brigade").kind == "other"


# Any file at all: what the importer stores and the export reports is what the rules give.

claim_rows = st.lists(
    st.fixed_dictionaries(
        {
            "event": st.sampled_from(["EV-1", "EV-2"]),
            "party": st.sampled_from(["Ministry", "Monitor", "Hospital"]),
            "category": st.sampled_from(["civilian", "combatant", "total"]),
            "side": st.sampled_from(["", "Ministry", "Monitor"]),
            "count": st.sampled_from(
                [
                    "exact:0",
                    "exact:12",
                    "exact:40",
                    "approximate:40",
                    "at_least:10",
                    "at_most:15",
                    "range:12-15",
                    "around 40",
                    "at least 12",
                    "12-15",
                    "up to 30",
                    "no civilians",
                    "forty",
                    "more than 12",
                ]
            ),
            "day": st.integers(0, 3),
            "retracted": st.booleans(),
        }
    ),
    min_size=1,
    max_size=10,
)


def csv_row(generated):
    fields = {
        "event_ref": generated["event"], "party": generated["party"], "category": generated["category"],
        "victim_side": generated["side"], "claimed_on": (date(2018, 1, 1) + timedelta(generated["day"])).isoformat(),
        "retracted": "true" if generated["retracted"] else "false", "source_title": "Report",
        "qualifier": "", "best": "",
    }  # fmt: skip
    qualifier, _, numbers = generated["count"].partition(":")
    if numbers:
        fields["qualifier"] = qualifier
        if qualifier == "range":
            fields["low"], fields["high"] = numbers.split("-")
        else:
            fields[{"exact": "best", "approximate": "best", "at_least": "low", "at_most": "high"}[qualifier]] = numbers
    else:
        fields["wording"] = generated["count"]
    return row(party_kind="monitor", **fields)


def count_of(fields):
    if fields["qualifier"]:
        return Count(fields["qualifier"], *(int(fields[n]) if fields.get(n) else None for n in ("low", "best", "high")))
    return count_from_wording(fields["wording"])


def each_claim_once(rows):
    """Keep the first row of each claim: a file states a claim once (a repeat is the same claim)."""
    seen, kept = set(), []
    for fields in rows:
        identity = tuple(fields[name] for name in ("event_ref", "party", "category", "victim_side", "claimed_on"))
        if (identity, count_of(fields)) not in seen:
            seen.add((identity, count_of(fields)))
            kept.append(fields)
    return kept


def expected_from_rows(rows):
    """Apply the rules straight to the file's rows, without the database."""
    by_event = {}
    for key, fields in enumerate(rows):
        count = count_of(fields)
        by_event.setdefault(fields["event_ref"], []).append(
            ClaimFacts(
                key=key,
                party=fields["party"],
                category=fields["category"],
                victim_side=fields["victim_side"] or None,
                count=count,
                claimed_on=date.fromisoformat(fields["claimed_on"]),
                entered=(key,),
                retracted=fields["retracted"] == "true",
            )
        )
    return {ref: event_result(facts, thresholds()) for ref, facts in by_event.items()}


def as_number(ratio):
    return None if ratio is None else float(ratio)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claim_rows)
def test_any_file_imports_to_what_the_rules_give(tmp_path_factory, generated):
    Claim.objects.all().delete()
    Event.objects.all().delete()
    rows = each_claim_once([csv_row(fields) for fields in generated])
    path = write_csv(tmp_path_factory.mktemp("any"), rows)
    run("import_claims", str(path))
    records = export_json()
    for ref, result in expected_from_rows(rows).items():
        record = records[ref]
        assert record["level"] == result.level
        assert record["ratio"] == as_number(result.ratio)
        assert record["classification_dispute"] == result.classification_dispute
        assert sorted(
            (g["category"], g["victim_side"] or "", g["level"], g["ratio"]) for g in record["groups"]
        ) == sorted((g.category, g.victim_side or "", g.level, as_number(g.ratio)) for g in result.groups)
        current = sum(claim["current"] for group in record["groups"] for claim in group["claims"])
        assert current == len(result.current)


def test_ratios_are_stored_exactly_rounded():
    run("import_claims", str(DATA / "claims_every_form.csv"))
    assert Event.objects.get(ref="FIX-01").ratio == Decimal("5.14")
