"""The stored summaries as PostgreSQL computes them, a set of events at a time.

The same results the rules' backend (backends.python) stores from the pure rules of
tracker.rules.discrepancy, which stay their one written definition: the tests hold this SQL equal
to them on random events. Here
they are computed set-based, in temporary tables, so that a rebuild of every event costs a few
statements rather than a round trip per event. The thresholds go in as query parameters, and
every step is integer arithmetic (or numeric with room to spare), so that results are exact.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db import connection

from tracker.models import Claim, ComparisonGroup, ContainmentDiscrepancy, Event, FateClaim, Inconsistency
from tracker.models.tallies import (
    LEVEL_COLUMNS,
    STANDING_COLUMNS,
    EventMonthTally,
    MonthTally,
    PartyEventTally,
    PartyTally,
)
from tracker.rules import discrepancy, fates
from tracker.rules.counts import APPROXIMATE, AT_LEAST, AT_MOST, EXACT, RANGE
from tracker.summaries import ranking
from tracker.summaries.tallies import SHARE_COLUMNS
from tracker.summaries.tallies import TOTAL_COLUMNS as PARTY_MOVE_COLUMNS

TABLE = SimpleNamespace(
    event=Event._meta.db_table,
    claim=Claim._meta.db_table,
    group=ComparisonGroup._meta.db_table,
    containment=ContainmentDiscrepancy._meta.db_table,
    parts=ContainmentDiscrepancy.parts.through._meta.db_table,
    inconsistency=Inconsistency._meta.db_table,
    fate_claim=FateClaim._meta.db_table,
    party_event_tally=PartyEventTally._meta.db_table,
    event_month_tally=EventMonthTally._meta.db_table,
    party_tally=PartyTally._meta.db_table,
    month_tally=MonthTally._meta.db_table,
)
# A chunk is as large as keeps the temporary tables small.
CHUNK = 20_000
WORK_TABLES = (
    "summary_scope", "summary_claim", "summary_current", "summary_named", "summary_group", "summary_part",
    "summary_containment", "summary_inconsistency", "summary_leading", "summary_event", "summary_group_row",
    "summary_group_changed", "summary_share", "summary_month", "summary_party_move", "summary_month_move",
)  # fmt: skip
# A ratio as numeric with 40 decimals: two ratios L/H with H below 2^31 that differ, differ by more
# than 2^-62, so at this scale they compare as exactly as fractions do.
EXACT_SCALE = 40

PARTS = ", ".join(f"'{category}'" for category in discrepancy.PART_CATEGORIES)
SEVERITY = " ".join(f"WHEN '{level}' THEN {rank}" for level, rank in discrepancy.SEVERITY.items())
CATEGORY_ORDER = " ".join(f"WHEN '{category}' THEN {rank}" for category, rank in discrepancy.CATEGORY_ORDER.items())
OUTCOME_ORDER = " ".join(f"WHEN '{outcome}' THEN {rank}" for outcome, rank in discrepancy.OUTCOME_ORDER.items())
KILLED, INJURED = discrepancy.KILLED, discrepancy.INJURED
DEATHS = ", ".join(f"'{fate}'" for fate in sorted(fates.DEATHS))
# A group's key (discrepancy.GROUP_KEY) with an empty side or subgroup as 0, as the work tables join on it.
GROUP_KEY = "event_id, outcome, category, side_key, subgroup_key"


def group_order(side: str, subgroup: str, table: str = "") -> str:
    """The SQL of discrepancy.group_order after the event: by outcome and category as the rules list
    them, then by side and by subgroup, none first, then by their keys as text."""
    outcome, category, side, subgroup = (f"{table}{name}" for name in ("outcome", "category", side, subgroup))
    return (
        f"CASE {outcome} {OUTCOME_ORDER} END, CASE {category} {CATEGORY_ORDER} END,"
        f' {side} IS NOT NULL, {side}::text COLLATE "C", {subgroup} IS NOT NULL, {subgroup}::text COLLATE "C"'
    )


def level_apart(lo: str, hi: str) -> str:
    """The SQL of discrepancy.level_apart for L > H: a denial at H = 0, else major or minor by the thresholds."""
    return (
        f"CASE WHEN {hi} = 0 THEN '{discrepancy.DENIAL}'"
        f" WHEN {lo}::numeric * %(ratio_den)s >= {hi}::numeric * %(ratio_num)s AND {lo} - {hi} >= %(gap)s"
        f" THEN '{discrepancy.MAJOR}' ELSE '{discrepancy.MINOR}' END"
    )


def ratio_columns(level: str, lo: str, hi: str) -> str:
    """The SQL of the rounded ratio (half up, two decimals) and the exact one for ranking (-1 where none)."""
    apart = f"{level} IN ('{discrepancy.MAJOR}', '{discrepancy.MINOR}')"
    return (
        f"CASE WHEN {apart} THEN (div(200 * {lo}::numeric + {hi}, 2 * {hi}::numeric) / 100)::numeric(21, 2)"
        " END AS ratio,"
        f" CASE WHEN {apart} THEN round({lo}::numeric, {EXACT_SCALE}) / {hi} ELSE -1 END AS exact_ratio"
    )


def floor_div(numerator: str, denominator: str) -> str:
    """Floor division of numerics holding integers (div truncates toward zero); the denominator is positive."""
    below_zero = f"{numerator} < 0 AND mod({numerator}, {denominator}) <> 0"
    return f"(div({numerator}, {denominator}) - CASE WHEN {below_zero} THEN 1 ELSE 0 END)"


def ceil_div(numerator: str, denominator: str) -> str:
    return f"(-{floor_div(f'(-{numerator})', denominator)})"


APPROXIMATE_LO = floor_div("(best::numeric * (%(tol_den)s - %(tol_num)s))", "%(tol_den)s")
APPROXIMATE_HI = ceil_div("(best::numeric * (%(tol_den)s + %(tol_num)s))", "%(tol_den)s")

STANDING = f"""CASE g.level
    WHEN '{discrepancy.SINGLE}' THEN '{discrepancy.ALONE}'
    WHEN '{discrepancy.AGREE}' THEN '{discrepancy.AGREES}'
    ELSE CASE WHEN g.hi_min IS NOT NULL AND c.lo > g.hi_min THEN '{discrepancy.ABOVE}'
              WHEN c.hi IS NOT NULL AND c.hi < g.lo_max THEN '{discrepancy.BELOW}'
              ELSE '{discrepancy.WITHIN}' END
