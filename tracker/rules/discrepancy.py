"""The discrepancy rules of the design: from one event's claims to its comparisons' levels.

Pure Python: values in, values out. This is the one place where the rules are written down:
comparison groups, containment (a part cannot exceed the whole, a subgroup included, and the named
dead neither), a party's own inconsistencies, the event's level and ratio (from its killed), the
level of its injured, and the classification dispute.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from tracker.rules.counts import Count, Interval, interval_for

AGREE = "agree"
SINGLE = "single"
MINOR = "minor"
MAJOR = "major"
DENIAL = "denial"

# Most severe last; an event with no claims has no level and sorts below all of these.
SEVERITY = {AGREE: 1, SINGLE: 2, MINOR: 3, MAJOR: 4, DENIAL: 5}
DISPUTED = (DENIAL, MAJOR, MINOR)  # the levels at which the counts disagree

# Where one current claim stands in its group.
ALONE = "alone"
AGREES = "agrees"
ABOVE = "above"
BELOW = "below"
WITHIN = "within"
STANDINGS = (ALONE, AGREES, ABOVE, BELOW, WITHIN)

# What befell them: a claim counts the killed or the injured, and the two are never compared.
KILLED = "killed"
INJURED = "injured"

TOTAL = "total"
CIVILIAN = "civilian"
COMBATANT = "combatant"
UNKNOWN = "unknown"
# The categories a total is made of: disjoint sets of dead, so their lower bounds add up.
PART_CATEGORIES = (CIVILIAN, COMBATANT, UNKNOWN)
# What tells comparison groups apart within an event; a containment discrepancy's whole has the same.
GROUP_KEY = ("outcome", "category", "victim_side", "subgroup")


@dataclass(frozen=True)
class Thresholds:
    """The tunable numbers of the rules: the spread of "about n", and what counts as major."""

    tolerance: Fraction = Fraction(1, 10)
    major_ratio: Fraction = Fraction(3, 2)
    major_gap: int = 3


@dataclass(frozen=True)
class ClaimFacts:
    """What the rules need to know of one claim."""

    key: Hashable
    party: Hashable
    category: str
    victim_side: Hashable | None
    count: Count
    claimed_on: date
    entered: tuple  # order of entry, for ties on the claim date: (entered_at, id)
    retracted: bool = False
    outcome: str = KILLED
    subgroup: Hashable | None = None  # who among them ("of whom, 4 children"); None for the whole toll


@dataclass(frozen=True)
class GroupResult:
    """One comparison group: same outcome, category, victim side and subgroup, each party's current claim."""

    outcome: str
    category: str
    victim_side: Hashable | None
    subgroup: Hashable | None
    level: str | None
    ratio: Decimal | None
    lo_max: int | None  # L, the largest lower bound; None when no party has a current claim
    hi_min: int | None  # H, the smallest upper bound; None when unbounded (or no claim)
    party_count: int
    claim_count: int
    current: frozenset = field(default_factory=frozenset)  # keys of the current claims
    exact_ratio: Fraction | None = None  # L/H unrounded, so that ties between comparisons are decided exactly

    @property
    def severity(self) -> int:
        return SEVERITY.get(self.level, 0)

    @property
    def bounds(self) -> tuple[int | None, int | None]:
        return self.lo_max, self.hi_min


@dataclass(frozen=True)
class Part:
    """One current claim counted in a party's part sum: its category, victim side and lower bound."""

    key: Hashable
    category: str
    victim_side: Hashable | None
    lo: int


@dataclass(frozen=True)
class NamedDeath:
    """A named person with a death claim in the event (tracker.rules.fates.death_reports), and the
    status that claim gives them: `civilian`, `combatant` or `unknown`."""

    person: Hashable
    status: str


