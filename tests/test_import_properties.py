"""Any file at all, random or malformed, CSV or xlsx: the importer gives a clean import of exactly
what the file says, or clean errors each on a line with nothing stored. Never a traceback, never
part of a file."""

import csv
import io
import random
import zipfile

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.helpers import xlsx_bytes
from tracker.ingest.formats.claims import COLUMNS, REQUIRED_COLUMNS
from tracker.ingest.importer import file_import
from tracker.models import Claim, Event, Party, Source, Subgroup
from tracker.rules.dates import stated_date, stated_text

pytestmark = pytest.mark.django_db
MODELS = (Event, Party, Source, Claim)
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Values that read well, and values that do not: random text and unicode, control characters,
# numbers of thousands of digits, dates that do not exist.
odd_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8", min_codepoint=0, max_codepoint=0x3000), max_size=12),
    st.sampled_from(["\x00", "a\x00b", "\x1b[0m", " ", "\r\n", '"', "=1+1", "١٢", "٤٠", "NaN", "inf", "-0"]),
)
numbers = st.one_of(
    st.integers(-5, 60).map(str),
    st.integers(19, 5000).map(lambda digits: "9" * digits),
    st.sampled_from(["1e999999999", "-1e30", "2.5", "3000000000", "12.0", "1,000", ""]),
)
dates = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(["2018-01-06", "2018-02-30", "01/02/2018", "2018-01-06T00:00", "99999-01-01", ""]),
    st.sampled_from(["2017-09", "2017", "2017-13", "2017-9", "0000"]),  # a month or a year, and what is neither
)
VALUES = {
    "event_ref": st.one_of(st.sampled_from(["EV-1", "EV-2", ""]), odd_text),
    "event_title": st.one_of(st.just("Strike"), odd_text),
    "event_date": dates,
    "event_date_end": dates,
    "country": st.one_of(st.sampled_from(["SY", "iq", "Syria", ""]), odd_text),
    "location": st.one_of(st.just("Raqqa"), odd_text),
    "latitude": st.one_of(st.sampled_from(["35.9", "", "91"]), numbers),
    "longitude": st.one_of(st.sampled_from(["39.0", ""]), numbers),
    "party": st.one_of(st.sampled_from(["Ministry", "Monitor", "monitor"]), odd_text),
    "party_kind": st.sampled_from(["monitor", "government", "", "spy"]),
    "category": st.sampled_from(["civilian", "total", "Combatant", "children", ""]),
    "outcome": st.one_of(st.sampled_from(["", "killed", "Injured", "dead"]), odd_text),
    "victim_side": st.one_of(st.sampled_from(["", "Ministry", "Rebels"]), odd_text),
    "subgroup": st.one_of(st.sampled_from(["", "children", "Medical workers", "commanders", "kids"]), odd_text),
    "qualifier": st.sampled_from(["exact", "approximate", "at_least", "at_most", "range", "", "dozens"]),
    "low": numbers,
    "best": numbers,
    "high": numbers,
    "wording": st.one_of(st.sampled_from(["around 40", "at least 12", "12-15", "no civilians", "forty"]), odd_text),
    "claimed_on": dates,
    "source_date": dates,
    "source_title": st.one_of(st.sampled_from(["Report", "Statement", ""]), odd_text),
    "source_url": st.sampled_from(["", "https://example.org/a", "not a link"]),
    "retracted": st.sampled_from(["", "true", "false", "maybe"]),
    "notes": odd_text,
}
VALID = {
    "event_ref": "EV-1", "event_title": "Strike", "event_date": "2018-01-05", "country": "SY", "location": "Raqqa",
    "party": "Monitor", "party_kind": "monitor", "category": "civilian", "qualifier": "exact", "best": "12",
    "claimed_on": "2018-01-06", "source_title": "Report",
}  # fmt: skip


@st.composite
def claim_tables(draw) -> list[list[str]]:
    """A header of claims columns (some missing, some unknown, maybe repeated) and rows of good or odd values."""
    columns = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=len(COLUMNS), unique=True))
    if draw(st.integers(0, 3)):  # mostly a header that can be read
        columns = list(dict.fromkeys([*REQUIRED_COLUMNS, *VALID, *columns]))
    if not draw(st.integers(0, 3)):  # now and then a column unknown, unnamed or repeated
        columns += draw(st.lists(st.sampled_from(["extra", "EVENT_REF", "", "notes"]), max_size=2))
    rows = []
    for number in range(draw(st.integers(0, 6))):
        odd = draw(st.sets(st.sampled_from(columns), max_size=2)) if draw(st.booleans()) else set()
        good = {**VALID, "best": str(number)}  # claims of their own, unless an odd value makes them alike
        rows.append([draw(VALUES.get(name, odd_text)) if name in odd else good.get(name, "") for name in columns])
        if draw(st.integers(0, 9)) == 0:
            rows[-1] = rows[-1] + [draw(odd_text)]  # a field more than the header has
    return [columns, *rows]


