"""Taking the lines of an import, a chunk at a time: what a claims file names found or made, checked, and queued.

tracker.ingest.importer runs a format's lines through an `ImportRun` (the claims importer's) or the run a
format names (tracker.ingest.assessments, tracker.ingest.people), inside its transaction, and reports.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import visibility
from tracker.ingest.assessments import AssessmentsTaken, assessment_row_parse
from tracker.ingest.formats.base import ImportLine
from tracker.ingest.ledger import RESTATABLE_FIELDS, ClaimLedger, ClaimRestated, Outcome, Stated, claim_key
from tracker.ingest.permissions import ImportPermissions
from tracker.ingest.resolvers import EventResolver, PartyResolver, Resolved, SourceResolver, SubgroupResolver
from tracker.ingest.rows import ClaimRow, PartyRow, SourceRow, claim_row_parse, shown
from tracker.ingest.validation import model_problems
from tracker.ingest.writer import BatchWriter
from tracker.models import Claim, Event, Party, Person, Source, Subgroup
from tracker.models.sources import RELAYS_IN_A_LOOP, RELAYS_ITSELF, relays_followed
from tracker.rules.independence import relay_loop
from tracker.summaries.grades import events_citing_sources, grades_store

# How a report counts what it makes and reuses, in words that do not change with the language.
KINDS = {Event: "events", Party: "parties", Source: "sources", Claim: "claims", Person: "people"}
# Checked by being resolved, each through its own model; Django's check of a relation is a query per claim.
CLAIM_RELATIONS = ["event", "party", "victim_side", "subgroup", "source", "entered_by"]


def perpetrator_names(text: str) -> list[str]:
    """Return the party names of an `event_perpetrators` cell, joined there by `|`."""
    return list(dict.fromkeys(name.strip() for name in text.split("|") if name.strip()))


def line_claim_key(
    stated: ClaimRow | Claim,
    event: Resolved,
    party: Resolved,
    victim_side: Resolved | None,
    subgroup: Subgroup | None,
    source: Resolved,
) -> tuple:
    """Return the claim key of what a line states (its row, or the claim built from it), by the resolvers' keys."""
    return claim_key(
        event=event.key, party=party.key, outcome=stated.outcome, category=stated.category,
        victim_side=victim_side and victim_side.key, subgroup=subgroup and subgroup.pk,
        claimed_on=stated.claimed_on, qualifier=stated.qualifier, low=stated.low, best=stated.best, high=stated.high,
        source=source.key,
    )  # fmt: skip


