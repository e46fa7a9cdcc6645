"""Each party's track record against the others, worked out set-based in PostgreSQL, in one query.

The same figures as tracker.rules.track_records (the one definition; tests/test_track_records_sql.py
holds the two together), computed where the claims are rather than by loading a million of them into
Python. It reads the claims the filter keeps (the queryset tracker.summaries.track_records builds) and:

- gives each claim its interval as tracker.rules.counts.interval_for does, "about n" spread by the
  tolerance with floor and ceiling in exact numeric;
- works in *doubled points* (lo + hi, or 2·lo where open-ended), whole numbers, so that midpoints are
  never rounded; the others' doubled point is the median of theirs, the mean of two middle ones at
  most, a half at most: exact in numeric;
- picks each party's current claim per group (its latest not retracted, by claim date, entry, id), and
  its revisions from one claim to the next of its claims not retracted, by one window over the group;
- sets each current claim against the current claims of the other parties the filter lets stand as
  the others, and counts standings and denials per party.

The median ratio and quartiles need only a few ratios of each party, at the ranks Tukey's hinges
read: the ratios are ranked by numeric division to at least 21 decimals (two different ratios of the
counts a claim can hold, below 2³¹, differ by more than 10⁻²⁰, so the order is exact), and only the
(own, others') doubled points at those ranks come back, to be divided exactly with Fractions here.

The sorts it needs are given the memory to run without spilling to disk, for this query only.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from django.db import connections, transaction

from tracker.rules.counts import APPROXIMATE, AT_LEAST, AT_MOST, EXACT
from tracker.rules.discrepancy import ABOVE, BELOW, WITHIN
from tracker.rules.track_records import NONE, OTHER, OWN, TrackRecord, median

# Memory for the query's sorts: at a million claims they hold tens of megabytes.
WORK_MEM = "256MB"

# Which of a party's groups its record keeps, by whose dead they count (tracker.rules.track_records.is_on_side).
ON_SIDE = {None: "TRUE", OWN: "side = party_id", OTHER: "side <> party_id", NONE: "side IS NULL"}

RECORDS = f"""
WITH kept AS ({{claims}}),
claim AS (
    SELECT pk AS id, event_id, party_id, category, victim_side_id AS side, coalesce(victim_side_id, 0) AS side_key,
        claimed_on, entered_at, retracted,
        CASE qualifier WHEN '{EXACT}' THEN best WHEN '{APPROXIMATE}' THEN floor(best::numeric * %s / %s)::bigint
            WHEN '{AT_MOST}' THEN 0 ELSE low END AS lo,
        CASE qualifier WHEN '{EXACT}' THEN best WHEN '{APPROXIMATE}' THEN ceil(best::numeric * %s / %s)::bigint
            WHEN '{AT_LEAST}' THEN NULL ELSE high END AS hi
    FROM kept
),
mine AS (  -- the claims each party's record counts: of the groups on the side asked for
    SELECT * FROM claim WHERE {{on_side}}
),
stated AS (  -- its claims not retracted in the order they stand, each with the point of the one before it
    SELECT *, coalesce(lo + hi, 2 * lo) AS point2,
        lag(coalesce(lo + hi, 2 * lo)) OVER stand AS before2,
        lead(id) OVER stand IS NULL AS current
    FROM claim WHERE NOT retracted
    WINDOW stand AS (PARTITION BY event_id, category, side, party_id ORDER BY claimed_on, entered_at, id)
),
made AS (
    SELECT party_id, count(*) AS claims, count(*) FILTER (WHERE retracted) AS retracted
    FROM mine GROUP BY party_id
),
revised AS (
    SELECT party_id, count(*) FILTER (WHERE point2 > before2) AS up, count(*) FILTER (WHERE point2 < before2) AS down
    FROM stated WHERE {{on_side}} GROUP BY party_id
),
current AS (
    SELECT * FROM stated WHERE current
),
eligible AS (  -- the current claims that may stand as the others, each with its place in its group's order
    SELECT id, event_id, category, side_key, point2, lo,
        row_number() OVER (PARTITION BY event_id, category, side_key ORDER BY point2, id) - 1 AS place
    FROM current WHERE {{others}}
),
pool AS (
    SELECT event_id, category, side_key, array_agg(point2 ORDER BY place) AS points, count(*) AS size,
        count(*) FILTER (WHERE lo >= 1) AS counting
    FROM eligible GROUP BY event_id, category, side_key
),
placed AS (  -- each current claim on the side asked for, the others' points in order, and its own place among them
    SELECT own.party_id, own.lo, own.hi, own.point2, pool.points, eligible.place,
        pool.size - (eligible.id IS NOT NULL)::int AS others,
        pool.counting - (eligible.id IS NOT NULL AND own.lo >= 1)::int AS others_counting
    FROM current own JOIN pool USING (event_id, category, side_key) LEFT JOIN eligible ON eligible.id = own.id
    WHERE {{own_on_side}}
),
compared AS (  -- the others' median: the middle one or two of the pool, its own point left out
    SELECT party_id, lo, hi, point2, others_counting > 0 AS other_counts,
        (points[(others - 1) / 2 + (place IS NOT NULL AND (others - 1) / 2 >= place)::int + 1]
            + points[others / 2 + (place IS NOT NULL AND others / 2 >= place)::int + 1])::numeric / 2 AS others2
    FROM placed WHERE others > 0
),
stood AS (
    SELECT party_id, point2, others2,
        CASE WHEN 2 * lo > others2 THEN '{ABOVE}' WHEN 2 * hi < others2 THEN '{BELOW}' ELSE '{WITHIN}' END AS standing,
        hi = 0 AND other_counts AS denies,
        CASE WHEN point2 > 0 AND others2 > 0 THEN point2::numeric(40, 21) / others2 END AS ratio
    FROM compared
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY party_id ORDER BY ratio) - 1 AS at,
        count(ratio) OVER (PARTITION BY party_id) AS ratios
    FROM stood
),
hinged AS (  -- the ranks of a party's ratios the hinges read: the medians of all, the lower half, the upper half
    SELECT *, (ratios + 1) / 2 AS half FROM ranked
),
standings AS (
    SELECT party_id,
        count(*) FILTER (WHERE standing = '{ABOVE}') AS above,
        count(*) FILTER (WHERE standing = '{WITHIN}') AS within,
        count(*) FILTER (WHERE standing = '{BELOW}') AS below,
        count(*) FILTER (WHERE denies) AS denials,
        max(ratios) AS ratios,
        array_agg(ARRAY[at, point2, others2] ORDER BY at) FILTER (WHERE ratio IS NOT NULL AND at IN (
            (ratios - 1) / 2, ratios / 2, (half - 1) / 2, half / 2, ratios - half + (half - 1) / 2,
            ratios - half + half / 2)) AS hinges
    FROM hinged GROUP BY party_id
)
SELECT made.party_id, claims, retracted, coalesce(up, 0), coalesce(down, 0),
    coalesce(above, 0), coalesce(within, 0), coalesce(below, 0), coalesce(denials, 0), coalesce(ratios, 0), hinges
