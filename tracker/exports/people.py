"""Writing people and their fate claims out: the people format, which `import_claims --format people` reads
back unchanged, and JSON, one object per person with their conflicts and fates.

Pass `user=` whenever the data leaves for a person: a confidential source is then named only to those who
may see it, and the notes of its fate claims are left out, as for claims (tracker.exports.claims).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO

from django.db.models import Prefetch, Value

from tracker import visibility
from tracker.exports.claims import blank_if_none, cited_columns, relay_depth, source_relayed
from tracker.ingest.formats.people import write_people_csv
from tracker.ingest.rows import NAMES_JOINED
from tracker.models import FateClaim, OtherName, Person
from tracker.rules import fates
from tracker.rules.dates import stated_text

# What a row reads of a fate claim, its person and its source, as plain values.
ROW_FIELDS = (
    "person_id", "person__name", "person__affiliation__name", "person__role", "person__sex", "person__age",
    "person__age_group", "fate", "hedge", "status", "event__ref", "fate_date", "fate_date_precision",
    "party__name", "party__kind", "claimed_on", "claimed_on_precision", "wording",
    "source__title", "source__url", "source__publisher", "source__published_on", "source__published_on_precision",
    "source__confidential", "source_relays", "source__relays__confidential", "retracted", "notes",
)  # fmt: skip


def other_names_of(people) -> dict[int, str]:
    """Return these people's other names, by person: joined by `|` in code point order, as the column holds them."""
    names = defaultdict(list)
    for person_id, name in OtherName.objects.filter(person__in=people).values_list("person_id", "name"):
        names[person_id].append(name)
    return {person_id: NAMES_JOINED.join(sorted(given)) for person_id, given in names.items()}


def fate_claims_in_order(fate_claims):
    """Return fate claims in an order an import reproduces: each source's after those of the source it relays,
    so that source_relays names a source of an earlier line; then by person's name, then as entered."""
    depth = relay_depth()
    ordered = fate_claims.annotate(source_relays=source_relayed(), relay_depth=depth)
    return ordered.order_by(*([] if isinstance(depth, Value) else ["relay_depth"]), "person__name", "person_id", "pk")


def fate_rows(fate_claims=None, *, user=None) -> Iterator[dict]:
    """Yield every fate claim as a row of the people format, in an order an import reproduces.

    With a `user` who may not see confidential sources, such a source is written as "Confidential source"
    with nothing that identifies it, and the fate claim's notes are left out.
    """
    fate_claims = fate_claims if fate_claims is not None else FateClaim.objects.all()
    hides_confidential = user is not None and not visibility.sees_confidential(user)
    other_names = other_names_of(fate_claims.order_by().values("person_id"))
    for (person_id, person, affiliation, role, sex, age, age_group, fate, hedge, status, event_ref, fate_date,
         fate_date_precision, party, kind, claimed_on, claimed_on_precision, wording, source_title, source_url,
         publisher, published_on, published_on_precision, confidential, relays, relays_confidential, retracted,
         notes) in fate_claims_in_order(fate_claims).values_list(*ROW_FIELDS).iterator(5000):  # fmt: skip
        yield {
            "person": person,
            "other_names": other_names.get(person_id, ""),
            "affiliation": blank_if_none(affiliation),
            "role": role,
            "sex": sex,
            "age": blank_if_none(age),
            "age_group": age_group,
            "fate": fate,
            "hedge": hedge,
            "status": status,
            "event_ref": blank_if_none(event_ref),
            "fate_date": "" if fate_date is None else stated_text(fate_date, fate_date_precision),
            "party": party,
            "party_kind": kind,
            "claimed_on": stated_text(claimed_on, claimed_on_precision),
            "wording": wording,
            **cited_columns(
                hides_confidential, title=source_title, url=source_url, publisher=publisher, published_on=published_on,
                published_on_precision=published_on_precision, confidential=confidential, relays=relays,
                relays_confidential=relays_confidential, retracted=retracted, notes=notes,
            ),
        }  # fmt: skip


def person_records(people=None) -> Iterator[dict]:
    """Yield one JSON object per person, by name: their names, affiliation, reported deaths, conflicts (their
    kinds, sorted) and fate claims (each with its party, dates as stated, and whether it is current).

    It names no source and holds no notes: nothing in it is hidden from anyone.
    """
    people = people if people is not None else Person.objects.all()
    fate_claims = FateClaim.objects.select_related("party", "event").order_by("claimed_on", "entered_at", "pk")
    people = people.select_related("affiliation").prefetch_related(
        Prefetch("other_names", OtherName.objects.order_by("name")), Prefetch("fate_claims", fate_claims)
    )
    for person in people.order_by("name", "pk").iterator(1000):
        claims = list(person.fate_claims.all())
        current = {report.key for report in fates.current_reports(claim.report() for claim in claims)}
        yield {
            "name": person.name,
            "other_names": [other.name for other in person.other_names.all()],
            "affiliation": person.affiliation.name if person.affiliation else None,
            "reported_deaths": person.reported_deaths,
            "conflicts": sorted(person.conflicts),
            "fates": [
                {
                    "party": claim.party.name,
                    "fate": claim.fate,
                    "hedge": claim.hedge,
                    "status": claim.status,
                    "event_ref": claim.event.ref if claim.event else None,
                    "fate_date": claim.fate_date and stated_text(claim.fate_date, claim.fate_date_precision),
                    "claimed_on": stated_text(claim.claimed_on, claim.claimed_on_precision),
                    "current": claim.pk in current,
                }
                for claim in claims
            ],
        }


def people_json_write(records: Iterable[dict], stream: IO) -> None:
    """Write person records as one JSON array, a person a line."""
    stream.write("[")
    for index, record in enumerate(records):
        stream.write(("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False))
    stream.write("\n]\n")


def people_export(*, format: str, stream: IO, user=None) -> None:
    """Write every person as `format` says: "json", or "csv" in the people format."""
    if format == "json":
        people_json_write(person_records(), stream)
    elif format == "csv":
        write_people_csv(fate_rows(user=user), stream)
    else:
        raise ValueError(f"unknown people export format {format!r}")
