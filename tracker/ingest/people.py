"""Importing people and their fate claims: one row a fate claim, every row checked, all stored or none.

A people import is a claims import (tracker.ingest.importer) whose lines are fate claims: events,
parties and sources are found or made as for claims, by the same resolvers, and written by the same
writer. What it adds:

- A person is found by name or by any other name, ignoring case: the row's `person` and each of its
  `other_names`. Names that find two different people are the line's error, naming both. A name
  found nowhere makes a new person, whom a later row then finds by any of the names given.
- A person's affiliation, role, sex, age and age group are those of the row that makes them: a row
  naming a stored person, or one an earlier line made, leaves those columns empty or says the same.
  Its names not yet the person's are added as other names.
- A fate claim already stored with the same person, party, fate, hedge, status, event, fate date,
  claim date and source (`FATE_CLAIM_IDENTITY`) is the same fate claim: the file may change only its
  retraction, wording and notes, as a claims file may a claim's.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.ingest.formats.base import ImportLine
from tracker.ingest.ledger import RESTATABLE_FIELDS, ClaimLedger, ClaimRestated, Outcome
from tracker.ingest.resolvers import Resolved
from tracker.ingest.rows import (
    PartyRow,
    SourceRow,
    choice_parse,
    count_number_parse,
    flag_parse,
    names_split,
    required,
    shown,
    source_parse,
    stated_date_parse,
)
from tracker.ingest.runs import ImportRun
from tracker.ingest.validation import model_problems
from tracker.models import FateClaim, OtherName, Person
from tracker.models.choices import AgeGroup, Fate, FateStatus, Hedge, Sex
from tracker.models.people import FATE_CLAIM_IDENTITY
from tracker.rules.names import folded

# A person's own values that a row gives, as the model and the columns name them.
PERSON_FIELDS = ("role", "sex", "age", "age_group")
# Checked by being resolved; the model would check each relation with a query.
FATE_CLAIM_RELATIONS = ["person", "party", "event", "source", "entered_by"]


@dataclass
class FateRow:
    """A people file's row, read into typed values. A value that cannot be read is None, and its problem said."""

    person: str
    other_names: list[str]
    affiliation: PartyRow | None
    party: PartyRow | None
    event_ref: str
    source: SourceRow | None
    person_fields: dict = field(default_factory=dict)  # PERSON_FIELDS, empty where the row leaves them so
    fields: dict = field(default_factory=dict)  # the fate claim's own values, named as the model names them

    @property
    def names(self) -> list[str]:
        """The names the row gives the person: its own first, then the others."""
        return [self.person, *self.other_names] if self.person else self.other_names


def fate_row_parse(columns: Mapping[str, str]) -> tuple[FateRow, list[str]]:
    """Read a row's text into values, noting every column that cannot be read."""
    problems: list[str] = []
    person = required(columns, "person", problems).strip()
    name_key = person.casefold()
    party = required(columns, "party", problems).strip()
    affiliation = columns.get("affiliation", "").strip()
    claimed_on, claimed_on_precision = stated_date_parse(
        required(columns, "claimed_on", problems), "claimed_on", problems
    )
    fate_date, fate_date_precision = stated_date_parse(columns.get("fate_date", ""), "fate_date", problems)
    row = FateRow(
        person=person,
        other_names=[name for name in names_split(columns.get("other_names", "")) if name.casefold() != name_key],
        affiliation=PartyRow(affiliation, "", "affiliation") if affiliation else None,
        party=PartyRow(party, columns.get("party_kind", ""), "party") if party else None,
        event_ref=columns.get("event_ref", "").strip(),
        source=source_parse(columns, problems),
        person_fields={
            "role": columns.get("role", "").strip(),
            "sex": choice_parse(columns.get("sex", ""), "sex", Sex, problems),
            "age": count_number_parse(columns.get("age", "").strip(), "age", problems),
            "age_group": choice_parse(columns.get("age_group", ""), "age_group", AgeGroup, problems),
        },
        fields={
            "fate": choice_parse(required(columns, "fate", problems), "fate", Fate, problems),
            "hedge": choice_parse(columns.get("hedge", ""), "hedge", Hedge, problems, Hedge.STATED),
            "status": choice_parse(columns.get("status", ""), "status", FateStatus, problems, FateStatus.UNKNOWN),
            "fate_date": fate_date,
            "fate_date_precision": fate_date_precision,
            "claimed_on": claimed_on,
            "claimed_on_precision": claimed_on_precision,
            "wording": columns.get("wording", ""),
            "retracted": flag_parse(columns.get("retracted", ""), "retracted", problems),
            "notes": columns.get("notes", ""),
        },
    )
    return row, problems


