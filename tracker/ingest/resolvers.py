"""Finding the events, parties, subgroups and sources that rows name, or making new ones that their models accept.

Each resolver loads in one query what a chunk of rows names before the rows are taken (its
look-ahead), keeps what it found or made under its natural key, and hands out `Resolved`
objects whose `key` stays the same for the whole import: the primary key of a stored object,
or ("new", natural key) for one the import makes, which has no primary key until it is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tracker.ingest.permissions import ImportPermissions
from tracker.ingest.rows import (
    EVENT_COLUMNS,
    SOURCE_COLUMNS,
    PartyRow,
    SourceRow,
    choice_parse,
    event_parse,
    shown,
)
from tracker.ingest.validation import model_problems
from tracker.ingest.writer import BatchWriter
from tracker.models import Event, EventAlias, Party, PartyKind, Source, Subgroup
from tracker.models.sources import source_identity

M = TypeVar("M", Event, Party, Source)


@dataclass(frozen=True, eq=False)
class Resolved(Generic[M]):
    instance: M
    key: Hashable
    new: bool

    @classmethod
    def stored(cls, instance: M) -> Resolved[M]:
        return cls(instance, instance.pk, new=False)

    @classmethod
    def made(cls, instance: M, natural_key: Hashable) -> Resolved[M]:
        return cls(instance, ("new", natural_key), new=True)


class EventResolver:
    """Events by their identifier in the import's dataset, else by ref, each also as an alias an event
    merged into another left: a stored one is reused, a new one made from the row's event columns and
    marked with the import's origin.

    The identifier comes first, so that a re-import lands on the same event even where the
    dataset's code repeats and the event's ref had to be told apart.
    """

    def __init__(self, *, origin: str):
        self.origin = origin
        self.known: dict[str, Resolved[Event]] = {}
        self.identified: dict[str, Resolved[Event]] = {}  # by origin_id, for events of this origin
        self.looked_up: set[str] = set()
        self.identifiers_looked_up: set[str] = set()
        self.aliased: bool | None = None  # whether any event has an alias, once asked

    def look_ahead(self, refs: Iterable[str], identifiers: Iterable[str] = ()) -> list[Event]:
        """Load the stored events of refs and identifiers not met before; return them, so that their
        claims can be loaded too."""
        refs = set(refs) - self.looked_up - {""}
        identifiers = set(identifiers) - self.identifiers_looked_up - {""}
        self.looked_up |= refs
        self.identifiers_looked_up |= identifiers
        if not refs and not identifiers:
            return []
        named = Q(ref__in=refs) | Q(origin=self.origin, origin_id__in=identifiers)
        found = {event.pk: event for event in Event.objects.filter(named)}
        # An event merged into another lives on as the kept event's alias: its rows land there. Asked
        # once whether there are any, so that an import into a database without merges pays one query.
        if self.aliased is None:
            self.aliased = EventAlias.objects.exists()
        aliases = list(EventAlias.objects.filter(named).select_related("event")) if self.aliased else []
        for alias in aliases:
            found.setdefault(alias.event_id, alias.event)
        for event in found.values():
            resolved = self.known.setdefault(event.ref, Resolved.stored(event))
            if event.origin == self.origin and event.origin_id:
                self.identified.setdefault(event.origin_id, resolved)
        for alias in aliases:
            resolved = self.known[found[alias.event_id].ref]
            self.known.setdefault(alias.ref, resolved)
            if alias.origin == self.origin and alias.origin_id:
                self.identified.setdefault(alias.origin_id, resolved)
        return list(found.values())

    def stored(self, ref: str) -> Event | None:
        """Return the stored event of a ref looked up ahead, or the event its alias was merged into; None if none."""
        resolved = self.known.get(ref)
        return None if resolved is None or resolved.new else resolved.instance

    def stored_met(self) -> list[Event]:
        """Return the stored events looked up so far."""
        return list({resolved.key: resolved.instance for resolved in self.known.values() if not resolved.new}.values())

    def resolve(self, ref: str, columns: Mapping[str, str], problems: list[str]) -> Resolved[Event] | None:
        identifier = columns.get("origin_id", "")
        if identifier in self.identified:
            return self.identified[identifier]
        if ref in self.known:
            return self.known[ref]
        values, event_problems = event_parse(ref, columns)
        if values is not None:
            event = Event(**vars(values), origin=self.origin)
            # The country was checked against the code list by event_parse, much faster than the field's check.
            event_problems = model_problems(event, columns=EVENT_COLUMNS, exclude=["country"])
        if event_problems:
            # Not kept: a later row of the same event may give what this one lacks.
            problems.extend(event_problems)
            return None
        self.known[ref] = Resolved.made(event, ref)
        if identifier:
            self.identified[identifier] = self.known[ref]
        return self.known[ref]


# The columns naming a party that a row may leave without its kind: a new one is added as 'other'.
KIND_DEFAULTED_COLUMNS = ("victim_side", "event_perpetrators", "affiliation")


class PartyResolver:
    """Parties by name or alias, ignoring case; a new claimant needs its kind, a new victim side or alleged
    perpetrator defaults to 'other'."""

    def __init__(self, *, writer: BatchWriter):
        self.writer = writer
        self.known: dict[str, Resolved[Party]] = {}
        # All at once: aliases are lines of a text field, which no query matches by name.
        for party in Party.objects.all():
            for name in party.names():
                self.known.setdefault(name, Resolved.stored(party))
        # New parties given the kind 'other' as a victim side, until a row names them as claimant with a kind.
        self.kind_defaulted: set[str] = set()

    def stored(self, name: str) -> Party | None:
        """Return the stored party of this name or alias, in any case; None if none."""
        resolved = self.known.get(name.casefold())
        return None if resolved is None or resolved.new else resolved.instance

    def resolve(self, row: PartyRow, problems: list[str], warnings: list[str]) -> Resolved[Party] | None:
        name = row.name.casefold()
        if name in self.known:
            if row.column == "party" and row.kind and name in self.kind_defaulted:
                self.party_kind_set(self.known[name].instance, row, problems)
            return self.known[name]
        defaulted = row.column in KIND_DEFAULTED_COLUMNS and not row.kind
        if defaulted:
            kind = PartyKind.OTHER
            warnings.append(
                _(
                    "%(column)s '%(name)s' is a new party; it is added with the kind 'other' "
                    "unless a later row names its party_kind"
                )
                % {"column": row.column, "name": shown(row.name)}
            )
        elif not row.kind:
            problems.append(
                _("%(column)s '%(name)s' is new; give its party_kind (%(kinds)s)")
                % {"column": row.column, "name": shown(row.name), "kinds": ", ".join(PartyKind.values)}
            )
            return None
        else:
            kind = choice_parse(row.kind, row.kind_column, PartyKind, problems)
            if kind is None:
                return None
        party = Party(name=row.name, kind=kind)
        party_problems = model_problems(party, columns=row.columns)
        if party_problems:
            problems.extend(party_problems)
            return None
        self.known[name] = Resolved.made(party, name)
        if defaulted:
            self.kind_defaulted.add(name)
        return self.known[name]

    def party_kind_set(self, party: Party, row: PartyRow, problems: list[str]) -> None:
        """Give a party first met as a victim side the kind a later row names for it as claimant."""
        kind = choice_parse(row.kind, row.kind_column, PartyKind, problems)
        if kind is None:
            return
        self.kind_defaulted.discard(row.name.casefold())
        party.kind = kind
        if party.pk is not None:  # written with an earlier chunk
            self.writer.update(party, ["kind"])


class SourceResolver:
    """Sources by their identity (tracker.models.sources), among the sources the importing user may see.

    A row's source_confidential is part of the source it names: an import never hides nor reveals a
    stored source, so that what one export wrote, an import reads back as it was. Only those who may
    see confidential sources may name one, as only they may mark one so in the admin.
    """

    def __init__(self, *, usable: QuerySet[Source], permissions: ImportPermissions):
        self.usable = usable
        self.permissions = permissions
        self.known: dict[tuple, Resolved[Source]] = {}
        self.looked_up: set[tuple] = set()
        # By URL, or title where there is none, as source_relays names them: the sources met so far.
        self.named: dict[str, dict[Hashable, Resolved[Source]]] = defaultdict(dict)
        self.relays_looked_up: set[str] = set()

    def look_ahead(self, rows: Iterable[SourceRow]) -> None:
        rows = list(rows)
        relayed = {row.relays for row in rows if row.relays} - self.relays_looked_up
        rows = [row for row in rows if row.key not in self.looked_up]
        self.looked_up |= {row.key for row in rows}
        self.relays_looked_up |= relayed
        urls = {row.url for row in rows if row.url}
        titles = {row.title for row in rows if not row.url}
        # Of either confidentiality, so that a row naming a public source can be told that a confidential
        # one alike is stored (if the user may see it), and the other way round. A source this import
        # made and wrote with an earlier chunk keeps the key it was given.
        if rows:
            for source in self.usable.filter(Q(url__in=urls) | Q(url="", title__in=titles)):
                self.met(self.known.setdefault(source_identity(source), Resolved.stored(source)))
        if relayed:
            for source in self.usable.filter(Q(url__in=relayed) | Q(url="", title__in=relayed)):
                self.met(self.known.setdefault(source_identity(source), Resolved.stored(source)))

    def met(self, resolved: Resolved[Source]) -> None:
        """Make a source stored or made by an earlier line one that a row's source_relays can name."""
        source = resolved.instance
        self.named[source.url or source.title][resolved.key] = resolved

    def relayed_resolve(self, row: SourceRow, source: Resolved[Source], problems: list[str]) -> Resolved[Source] | None:
        """Return the source a row's source_relays names, stored or made by an earlier line; say why not if none
        is, or several are (of two alike, the one as confidential as the relaying source)."""
        named = list(self.named.get(row.relays, {}).values())
        found = [relayed for relayed in named if relayed.instance.confidential == source.instance.confidential]
        if len(named) == 1 or len(found) == 1:
            return named[0] if len(named) == 1 else found[0]
        said = (
            _("source_relays '%(source)s' names more than one source without a URL: give the URL of the one relayed")
            if named
            else _(
                "source_relays '%(source)s' is no source in the tracker nor on an earlier line: give the URL of the "
                "source relayed, or its title where it has none"
            )
        )
        problems.append(said % {"source": shown(row.relays)})
        return None

    def resolve(self, row: SourceRow, problems: list[str], warnings: list[str]) -> Resolved[Source] | None:
        if row.confidential:
            refused = self.permissions.confidential_refusal()
            if refused:
                problems.append(
                    _("source_confidential: naming a confidential source %(refusal)s") % {"refusal": refused}
                )
                return None
        resolved = self.known.get(row.key)
        if resolved is not None:
            return resolved
        source = Source(**row.fields())
        source_problems = model_problems(source, columns=SOURCE_COLUMNS)
        if source_problems:
            problems.extend(source_problems)
            return None
        if replace(row, confidential=not row.confidential).key in self.known:
            said = (
                _("source '%(source)s' is public, in the tracker or on an earlier line: this line names a "
                  "confidential source of its own, and leaves the public one as it is")
                if row.confidential
                else _("source '%(source)s' is confidential, in the tracker or on an earlier line: this line "
                       "names a public source of its own")
            )  # fmt: skip
            warnings.append(said % {"source": shown(row.url or row.title)})
        self.known[row.key] = Resolved.made(source, row.key)
        self.met(self.known[row.key])
        return self.known[row.key]


class SubgroupResolver:
    """Subgroups by code or English name, ignoring case: the admin's short list, which a file names but
    never extends, loaded whole the first time a row names one. Whether one fits the claim's category
    the model says."""

    def __init__(self):
        self.known: dict[str, Subgroup] | None = None

    def resolve(self, name: str, problems: list[str]) -> Subgroup | None:
        if self.known is None:
            self.known = subgroups_by_name()
        found = self.known.get(name.casefold())
        if found is None:
            codes = sorted({subgroup.code for subgroup in self.known.values()})
            problems.append(
                _(
                    "subgroup '%(value)s' is not a known subgroup; give one of %(codes)s, or leave it empty for the "
                    "whole"
                )
                % {"value": shown(name), "codes": ", ".join(codes)}
            )
        return found


def subgroups_by_name() -> dict[str, Subgroup]:
    """Return every subgroup by its code and by its English name, in lower case."""
    subgroups = list(Subgroup.objects.all())
    # Names after codes, so that a name that is also another subgroup's code names that subgroup.
    known = {subgroup.name.casefold(): subgroup for subgroup in subgroups}
    known.update((subgroup.code.casefold(), subgroup) for subgroup in subgroups)
    return known