END"""

STANDING_SUMS = ", ".join(f"count(*) FILTER (WHERE s.standing = '{name}') AS {name}" for name in STANDING_COLUMNS)
LEVEL_SUMS = ", ".join(
    f"(level IS NOT DISTINCT FROM '{level}')::int AS {column}" for level, column in LEVEL_COLUMNS.items()
)
GROUP_COLUMNS = (
    "event_id, outcome, category, victim_side_id, subgroup_id, level, severity, ratio, lo_max, hi_min, party_count,"
    " claim_count, sets_level"
)
INCONSISTENCY_COLUMNS = (
    "event_id, party_id, outcome, category, victim_side_id, subgroup_id, lo, hi, part_claim_id, whole_claim_id"
)


def written_by_difference(table: str, rows: str, *, keys: tuple[str, ...], columns: tuple[str, ...]) -> list[str]:
    """Return the statements that make the events' rows of `table` those of the temporary table `rows`,
    writing only the rows that differ: a rebuild mostly finds the rows it would write already there.

    `keys` tell a row apart within the events. The rows' order by key must not matter.
    """
    match = " AND ".join(f"o.{key} = n.{key}" for key in keys)
    same = " AND ".join(f"o.{name} IS NOT DISTINCT FROM n.{name}" for name in columns)
    written = ", ".join([*keys, *columns])
    return [
        f"""DELETE FROM {table} o WHERE o.event_id IN (SELECT event_id FROM summary_scope)
        AND NOT EXISTS (SELECT FROM {rows} n WHERE {match} AND {same})""",
        f"""INSERT INTO {table} ({written}) SELECT {written} FROM {rows} n
        WHERE NOT EXISTS (SELECT FROM {table} o WHERE {match})""",
    ]


# Each step reads the tables of the steps before it; the first ones are the rules, the rest store.
COMPUTE = [
    # The events, locked as the rules' backend locks them (in key order, "no key"); those deleted since drop out.
    f"""CREATE TEMP TABLE summary_scope ON COMMIT DROP AS
    SELECT id AS event_id FROM {TABLE.event} WHERE id = ANY(%(events)s) ORDER BY id FOR NO KEY UPDATE""",
    # Every claim of the events with its interval (discrepancy.interval_for).
    f"""CREATE TEMP TABLE summary_claim ON COMMIT DROP AS
    SELECT id, event_id, party_id, outcome, category, victim_side_id AS side, coalesce(victim_side_id, 0) AS side_key,
           subgroup_id AS subgroup, coalesce(subgroup_id, 0) AS subgroup_key,
           claimed_on, entered_at, retracted, is_current AS was_current,
           (CASE qualifier WHEN '{EXACT}' THEN best WHEN '{APPROXIMATE}' THEN {APPROXIMATE_LO}
                 WHEN '{AT_LEAST}' THEN low WHEN '{AT_MOST}' THEN 0 WHEN '{RANGE}' THEN low END)::bigint AS lo,
           (CASE qualifier WHEN '{EXACT}' THEN best WHEN '{APPROXIMATE}' THEN {APPROXIMATE_HI}
                 WHEN '{AT_MOST}' THEN high WHEN '{RANGE}' THEN high END)::bigint AS hi
    FROM {TABLE.claim} WHERE event_id IN (SELECT event_id FROM summary_scope)""",
    # Each party's current claim per group (discrepancy.current_claims).
    f"""CREATE TEMP TABLE summary_current ON COMMIT DROP AS
    SELECT DISTINCT ON ({GROUP_KEY}, party_id) *
    FROM summary_claim WHERE NOT retracted
    ORDER BY {GROUP_KEY}, party_id, claimed_on DESC, entered_at DESC, id DESC""",
    # Each event's named dead per whole (discrepancy.named_counts): the people with a death claim there
    # (fates.event_deaths), each party's current fate claim about a person read from all of theirs.
    f"""CREATE TEMP TABLE summary_named ON COMMIT DROP AS
    WITH current AS (
        SELECT DISTINCT ON (person_id, party_id) person_id, event_id, fate, hedge, status
        FROM {TABLE.fate_claim}
        WHERE NOT retracted AND person_id IN (
            SELECT person_id FROM {TABLE.fate_claim} WHERE event_id IN (SELECT event_id FROM summary_scope)
        )
        ORDER BY person_id, party_id, claimed_on DESC, entered_at DESC, id DESC
    )
    SELECT event_id, category, count(DISTINCT person_id)::bigint AS lo
    FROM current, LATERAL (VALUES ('{discrepancy.TOTAL}'), (status)) AS wholes (category)
    WHERE hedge = '{fates.STATED}' AND fate IN ({DEATHS}) AND event_id IN (SELECT event_id FROM summary_scope)
      AND category IN ('{discrepancy.TOTAL}', '{discrepancy.CIVILIAN}', '{discrepancy.COMBATANT}')
    GROUP BY event_id, category""",
    # The comparison groups (discrepancy.group_result), a group of retracted claims only with no level.
    f"""CREATE TEMP TABLE summary_group ON COMMIT DROP AS
    WITH counted AS (
        SELECT {GROUP_KEY}, min(side) AS side, min(subgroup) AS subgroup, count(*) AS claim_count
        FROM summary_claim GROUP BY {GROUP_KEY}
    ), bounds AS (
        SELECT {GROUP_KEY}, count(*) AS party_count, max(lo) AS lo_max, min(hi) AS hi_min
        FROM summary_current GROUP BY {GROUP_KEY}
    ), leveled AS (
        SELECT a.event_id, a.outcome, a.category, a.side, a.side_key, a.subgroup, a.subgroup_key, a.claim_count,
               coalesce(b.party_count, 0) AS party_count, b.lo_max, b.hi_min,
               CASE WHEN b.party_count IS NULL THEN NULL
                    WHEN b.party_count = 1 THEN '{discrepancy.SINGLE}'
                    WHEN b.hi_min IS NULL OR b.lo_max <= b.hi_min THEN '{discrepancy.AGREE}'
                    ELSE {level_apart("b.lo_max", "b.hi_min")} END AS level
        FROM counted a LEFT JOIN bounds b USING ({GROUP_KEY})
    )
    SELECT *, coalesce(CASE level {SEVERITY} END, 0) AS severity, {ratio_columns("level", "lo_max", "hi_min")}
    FROM leveled""",
    # Each party's parts of each whole, the whole named by its outcome, category, side and subgroup
    # (0 where none). Added up (discrepancy.whole_parts), from claims without subgroup: the same category
    # with a side, for a whole with none; and for the total, per category the party's claim with no
    # side, else its claims with one. Alone (discrepancy.subgroup_checks): a subgroup's claim, for the
    # whole of its outcome, category and side.
    f"""CREATE TEMP TABLE summary_part ON COMMIT DROP AS
    SELECT event_id, outcome, category AS whole, 0 AS whole_side_key, NULL::integer AS whole_side, 0 AS subgroup_key,
           NULL::integer AS subgroup, party_id, id AS claim_id, lo, category, side
    FROM summary_current WHERE category IN ({PARTS}) AND side IS NOT NULL AND subgroup IS NULL
    UNION ALL
    SELECT c.event_id, c.outcome, '{discrepancy.TOTAL}', 0, NULL, 0, NULL, c.party_id, c.id, c.lo, c.category, c.side
    FROM summary_current c
    WHERE c.category IN ({PARTS}) AND c.subgroup IS NULL AND (c.side IS NULL OR NOT EXISTS (
        SELECT FROM summary_current u
        WHERE u.event_id = c.event_id AND u.outcome = c.outcome AND u.category = c.category
          AND u.party_id = c.party_id AND u.side IS NULL AND u.subgroup IS NULL
    ))
    UNION ALL
    SELECT event_id, outcome, category, side_key, side, subgroup_key, subgroup, party_id, id, lo, category, side
    FROM summary_current WHERE subgroup IS NOT NULL""",
    # Per whole, the worst pair of parties whose part sum exceeds the other's bound (discrepancy.
    # containment_result, subgroup_checks), and apart from it the worst party's killed whole that its
    # named dead exceed (discrepancy.named_result); on a full tie the first by the text of the party
    # ids, as the rules sort them.
    f"""CREATE TEMP TABLE summary_containment ON COMMIT DROP AS
    WITH sums AS (
        SELECT event_id, outcome, whole, whole_side_key, min(whole_side) AS side, subgroup_key,
               min(subgroup) AS subgroup, party_id, sum(lo)::bigint AS lo
        FROM summary_part GROUP BY event_id, outcome, whole, whole_side_key, subgroup_key, party_id
    ), pairs AS (
        SELECT s.event_id, s.outcome, s.whole AS category, s.whole_side_key AS side_key, s.side, s.subgroup_key,
               s.subgroup, s.party_id AS parts_party, w.party_id AS whole_party, w.id AS whole_claim, s.lo, w.hi,
               {level_apart("s.lo", "w.hi")} AS level, false AS named
        FROM sums s JOIN summary_current w
          ON w.event_id = s.event_id AND w.outcome = s.outcome AND w.category = s.whole
         AND w.side_key = s.whole_side_key AND w.subgroup IS NULL
         AND w.party_id <> s.party_id AND w.hi IS NOT NULL AND s.lo > w.hi
        UNION ALL
        SELECT n.event_id, w.outcome, n.category, 0, NULL, 0, NULL, NULL, w.party_id, w.id, n.lo, w.hi,
               {level_apart("n.lo", "w.hi")}, true
        FROM summary_named n JOIN summary_current w
          ON w.event_id = n.event_id AND w.outcome = '{KILLED}' AND w.category = n.category
         AND w.side IS NULL AND w.subgroup IS NULL AND w.hi IS NOT NULL AND n.lo > w.hi
    ), ranked AS (
        SELECT *, CASE level {SEVERITY} END AS severity, {ratio_columns("level", "lo", "hi")} FROM pairs
    )
    SELECT DISTINCT ON ({GROUP_KEY}, named) * FROM ranked
    ORDER BY {GROUP_KEY}, named, severity DESC, exact_ratio DESC, lo DESC, hi,
             parts_party::text COLLATE "C", whole_party::text COLLATE "C" """,
    # A party's own subgroup above its own whole (discrepancy.subgroup_checks).
    """CREATE TEMP TABLE summary_inconsistency ON COMMIT DROP AS
    SELECT p.event_id, p.party_id, p.outcome, p.category, p.side AS victim_side_id, p.subgroup AS subgroup_id, p.lo,
           w.hi, p.id AS part_claim_id, w.id AS whole_claim_id
    FROM summary_current p JOIN summary_current w
      ON w.event_id = p.event_id AND w.outcome = p.outcome AND w.category = p.category AND w.side_key = p.side_key
     AND w.subgroup IS NULL AND w.party_id = p.party_id AND w.hi IS NOT NULL AND p.lo > w.hi
    WHERE p.subgroup IS NOT NULL""",
    # The comparison that sets each event's level, among its killed (discrepancy.comparison_rank): on a
    # full tie the groups first in their order, then the wholes in theirs, the named dead after the parts.
    f"""CREATE TEMP TABLE summary_leading ON COMMIT DROP AS
    SELECT DISTINCT ON (event_id) * FROM (
        SELECT event_id, 0 AS kind, outcome, category, side, side_key, subgroup, subgroup_key, level, severity, ratio,
               exact_ratio, lo_max AS lo, hi_min AS hi, false AS named
        FROM summary_group WHERE level IS NOT NULL AND outcome = '{KILLED}'
        UNION ALL
        SELECT event_id, 1, outcome, category, side, side_key, subgroup, subgroup_key, level, severity, ratio,
               exact_ratio, lo, hi, named
        FROM summary_containment WHERE outcome = '{KILLED}'
    ) comparisons
    ORDER BY event_id, severity DESC, exact_ratio DESC, lo DESC, hi NULLS LAST, kind,
             {group_order("side", "subgroup")}, named""",
    # Each event's summary (backends.python.event_summary): the level of its injured, whether a party
    # is at odds with itself, and its classification dispute on the killed claims, where a subgroup's
    # deaths are deaths of its category.
    f"""CREATE TEMP TABLE summary_event ON COMMIT DROP AS
    WITH by_party AS (
        SELECT event_id, party_id,
               bool_or(outcome = '{KILLED}' AND category = '{discrepancy.COMBATANT}' AND lo >= 1)
               AND NOT bool_or(outcome = '{KILLED}' AND category = '{discrepancy.CIVILIAN}' AND lo >= 1)
               AND bool_and(outcome <> '{KILLED}' OR category <> '{discrepancy.CIVILIAN}' OR subgroup IS NOT NULL
                            OR coalesce(hi = 0, false)) AS combatants_only,
               bool_or(outcome = '{KILLED}' AND category = '{discrepancy.CIVILIAN}' AND lo >= 1)
               AND NOT bool_or(outcome = '{KILLED}' AND category = '{discrepancy.COMBATANT}' AND lo >= 1)
               AND bool_and(outcome <> '{KILLED}' OR category <> '{discrepancy.COMBATANT}' OR subgroup IS NOT NULL
                            OR coalesce(hi = 0, false)) AS civilians_only
        FROM summary_current GROUP BY event_id, party_id
    ), by_event AS (
        SELECT event_id, count(*) AS party_count, bool_or(combatants_only) AND bool_or(civilians_only) AS dispute
        FROM by_party GROUP BY event_id
    ), claims AS (
        SELECT event_id, count(*) AS claim_count FROM summary_claim GROUP BY event_id
    ), injured AS (
        SELECT DISTINCT ON (event_id) event_id, level, severity FROM (
            SELECT event_id, level, severity FROM summary_group WHERE level IS NOT NULL AND outcome = '{INJURED}'
            UNION ALL
            SELECT event_id, level, severity FROM summary_containment WHERE outcome = '{INJURED}'
        ) comparisons
        ORDER BY event_id, severity DESC
    ), inconsistent AS (
        SELECT DISTINCT event_id FROM summary_inconsistency
    ), named AS (
        SELECT event_id, lo AS named_killed FROM summary_named WHERE category = '{discrepancy.TOTAL}'
    )
    SELECT e.event_id, l.level, coalesce(l.severity, 0) AS severity, l.ratio,
           CASE WHEN l.level = '{discrepancy.DENIAL}' THEN %(denial_rank)s + l.lo ELSE l.ratio END AS ratio_rank,
           coalesce(p.dispute, false) AS classification_dispute, i.level AS injured_level,
           coalesce(i.severity, 0) AS injured_severity,
           n.event_id IS NOT NULL AS inconsistent,
           coalesce(p.party_count, 0) AS party_count, coalesce(c.claim_count, 0) AS claim_count,
           coalesce(d.named_killed, 0) AS named_killed
    FROM summary_scope e
    LEFT JOIN summary_leading l USING (event_id)
    LEFT JOIN by_event p USING (event_id)
    LEFT JOIN claims c USING (event_id)
    LEFT JOIN injured i USING (event_id)
    LEFT JOIN inconsistent n USING (event_id)
    LEFT JOIN named d USING (event_id)""",
]

STORE = [
    f"""UPDATE {TABLE.event} e
    SET {", ".join(f"{name} = s.{name}" for name in Event.SUMMARY_FIELDS)}
    FROM summary_event s
    WHERE e.id = s.event_id AND ({", ".join(f"e.{name}" for name in Event.SUMMARY_FIELDS)})
        IS DISTINCT FROM ({", ".join(f"s.{name}" for name in Event.SUMMARY_FIELDS)})""",
    f"""CREATE TEMP TABLE summary_group_row ON COMMIT DROP AS
    SELECT g.event_id, g.outcome, g.category, g.side AS victim_side_id, g.subgroup AS subgroup_id, g.level,
           g.severity, g.ratio, g.lo_max, g.hi_min, g.party_count, g.claim_count, l.event_id IS NOT NULL AS sets_level
    FROM summary_group g LEFT JOIN summary_leading l
      ON l.kind = 0 AND {" AND ".join(f"l.{key} = g.{key}" for key in GROUP_KEY.split(", "))}""",
    # An event's groups are listed in their order by key (tracker.models.ComparisonGroup), so an event
    # whose groups differ at all has them all written again, in the rules' order.
    f"""CREATE TEMP TABLE summary_group_changed ON COMMIT DROP AS
    WITH stored AS (
        SELECT {GROUP_COLUMNS} FROM {TABLE.group} WHERE event_id IN (SELECT event_id FROM summary_scope)
    ), computed AS (
        SELECT {GROUP_COLUMNS} FROM summary_group_row
    )
    SELECT event_id FROM (SELECT * FROM stored EXCEPT ALL SELECT * FROM computed) gone
    UNION
    SELECT event_id FROM (SELECT * FROM computed EXCEPT ALL SELECT * FROM stored) added""",
    f"DELETE FROM {TABLE.group} WHERE event_id IN (SELECT event_id FROM summary_group_changed)",
    f"""INSERT INTO {TABLE.group} ({GROUP_COLUMNS})
    SELECT {GROUP_COLUMNS} FROM summary_group_row
    WHERE event_id IN (SELECT event_id FROM summary_group_changed)
    ORDER BY event_id, {group_order("victim_side_id", "subgroup_id")}""",
    # The database cascades no deletes (Django does): the parts go first.
    f"""DELETE FROM {TABLE.parts} WHERE containmentdiscrepancy_id IN (
        SELECT id FROM {TABLE.containment} WHERE event_id IN (SELECT event_id FROM summary_scope)
    )""",
    f"DELETE FROM {TABLE.containment} WHERE event_id IN (SELECT event_id FROM summary_scope)",
    f"""INSERT INTO {TABLE.containment} (event_id, outcome, category, victim_side_id, subgroup_id, level, severity,
                                 ratio, lo, hi, parts_party_id, whole_party_id, whole_claim_id, sets_level, named)
    SELECT c.event_id, c.outcome, c.category, c.side, c.subgroup, c.level, c.severity, c.ratio, c.lo, c.hi,
           c.parts_party, c.whole_party, c.whole_claim, l.event_id IS NOT NULL, c.named
    FROM summary_containment c LEFT JOIN summary_leading l
      ON l.kind = 1 AND l.named = c.named AND {" AND ".join(f"l.{key} = c.{key}" for key in GROUP_KEY.split(", "))}
    ORDER BY c.event_id, {group_order("side", "subgroup", "c.")}, c.named""",
    f"""INSERT INTO {TABLE.parts} (containmentdiscrepancy_id, claim_id)
    SELECT d.id, p.claim_id
    FROM summary_containment c
    JOIN {TABLE.containment} d
      ON d.event_id = c.event_id AND d.outcome = c.outcome AND d.category = c.category
     AND coalesce(d.victim_side_id, 0) = c.side_key AND coalesce(d.subgroup_id, 0) = c.subgroup_key
     AND d.named = c.named
    JOIN summary_part p
      ON p.event_id = c.event_id AND p.outcome = c.outcome AND p.whole = c.category AND p.whole_side_key = c.side_key
     AND p.subgroup_key = c.subgroup_key AND p.party_id = c.parts_party
    ORDER BY d.id, CASE p.category {CATEGORY_ORDER} END, p.side IS NOT NULL, p.side::text COLLATE "C" """,
    f"DELETE FROM {TABLE.inconsistency} WHERE event_id IN (SELECT event_id FROM summary_scope)",
    f"""INSERT INTO {TABLE.inconsistency} ({INCONSISTENCY_COLUMNS})
    SELECT {INCONSISTENCY_COLUMNS} FROM summary_inconsistency
    ORDER BY event_id, {group_order("victim_side_id", "subgroup_id")}, party_id::text COLLATE "C" """,
    f"""UPDATE {TABLE.claim} SET is_current = NOT is_current
    WHERE id IN (
        SELECT a.id FROM summary_claim a LEFT JOIN summary_current c ON c.id = a.id
        WHERE a.was_current <> (c.id IS NOT NULL)
    )""",
]

# The tallies (tracker.summaries.tallies.tallies_store): the events' shares rewritten, the totals moved
# by the difference.
TALLY = [
    f"""CREATE TEMP TABLE summary_share ON COMMIT DROP AS
    WITH standings AS (
        SELECT c.id, {STANDING} AS standing
        FROM summary_current c JOIN summary_group g USING ({GROUP_KEY})
    )
    SELECT a.event_id, a.party_id, e.level, count(*) AS claims, {STANDING_SUMS}
    FROM summary_claim a JOIN summary_event e USING (event_id) LEFT JOIN standings s ON s.id = a.id
    GROUP BY a.event_id, a.party_id, e.level""",
    """CREATE TEMP TABLE summary_month ON COMMIT DROP AS
    SELECT event_id, date_trunc('month', claimed_on)::date AS month, count(*) AS claims
    FROM summary_claim GROUP BY event_id, date_trunc('month', claimed_on)::date""",
    f"""CREATE TEMP TABLE summary_party_move ON COMMIT DROP AS
    SELECT party_id, {", ".join(f"sum({name})::integer AS {name}" for name in PARTY_MOVE_COLUMNS)}
    FROM (
        SELECT party_id, {", ".join(f"-{name}" for name in PARTY_MOVE_COLUMNS)}
        FROM (
            SELECT *, 1 AS events, {LEVEL_SUMS} FROM {TABLE.party_event_tally}
            WHERE event_id IN (SELECT event_id FROM summary_scope)
        ) old
        UNION ALL
        SELECT party_id, {", ".join(PARTY_MOVE_COLUMNS)}
        FROM (SELECT *, 1 AS events, {LEVEL_SUMS} FROM summary_share) new
    ) AS moves (party_id, {", ".join(PARTY_MOVE_COLUMNS)})
    GROUP BY party_id
    HAVING {" OR ".join(f"sum({name}) <> 0" for name in PARTY_MOVE_COLUMNS)}""",
    f"""CREATE TEMP TABLE summary_month_move ON COMMIT DROP AS
    SELECT month, sum(claims)::integer AS claims FROM (
        SELECT month, -claims AS claims FROM {TABLE.event_month_tally}
        WHERE event_id IN (SELECT event_id FROM summary_scope)
        UNION ALL
        SELECT month, claims FROM summary_month
    ) moves GROUP BY month HAVING sum(claims) <> 0""",
    *written_by_difference(
        TABLE.party_event_tally, "summary_share", keys=("event_id", "party_id"), columns=("level", *SHARE_COLUMNS)
    ),
    *written_by_difference(TABLE.event_month_tally, "summary_month", keys=("event_id", "month"), columns=("claims",)),
    # Totals rows in key order, locked before they are moved, so that two refreshes never wait on
    # each other; the database adds to the row as it stands, so that neither loses the other's moves.
    f"""INSERT INTO {TABLE.party_tally} (party_id, {", ".join(PARTY_MOVE_COLUMNS)})
    SELECT party_id, {", ".join("0" for _ in PARTY_MOVE_COLUMNS)} FROM summary_party_move ORDER BY party_id
    ON CONFLICT DO NOTHING""",
    f"""SELECT FROM {TABLE.party_tally} WHERE party_id IN (SELECT party_id FROM summary_party_move)
    ORDER BY party_id FOR NO KEY UPDATE""",
    f"""UPDATE {TABLE.party_tally} t SET {", ".join(f"{name} = t.{name} + m.{name}" for name in PARTY_MOVE_COLUMNS)}
    FROM summary_party_move m WHERE t.party_id = m.party_id""",
    f"""INSERT INTO {TABLE.month_tally} (month, claims) SELECT month, 0 FROM summary_month_move ORDER BY month
    ON CONFLICT DO NOTHING""",
    f"""SELECT FROM {TABLE.month_tally} WHERE month IN (SELECT month FROM summary_month_move)
    ORDER BY month FOR NO KEY UPDATE""",
    f"""UPDATE {TABLE.month_tally} t SET claims = t.claims + m.claims
    FROM summary_month_move m WHERE t.month = m.month""",
]


# After a rebuild of every event's shares, the totals counted afresh from them, whatever they held.
TOTALS_RECOUNT = [
    # Refreshes running meanwhile (an import, a save) wait until the recount commits: one that made a
    # total row between its DELETE and its INSERT would otherwise be counted twice, a duplicate key.
    # They then move the recounted totals by their own difference, as they would have anyway.
    f"LOCK TABLE {TABLE.party_tally}, {TABLE.month_tally} IN SHARE ROW EXCLUSIVE MODE",
    f"DELETE FROM {TABLE.party_tally}",
    f"""INSERT INTO {TABLE.party_tally} (party_id, {", ".join(PARTY_MOVE_COLUMNS)})
    SELECT party_id, {", ".join(f"sum({name})" for name in PARTY_MOVE_COLUMNS)}
    FROM (SELECT *, 1 AS events, {LEVEL_SUMS} FROM {TABLE.party_event_tally}) shares
    GROUP BY party_id""",
    f"DELETE FROM {TABLE.month_tally}",
    f"""INSERT INTO {TABLE.month_tally} (month, claims)
    SELECT month, sum(claims) FROM {TABLE.event_month_tally} GROUP BY month""",
]


def parameters(event_ids: list[int], thresholds: discrepancy.Thresholds) -> dict:
    return {
        "events": event_ids,
        "tol_num": thresholds.tolerance.numerator,
        "tol_den": thresholds.tolerance.denominator,
        "ratio_num": thresholds.major_ratio.numerator,
        "ratio_den": thresholds.major_ratio.denominator,
        "gap": thresholds.major_gap,
        "denial_rank": ranking.DENIAL_RANK,
    }


def summaries_store(*, event_ids: list[int], thresholds: discrepancy.Thresholds) -> int:
    """Lock these events, compute and store their summaries and tallies; return how many were still there."""
    # The work tables have no statistics, so the planner's estimates run to millions of rows and it
    # compiles the steps (JIT), which then take longer to compile than to run: off for these steps only.
    statements = ["SET LOCAL jit = off", f"DROP TABLE IF EXISTS {', '.join(WORK_TABLES)}", *COMPUTE, *STORE, *TALLY]
    with connection.cursor() as cursor:
        # One round trip for every step: the client binds the parameters into the whole script.
        cursor.execute(";\n".join(statements), parameters(event_ids, thresholds))
        cursor.execute(
            f"SELECT count(*) FROM summary_scope; DROP TABLE {', '.join(WORK_TABLES)}; SET LOCAL jit TO DEFAULT"
        )
        (locked,) = cursor.fetchone()
    return locked


def rebuild_begin() -> None:
    """Nothing to empty: the refreshes rewrite only the shares that differ, and keep the rest."""


def rebuild_end() -> None:
    """Count the parties' and months' totals afresh from every event's shares."""
    with connection.cursor() as cursor:
        cursor.execute(";\n".join(TOTALS_RECOUNT))
