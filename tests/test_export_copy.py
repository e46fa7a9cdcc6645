"""On PostgreSQL the database writes the CSV exports itself: byte for byte what the Python writers write."""

import io
from datetime import date

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts import make_confidant, make_reader
from tests.factories import make_claim, make_event, make_party, make_source, seeded_subgroup
from tracker.exports.claims import claim_rows, claims_export, claims_write
from tracker.models import Claim, Source
from tracker.models.sources import source_identity
from tracker.rules.dates import first_day

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL writes the CSV itself"),
]

# Text as people type it and worse: separators, quotes, line ends, formula starts behind quotes,
# numbers that are no formula, digits of other scripts, and anything else PostgreSQL can hold.
AWKWARD = ["", ",", '"', '""', "\n", "\r", "\r\n", "\\", "\\N", "\\.", "'", "''=", "=", "+", "-", "@", "\t",
           "-12", "+3.5", "-1.", "-٣", "+١٢.٥", "=1+2", "é", "名", "😀", " ", "\x0b", "\x08", "\x0c", "a"]  # fmt: skip
text = st.lists(
    st.one_of(st.sampled_from(AWKWARD), st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))),
    max_size=4,
).map("".join)


def python_csv(claims, user) -> str:
    stream = io.StringIO()
    claims_write(claim_rows(claims, user=user), format="csv", stream=stream)
    return stream.getvalue()


def copied_csv(claims, user) -> str:
    stream = io.StringIO()
    claims_export(claims, user=user, format="csv", stream=stream)
    return stream.getvalue()


claim_fields = st.fixed_dictionaries(
    {
        "ref": text.filter(bool),
        "title": text,
        "location": text,
        "region": text,
        "party": text,
        "side": st.none() | text,
        "wording": text,
        "notes": text,
        "source_title": text,
        "url": text,
        "publisher": text,
        "published_on": st.none() | st.dates(min_value=date(1, 1, 1)),
        "confidential": st.booleans(),
        "latitude": st.none() | st.decimals(-90, 90, places=6),
        "end_date": st.none() | st.dates(min_value=date(2018, 1, 1)),
        "count": st.one_of(
            st.integers(0, 10**6).map(lambda best: ("exact", None, best, None)),
            st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)).map(
                lambda pair: ("range", min(pair), None, max(pair))
            ),
        ),
        "retracted": st.booleans(),
        "outcome": st.sampled_from(["killed", "injured"]),
        "subgroup": st.sampled_from([None, "children", "journalists"]),
        "claimed_on": st.dates(min_value=date(1, 1, 1)),
        "claimed_on_precision": st.sampled_from(["day", "month", "year"]),
        "published_on_precision": st.sampled_from(["day", "month", "year"]),
    }
)


def claim_made(fields: dict, number: int) -> Claim:
    event = make_event(
        ref=f"{fields['ref'][:40]}{number}",
        title=fields["title"][:300],
        location_name=fields["location"],
        admin_region=fields["region"][:200],
        end_date=fields["end_date"],
        latitude=fields["latitude"],
        longitude=None if fields["latitude"] is None else -fields["latitude"],
    )
    cited = {
        "title": fields["source_title"][:500],
        "url": fields["url"][:1000] or ("" if fields["source_title"] else "https://example.org/"),
        "publisher": fields["publisher"][:200],
        "published_on": fields["published_on"] and first_day(fields["published_on"], fields["published_on_precision"]),
        "published_on_precision": fields["published_on_precision"],
        "confidential": fields["confidential"],
    }
    # Two claims drawn with one source's identity cite that one source, as the database holds.
    identity = source_identity(Source(**cited))
    source = next((stored for stored in Source.objects.all() if source_identity(stored) == identity), None)
    source = source or make_source(**cited)
    side = None if fields["side"] is None else make_party(name=f"{fields['side'][:290]}{number}~")
    return make_claim(
        event,
        make_party(name=f"{fields['party'][:290]}{number}"),
        count=fields["count"],
        victim_side=side,
        wording=fields["wording"][:300],
        notes=fields["notes"],
        source=source,
        retracted=fields["retracted"],
        outcome=fields["outcome"],
        subgroup=fields["subgroup"] and seeded_subgroup(fields["subgroup"]),
        claimed_on=first_day(fields["claimed_on"], fields["claimed_on_precision"]),
        claimed_on_precision=fields["claimed_on_precision"],
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(claim_fields, min_size=1, max_size=6))
def test_postgresql_writes_the_claims_csv_that_python_writes(db, many):
    with transaction.atomic():
        reader, confidant = make_reader(), make_confidant()
        for number, fields in enumerate(many):
            claim_made(fields, number)
        claims = Claim.objects.all()
        for user in (None, reader, confidant):
            assert copied_csv(claims, user) == python_csv(claims, user)
        transaction.set_rollback(True)