def fate_claim_key(*, person: Hashable, party: Hashable, event: Hashable | None, source: Hashable, fields) -> tuple:
    """Return the identity (`FATE_CLAIM_IDENTITY`) of what a line states, by the resolvers' keys."""
    given = {**fields, "person": person, "party": party, "event": event, "source": source}
    return tuple(given[name] for name in FATE_CLAIM_IDENTITY)


class PersonResolver:
    """People by each of their names, ignoring case: those stored that a chunk's rows name, loaded ahead, and
    those the import makes, with the names each has or is given."""

    def __init__(self):
        self.known: dict[str, dict[Hashable, Resolved[Person]]] = {}  # by a name, casefolded: who has it
        self.names: dict[Hashable, set[str]] = {}  # by person: their names, casefolded
        self.affiliations: dict[Hashable, Hashable | None] = {}  # by person: the key of their affiliation
        self.looked_up: set[str] = set()

    def look_ahead(self, rows: Iterable[FateRow]) -> list[Person]:
        """Load the stored people whom these rows' names may name, with their other names; return them."""
        keys = {folded(name) for row in rows for name in row.names} - self.looked_up - {""}
        self.looked_up |= keys
        if not keys:
            return []
        # By the folded keys, which their indexes serve; the names are then compared ignoring case only.
        found = set(Person.objects.filter(name_folded__in=keys).values_list("pk", flat=True))
        found |= set(OtherName.objects.filter(folded__in=keys).values_list("person_id", flat=True))
        people = list(Person.objects.filter(pk__in=found - self.names.keys()).prefetch_related("other_names"))
        for person in people:
            resolved = Resolved.stored(person)
            self.affiliations[resolved.key] = person.affiliation_id
            self.names_add(resolved, [person.name, *(other.name for other in person.other_names.all())])
        return people

    def names_add(self, person: Resolved[Person], names: Iterable[str]) -> None:
        """Let a later row find this person by these names too."""
        for name in names:
            self.names.setdefault(person.key, set()).add(name.casefold())
            self.known.setdefault(name.casefold(), {})[person.key] = person

    def named(self, row: FateRow) -> dict[Hashable, Resolved[Person]]:
        """Return the people any of the row's names finds, by key."""
        return {key: person for name in row.names for key, person in self.known.get(name.casefold(), {}).items()}

    def names_new(self, person: Resolved[Person], row: FateRow) -> list[str]:
        """Return the row's names that the person does not have yet."""
        return [name for name in row.names if name.casefold() not in self.names.get(person.key, set())]


class FateLedger(ClaimLedger):
    """The fate claims an import has met, by identity: those stored of its people, and those its file states.

    What a file may restate of one (its retraction, wording and notes) and how a repeat is told are a claim's.
    """

    def look_ahead(self, people: list[Person]) -> None:
        """Load the stored fate claims of people met for the first time, in one query."""
        if people:
            for fate_claim in FateClaim.objects.filter(person__in=people).order_by("pk"):
                self.claims[fate_claim.identity_key()] = fate_claim


