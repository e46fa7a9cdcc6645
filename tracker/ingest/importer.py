"""Importing claims: every row checked, and the whole file stored or nothing at all."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from simple_history.utils import bulk_create_with_history

from tracker.ingest import ucdp
from tracker.ingest.claims_csv import COLUMNS, BadFile, ImportLine, claim_lines, header_problems
from tracker.ingest.tables import read_table
from tracker.models import (
    Claim,
    DatePrecision,
    Event,
    EventType,
    Party,
    PartyKind,
    Source,
    VictimCategory,
)
from tracker.rules import counts
from tracker.rules.wording import count_from_wording
from tracker.summaries import chunked, summaries_deferred

# How a report counts what it makes and reuses, in words that do not change with the language.
KINDS = {Event: "events", Party: "parties", Source: "sources", Claim: "claims"}
LOOK_AHEAD = 500  # lines whose events, claims and sources are loaded together
LARGEST_COUNT = 2_147_483_647  # what the database's integer column holds
ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00)?)?$")
TRUE = {"true", "yes", "y", "1"}
FALSE = {"false", "no", "n", "0", ""}


@dataclass
class LineNote:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class ImportReport:
    """What an import did, or would do in a dry run, and every bad row."""

    dry_run: bool = False
    rows: int = 0
    created: Counter = field(default_factory=Counter)  # events, parties, sources, claims
    reused: Counter = field(default_factory=Counter)  # events, parties, sources already stored
    updated: int = 0  # claims already stored whose retraction, wording or notes changed
    unchanged: int = 0  # claims already stored as they are in the file
    errors: list[LineNote] = field(default_factory=list)
    warnings: list[LineNote] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def stored(self) -> bool:
        return self.ok and not self.dry_run

    def summary(self) -> str:
        made = ", ".join(f"{self.created[kind]} {kind}" for kind in ("events", "parties", "sources", "claims"))
        return f"{self.rows} rows: new {made}; {self.updated} claims updated, {self.unchanged} already stored unchanged"


class RowProblems(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def parse_date(value: str, column: str, problems: list[str]) -> date | None:
    if not value:
        return None
    match = ISO_DATE.match(value)
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:  # 2018-02-30
            pass
    problems.append(f"{column} '{value}' is not a date as YYYY-MM-DD")
    return None


def parse_count_number(value: str, column: str, problems: list[str]) -> int | None:
    if value == "":
        return None
    try:
        number = Decimal(value.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        problems.append(f"{column} '{value}' is not a whole number")
        return None
    if not number.is_finite() or number != number.to_integral_value():
        problems.append(f"{column} '{value}' is not a whole number")
        return None
    if number < 0:
        problems.append(f"{column} '{value}' is negative; a death count cannot be")
        return None
    if number > LARGEST_COUNT:
        problems.append(f"{column} '{value}' is larger than any death count the tracker can hold")
        return None
    return int(number)


def parse_choice(value: str, column: str, choices, problems: list[str], default=None) -> str | None:
    value = value.strip().lower().replace(" ", "_")
    if not value:
        return default
    if value not in choices.values:
        problems.append(f"{column} '{value}' is not one of {', '.join(choices.values)}")
        return None
    return value


def parse_coordinate(value: str, column: str, limit: int, problems: list[str]) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        problems.append(f"{column} '{value}' is not a number")
        return None
    if not -limit <= number <= limit:
        problems.append(f"{column} {value} lies outside -{limit} to {limit}")
        return None
    return number.quantize(Decimal("0.000001"))


def parse_count(row: dict, problems: list[str]) -> counts.Count | None:
    numbers = {name: parse_count_number(row.get(name, ""), name, problems) for name in ("low", "best", "high")}
    qualifier = row.get("qualifier", "").strip().lower().replace(" ", "_")
    wording = row.get("wording", "")
    if not qualifier:
        if any(value is not None for value in numbers.values()):
            problems.append("numbers are given but the qualifier is empty; give the qualifier too")
            return None
        if not wording:
            problems.append("no count: give a qualifier with its numbers, or the wording")
            return None
        count = count_from_wording(wording)
        if count is None:
            problems.append(f"the count cannot be read from the wording '{wording}'; give a qualifier and numbers")
        return count
    if len(problems):
        return None
    count_problems = counts.count_problems(qualifier, numbers["low"], numbers["best"], numbers["high"])
    if count_problems:
        problems.extend(count_problems.values())
        return None
    return counts.Count(qualifier, **numbers)


def fields_checked(instance, problems: list[str], label: str, exclude=()):
    """Return the instance if its fields are valid (lengths, formats), else note why and None."""
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems.extend(f"{label} {name}: {message}" for message in messages)
        return None
    return instance


def identity(instance) -> int | tuple | None:
    """Return what tells stored or new objects apart: the primary key, or the new object itself."""
    if instance is None:
        return None
    return instance.pk if instance.pk is not None else ("new", id(instance))


class ClaimsImporter:
    """Takes claim rows line by line, noting each bad one, and stores the good ones in batches.

    New objects are written a batch of lines at a time, with their history
    (django-simple-history's bulk_create_with_history), rather than one save() each: on years
    of data that is the difference between seconds and minutes.
    """

    def __init__(self, *, report: ImportReport, user=None, reason: str = ""):
        self.report = report
        self.user = user
        self.reason = reason
        self.events: dict[str, Event] = {}
        self.claim_keys: dict[str, dict[tuple, Claim]] = {}  # by event ref
        self.sources: dict[tuple, Source] = {}
        # Refs and source keys already looked up, so that one not found is known to be new.
        self.refs_looked_up: set[str] = set()
        self.source_keys_looked_up: set[tuple] = set()
        # A confidential source is reused only by those who may see it: for anyone else a file
        # naming it makes a source of their own, so that an import never tells them it exists.
        self.usable_sources = Source.objects.all() if user is None else Source.objects.visible_to(user)
        self.parties: dict[str, Party] = {}
        for party in Party.objects.all():
            self.remember_party(party)
        self.pending: dict[type, list] = {Party: [], Event: [], Source: [], Claim: []}
        self.counted_ids: set[int] = set()  # objects already counted as created or reused
        self.touched_refs: set[str] = set()
        # Claims this file has stated, by object: the line and what it said of them.
        self.stated: dict[int, tuple[int, tuple]] = {}
        # Parties this file added as a victim side with a default kind, until a row names their kind.
        self.kind_defaulted: set[int] = set()

    def remember_party(self, party: Party):
        for name in party.names():
            self.parties.setdefault(name, party)

    def stamped(self, instance):
        """Save an instance with the importer's user and reason in its history."""
        instance._history_user = self.user
        instance._change_reason = self.reason
        instance.save()
        return instance

    def look_ahead(self, lines: list[ImportLine]) -> None:
        """Load in a few queries the events, their claims and the sources that these lines name."""
        rows = [row for item in lines for row in item.claims]
        refs = {row.get("event_ref", "") for row in rows} - self.refs_looked_up - {""}
        events = list(Event.objects.filter(ref__in=refs))
        refs_by_pk = {}
        for event in events:
            self.events[event.ref] = event
            self.claim_keys[event.ref] = {}
            refs_by_pk[event.pk] = event.ref
        for claim in Claim.objects.filter(event__in=events):
            self.claim_keys[refs_by_pk[claim.event_id]][self.claim_key(claim)] = claim
        self.refs_looked_up |= refs

        urls = {row["source_url"] for row in rows if row.get("source_url")}
        titles = {row.get("source_title", "") for row in rows if not row.get("source_url")}
        for source in self.usable_sources.filter(url__in=urls).order_by("pk"):
            self.sources.setdefault(("url", source.url), source)
        for source in self.usable_sources.filter(url="", title__in=titles).order_by("pk"):
            self.sources.setdefault(("title", source.title, source.published_on, source.publisher), source)
        self.source_keys_looked_up |= {("url", url) for url in urls} | {("title", title) for title in titles}

    def take(self, item: ImportLine) -> None:
        """Take the claims of one input line, or note every reason it cannot be stored."""
        self.report.rows += 1
        self.report.warnings.extend(LineNote(item.line, warning) for warning in item.warnings)
        problems = list(item.problems)
        if not problems:
            for row in item.claims:
                try:
                    self.store(item.line, row)
                except RowProblems as error:
                    # A line of several claims repeats its event's problems in each; say them once.
                    problems.extend(message for message in error.messages if message not in problems)
        if problems:
            self.report.errors.append(LineNote(item.line, "; ".join(problems)))

    def store(self, line: int, row: dict[str, str]) -> None:
        problems: list[str] = []
        event = self.event_for(row, problems)
        party = self.party_for(row.get("party", ""), row.get("party_kind", ""), "party", problems, line)
        category = parse_choice(row.get("category", ""), "category", VictimCategory, problems)
        if not row.get("category"):
            problems.append("category is empty")
        victim_side = None
        if row.get("victim_side"):
            victim_side = self.party_for(
                row["victim_side"], row.get("victim_side_kind", ""), "victim_side", problems, line
            )
        count = parse_count(row, problems)
        claimed_on = parse_date(row.get("claimed_on", ""), "claimed_on", problems)
        if not row.get("claimed_on"):
            problems.append("claimed_on is empty")
        retracted = row.get("retracted", "").strip().lower()
        if retracted not in TRUE | FALSE:
            problems.append(f"retracted '{row['retracted']}' is not true or false")
        source = self.source_for(row, problems)
        if problems:
            raise RowProblems(problems)

        for needed in (event, party, victim_side, source):
            self.needed(needed)
        claim = Claim(
            event=event, party=party, category=category, victim_side=victim_side,
            qualifier=count.qualifier, low=count.low, best=count.best, high=count.high,
            wording=row.get("wording", ""), claimed_on=claimed_on, source=source,
            retracted=retracted in TRUE, notes=row.get("notes", ""), entered_by=self.user,
        )  # fmt: skip
        if fields_checked(claim, problems, "claim", exclude=["event", "party", "source", "victim_side"]) is None:
            raise RowProblems(problems)
        stored = self.stored_claims(event)
        key = (
            identity(party), category, identity(victim_side), claimed_on,
            count.qualifier, count.low, count.best, count.high, identity(source),
        )  # fmt: skip
        said = (claim.retracted, claim.wording, claim.notes)
        existing = stored.get(key)
        if existing is not None and id(existing) in self.stated:
            # The same claim twice in one file: fine if alike, a contradiction if not.
            first_line, first_said = self.stated[id(existing)]
            if said != first_said:
                raise RowProblems(
                    [f"states again the claim of line {first_line}, with another retraction, wording or notes; "
                     "state each claim once"]
                )  # fmt: skip
            self.report.unchanged += 1
            return
        self.claim_details_apply(existing if existing is not None else claim, said, key, stored)
        self.stated[id(stored[key])] = (line, said)

    def claim_details_apply(self, existing: Claim, said: tuple, key: tuple, stored: dict) -> None:
        """Queue a new claim, or bring a stored one's retraction, wording and notes to what the file says."""
        if key not in stored:
            stored[key] = existing
            self.needed(existing)
        elif (existing.retracted, existing.wording, existing.notes) != said:
            existing.retracted, existing.wording, existing.notes = said
            self.stamped(existing)
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def needed(self, instance) -> None:
        """Queue an object the file introduces to be written with the batch, the first time it is used."""
        if instance is None or id(instance) in self.counted_ids:
            return
        self.counted_ids.add(id(instance))
        kind = KINDS[type(instance)]
        if instance.pk is not None:
            self.report.reused[kind] += 1
            return
        self.pending[type(instance)].append(instance)
        self.report.created[kind] += 1
        if isinstance(instance, Claim):
            self.touched_refs.add(instance.event.ref)

    def flush(self) -> None:
        """Write the queued objects with their history, parties, events and sources before claims."""
        for model, objects in self.pending.items():
            if objects:
                bulk_create_with_history(
                    objects, model, batch_size=500, default_user=self.user, default_change_reason=self.reason
                )
            objects.clear()
        # Claims of new objects were filed under the objects themselves; now they have keys.
        for ref in self.touched_refs:
            self.claim_keys[ref] = {self.claim_key(claim): claim for claim in self.claim_keys[ref].values()}
        self.touched_refs.clear()

    @staticmethod
    def claim_key(claim: Claim) -> tuple:
        return (
            claim.party_id, claim.category, claim.victim_side_id, claim.claimed_on,
            claim.qualifier, claim.low, claim.best, claim.high, claim.source_id,
        )  # fmt: skip

    def stored_claims(self, event: Event) -> dict[tuple, Claim]:
        if event.ref not in self.claim_keys:
            claims = event.claims.all() if event.pk is not None else []
            self.claim_keys[event.ref] = {self.claim_key(claim): claim for claim in claims}
        return self.claim_keys[event.ref]

    def event_for(self, row: dict, problems: list[str]) -> Event | None:
        ref = row.get("event_ref", "")
        if not ref:
            problems.append("event_ref is empty")
            return None
        if ref in self.events:
            return self.events[ref]
        event = None if ref in self.refs_looked_up else Event.objects.filter(ref=ref).first()
        if event is None:
            event = self.new_event(ref, row, problems)
        if event is not None:
            self.events[ref] = event
        return event

    def new_event(self, ref: str, row: dict, problems: list[str]) -> Event | None:
        before = len(problems)
        for column in ("event_title", "event_date", "country", "location"):
            if not row.get(column):
                problems.append(f"{column} is needed for the new event {ref}")
        country = row.get("country", "").upper()
        # Checked here once against the code list: the field's own check walks every choice.
        if country and country not in countries:
            problems.append(f"country '{row['country']}' is not an ISO 3166 two-letter code")
        event = Event(
            ref=ref,
            title=row.get("event_title", ""),
            start_date=parse_date(row.get("event_date", ""), "event_date", problems),
            end_date=parse_date(row.get("event_date_end", ""), "event_date_end", problems),
            date_precision=parse_choice(
                row.get("date_precision", ""), "date_precision", DatePrecision, problems, DatePrecision.DAY
            ),
            event_type=parse_choice(row.get("event_type", ""), "event_type", EventType, problems, EventType.OTHER),
            country=country,
            admin_region=row.get("admin1", ""),
            location_name=row.get("location", ""),
            description=row.get("event_description", ""),
            latitude=parse_coordinate(row.get("latitude", ""), "latitude", 90, problems),
            longitude=parse_coordinate(row.get("longitude", ""), "longitude", 180, problems),
        )
        if event.end_date and event.start_date and event.end_date < event.start_date:
            problems.append("event_date_end is before event_date")
        if (event.latitude is None) != (event.longitude is None):
            problems.append("give both latitude and longitude, or neither")
        if len(problems) > before:
            return None
        return fields_checked(event, problems, f"event {ref}", exclude=["country"])

    def party_for(self, name: str, kind: str, column: str, problems: list[str], line: int) -> Party | None:
        if not name:
            problems.append(f"{column} is empty")
            return None
        party = self.parties.get(name.casefold())
        if party is not None:
            if column == "party" and kind and id(party) in self.kind_defaulted:
                self.kind_named(party, kind, problems)
            return party
        defaulted = column == "victim_side" and not kind
        if defaulted:
            kind = PartyKind.OTHER
            self.report.warnings.append(
                LineNote(line, f"victim_side '{name}' is a new party; it is added with the kind 'other' "
                         "unless a later row names its party_kind")
            )  # fmt: skip
        elif not kind:
            problems.append(f"party '{name}' is new; give its party_kind ({', '.join(PartyKind.values)})")
            return None
        kind = parse_choice(kind, "party_kind", PartyKind, problems)
        if kind is None:
            return None
        party = fields_checked(Party(name=name, kind=kind), problems, column)
        if party is not None:
            self.parties[name.casefold()] = party
            if defaulted:
                self.kind_defaulted.add(id(party))
        return party

    def kind_named(self, party: Party, kind: str, problems: list[str]) -> None:
        """Give a party first met as a victim side the kind a later row names for it as claimant."""
        kind = parse_choice(kind, "party_kind", PartyKind, problems)
        if kind is None:
            return
        self.kind_defaulted.discard(id(party))
        party.kind = kind
        if party.pk is not None:  # already written with an earlier batch
            self.stamped(party)

    def source_for(self, row: dict, problems: list[str]) -> Source | None:
        title, url = row.get("source_title", ""), row.get("source_url", "")
        published_on = parse_date(row.get("source_date", ""), "source_date", problems)
        if not title and not url:
            problems.append("the source needs a source_title or a source_url")
            return None
        if url:
            try:
                URLValidator()(url)
            except ValidationError:
                problems.append(f"source_url '{url}' is not a web address")
                return None
        publisher = row.get("source_publisher", "")
        confidential = row.get("source_confidential", "").strip().lower()
        if confidential not in TRUE | FALSE:
            problems.append(f"source_confidential '{row['source_confidential']}' is not true or false")
            return None
        key = ("url", url) if url else ("title", title, published_on, publisher)
        if key not in self.sources:
            if key[:2] in self.source_keys_looked_up:
                found = Source.objects.none()
            elif url:
                found = self.usable_sources.filter(url=url)
            else:
                found = self.usable_sources.filter(title=title, published_on=published_on, publisher=publisher, url="")
            source = found.order_by("pk").first() or fields_checked(
                Source(
                    title=title,
                    url=url,
                    publisher=publisher,
                    published_on=published_on,
                    excerpt=row.get("source_excerpt", ""),
                ),
                problems,
                "source",
            )
            if source is None:
                return None
            self.sources[key] = source
        source = self.sources[key]
        if confidential in TRUE and not source.confidential:
            # A file may hide a source, never reveal one: the stricter word wins.
            source.confidential = True
            if source.pk is not None:
                self.stamped(source)
        return source


def claims_import(
    *, rows: Iterable[tuple[int, dict[str, str]]], header: list[str], dry_run: bool = False, user=None, reason: str = ""
) -> ImportReport:
    """Import claim rows whole or not at all; a dry run checks and counts, then stores nothing."""
    report = ImportReport(dry_run=dry_run)
    problems = header_problems(header)
    if problems:
        report.errors.append(LineNote(1, "; ".join(problems)))
        return report
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        report.warnings.append(LineNote(1, f"column(s) not in the claims format, ignored: {', '.join(unknown)}"))
    return claim_lines_import(lines=claim_lines(rows), report=report, user=user, reason=reason)


def claim_lines_import(
    *, lines: Iterable[ImportLine], report: ImportReport, user=None, reason: str = ""
) -> ImportReport:
    """Import lines read from any format whole or not at all, adding to the reader's report."""
    with transaction.atomic():
        importer = ClaimsImporter(report=report, user=user, reason=reason)
        with summaries_deferred():
            try:
                for chunk in chunked(lines, LOOK_AHEAD):
                    importer.look_ahead(chunk)
                    for item in chunk:
                        importer.take(item)
                    importer.flush()
            except BadFile as error:
                report.errors.append(LineNote(error.line, str(error)))
        if not report.stored:
            transaction.set_rollback(True)
    return report


IMPORT_FORMATS = {
    "claims": _("the claims format (.csv or .xlsx)"),
    "ucdp-ged": _("UCDP Georeferenced Event Dataset (GED 19.1 or 23.1 CSV)"),
}


def ged_import(
    *, rows: Iterable[tuple[int, dict[str, str]]], header: list[str], dry_run: bool = False, user=None, reason: str = ""
) -> ImportReport:
    """Import UCDP GED rows (see tracker.ingest.ucdp) as claims, whole or not at all."""
    report = ImportReport(dry_run=dry_run)
    problems = ucdp.header_problems(header)
    if problems:
        report.errors.append(LineNote(1, "; ".join(problems)))
        return report
    return claim_lines_import(lines=ucdp.ged_lines(rows), report=report, user=user, reason=reason)


def file_import(
    *,
    file: BinaryIO,
    name: str,
    format: str = "claims",
    dry_run: bool = False,
    user=None,
    reason: str = "",
    progress=None,
) -> ImportReport:
    """Import a .csv or .xlsx file opened as bytes, in one of IMPORT_FORMATS, whole or not at all.

    `progress`, when given, wraps the stream of (line, row) records (a progress bar, say).
    """
    try:
        header, rows = read_table(file, name=name)
    except BadFile as error:
        report = ImportReport(dry_run=dry_run)
        report.errors.append(LineNote(error.line, str(error)))
        return report
    if progress is not None:
        rows = progress(rows)
    run = ged_import if format == "ucdp-ged" else claims_import
    return run(rows=rows, header=header, dry_run=dry_run, user=user, reason=reason)