def test_postgresql_writes_every_awkward_cell_as_python_writes_it(db):
    texts = [
        "ref",
        "title",
        "location",
        "region",
        "party",
        "side",
        "wording",
        "notes",
        "source_title",
        "url",
        "publisher",
    ]
    unset = {
        "published_on": None, "published_on_precision": "day", "claimed_on": date(2018, 1, 2),
        "claimed_on_precision": "day", "latitude": None, "end_date": None, "retracted": False, "outcome": "killed",
        "subgroup": None,
    }  # fmt: skip
    for number, awkward in enumerate(AWKWARD):
        fields = {**dict.fromkeys(texts, awkward), **unset, "count": ("exact", None, 0, None)}
        claim_made({**fields, "confidential": number % 2 == 1}, number)
    claims = Claim.objects.all()
    for user in (None, make_reader(), make_confidant()):
        assert copied_csv(claims, user) == python_csv(claims, user)


def test_a_filtered_claims_download_in_arabic_hides_as_python_does(client):
    """The page's download takes the same path: its filters, its reader's visibility, its language."""
    secret = make_source(title="Informant, Hajin", confidential=True)
    for ref, title in [("SYR-M-1", "Market strike"), ("SYR-M-2", '"Market", east'), ("SYR-O-1", "Other")]:
        make_claim(make_event(ref=ref, title=title), source=secret, notes="told by Abu Khalid, 3 May")
        make_claim(make_event(ref=f"{ref}-B", title=title), notes="=1+1")
    reader = make_reader()
    client.force_login(reader)
    response = client.get(reverse("event_claims_download", args=["csv"]), {"q": "market"}, HTTP_ACCEPT_LANGUAGE="ar")
    claims = Claim.objects.filter(event__title__icontains="market")
    with translation.override("ar"):
        written = python_csv(claims, reader)
    assert "مصدر سرّي" in written and "Abu Khalid" not in written
    assert response.content.decode("utf-8-sig") == written


def test_postgresql_writes_perpetrators_and_relays_as_python_does_hiding_a_confidential_relay(db):
    event, other = make_event(ref="SYR-P-1"), make_event(ref="SYR-P-2")
    # Ordered by code point in both: "B" before "a" before "É", whatever the database's collation says.
    event.alleged_perpetrators.set([make_party(name=name) for name in ["a militia", "É army", "B ministry", "=x"]])
    secret = make_source(title="Informant", confidential=True)
    agency = make_source(title="Agency, bulletin")  # no URL: named by its title
    wire = make_source(title="Wire", url="https://wire.example/1", relays=agency)
    retold = make_source(title="Retold", url="https://retold.example/1", relays=secret)
    make_claim(event, source=retold)
    make_claim(event, source=wire)
    make_claim(other, source=agency)
    make_claim(other, source=secret)
    claims, reader = Claim.objects.all(), make_reader()
    for user in (None, reader, make_confidant()):
        assert copied_csv(claims, user) == python_csv(claims, user)
    reader_rows = python_csv(claims, reader).splitlines()
    assert "'=x|B ministry|a militia|É army" in reader_rows[-1]
    assert not any("Informant" in row for row in reader_rows)
