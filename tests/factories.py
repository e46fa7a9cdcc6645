"""Small factories for the tests: each makes a valid object, with any field overridden.

`make_claim` saves its claim as the admin does, so the event's summary is refreshed at once; a test
that makes many claims makes them inside `claims_made()`, which summarises each event once, at the end.
"""

import itertools
from contextlib import contextmanager
from datetime import date
from importlib import import_module

from tracker.models import Claim, Event, FateClaim, Party, Person, Source, Subgroup
from tracker.models.signals import claims_changes_batched

sequence = itertools.count(1)


def make_party(**fields) -> Party:
    fields.setdefault("name", f"Party {next(sequence)}")
    fields.setdefault("kind", "monitor")
    return Party.objects.create(**fields)


def make_event(**fields) -> Event:
    number = next(sequence)
    fields.setdefault("ref", f"TEST-{number:04d}")
    fields.setdefault("title", f"Test event {number}")
    fields.setdefault("start_date", date(2018, 1, 1))
    fields.setdefault("location_name", "Raqqa")
    fields.setdefault("country", "SY")
    return Event.objects.create(**fields)


def make_source(**fields) -> Source:
    fields.setdefault("title", f"Report {next(sequence)}")
    return Source.objects.create(**fields)


def seeded_subgroup(code: str) -> Subgroup:
    """Return a subgroup the migration seeds, seeded again where a transactional test's flush removed it."""
    seeded = {row[0]: row for row in import_module("tracker.migrations.0016_outcome_subgroup").SEEDED}
    _, name, name_ar, category = seeded[code]
    defaults = {"name": name, "name_ar": name_ar, "category": category}
    return Subgroup.objects.get_or_create(code=code, defaults=defaults)[0]


def subgroups_seeded() -> None:
    """Make sure every subgroup the migration seeds is stored (one query when they are)."""
    codes = [code for code, *_ in import_module("tracker.migrations.0016_outcome_subgroup").SEEDED]
    if Subgroup.objects.filter(code__in=codes).count() < len(codes):
        for code in codes:
            seeded_subgroup(code)


def make_claim(event=None, party=None, *, count=None, **fields) -> Claim:
    """Make a claim; `count` is (qualifier, low, best, high) or an int for an exact count."""
    if count is None:
        count = ("exact", None, 10, None)
    elif isinstance(count, int):
        count = ("exact", None, count, None)
    fields["qualifier"], fields["low"], fields["best"], fields["high"] = count
    fields.setdefault("category", "civilian")
    fields.setdefault("claimed_on", date(2018, 1, 2))
    return Claim.objects.create(
        event=event or make_event(),
        party=party or make_party(),
        source=fields.pop("source", None) or make_source(),
        **fields,
    )


def make_person(**fields) -> Person:
    fields.setdefault("name", f"Person {next(sequence)}")
    return Person.objects.create(**fields)


def make_fate_claim(person=None, party=None, fate="killed", **fields) -> FateClaim:
    """Make a fate claim, on 8 September 2017 unless an event or a fate date is given."""
    if "event" not in fields:
        fields.setdefault("fate_date", date(2017, 9, 8))
    fields.setdefault("claimed_on", date(2017, 9, 10))
    return FateClaim.objects.create(
        person=person or make_person(),
        party=party or make_party(),
        source=fields.pop("source", None) or make_source(),
        fate=fate,
        **fields,
    )


@contextmanager
def claims_made():
    """Summarise the events of the claims made inside the block once, when it ends."""
    with claims_changes_batched(sender=Claim):
        yield