FROM made LEFT JOIN revised USING (party_id) LEFT JOIN standings USING (party_id)
"""


def party_records(
    claims, *, tolerance: Fraction, victim_side: str | None, others: set | None, conflicted_deaths: Mapping
) -> dict[int, TrackRecord]:
    """Return each party's track record over these claims (a queryset of the claims the filter keeps, its values
    CLAIM_COLUMNS), as tracker.rules.track_records.track_records returns it against the others: a party's own
    groups are those of `victim_side`, the others only the parties in `others` (any when None)."""
    kept, parameters = claims.query.sql_with_params()
    on_side = ON_SIDE[victim_side]
    sql = RECORDS.format(
        claims=kept,
        on_side=on_side,
        own_on_side=on_side.replace("side", "own.side").replace("party_id", "own.party_id"),
        others="party_id = ANY(%s)" if others is not None else "TRUE",
    )
    # "About n" allows floor(n·(1 − tolerance)) to ceil(n·(1 + tolerance)), in whole fractions of the tolerance.
    parameters = [*parameters, tolerance.denominator - tolerance.numerator, tolerance.denominator]
    parameters += [tolerance.denominator + tolerance.numerator, tolerance.denominator]
    if others is not None:
        parameters.append(list(others))
    # On the database the claims' queryset reads from: a read replica where one serves the reads.
    with transaction.atomic(using=claims.db), connections[claims.db].cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        # The planner cannot count a CTE's rows; where it guesses a handful it may pair every claim with every
        # group in a nested loop (minutes on 60,000 claims): every join here is by equal keys, so hash them.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
        # Inside a caller's transaction the settings would outlast this one's savepoint: give them back.
        cursor.execute("RESET work_mem; RESET enable_nestloop")
    records = {party: TrackRecord(conflicted_deaths=deaths) for party, deaths in conflicted_deaths.items()}
    for party, claims, retracted, up, down, above, within, below, denials, ratios, hinges in rows:
        q1 = median_ratio = q3 = None
        if ratios:
            q1, median_ratio, q3 = hinges_quartiles(ratios, hinges)
        records[party] = TrackRecord(
            groups=above + within + below, above=above, within=within, below=below, median_ratio=median_ratio,
            q1=q1, q3=q3, denials=denials, claims=claims, retracted=retracted, revised_up=up, revised_down=down,
            conflicted_deaths=conflicted_deaths.get(party, 0),
        )  # fmt: skip
    return records


def hinges_quartiles(ratios: int, hinges: list) -> tuple[Fraction, Fraction, Fraction]:
    """Return the first quartile, median and third quartile of a party's ratios from the ratios at the ranks the
    hinges read (rank, own doubled point, others' doubled point), divided exactly."""
    at = {int(rank): Fraction(own) / Fraction(others) for rank, own, others in hinges}
    half = (ratios + 1) // 2

    def median_of(start: int, size: int) -> Fraction:
        return median([at[start + (size - 1) // 2], at[start + size // 2]])

    return median_of(0, half), median_of(0, ratios), median_of(ratios - half, half)