def as_csv(table: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(table)
    return text.getvalue().encode()


def as_xlsx(table: list[list[str]]) -> bytes:
    return xlsx_bytes(table)


def workbook_text(value: str) -> str:
    """What a workbook cell can hold of a text: no control characters, and text, not a formula."""
    return "".join(char for char in value if char in "\t\n\r" or ord(char) >= 32).lstrip("=")


def stored() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS) + tuple(model.history.count() for model in MODELS)


def imported_cleanly_or_not_at_all(content: bytes, name: str) -> None:
    """Import a file and check the importer's promise whatever the file holds."""
    before = stored()
    report = file_import(file=io.BytesIO(content), name=name)  # nothing may escape
    after = stored()
    event("refused" if not report.ok else "imported")
    if not report.ok:
        assert after == before, "a refused file stored something"
        assert all(isinstance(note.line, int) and note.line >= 1 and note.message for note in report.errors)
        return
    created = report.created
    assert after[:4] == tuple(before[i] + created[kind] for i, kind in enumerate(["events", "parties", "sources",
                                                                                   "claims"]))  # fmt: skip
    assert created["claims"] + report.updated + report.unchanged == report.rows


def what_the_file_says(table: list[list[str]]) -> set[tuple]:
    """The claims a file states, by event, outcome, category, subgroup and date, as the importer reads them."""
    header = [name.strip().lower() for name in table[0]]
    codes = {name.casefold(): code for code, name in Subgroup.objects.values_list("code", "name")}
    codes |= {code: code for code in codes.values()}
    said = set()
    for cells in table[1:]:
        row = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        if any(row.values()):
            category = row["category"].lower().replace(" ", "_")
            outcome = row.get("outcome", "").lower() or "killed"
            subgroup = codes[row["subgroup"].casefold()] if row.get("subgroup") else None
            said.add((row["event_ref"], outcome, category, subgroup, stated_text(*stated_date(row["claimed_on"]))))
    return said


@EXAMPLES
@given(table=claim_tables(), workbook=st.booleans())
def test_any_claims_file_imports_whole_and_as_it_says_or_not_at_all(table, workbook):
    for model in (Claim, Source, Event, Party):
        model.objects.all().delete()
    if workbook:
        table = [[workbook_text(value) for value in row] for row in table]
    content, name = (as_xlsx(table), "claims.xlsx") if workbook else (as_csv(table), "claims.csv")

    imported_cleanly_or_not_at_all(content, name)

    if Claim.objects.exists():
        stored_claims = {(ref, outcome, category, subgroup, stated_text(day, precision))
                         for ref, outcome, category, subgroup, day, precision
                         in Claim.objects.values_list("event__ref", "outcome", "category", "subgroup__code",
                                                      "claimed_on", "claimed_on_precision")}  # fmt: skip
        assert stored_claims == what_the_file_says(table)


def corrupted(content: bytes, seed: int, flips: int) -> bytes:
    """Overwrite a few bytes at random places, as a broken disk or transfer would."""
    chance = random.Random(seed)
    data = bytearray(content)
    for _ in range(flips):
        data[chance.randrange(len(data))] = chance.randrange(256)
    return bytes(data)


@EXAMPLES
@given(table=claim_tables(), seed=st.integers(0, 2**32), flips=st.integers(1, 20), workbook=st.booleans())
def test_a_corrupted_file_is_a_clean_import_or_a_clean_refusal(table, seed, flips, workbook):
    if workbook:
        table = [[workbook_text(value) for value in row] for row in table]
    content, name = (as_xlsx(table), "claims.xlsx") if workbook else (as_csv(table), "claims.csv")
    imported_cleanly_or_not_at_all(corrupted(content, seed, flips), name)


@st.composite
def workbook_parts_mangled(draw) -> bytes:
    """A workbook whose XML parts are cut short, emptied, swapped for random bytes or given entities."""
    content = as_xlsx([[workbook_text(value) for value in row] for row in draw(claim_tables())])
    source = zipfile.ZipFile(io.BytesIO(content))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as target:
        for part in source.namelist():
            data = source.read(part)
            change = draw(st.sampled_from(["keep", "keep", "cut", "empty", "random", "entity", "drop"]))
            if change == "drop":
                continue
            data = {
                "keep": data,
                "cut": data[: draw(st.integers(0, max(len(data) - 1, 0)))],
                "empty": b"",
                "random": draw(st.binary(max_size=200)),
                "entity": b'<!DOCTYPE x [<!ENTITY e "eeeeeeeeee">]>' + data.replace(b"<t>", b"<t>&e;", 1),
            }[change]
            target.writestr(part, data)
    return stream.getvalue()


@EXAMPLES
@given(content=workbook_parts_mangled())
def test_a_workbook_with_broken_parts_is_a_clean_import_or_a_clean_refusal(content):
    imported_cleanly_or_not_at_all(content, "claims.xlsx")


@EXAMPLES
@given(content=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes_are_a_clean_refusal(content, suffix):
    imported_cleanly_or_not_at_all(content, f"claims{suffix}")