@dataclass(frozen=True)
class ContainmentResult:
    """A whole exceeded by its parts: one party's part sum above another party's upper bound for the whole.

    The whole is the claim of `whole_party` of `outcome` in `category` with no subgroup, and with
    no victim side unless a subgroup is the part; `parts` are the current claims of `parts_party`
    that add up to `lo`: its claims of the whole's sides or categories, or its one claim of `subgroup`.
    Where `named`, the part is the named dead instead: `lo` people with a death claim in the event,
    counted by no one party (`parts_party` is None, `parts` empty).
    """

    outcome: str
    category: str
    victim_side: Hashable | None  # the whole's side: None but for a subgroup's containment
    subgroup: Hashable | None  # the subgroup counted as the part, or None for parts added up
    level: str
    ratio: Decimal | None
    exact_ratio: Fraction | None
    lo: int  # L, the part sum
    hi: int  # H, the whole's upper bound
    parts_party: Hashable
    whole_party: Hashable
    parts: tuple[Part, ...]
    whole: Hashable  # key of the whole's claim
    named: bool = False  # the part is the named dead, not claims

    @property
    def severity(self) -> int:
        return SEVERITY[self.level]

    @property
    def bounds(self) -> tuple[int, int]:
        return self.lo, self.hi


@dataclass(frozen=True)
class InconsistencyResult:
    """One party's report that does not add up: its current subgroup claim above its own current whole
    (same outcome, category and side, no subgroup). A flag, not a level: the party is at odds with itself."""

    party: Hashable
    outcome: str
    category: str
    victim_side: Hashable | None
    subgroup: Hashable
    lo: int  # the subgroup's lower bound
    hi: int  # the whole's upper bound
    part: Hashable  # key of the subgroup's claim
    whole: Hashable  # key of the whole's claim


@dataclass(frozen=True)
class EventResult:
    level: str | None  # from the killed comparisons only: deaths are what the tracker is for
    ratio: Decimal | None
    classification_dispute: bool
    groups: tuple[GroupResult, ...]
    intervals: dict  # claim key -> Interval, for every claim (retracted and superseded too)
    current: frozenset  # keys of the claims that are current in their group
    parties: frozenset  # the parties with a current claim
    containment: tuple[ContainmentResult, ...]  # one per whole (and per subgroup) that its parts exceed
    leading: GroupResult | ContainmentResult | None  # the killed comparison that sets the level and the ratio
    dispute_parties: tuple[frozenset, frozenset]  # in a classification dispute: combatants only, civilians only
    injured_level: str | None = None  # the most severe of the injured comparisons
    inconsistencies: tuple[InconsistencyResult, ...] = ()
    named_killed: int = 0  # the distinct named dead with a death claim in the event

    @property
    def severity(self) -> int:
        return SEVERITY.get(self.level, 0)

    @property
    def injured_severity(self) -> int:
        return SEVERITY.get(self.injured_level, 0)