class PeopleRun(ImportRun):
    """One people import under way: what a claims import resolves, and the people and fate claims it stores."""

    stated_model = FateClaim
    stated_refusals = {
        Outcome.NEW: gettext_lazy("adding a new fate claim %(refusal)s"),
        Outcome.UPDATED: gettext_lazy("the fate claim is stored already; changing its %(fields)s %(refusal)s"),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.report.records = "people"
        self.people = PersonResolver()
        self.fates = FateLedger()

    def chunk_take(self, lines: list[ImportLine]) -> None:
        """Take a chunk of lines: load what they name, take each line, then write the chunk."""
        # A line the table found bad is only reported: nothing of it is looked up (see ImportRun.chunk_take).
        parsed = [(item, [fate_row_parse(row) for row in item.fates] if not item.problems else []) for item in lines]
        rows = [row for _, fates in parsed for row, _ in fates]
        self.events.look_ahead(row.event_ref for row in rows)
        self.fates.look_ahead(self.people.look_ahead(rows))
        self.sources.look_ahead(row.source for row in rows if row.source is not None)
        for item, fates in parsed:
            self.report.rows += 1
            self.report.line_warn(item.line, item.warnings)
            problems = list(item.problems)
            for row, row_problems in fates:
                problems.extend(self.fate_claim_take(item.line, row, row_problems))
            if problems:
                self.report.line_refuse(item.line, problems)
        self.chunk_write()

    def fate_claim_take(self, line: int, row: FateRow, problems: list[str]) -> list[str]:
        """Resolve, check and enter one fate claim; return why it cannot be stored, if it cannot."""
        problems = list(problems)
        warnings: list[str] = []
        event = self.events.stored(row.event_ref) if row.event_ref else None
        if row.event_ref and event is None:
            problems.append(
                _("event_ref '%(ref)s' is no event in the tracker: import its claims first, or leave it empty")
                % {"ref": shown(row.event_ref)}
            )
        # The claimant first: a party it names with its kind is no new affiliation of unknown kind.
        party = self.parties.resolve(row.party, problems, warnings) if row.party else None
        affiliation = self.parties.resolve(row.affiliation, problems, warnings) if row.affiliation else None
        source = self.sources.resolve(row.source, problems, warnings) if row.source else None
        relayed = self.relayed_resolve(source, row.source, problems) if source and row.source.relays else None
        self.report.line_warn(line, warnings)
        person = self.person_resolve(row, affiliation, problems) if row.person else None
        if problems:
            return problems
        self.relay_set(source, relayed)
        fate_claim = FateClaim(
            person=person.instance, party=party.instance, event=event, source=source.instance, entered_by=self.user,
            **row.fields,
        )  # fmt: skip
        # The names a new person is made with are their name and other names; a person met before gains those
        # of the row's names they lack.
        names = self.people.names_new(person, row) if person.key in self.people.names else row.other_names
        other_names = [OtherName(person=person.instance, name=name, folded=folded(name)) for name in names]
        problems = [
            *model_problems(fate_claim, exclude=FATE_CLAIM_RELATIONS),
            *(
                f"other_names: {problem}"
                for name in other_names
                for problem in model_problems(name, exclude=["person", "folded"])
            ),
            *self.addition_refusals(party, affiliation, source, person),
            *self.names_refusals(person, names),
        ]
        if problems:
            return problems

        key = fate_claim_key(
            person=person.key, party=party.key, event=event and event.pk, source=source.key, fields=row.fields
        )
        try:
            stated = self.fates.state(key, fate_claim, line=line)
        except ClaimRestated as error:
            return [str(error)]
        refused = self.stated_refusal(stated)
        if refused:
            return [refused]

        for resolved in (party, affiliation, source, person):
            self.object_count(resolved)
        self.people.affiliations.setdefault(person.key, affiliation and affiliation.key)
        self.people.names_add(person, row.names)
        for name in other_names:
            self.writer.add(name)
        self.report.created["other_names"] += len(other_names)
        if stated.outcome is Outcome.NEW:
            self.writer.add(stated.claim)
            self.report.created["fate_claims"] += 1
        elif stated.outcome is Outcome.UPDATED:
            self.writer.update(stated.claim, RESTATABLE_FIELDS)
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return []

    def person_resolve(self, row: FateRow, affiliation: Resolved | None, problems: list[str]) -> Resolved | None:
        """Return the person the row's names find, or a new one made from the row; say why not if they find two,
        or a person whose values the row contradicts."""
        found = self.people.named(row)
        if len(found) > 1:
            problems.append(
                _("person and other_names name different people: %(people)s; a row is about one person")
                % {"people": _(" and ").join(f"'{shown(person.instance.name)}'" for person in found.values())}
            )
            return None
        if found:
            person = next(iter(found.values()))
            problems.extend(self.person_differences(person, row, affiliation))
            return person
        person = Person(
            name=row.person, name_folded=folded(row.person), affiliation=affiliation and affiliation.instance,
            **row.person_fields,
        )  # fmt: skip
        person_problems = model_problems(person, columns={"name": "person"}, exclude=["affiliation", "name_folded"])
        problems.extend(person_problems)
        return None if person_problems else Resolved.made(person, ("person", row.person.casefold()))

    def person_differences(self, person: Resolved[Person], row: FateRow, affiliation: Resolved | None) -> list[str]:
        """Say which of the person's values the row gives otherwise than they are, if any."""
        differ = [
            (name, getattr(person.instance, name))
            for name, value in row.person_fields.items()
            if value not in ("", None) and value != getattr(person.instance, name)
        ]
        if affiliation is not None and affiliation.key != self.people.affiliations.get(person.key):
            differ.insert(0, ("affiliation", person.instance.affiliation))
        return [
            _(
                "%(column)s: the person '%(person)s' has %(value)s, in the tracker or on an earlier line; leave the "
                "column empty, or give the same"
            )
            % {"column": column, "person": shown(person.instance.name), "value": f"'{value}'" if value else _("none")}
            for column, value in differ
        ]

    def names_refusals(self, person: Resolved[Person], names: list[str]) -> list[str]:
        """Say why the user may not give a stored person other names, if they may not: it changes the person."""
        refused = None if person.new or not names else self.permissions.refusal("change", Person)
        return [
            _("other_names: giving the stored person '%(person)s' other names %(refusal)s")
            % {"person": shown(person.instance.name), "refusal": refused}
        ] if refused else []  # fmt: skip