class ImportRun:
    """One import under way: the resolvers, the ledger and the writer that its lines go through."""

    # What the ledger holds (a people import's, fate claims), and how a refusal to add or change one reads.
    stated_model = Claim
    stated_refusals = {
        Outcome.NEW: gettext_lazy("adding a new claim %(refusal)s"),
        Outcome.UPDATED: gettext_lazy("the claim is stored already; changing its %(fields)s %(refusal)s"),
    }

    def __init__(self, *, report, origin: str, user=None, reason: str = ""):
        self.report = report  # tracker.ingest.importer.ImportReport
        self.origin = origin
        self.user = user
        self.writer = BatchWriter(user=user, reason=reason)
        self.permissions = ImportPermissions(user)
        self.events = EventResolver(origin=origin)
        self.parties = PartyResolver(writer=self.writer)
        self.subgroups = SubgroupResolver()
        # No user: an operator's command, which may reuse every source (docs/operators/security.md).
        usable = Source.objects.all() if user is None else visibility.sources_visible_to(user, Source.objects.all())
        self.sources = SourceResolver(usable=usable, permissions=self.permissions)
        self.ledger = ClaimLedger()
        self.met: set[tuple[type, object]] = set()  # objects counted as created or reused, by model and key
        # The new events whose alleged perpetrators are queued, by key, with the keys of those parties.
        self.perpetrated: dict[object, frozenset] = {}
        self.stored_perpetrators: dict[int, set[int]] = {}  # of stored events, loaded where a file names them
        self.relayed: dict = {}  # the relays this import sets, by the sources' keys
        self.relays_changed: set[int] = set()  # stored sources given a relay, whose events to grade once written
        self.perpetrators: list[tuple[Event, Party]] = []  # to be written once their event and party are
        # A dataset's own judgement of its events (Airwars' grades), taken with their claims.
        self.assessments = AssessmentsTaken(report=report, writer=self.writer, permissions=self.permissions, user=user)

    def chunk_take(self, lines: list[ImportLine]) -> None:
        """Take a chunk of lines: load what they name, take each line, then write the chunk."""
        # A line the table or its format found bad is only reported: nothing of it is looked up, for
        # it may hold what no query can carry (PostgreSQL refuses a NUL even in a WHERE).
        parsed = [
            (item, [claim_row_parse(claim) for claim in item.claims] if not item.problems else []) for item in lines
        ]
        rows = [row for _, claims in parsed for row, _ in claims]
        events = [columns for item in lines if not item.problems for columns in item.events]
        stored_events = self.events.look_ahead(
            [*(row.event_ref for row in rows), *(columns.get("event_ref", "") for columns in events)],
            [*(row.origin_id for row in rows), *(columns.get("origin_id", "") for columns in events)],
        )
        self.ledger.look_ahead(stored_events)
        if any(item.assessments for item in lines):
            self.assessments.look_ahead(stored_events)
        self.sources.look_ahead(row.source for row in rows if row.source is not None)
        self.stored_perpetrators_load(lines)
        for item, claims in parsed:
            self.line_take(item, claims)
        self.chunk_write()

    def chunk_write(self) -> None:
        """Write what the chunk's lines queued, then what follows from it: grades, alleged perpetrators."""
        self.writer.flush()
        if self.relays_changed:
            grades_store(events_citing_sources(self.relays_changed))
            self.relays_changed.clear()
        if self.perpetrators:
            Event.alleged_perpetrators.through.objects.bulk_create(
                Event.alleged_perpetrators.through(event_id=event.pk, party_id=party.pk)
                for event, party in self.perpetrators
            )
            self.perpetrators.clear()

    def line_take(self, item: ImportLine, claims: list[tuple[ClaimRow, list[str]]]) -> None:
        """Take the claims of one input line, or note every reason it cannot be stored."""
        self.report.rows += 1
        self.report.line_warn(item.line, item.warnings)
        problems = list(item.problems)
        if not problems:
            for columns in item.events:
                problems.extend(message for message in self.event_take(item.line, columns) if message not in problems)
            for row, row_problems in claims:
                # A line of several claims repeats its event's problems in each; say them once.
                problems.extend(
                    message for message in self.claim_take(item.line, row, row_problems) if message not in problems
                )
        if not problems:
            for columns in item.assessments:
                problems.extend(self.assessment_take(item.line, columns))
        if problems:
            self.report.line_refuse(item.line, problems)

    def assessment_take(self, line: int, columns: dict[str, str]) -> list[str]:
        """Take an assessment of the event the line's claims or event name, by an assessor named like a
        party (with `assessor_kind` if new); return why it cannot be stored, if it cannot."""
        row, problems = assessment_row_parse(columns)
        warnings: list[str] = []
        event = self.events.resolve(row.event_ref, columns, problems)
        named = PartyRow(row.assessor, columns.get("assessor_kind", ""), "assessor")
        assessor = self.parties.resolve(named, problems, warnings)
        self.report.line_warn(line, warnings)
        problems = problems or self.addition_refusals(event, assessor)
        if problems:
            return problems
        self.object_count(event)
        self.object_count(assessor)
        return self.assessments.take(line, row, event, assessor)

    def claim_take(self, line: int, row: ClaimRow, problems: list[str]) -> list[str]:
        """Resolve, check and enter one claim; return why it cannot be stored, if it cannot."""
        problems = list(problems)
        warnings: list[str] = []
        event = self.events.resolve(row.event_ref, row.event_columns, problems) if row.event_ref else None
        # The claimant first: a party it names with its kind is no new perpetrator of unknown kind.
        party = self.parties.resolve(row.party, problems, warnings) if row.party else None
        perpetrators = self.perpetrators_resolve(event, row.event_columns, problems, warnings)
        victim_side = self.parties.resolve(row.victim_side, problems, warnings) if row.victim_side else None
        subgroup = self.subgroups.resolve(row.subgroup, problems) if row.subgroup else None
        source = self.sources.resolve(row.source, problems, warnings) if row.source else None
        relayed = self.relayed_resolve(source, row.source, problems) if source and row.source.relays else None
        self.report.line_warn(line, warnings)
        if problems:
            return problems
        self.relay_set(source, relayed)
        if self.restated_as_stored(line, row, event, party, victim_side, subgroup, source):
            return []
        claim = Claim(
            event=event.instance, party=party.instance, victim_side=victim_side and victim_side.instance,
            subgroup=subgroup, source=source.instance, entered_by=self.user, origin=self.origin, **row.fields(),
        )  # fmt: skip
        # The model reads the count from the wording when the qualifier is empty, as in the admin.
        problems = model_problems(claim, exclude=CLAIM_RELATIONS) or self.addition_refusals(
            event, party, victim_side, source, *perpetrators
        )
        if problems:
            return problems

        key = line_claim_key(claim, event, party, victim_side, subgroup, source)
        try:
            stated = self.ledger.state(key, claim, line=line)
        except ClaimRestated as error:
            return [str(error)]
        refused = self.stated_refusal(stated)
        if refused:
            return [refused]

        for resolved in (event, party, victim_side, source):
            self.object_count(resolved)
        self.perpetrators_queue(event, perpetrators)
        if stated.outcome is Outcome.NEW:
            self.writer.add(stated.claim)
            self.report.created["claims"] += 1
            self.report.samples.take(line=line, claim=claim)
        elif stated.outcome is Outcome.UPDATED:
            self.writer.update(stated.claim, RESTATABLE_FIELDS)
            self.report.updated += 1
            # The file's claim, whose event, party and source are loaded, says what the stored one becomes.
            self.report.samples.take(line=line, claim=claim, changed=stated.changed)
        else:
            self.report.unchanged += 1
        return []

    def restated_as_stored(
        self,
        line: int,
        row: ClaimRow,
        event: Resolved,
        party: Resolved,
        victim_side: Resolved | None,
        subgroup: Subgroup | None,
        source: Resolved,
    ) -> bool:
        """Take a claim stored already just as the row states it, without building and checking a
        claim: the model would check the values the stored claim holds. A re-import is mostly these.

        A row whose count the model reads from the wording (no qualifier) is left to be built.
        """
        if not row.qualifier:
            return False
        key = line_claim_key(row, event, party, victim_side, subgroup, source)
        said = tuple(getattr(row, name) for name in RESTATABLE_FIELDS)
        if not self.ledger.restated_as_stored(key, said, origin_id=row.origin_id, line=line):
            return False
        for resolved in (event, party, victim_side, source):
            self.object_count(resolved)
        self.report.unchanged += 1
        return True

    def event_take(self, line: int, columns: dict[str, str]) -> list[str]:
        """Resolve and check an event a line names without a claim; return why it cannot be stored, if it cannot."""
        problems, warnings = [], []
        ref = columns.get("event_ref", "")
        event = self.events.resolve(ref, columns, problems) if ref else None
        if not ref:
            problems.append("event_ref is empty")
        perpetrators = self.perpetrators_resolve(event, columns, problems, warnings)
        self.report.line_warn(line, warnings)
        problems = problems or self.addition_refusals(event, *perpetrators)
        if not problems:
            self.object_count(event)
            self.perpetrators_queue(event, perpetrators)
        return problems

    def perpetrators_resolve(
        self, event: Resolved | None, columns, problems: list[str], warnings: list[str]
    ) -> list[Resolved[Party]]:
        """Resolve the alleged perpetrators a row gives its event, to be queued for a new one.

        A dataset's (`event_perpetrator_kinds`) are taken for a new event only: a stored one keeps
        its own, as staff may have changed them. The claims format's (`event_perpetrators`) are
        taken for a new event; for a stored one, or a new one an earlier row named them for, the
        column must be empty or name the same parties, so that a file says one thing of an event.
        """
        if event is None:
            return []
        if columns.get("event_perpetrator_kinds"):
            return self.dataset_perpetrators_resolve(event, columns["event_perpetrator_kinds"], problems, warnings)
        names = perpetrator_names(columns.get("event_perpetrators", ""))
        if not names:
            return []
        if not event.new or event.key in self.perpetrated:
            given = self.perpetrated[event.key] if event.new else self.stored_perpetrators[event.instance.pk]
            problems.extend(self.perpetrators_differ(event.instance.ref, names, given))
            return []
        parties = [self.parties.resolve(PartyRow(name, "", "event_perpetrators"), problems, warnings) for name in names]
        return [party for party in parties if party is not None]

    def dataset_perpetrators_resolve(
        self, event: Resolved, lines: str, problems: list[str], warnings: list[str]
    ) -> list[Resolved[Party]]:
        """Resolve a dataset's alleged perpetrators of a new event, `name|kind` a line."""
        if not event.new or event.key in self.perpetrated:
            return []
        parties = []
        for line in lines.splitlines():
            name, _, kind = line.partition("|")
            party = self.parties.resolve(
                PartyRow(name.strip(), kind.strip(), "alleged_perpetrator"), problems, warnings
            )
            if party is not None:
                parties.append(party)
        return parties

    def perpetrators_differ(self, ref: str, names: list[str], given: frozenset) -> list[str]:
        """Say which of the parties a row names as the event's alleged perpetrators differ from those it has
        (`given`, by the parties' keys), if any do."""
        named = {}
        for name in names:
            party = self.parties.known.get(name.casefold())
            named[party.key if party is not None else ("unknown", name.casefold())] = name
        if named.keys() == given:
            return []
        names_of = {party.key: party.instance.name for party in self.parties.known.values()}
        differ = [name for key, name in named.items() if key not in given]
        differ += sorted(names_of[key] for key in given if key not in named)
        return [
            _(
                "event_perpetrators: the event %(ref)s has other alleged perpetrators (%(differ)s differ); leave "
                "the column empty, or name the same parties"
            )
            % {"ref": shown(ref), "differ": ", ".join(shown(name) for name in differ)}
        ]

    def perpetrators_queue(self, event: Resolved | None, perpetrators: list[Resolved[Party]]) -> None:
        """Queue a new event's alleged perpetrators to be written with it, once."""
        if event is None or event.key in self.perpetrated or not perpetrators:
            return
        parties = list(dict.fromkeys(perpetrators))
        self.perpetrated[event.key] = frozenset(party.key for party in parties)
        for party in parties:
            self.object_count(party)
            self.perpetrators.append((event.instance, party.instance))

    def stored_perpetrators_load(self, lines: list[ImportLine]) -> None:
        """Load the alleged perpetrators of the stored events met so far, if the chunk's rows name any."""
        columns = [columns for item in lines for columns in (*item.claims, *item.events)]
        if not any(columns.get("event_perpetrators") for columns in columns):
            return
        unloaded = {event.pk for event in self.events.stored_met()} - self.stored_perpetrators.keys()
        for event_id in unloaded:
            self.stored_perpetrators[event_id] = set()
        alleged = Event.alleged_perpetrators.through.objects.filter(event_id__in=unloaded)
        for event_id, party_id in alleged.values_list("event_id", "party_id"):
            self.stored_perpetrators[event_id].add(party_id)

    def relayed_resolve(self, source: Resolved[Source], row: SourceRow, problems: list[str]) -> Resolved | None:
        """Return the source a row says its source relays, if it is to be set: not where the source relays it
        already; say why not where the source relays another, or where the relay would close a loop."""
        relayed = self.sources.relayed_resolve(row, source, problems)
        if relayed is None:
            return None
        relays = self.relayed.get(source.key, None if source.new else source.instance.relays_id)
        if relays is None:
            problem = self.relay_loop_problem(source, relayed) or self.relay_refusal(source, row)
            problems.extend([problem] if problem else [])
            return None if problem else relayed
        if relays != relayed.key:
            names = self.source_names([relays])
            problems.append(
                _("source_relays: source '%(source)s' relays '%(relays)s' already, not '%(named)s'")
                % {"source": shown(row.url or row.title), "relays": shown(names[relays]), "named": shown(row.relays)}
            )
        return None

    def relay_refusal(self, source: Resolved[Source], row: SourceRow) -> str | None:
        """Say why the user may not give a stored source a relay, if they may not: it changes the source."""
        refused = None if source.new else self.permissions.refusal("change", Source)
        return refused and _("source_relays: giving the stored source '%(source)s' a relay %(refusal)s") % {
            "source": shown(row.url or row.title),
            "refusal": refused,
        }

    def relay_loop_problem(self, source: Resolved[Source], relayed: Resolved[Source]) -> str | None:
        """Say why a source cannot relay that one, as Source.relay_loop_problem does, naming each source of the
        loop it would close as source_relays names them."""
        if relayed.key == source.key:
            return str(RELAYS_ITSELF)
        relays = relays_followed({**self.relayed, source.key: relayed.key}, relayed.key)
        loop = relay_loop(source.key, relayed.key, relays)
        if loop is None:
            return None
        names = self.source_names(loop)
        return RELAYS_IN_A_LOOP % {"chain": " → ".join(names[key] for key in loop)}

    def source_names(self, keys) -> dict:
        """Return the URL, or the title where there is none, of sources by their keys (met, or else stored),
        a source hidden from the user (on a chain of relays, say) named only as confidential."""
        sources = {resolved.key: resolved.instance for resolved in self.sources.known.values()}
        sources.update(Source.objects.in_bulk([key for key in keys if key not in sources]))
        hides = self.user is not None  # an operator's command sees every source
        return {
            key: str(visibility.CONFIDENTIAL_SOURCE)
            if hides and visibility.is_source_hidden(sources[key], self.user)
            else sources[key].url or sources[key].title
            for key in keys
        }

    def relay_set(self, source: Resolved[Source] | None, relayed: Resolved[Source] | None) -> None:
        """Let a source relay that one: a new source is written so, a stored one changed (and the grades of
        the events citing it stored again once written, as its independence counts in them)."""
        if relayed is None or (relayed.new and (Source, relayed.key) not in self.met):
            return  # none, or a new source on a refused line: the import stores nothing then
        self.relayed[source.key] = relayed.key
        source.instance.relays = relayed.instance
        if source.instance.pk is not None:  # stored, or written with an earlier chunk
            self.writer.update(source.instance, ["relays"])
            self.relays_changed.add(source.instance.pk)

    def stated_refusal(self, stated: Stated) -> str | None:
        """Say why the user may not add or change the claim (or fate claim) a line states, if they may not."""
        action = {Outcome.NEW: "add", Outcome.UPDATED: "change"}.get(stated.outcome)
        refused = action and self.permissions.refusal(action, self.stated_model)
        if not refused:
            return None
        return self.stated_refusals[stated.outcome] % {"fields": ", ".join(stated.changed), "refusal": refused}

    def addition_refusals(self, *objects: Resolved | None) -> list[str]:
        """Say which of the new objects a claim refers to the user may not add."""
        problems = []
        for resolved in objects:
            if resolved is not None and resolved.new:
                model = type(resolved.instance)
                refused = self.permissions.refusal("add", model)
                if refused:
                    numbers = {"record": model._meta.verbose_name, "refusal": refused}
                    problems.append(_("adding a new %(record)s %(refusal)s") % numbers)
        return problems

    def object_count(self, resolved: Resolved | None) -> None:
        """Count an object that an accepted claim refers to, the first time; queue it to be written if new."""
        if resolved is None:
            return
        model = type(resolved.instance)
        if (model, resolved.key) in self.met:
            return
        self.met.add((model, resolved.key))
        if resolved.new:
            self.writer.add(resolved.instance)
            self.report.created[KINDS[model]] += 1
        else:
            self.report.reused[KINDS[model]] += 1