def rounded_ratio(ratio: Fraction) -> Decimal:
    """Round a ratio to two decimals, half up, for display and storage."""
    return (Decimal(ratio.numerator) / Decimal(ratio.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def current_claims(claims: Iterable[ClaimFacts]) -> dict[Hashable, ClaimFacts]:
    """Return each party's current claim: its latest by claim date, then by entry; none retracted."""
    current = {}
    for claim in claims:
        if claim.retracted:
            continue
        held = current.get(claim.party)
        if held is None or (claim.claimed_on, claim.entered) > (held.claimed_on, held.entered):
            current[claim.party] = claim
    return current


def level_apart(lo_max: int, hi_min: int, thresholds: Thresholds) -> tuple[str, Fraction | None]:
    """Return the level of counts apart (L > H) and the exact ratio L/H (None for a denial)."""
    if hi_min == 0:
        return DENIAL, None
    ratio = Fraction(lo_max, hi_min)
    if ratio >= thresholds.major_ratio and lo_max - hi_min >= thresholds.major_gap:
        return MAJOR, ratio
    return MINOR, ratio


def level_for(intervals: list[Interval], thresholds: Thresholds) -> tuple[str | None, Fraction | None]:
    """Return the level of a group's current intervals and its exact ratio L/H (or None)."""
    if not intervals:
        return None, None
    if len(intervals) == 1:
        return SINGLE, None
    lo_max = max(interval.lo for interval in intervals)
    bounded = [interval.hi for interval in intervals if interval.hi is not None]
    if not bounded or lo_max <= min(bounded):
        return AGREE, None
    return level_apart(lo_max, min(bounded), thresholds)


def group_result(key: tuple, claims: list[ClaimFacts], intervals, thresholds):
    current = current_claims(claims)
    current_intervals = [intervals[claim.key] for claim in current.values()]
    level, ratio = level_for(current_intervals, thresholds)
    bounded = [interval.hi for interval in current_intervals if interval.hi is not None]
    return GroupResult(
        **dict(zip(GROUP_KEY, key, strict=True)),
        level=level,
        ratio=None if ratio is None else rounded_ratio(ratio),
        lo_max=max((interval.lo for interval in current_intervals), default=None),
        hi_min=min(bounded, default=None),
        party_count=len(current),
        claim_count=len(claims),
        current=frozenset(claim.key for claim in current.values()),
        exact_ratio=ratio,
    )


def comparison_rank(comparison: GroupResult | ContainmentResult) -> tuple:
    """Rank a comparison, the higher the worse: most severe, then the largest exact ratio, then the
    largest L, then the smallest H (an unbounded H counting as the largest)."""
    lo, hi = comparison.bounds
    return (
        comparison.severity,
        comparison.exact_ratio if comparison.exact_ratio is not None else -1,
        lo if lo is not None else -1,
        -hi if hi is not None else float("-inf"),
    )


def most_severe(comparisons: Iterable[GroupResult | ContainmentResult]):
    """Return the worst comparison by `comparison_rank`; on a full tie, the first one given."""
    return max(comparisons, key=comparison_rank, default=None)


def sided_parts(current: dict[tuple, dict], intervals, outcome: str, category: str) -> dict[Hashable, list[Part]]:
    """Return each party's current claims of `outcome` in `category` that name a victim side and no
    subgroup, as parts."""
    parts: dict[Hashable, list[Part]] = {}
    for group in sorted(current, key=group_order):
        group_outcome, group_category, side, subgroup = group
        if (group_outcome, group_category) == (outcome, category) and side is not None and subgroup is None:
            for party, claim in current[group].items():
                parts.setdefault(party, []).append(Part(claim.key, category, side, intervals[claim.key].lo))
    return parts


def whole_parts(current: dict[tuple, dict], intervals, outcome: str, category: str) -> dict[Hashable, list[Part]]:
    """Return each party's parts of the whole `category` with no victim side, for parties that have any.

    A civilian, combatant or unknown whole is made of the same category with each victim side. A
    total is made of, per category, the party's claim with no side where it has one, else its
    claims that name a side. A total with a side is neither a whole nor a part. Subgroups may
    overlap, so no subgroup is ever one of the parts added up.
    """
    if category != TOTAL:
        return sided_parts(current, intervals, outcome, category)
    parts: dict[Hashable, list[Part]] = {}
    for part_category in PART_CATEGORIES:
        unsided = current.get((outcome, part_category, None, None), {})
        sided = sided_parts(current, intervals, outcome, part_category)
        for party in unsided.keys() | sided.keys():
            if party in unsided:
                claim = unsided[party]
                parts.setdefault(party, []).append(Part(claim.key, part_category, None, intervals[claim.key].lo))
            else:
                parts.setdefault(party, []).extend(sided[party])
    return parts


def exceeding(
    key: tuple, parts_party, parts: list[Part], whole_party, whole: ClaimFacts, hi: int, thresholds, *, named=None
):
    """Return the containment discrepancy of one party's parts, adding up to more than `hi`, against
    another party's whole; `key` is the whole's (outcome, category, side, subgroup counted as the part).
    With `named`, the part is that many named dead, and no party's."""
    lo = sum(part.lo for part in parts) if named is None else named
    level, ratio = level_apart(lo, hi, thresholds)
    return ContainmentResult(
        **dict(zip(GROUP_KEY, key, strict=True)),
        level=level,
        ratio=None if ratio is None else rounded_ratio(ratio),
        exact_ratio=ratio,
        lo=lo,
        hi=hi,
        parts_party=parts_party,
        whole_party=whole_party,
        parts=tuple(parts),
        whole=whole.key,
        named=named is not None,
    )


def worst_pair(candidates: list[ContainmentResult]) -> ContainmentResult | None:
    """Return the worst of one whole's pairs of parties by `comparison_rank`."""
    # Pairs that tie on every rule go to the first by party, so that the order of claims never matters.
    candidates.sort(key=lambda candidate: (str(candidate.parts_party), str(candidate.whole_party)))
    return most_severe(candidates)


def containment_result(
    current: dict[tuple, dict], intervals, outcome: str, category: str, thresholds
) -> ContainmentResult | None:
    """Return the worst pair of parties where one's part sum exceeds the other's bound for the whole.

    A party's part sum is a lower bound on the whole; it is never set against its own whole.
    """
    candidates = []
    key = (outcome, category, None, None)
    for parts_party, parts in whole_parts(current, intervals, outcome, category).items():
        lo = sum(part.lo for part in parts)
        for whole_party, whole in current.get(key, {}).items():
            hi = intervals[whole.key].hi
            if whole_party == parts_party or hi is None or lo <= hi:
                continue
            candidates.append(exceeding(key, parts_party, parts, whole_party, whole, hi, thresholds))
    return worst_pair(candidates)


def named_counts(named: Iterable[NamedDeath]) -> dict[str, int]:
    """Return how many distinct named dead each whole holds: every one of them in the total, those
    of a civilian or combatant status in that category. A person of unknown status counts only in the
    total; one given either status by some party counts in that category."""
    people: dict[str, set] = {TOTAL: set(), CIVILIAN: set(), COMBATANT: set()}
    for death in named:
        people[TOTAL].add(death.person)
        if death.status in people:
            people[death.status].add(death.person)
    return {category: len(found) for category, found in people.items()}


def named_result(current: dict[tuple, dict], intervals, category: str, count: int, thresholds):
    """Return the worst of the parties' killed wholes of `category` (no side, no subgroup) that fewer
    dead than `count` named dead fit in: the named dead are part of every party's whole."""
    key = (KILLED, category, None, None)
    candidates = [
        exceeding(key, None, [], whole_party, whole, intervals[whole.key].hi, thresholds, named=count)
        for whole_party, whole in current.get(key, {}).items()
        if intervals[whole.key].hi is not None and count > intervals[whole.key].hi
    ]
    return worst_pair(candidates)


def subgroup_checks(
    current: dict[tuple, dict], intervals, key: tuple, thresholds
) -> tuple[ContainmentResult | None, list[InconsistencyResult]]:
    """Set each party's current claim of the subgroup group `key` alone against the wholes of its
    outcome, category and side with no subgroup: above another party's whole, a containment
    discrepancy (the worst pair is kept); above its own, an inconsistency in its report."""
    outcome, category, side, subgroup = key
    wholes = current.get((outcome, category, side, None), {})
    candidates, inconsistencies = [], []
    for parts_party, part in current[key].items():
        lo = intervals[part.key].lo
        for whole_party, whole in wholes.items():
            hi = intervals[whole.key].hi
            if hi is None or lo <= hi:
                continue
            if whole_party == parts_party:
                inconsistencies.append(
                    InconsistencyResult(
                        party=parts_party, outcome=outcome, category=category, victim_side=side,
                        subgroup=subgroup, lo=lo, hi=hi, part=part.key, whole=whole.key,
                    )
                )  # fmt: skip
            else:
                parts = [Part(part.key, category, side, lo)]
                candidates.append(exceeding(key, parts_party, parts, whole_party, whole, hi, thresholds))
    return worst_pair(candidates), inconsistencies


def classification_dispute_parties(
    current: Iterable[tuple[Hashable, str, Hashable | None, Interval]],
) -> tuple[frozenset, frozenset]:
    """Return, from the current killed claims as (party, category, subgroup, interval), the parties
    that count only combatant dead and those that count only civilian dead.

    A party counts deaths in a category where any of its claims there (of a subgroup or not) has
    lo >= 1, and none where each of its claims without subgroup has hi = 0 and it counts no deaths
    there. It is a classification dispute when both are non-empty: the parties disagree about who died.
    """
    by_party: dict[Hashable, dict[str, list[tuple]]] = {}
    for party, category, subgroup, interval in current:
        by_party.setdefault(party, {}).setdefault(category, []).append((subgroup, interval))

    def claims_deaths(categories, category):
        return any(interval.lo >= 1 for _subgroup, interval in categories.get(category, ()))

    def claims_none(categories, category):
        wholes = (interval for subgroup, interval in categories.get(category, ()) if subgroup is None)
        return all(interval.hi == 0 for interval in wholes) and not claims_deaths(categories, category)

    def counting_only(counted, uncounted):
        return frozenset(
            party
            for party, categories in by_party.items()
            if claims_deaths(categories, counted) and claims_none(categories, uncounted)
        )

    return counting_only(COMBATANT, CIVILIAN), counting_only(CIVILIAN, COMBATANT)


def event_result(
    claims: Iterable[ClaimFacts], thresholds: Thresholds = Thresholds(), named: Iterable[NamedDeath] = ()
) -> EventResult:
    """Apply the design's rules to one event's claims, and to the named dead with a death claim in it."""
    claims = list(claims)
    intervals = {claim.key: interval_for(claim.count, tolerance=thresholds.tolerance) for claim in claims}
    grouped: dict[tuple, list[ClaimFacts]] = {}
    for claim in claims:
        grouped.setdefault((claim.outcome, claim.category, claim.victim_side, claim.subgroup), []).append(claim)
    ordered = sorted(grouped, key=group_order)
    groups = tuple(group_result(key, grouped[key], intervals, thresholds) for key in ordered)
    current = {key: current_claims(grouped[key]) for key in ordered}
    found = [
        containment_result(current, intervals, outcome, category, thresholds)
        for outcome in {key[0] for key in ordered}
        for category in (TOTAL, *PART_CATEGORIES)
    ]
    named = named_counts(named)
    found += [named_result(current, intervals, category, count, thresholds) for category, count in named.items()]
    inconsistencies = []
    for key in ordered:
        if key[3] is not None:
            worst, inconsistent = subgroup_checks(current, intervals, key, thresholds)
            found.append(worst)
            inconsistencies.extend(inconsistent)
    # The named dead after the parts added up against the same whole.
    containment = tuple(
        sorted((item for item in found if item is not None), key=lambda item: (comparison_key(item), item.named))
    )
    inconsistencies.sort(key=lambda item: (comparison_key(item), str(item.party)))

    def worst_of(outcome):
        # Groups come first, so that a containment check leads only where it is strictly worse.
        levelled = [group for group in groups if group.level is not None and group.outcome == outcome]
        return most_severe([*levelled, *(item for item in containment if item.outcome == outcome)])

    leading, injured = worst_of(KILLED), worst_of(INJURED)
    standing = [claim for by_party in current.values() for claim in by_party.values()]
    dispute_parties = classification_dispute_parties(
        (claim.party, claim.category, claim.subgroup, intervals[claim.key])
        for claim in standing
        if claim.outcome == KILLED
    )
    dispute = all(dispute_parties)
    return EventResult(
        level=leading.level if leading else None,
        ratio=leading.ratio if leading else None,
        classification_dispute=dispute,
        groups=groups,
        intervals=intervals,
        current=frozenset(claim.key for claim in standing),
        parties=frozenset(claim.party for claim in standing),
        containment=containment,
        leading=leading,
        dispute_parties=dispute_parties if dispute else (frozenset(), frozenset()),
        injured_level=injured.level if injured else None,
        inconsistencies=tuple(inconsistencies),
        named_killed=named[TOTAL],
    )


OUTCOME_ORDER = {KILLED: 0, INJURED: 1}
CATEGORY_ORDER = {TOTAL: 0, CIVILIAN: 1, COMBATANT: 2, UNKNOWN: 3}


def group_order(key: tuple) -> tuple:
    """Sort groups, given as (outcome, category, side, subgroup), by outcome (the killed first), by
    category as the design lists them, then by victim side and by subgroup (none first)."""
    outcome, category, side, subgroup = key
    return (
        OUTCOME_ORDER.get(outcome, len(OUTCOME_ORDER)), CATEGORY_ORDER.get(category, len(CATEGORY_ORDER)),
        side is not None, str(side), subgroup is not None, str(subgroup),
    )  # fmt: skip


def comparison_key(item: GroupResult | ContainmentResult | InconsistencyResult) -> tuple:
    """Order a comparison (or an inconsistency) as its group is ordered."""
    return group_order(tuple(getattr(item, name) for name in GROUP_KEY))


def standing(interval: Interval, level: str | None, lo_max: int | None, hi_min: int | None) -> str | None:
    """Return where a current claim stands in its group: alone, agreeing, or apart above or below the others."""
    if level == SINGLE:
        return ALONE
    if level == AGREE:
        return AGREES
    if level not in DISPUTED:
        return None
    if hi_min is not None and interval.lo > hi_min:
        return ABOVE
    if interval.hi is not None and lo_max is not None and interval.hi < lo_max:
        return BELOW
    return WITHIN
