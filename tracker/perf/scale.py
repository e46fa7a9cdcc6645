"""A large, realistic data set for measuring speed, the same for the same seed.

`scale_data_generate(events=N, seed=S)` writes parties, sources, events and about five claims per
event into a database that holds no records yet, through the database's bulk paths (COPY on
PostgreSQL, `bulk_create` elsewhere), then stores the summaries with tracker.summaries' own
refresh. `claims_csv_generate(claims=K, seed=S, stream=...)` writes a claims CSV of new events, to
time an import against the same data.

The mix follows years of data at 200,000 events and about 1,000,000 claims, scaled with N: three
events in four with 1-3 claims, one in ten with 10-99, one in ten thousand with 150-295, the rest
with 4-9. Every qualifier, category and level occurs; some claims name a victim side, about one
in twenty is retracted, and parties revise their counts (several claims of one party in one
comparison group, on different dates). About one claim in ten counts who among the killed
(children, women or men of a party's civilians, commanders of its combatants: about 6%) or the
injured (about 4%, several parties apart on busy events). A subgroup is mostly below its party's
whole, now and then above another party's whole, and rarely above its party's own (an
inconsistent report).

The organisation's judgement is drawn from a second random stream of the same seed, so that the
records above stay those of earlier runs: about half the events whose claims count civilians
killed, and one in twenty of the others, carry an assessment by the organisation (the party named
by TRACKER_ORGANISATION), one in ten of them pending and about one in six revised (an earlier
assessment gives the initial grade); its civilian (or total) figures span the parties' counts
around their median, so that a party leaning low or high lies outside them on some events. One
event in fifty also carries another recorder's grade without figures. About one published source
in seven relays an earlier one, and one claim and one assessment in twenty await review (the
rest reviewed, by no user the data set names). Everything generated says so: refs start with `GEN-`, each event's
description and each source's title say they are generated.

About one named person per twenty events, with their other names and 1-4 fate claims each, some of them
in a fate conflict, comes from a third stream (tracker.perf.people); each person is written with the
conflicts the fate rules find in the claims drawn.

No history is written for generated records (bulk writes bypass django-simple-history): the
history pages of a generated record are empty.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TextIO

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction

from tracker.backups import NotEmpty, records_present
from tracker.exports.claims import blank_if_none
from tracker.ingest.formats.claims import write_claims_csv
from tracker.models import (
    Assessment,
    AssessmentMethod,
    Claim,
    DatePrecision,
    Event,
    EventType,
    FateClaim,
    Grade,
    OtherName,
    Outcome,
    Party,
    PartyKind,
    Person,
    Qualifier,
    ReviewState,
    Source,
    Subgroup,
)
from tracker.perf.people import NOTES as PERSON_NOTES
from tracker.perf.people import PeopleDraw
from tracker.rules import fates
from tracker.rules.names import folded
from tracker.summaries import chunked, event_summaries_refresh

# The mix at the reference size: how many events have how many claims.
REFERENCE_EVENTS = 200_000
FEW, SOME, MANY, MOST = "1-3", "4-9", "10-99", "150-295"
CLAIMS_PER_EVENT = {FEW: (1, 3), SOME: (4, 9), MANY: (10, 99), MOST: (150, 295)}
AT_REFERENCE = {FEW: 150_000, MANY: 20_000, MOST: 20}  # SOME takes the rest

BATCH_EVENTS = 2_000  # events generated and written together: memory stays flat whatever N
REFRESH_EVENTS = 5_000  # events per call of the summaries' refresh, between progress reports
FIRST_DAY = date(2015, 1, 1)
DAYS = 3_652  # about ten years of events

Progress = Callable[[str, int, int], None]

PLACES = [
    # (place, admin region, country, latitude, longitude)
    ("Aleppo", "Aleppo", "SY", 36.20, 37.16), ("Raqqa", "Raqqa", "SY", 35.95, 39.01),
    ("Idlib", "Idlib", "SY", 35.93, 36.63), ("Deir ez-Zor", "Deir ez-Zor", "SY", 35.34, 40.14),
    ("Homs", "Homs", "SY", 34.73, 36.71), ("Mosul", "Nineveh", "IQ", 36.34, 43.13),
    ("Fallujah", "Anbar", "IQ", 33.35, 43.78), ("Kirkuk", "Kirkuk", "IQ", 35.47, 44.39),
    ("Tikrit", "Salah ad-Din", "IQ", 34.60, 43.68), ("Taiz", "Taiz", "YE", 13.58, 44.02),
    ("Hodeidah", "Al Hudaydah", "YE", 14.80, 42.95), ("Saada", "Saada", "YE", 16.94, 43.76),
    ("Marib", "Marib", "YE", 15.46, 45.32), ("Kunduz", "Kunduz", "AF", 36.73, 68.87),
    ("Lashkar Gah", "Helmand", "AF", 31.59, 64.37), ("Jalalabad", "Nangarhar", "AF", 34.43, 70.45),
    ("Ghazni", "Ghazni", "AF", 33.55, 68.42), ("Mogadishu", "Banaadir", "SO", 2.05, 45.32),
    ("Kismayo", "Lower Juba", "SO", -0.36, 42.55), ("Baidoa", "Bay", "SO", 3.11, 43.65),
    ("Sirte", "Sirte", "LY", 31.21, 16.59), ("Benghazi", "Benghazi", "LY", 32.12, 20.09),
    ("Tripoli", "Tripoli", "LY", 32.89, 13.19), ("Kharkiv", "Kharkiv", "UA", 49.99, 36.23),
    ("Mariupol", "Donetsk", "UA", 47.10, 37.55), ("Kherson", "Kherson", "UA", 46.64, 32.62),
    ("Bakhmut", "Donetsk", "UA", 48.60, 38.00), ("El Fasher", "North Darfur", "SD", 13.63, 25.35),
    ("Nyala", "South Darfur", "SD", 12.05, 24.88), ("Khartoum", "Khartoum", "SD", 15.50, 32.56),
    ("Gao", "Gao", "ML", 16.27, -0.04), ("Mopti", "Mopti", "ML", 14.49, -4.20),
    ("Timbuktu", "Tombouctou", "ML", 16.77, -3.01), ("Sittwe", "Rakhine", "MM", 20.15, 92.90),
    ("Myitkyina", "Kachin", "MM", 25.38, 97.40), ("Lashio", "Shan", "MM", 22.94, 97.75),
]  # fmt: skip
COUNTRY_NAMES = {
    "SY": "Syrian", "IQ": "Iraqi", "YE": "Yemeni", "AF": "Afghan", "SO": "Somali", "LY": "Libyan",
    "UA": "Ukrainian", "SD": "Sudanese", "ML": "Malian", "MM": "Myanmar",
}  # fmt: skip
TARGETS = [
    "market", "hospital", "school", "bakery", "checkpoint", "convoy", "village", "camp for displaced people",
    "mosque", "bridge", "farm", "wedding", "bus station", "water plant", "residential block", "power station",
]  # fmt: skip
TITLES = {
    EventType.AIRSTRIKE: "Airstrike on {target} in {place}",
    EventType.SHELLING: "Shelling of {target} in {place}",
    EventType.GROUND_CLASH: "Clashes near {target} in {place}",
    EventType.BOMBING: "Bombing at {target} in {place}",
    EventType.EXECUTION: "Killings at {target} in {place}",
    EventType.OTHER: "Deaths at {target} in {place}",
}
EVENT_TYPE_WEIGHTS = {
    EventType.AIRSTRIKE: 30, EventType.SHELLING: 25, EventType.GROUND_CLASH: 25, EventType.BOMBING: 10,
    EventType.EXECUTION: 4, EventType.OTHER: 6,
}  # fmt: skip
PRECISION_WEIGHTS = {DatePrecision.DAY: 85, DatePrecision.WEEK: 8, DatePrecision.MONTH: 5, DatePrecision.YEAR: 2}
KIND_WEIGHTS = {
    PartyKind.STATE_MILITARY: 10, PartyKind.GOVERNMENT: 10, PartyKind.ARMED_GROUP: 20, PartyKind.MONITOR: 15,
    PartyKind.INTERNATIONAL_ORG: 8, PartyKind.MEDIA: 20, PartyKind.MEDICAL: 8, PartyKind.LOCAL_SOURCE: 7,
    PartyKind.OTHER: 2,
}  # fmt: skip
ADJECTIVES = [
    "Northern", "Southern", "Eastern", "Western", "Free", "United", "Popular", "Independent", "National",
    "Revolutionary", "Coastal", "Mountain", "Desert", "River", "Central", "Democratic",
]  # fmt: skip
GROUP_NOUNS = ["Front", "Brigades", "Movement", "Army", "Forces", "Council", "Alliance", "Legion", "Battalions"]
PARTY_NAMES = {
    PartyKind.STATE_MILITARY: ["{nation} Armed Forces", "{nation} Ministry of Defence", "{nation} Air Force"],
    PartyKind.GOVERNMENT: ["{nation} Ministry of Interior", "Governorate of {region}", "{nation} Ministry of Health"],
    PartyKind.ARMED_GROUP: ["{adjective} Liberation {noun}", "{adjective} {noun} of {region}", "{region} {noun}"],
    PartyKind.MONITOR: [
        "{place} Observatory for Human Rights",
        "{adjective} Casualty Monitor",
        "{region} Rights Watch",
    ],
    PartyKind.INTERNATIONAL_ORG: ["UN Mission in {place}", "International Aid Committee ({region})"],
    PartyKind.MEDIA: ["{place} Herald", "{adjective} News Agency", "{region} Broadcasting"],
    PartyKind.MEDICAL: ["{place} General Hospital", "{adjective} Medical Relief", "{region} Health Directorate"],
    PartyKind.LOCAL_SOURCE: ["{place} Local Council", "{place} Coordination Committee"],
    PartyKind.OTHER: ["{place} Tribal Council", "{adjective} Diaspora Network"],
}
LANGUAGES = ["en", "ar", "fr", "ru", "uk", "so", "ps", "my"]
# The groups an event's claims fall in, and how often each is among them: (category, sided, weight).
GROUPS = [
    ("civilian", False, 50), ("total", False, 30), ("combatant", True, 20), ("combatant", False, 10),
    ("unknown", False, 6), ("civilian", True, 3), ("total", True, 2),
]  # fmt: skip
GROUP_KINDS = [(category, sided) for category, sided, _ in GROUPS]
GROUP_WEIGHTS = [weight for *_, weight in GROUPS]
QUALIFIER_WEIGHTS = {
    Qualifier.EXACT: 40, Qualifier.APPROXIMATE: 25, Qualifier.AT_LEAST: 15, Qualifier.RANGE: 12, Qualifier.AT_MOST: 8,
}  # fmt: skip
VICTIMS = {"civilian": "civilians", "combatant": "fighters", "total": "people", "unknown": "people of unknown status"}
NONE_KILLED = {"civilian": "no civilians", "combatant": "no fighters", "total": "no deaths", "unknown": "no deaths"}
# Who among a party's killed it names (subgroups that migration 0016 seeds), by the whole's category,
# each with how often it is named; and each one's share of the party's whole, as (least, most).
SUBGROUPS = {"civilian": {"children": 5, "women": 3, "men": 2}, "combatant": {"commanders": 1}}
SUBGROUP_SHARES = {"children": (0.1, 0.3), "women": (0.05, 0.25), "men": (0.1, 0.4), "commanders": (0.03, 0.15)}
SUBGROUP_CHANCE = 0.15  # that a party's first count of its killed civilians or combatants names who among them
INCONSISTENT_SHARE = 0.02  # of subgroup claims: above the party's own whole, a report at odds with itself
INJURED_CHANCE = 0.055  # that a party's first claim, after the event's first, counts the event's injured
INJURED_CATEGORIES = {"civilian": 3, "total": 2}  # the injured are counted among civilians, or all told
RETRACTED_SHARE = 0.05
CONFIDENTIAL_SHARE = 0.08
# The organisation's judgement and the review, drawn from the judgement's own random stream.
ASSESSED_HARMED = 0.5  # of events whose claims count civilians killed, those the organisation has assessed
ASSESSED_OTHER = 0.05  # of the other events
PENDING_SHARE = 0.1  # of the organisation's current assessments, those still pending
REVISED_SHARE = 0.15  # of them, those with an earlier assessment (the initial grade)
OTHER_RECORDER_SHARE = 0.02  # of events, those another recorder has graded, without figures
GRADE_WEIGHTS = {Grade.CONFIRMED: 10, Grade.FAIR: 35, Grade.WEAK: 30, Grade.CONTESTED: 10, Grade.DISCOUNTED: 15}
METHOD_WEIGHTS = {
    AssessmentMethod.RANGE: 40, AssessmentMethod.MAJORITY: 25, AssessmentMethod.SOURCE_HIERARCHY: 15,
    AssessmentMethod.TEAM_DECISION: 20,
}  # fmt: skip
RELAYED_SHARE = 0.15  # of published sources, those that relay an earlier one
ENTERED_SHARE = 0.05  # of claims and assessments, those awaiting review
RATIONALE = "Generated assessment for measuring speed, not a real judgement."


@dataclass(slots=True)
class PartyPlan:
    name: str
    kind: str
    short_name: str = ""
    country: str = ""
    aliases: str = ""


@dataclass(slots=True)
class SourcePlan:
    title: str
    publisher: str
    url: str
    published_on: date
    language: str
    confidential: bool
    relays: int | None = None  # index into the sources, of an earlier one


@dataclass(slots=True)
class AssessmentPlan:
    assessor: int | None  # index into the parties; None for the organisation
    grade: str
    method: str
    category: str | None  # the category of its figures, if it gives any
    low: int | None
    high: int | None
    assessed_on: date
    reviewed: bool


# A comparison group of an event: (outcome, category, victim side, subgroup code), no side or subgroup as None.
Group = tuple[str, str, int | None, str | None]


@dataclass(slots=True)
class ClaimPlan:
    party: int  # index into the parties
    source: int  # index into the sources
    outcome: str
    category: str
    victim_side: int | None
    subgroup: str | None  # a subgroup's code
    qualifier: str
    low: int | None
    best: int | None
    high: int | None
    wording: str
    claimed_on: date
    entered_at: datetime
    retracted: bool
    notes: str


@dataclass(slots=True)
class EventPlan:
    ref: str
    title: str
    start_date: date
    end_date: date | None
    date_precision: str
    location_name: str
    admin_region: str
    country: str
    latitude: Decimal | None
    longitude: Decimal | None
    event_type: str
    description: str
    perpetrators: list[int]
    claims: list[ClaimPlan] = field(default_factory=list)
    assessments: list[AssessmentPlan] = field(default_factory=list)


def bucket_sizes(events: int) -> dict[str, int]:
    """Return how many of `events` events fall in each bucket of claims per event, as the mix scales."""
    most = min(events, max(1, round(events * AT_REFERENCE[MOST] / REFERENCE_EVENTS)))
    many = min(events - most, round(events * AT_REFERENCE[MANY] / REFERENCE_EVENTS))
    few = min(events - most - many, round(events * AT_REFERENCE[FEW] / REFERENCE_EVENTS))
    return {FEW: few, SOME: events - most - many - few, MANY: many, MOST: most}


def bucket_of(claim_count: int) -> str | None:
    for bucket, (least, most) in CLAIMS_PER_EVENT.items():
        if least <= claim_count <= most:
            return bucket
    return None


def number_of(claim: ClaimPlan) -> int:
    """The number a claim states: its best, else its low, else its high."""
    return next(number for number in (claim.best, claim.low, claim.high) if number is not None)


def weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class ScaleData:
    """Draws the parties, sources and events of the data set from one seeded random generator."""

    def __init__(self, *, seed: int):
        self.rng = random.Random(seed)
        self.judgement = random.Random(f"judgement {seed}")
        self.parties: list[PartyPlan] = []
        self.sources: list[SourcePlan] = []
        self.claimants: list[int] = []  # indices of parties that make claims, the prolific ones repeated
        self.sides: list[int] = []  # indices of parties whose dead are counted by side
        self.perpetrators: list[int] = []
        self.claimant_count = 0  # how many distinct parties make claims

    # Parties and sources

    def parties_draw(self, count: int) -> list[PartyPlan]:
        """Draw `count` parties with unique names, every kind among them."""
        rng, names = self.rng, set()
        kinds = list(KIND_WEIGHTS)
        for number in range(count):
            kind = kinds[number] if number < len(kinds) else weighted(rng, KIND_WEIGHTS)
            place, region, country, *_ = rng.choice(PLACES)
            name = rng.choice(PARTY_NAMES[kind]).format(
                nation=COUNTRY_NAMES[country], region=region, place=place,
                adjective=rng.choice(ADJECTIVES), noun=rng.choice(GROUP_NOUNS),
            )  # fmt: skip
            if name in names:
                name = f"{name} {number}"
            names.add(name)
            short = "".join(word[0] for word in name.split() if word[0].isupper())
            aliases = f"{short} ({place})" if rng.random() < 0.2 else ""
            self.parties.append(
                PartyPlan(name=name, kind=kind, short_name=short[:50], country=country, aliases=aliases)
            )
        self.parties_known(self.parties)
        return self.parties

    def parties_known(self, parties: list[PartyPlan]) -> None:
        """Sort parties into claimants, victim sides and perpetrators by their kind."""
        self.parties = parties
        armed = {PartyKind.ARMED_GROUP, PartyKind.STATE_MILITARY}
        self.sides = [index for index, party in enumerate(parties) if party.kind in armed]
        self.perpetrators = self.sides
        # Monitors, media and the armed themselves speak most often.
        loud = {PartyKind.MONITOR, PartyKind.MEDIA, PartyKind.STATE_MILITARY, PartyKind.ARMED_GROUP}
        self.claimants = [index for index, party in enumerate(parties) for _ in range(3 if party.kind in loud else 1)]
        self.claimant_count = len(parties)

    def sources_draw(self, count: int, *, url_prefix: str = "https://reports.example.org/generated") -> list:
        """Draw `count` sources published by the parties, some confidential, most with a link."""
        rng = self.rng
        for number in range(1, count + 1):
            confidential = rng.random() < CONFIDENTIAL_SHARE
            published_on = FIRST_DAY + timedelta(days=rng.randrange(DAYS + 60))
            publisher = "" if confidential else self.parties[rng.choice(self.claimants)].name
            title = (
                f"Field contact report {number} (generated)"
                if confidential
                else f"{publisher}: casualty update {published_on.isoformat()} no. {number} (generated)"
            )
            url = f"{url_prefix}/{number}" if not confidential and rng.random() < 0.7 else ""
            self.sources.append(
                SourcePlan(
                    title=title, publisher=publisher, url=url, published_on=published_on,
                    language=rng.choice(LANGUAGES), confidential=confidential,
                )
            )  # fmt: skip
        for number, source in enumerate(self.sources):
            if number and not source.confidential and self.judgement.random() < RELAYED_SHARE:
                source.relays = self.judgement.randrange(number)
        return self.sources

    # Events and their claims

    def claim_counts(self, events: int) -> list[int]:
        """Return the number of claims of each event, in the mix, in a shuffled order."""
        rng = self.rng
        counts = []
        for bucket, size in bucket_sizes(events).items():
            for _ in range(size):
                counts.append(self.claims_in(bucket))
        rng.shuffle(counts)
        return counts

    def claims_in(self, bucket: str) -> int:
        rng = self.rng
        least, most = CLAIMS_PER_EVENT[bucket]
        if bucket == FEW:
            return rng.choices((1, 2, 3), weights=(50, 30, 20))[0]
        if bucket == MANY:
            # Most busy events have a few dozen claims, a few nearly a hundred: about 27 on average,
            # which keeps the whole data set near five claims per event.
            while (count := least + int(rng.expovariate(1 / 18))) > most:
                pass
            return count
        return rng.randint(least, most)

    def events_draw(self, claim_counts: Iterable[int], *, prefix: str = "GEN") -> Iterator[EventPlan]:
        for number, claim_count in enumerate(claim_counts, start=1):
            yield self.event_draw(f"{prefix}-{number:06d}", claim_count)

    def event_draw(self, ref: str, claim_count: int) -> EventPlan:
        rng = self.rng
        place, region, country, latitude, longitude = rng.choice(PLACES)
        event_type = weighted(rng, EVENT_TYPE_WEIGHTS)
        target = rng.choice(TARGETS)
        start = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        located = rng.random() < 0.7
        event = EventPlan(
            ref=ref,
            title=TITLES[event_type].format(target=f"a {target}", place=place),
            start_date=start,
            end_date=start + timedelta(days=rng.randint(1, 5)) if rng.random() < 0.1 else None,
            date_precision=weighted(rng, PRECISION_WEIGHTS),
            location_name=place,
            admin_region=region,
            country=country,
            latitude=Decimal(f"{latitude + rng.uniform(-0.2, 0.2):.6f}") if located else None,
            longitude=Decimal(f"{longitude + rng.uniform(-0.2, 0.2):.6f}") if located else None,
            event_type=event_type,
            description=f"Generated event for measuring speed, not a real incident: {target} in {place}, {region}.",
            perpetrators=[rng.choice(self.perpetrators)] if self.perpetrators and rng.random() < 0.4 else [],
        )
        event.claims = self.claims_draw(event, claim_count)
        event.assessments = self.assessments_draw(event)
        return event

    def assessments_draw(self, event: EventPlan) -> list[AssessmentPlan]:
        """Draw the organisation's assessments of an event, if it has judged it, and another recorder's grade."""
        rng = self.judgement
        standing = [claim for claim in event.claims if not claim.retracted and claim.outcome == Outcome.KILLED
                    and claim.subgroup is None and claim.victim_side is None]  # fmt: skip
        civilians = [number_of(claim) for claim in standing if claim.category == "civilian"]
        assessments = []
        if rng.random() < (ASSESSED_HARMED if any(civilians) else ASSESSED_OTHER):
            category, counts = ("civilian", civilians) if civilians else ("total", [
                number_of(claim) for claim in standing if claim.category == "total"
            ])  # fmt: skip
            low = high = None
            if counts:
                middle = sorted(counts)[len(counts) // 2]
                low, high = round(middle * rng.uniform(0.7, 1.0)), round(middle * rng.uniform(1.0, 1.4)) + 1
            assessed_on = event.start_date + timedelta(days=rng.randint(7, 120))
            if rng.random() < REVISED_SHARE:
                earlier = event.start_date + timedelta(days=rng.randint(1, 6))
                assessments.append(self.assessment_draw(None, AssessmentMethod.PENDING, None, None, None, earlier))
            method = AssessmentMethod.PENDING if rng.random() < PENDING_SHARE else weighted(rng, METHOD_WEIGHTS)
            assessments.append(self.assessment_draw(None, method, category if counts else None, low, high, assessed_on))
        if self.claimant_count and rng.random() < OTHER_RECORDER_SHARE:
            recorder = rng.randrange(self.claimant_count)
            assessed_on = event.start_date + timedelta(days=rng.randint(7, 200))
            assessments.append(self.assessment_draw(recorder, AssessmentMethod.MAJORITY, None, None, None, assessed_on))
        return assessments

    def assessment_draw(self, assessor, method, category, low, high, assessed_on) -> AssessmentPlan:
        rng = self.judgement
        return AssessmentPlan(
            assessor=assessor, grade=weighted(rng, GRADE_WEIGHTS), method=method, category=category,
            low=low, high=high, assessed_on=assessed_on, reviewed=rng.random() >= ENTERED_SHARE,
        )  # fmt: skip

    def reviewed(self) -> bool:
        """Whether a claim has been reviewed; most have."""
        return self.judgement.random() >= ENTERED_SHARE

    def claims_draw(self, event: EventPlan, claim_count: int) -> list[ClaimPlan]:
        """Draw an event's claims: a few groups, parties that lean low or high, some denying, some revising,
        some naming who among their killed, some counting the injured."""
        rng = self.rng
        civilians = int(rng.lognormvariate(1.8, 1.2))
        combatants = int(rng.lognormvariate(2.0, 1.1))
        truth = {"civilian": civilians, "combatant": combatants, "total": civilians + combatants,
                 "unknown": max(1, civilians // 3)}  # fmt: skip
        # The event's injured, counted in one group: as many as the killed or a few times more.
        injured_category = weighted(rng, INJURED_CATEGORIES)
        injured: Group = (Outcome.INJURED, injured_category, None, None)
        injured_truth = round(truth[injured_category] * rng.uniform(0.8, 3.0))
        side = rng.choice(self.sides) if self.sides else None
        # One group for small events mostly; busy events spread over more.
        group_count = 1 + sum(rng.random() < 0.3 for _ in range(min(claim_count - 1, 4)))
        groups: list[Group] = []
        while len(groups) < group_count:
            category, sided = rng.choices(GROUP_KINDS, weights=GROUP_WEIGHTS)[0]
            group = (Outcome.KILLED, category, side if sided and side is not None else None, None)
            if group not in groups:
                groups.append(group)
        # Parties: most claims come from a new party, the others are revisions.
        party_count = min(40, 1 + sum(rng.random() < 0.75 for _ in range(claim_count - 1)))
        speakers: list[int] = []
        while len(speakers) < min(party_count, self.claimant_count):
            party = rng.choice(self.claimants)
            if party not in speakers:
                speakers.append(party)
        leaning = {party: self.leaning() for party in speakers}
        said: dict[tuple, tuple[date, int]] = {}  # (party, *group) -> its last claim's date and count
        claims: list[ClaimPlan] = []
        newcomers = iter(speakers)  # every speaker's first claim comes before any revision
        while len(claims) < claim_count:
            party = next(newcomers, None)
            if party is not None:
                group = groups[0] if not claims else self.group_new(groups, injured)
            else:
                party = rng.choice(speakers)
                spoken = [group for (speaker, *group) in said if speaker == party]
                group = tuple(rng.choice(spoken)) if spoken and rng.random() < 0.8 else self.group_new(groups, injured)
            outcome, category, victim_side, subgroup = group
            earlier = said.get((party, *group))
            if earlier is None:
                claimed_on = event.start_date + timedelta(days=rng.randint(0, 7))
                value = self.value(injured_truth if group == injured else truth[category], leaning[party], category)
            else:
                claimed_on = earlier[0] + timedelta(days=rng.randint(1, 45))
                value = round(earlier[1] * rng.uniform(0.8, 1.6))  # counts are revised, mostly upwards
            said[(party, *group)] = (claimed_on, value)
            claim = self.claim_draw(party, group, value, claimed_on, revision=earlier)
            claims.append(claim)
            # "12 civilians, including 4 children": who among its killed a party names, in the same statement.
            if (
                earlier is None and outcome == Outcome.KILLED and category in SUBGROUPS and subgroup is None
                and value > 0 and len(claims) < claim_count and rng.random() < SUBGROUP_CHANCE
            ):  # fmt: skip
                part = (outcome, category, victim_side, weighted(rng, SUBGROUPS[category]))
                count = self.subgroup_value(value, part[3])
                said[(party, *part)] = (claimed_on, count)
                claims.append(self.claim_draw(party, part, count, claimed_on, revision=None, source=claim.source))
        return claims

    def group_new(self, groups: list[Group], injured: Group) -> Group:
        """Choose the group of a party's new statement: one of the event's killed, now and then its injured."""
        return injured if self.rng.random() < INJURED_CHANCE else self.rng.choice(groups)

    def subgroup_value(self, whole: int, subgroup: str) -> int:
        """Return a party's count of a subgroup from its count of the whole: a share of it, rarely more."""
        rng = self.rng
        if rng.random() < INCONSISTENT_SHARE:
            return round(whole * rng.uniform(1.5, 2.5)) + 2
        return round(whole * rng.uniform(*SUBGROUP_SHARES[subgroup]))

    def leaning(self) -> float:
        """How a party's counts compare with the truth: 0 for a party that denies deaths."""
        rng, draw = self.rng, self.rng.random()
        if draw < 0.06:
            return 0.0
        if draw < 0.25:
            return rng.uniform(0.2, 0.7)
        if draw < 0.75:
            return rng.uniform(0.85, 1.15)
        return rng.uniform(1.3, 3.5)

    def value(self, truth: int, leaning: float, category: str) -> int:
        if leaning == 0 and category != "total":
            return 0
        return round(truth * (leaning or 0.5) * self.rng.uniform(0.95, 1.05))

    def claim_draw(
        self, party: int, group: Group, value: int, claimed_on: date, *, revision, source: int | None = None
    ) -> ClaimPlan:
        """Draw a claim of a count in a group; its source at random unless given (a statement's other claim)."""
        rng = self.rng
        outcome, category, victim_side, subgroup = group
        victims = subgroup or VICTIMS[category]  # the subgroups' codes are plain words: children, commanders
        killed = outcome == Outcome.KILLED
        verb, tail = ("killed", "") if killed else ("injured", " injured")
        low = best = high = None
        if value == 0:
            qualifier, best = Qualifier.EXACT, 0
            wording = NONE_KILLED[category] if killed and subgroup is None else f"no {victims} {verb}"
        else:
            qualifier = weighted(rng, QUALIFIER_WEIGHTS)
            if qualifier == Qualifier.EXACT:
                best, wording = value, f"{value} {victims} {verb}"
            elif qualifier == Qualifier.APPROXIMATE:
                best, wording = value, f"around {value} {victims}{tail}"
            elif qualifier == Qualifier.AT_LEAST:
                low, wording = value, f"at least {value} {victims}{tail}"
            elif qualifier == Qualifier.AT_MOST:
                high, wording = value, f"up to {value} {victims}{tail}"
            else:
                low, high = value, value + max(1, round(value * rng.uniform(0.1, 0.5)))
                best = (low + high) // 2 if rng.random() < 0.3 else None
                wording = f"{low} to {high} {victims}{tail}"
        entered_at = datetime.combine(claimed_on, time(6), tzinfo=UTC) + timedelta(seconds=rng.randrange(50_000))
        notes = ""
        if revision is not None and rng.random() < 0.3:
            notes = "Revised count after further reports (generated)."
        elif rng.random() < 0.05:
            notes = "Figure from a single witness (generated)."
        if source is None:
            source = rng.randrange(len(self.sources))
        return ClaimPlan(
            party=party, source=source, outcome=outcome, category=category, victim_side=victim_side, subgroup=subgroup,
            qualifier=qualifier, low=low, best=best, high=high, wording=wording, claimed_on=claimed_on,
            entered_at=entered_at, retracted=rng.random() < RETRACTED_SHARE, notes=notes,
        )  # fmt: skip


# Writing to the database


def rows_write(model: type[models.Model], names: list[str], rows: list[tuple]) -> None:
    """Insert rows of a model (values in the order of `names`, attribute names) by the bulk path.

    The model's other fields take their defaults, so that a field added later needs nothing here.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        rest = [
            field
            for field in model._meta.concrete_fields
            if field.attname not in names and not field.primary_key and not field.has_db_default()
        ]
        defaults = tuple(field.get_default() for field in rest)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
        columns += "".join(f", {quote(field.column)}" for field in rest)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row + defaults)
    else:
        # A plain QuerySet: the claims' own bulk_create would refresh summaries batch by batch.
        models.QuerySet(model).bulk_create([model(**dict(zip(names, row, strict=True))) for row in rows])


# What the generator gives of each record; the other fields (the summaries among them) take their defaults.
PARTY_FIELDS = ["id", "name", "short_name", "kind", "country", "aliases"]
SOURCE_FIELDS = ["id", "title", "publisher", "url", "published_on", "language", "confidential", "relays_id"]
EVENT_FIELDS = [
    "id", "ref", "title", "start_date", "end_date", "date_precision", "location_name", "admin_region", "country",
    "latitude", "longitude", "event_type", "description",
]  # fmt: skip
CLAIM_FIELDS = [
    "id", "event_id", "party_id", "source_id", "claimed_on", "outcome", "category", "victim_side_id", "subgroup_id",
    "qualifier", "low", "best", "high", "wording", "retracted", "notes", "entered_at", "review_state", "reviewed_at",
]  # fmt: skip
ASSESSMENT_FIELDS = [
    "id", "event_id", "assessor_id", "grade", "method", "rationale", "civilian_low", "civilian_high", "total_low",
    "total_high", "assessed_on", "entered_at", "review_state", "reviewed_at",
]  # fmt: skip
PERPETRATOR_FIELDS = ["event_id", "party_id"]
PERSON_FIELDS = [
    "id", "name", "name_folded", "affiliation_id", "role", "sex", "age", "age_group", "notes", *fates.CONFLICTS,
    "reported_deaths", "review_state", "reviewed_at",
]  # fmt: skip
OTHER_NAME_FIELDS = ["person_id", "name", "folded"]
FATE_CLAIM_FIELDS = [
    "id", "person_id", "party_id", "source_id", "claimed_on", "fate", "event_id", "fate_date", "fate_date_precision",
    "hedge", "status", "wording", "retracted", "entered_at", "review_state", "reviewed_at",
]  # fmt: skip


class SubgroupsMissing(Exception):
    """The subgroups the generator names are not in the database."""


@dataclass
class ScaleReport:
    parties: int = 0
    sources: int = 0
    events: int = 0
    claims: int = 0
    subgroup_claims: int = 0
    injured_claims: int = 0
    assessments: int = 0
    people: int = 0
    fate_claims: int = 0

    def summary(self) -> str:
        return (
            f"{self.events:,} events, {self.claims:,} claims ({self.subgroup_claims:,} of a subgroup, "
            f"{self.injured_claims:,} of the injured), {self.assessments:,} assessments, {self.parties:,} parties, "
            f"{self.sources:,} sources, {self.people:,} people ({self.fate_claims:,} fate claims)"
        )


def subgroup_keys() -> dict[str, int]:
    """Return the keys of the subgroups the generator names, by code; refuse if any is missing."""
    codes = [code for subgroups in SUBGROUPS.values() for code in subgroups]
    keys = dict(Subgroup.objects.filter(code__in=codes).values_list("code", "pk"))
    missing = [code for code in codes if code not in keys]
    if missing:
        raise SubgroupsMissing(
            f"the subgroups {', '.join(missing)} are missing: the generator names those that migration 0016 seeds"
        )
    return keys


def party_count_for(events: int) -> int:
    """A few hundred parties at scale, fewer for a small data set."""
    return min(300, max(30, events // 20))


def scale_data_generate(*, events: int, seed: int = 1, progress: Progress | None = None) -> ScaleReport:
    """Write a generated data set of `events` events into an empty database, summaries stored."""
    if events < 1:
        raise ValueError("generate at least one event")
    if records_present():
        raise NotEmpty("the database already holds records; generate into an empty one (migrated, nothing else)")
    progress = progress or (lambda stage, done, total: None)
    subgroups = subgroup_keys()
    data = ScaleData(seed=seed)
    report = ScaleReport()
    with transaction.atomic():
        parties = data.parties_draw(party_count_for(events))
        organisation = len(parties) + 1  # the organisation's party, after the generated ones
        rows_write(
            Party, PARTY_FIELDS,
            [*((number, p.name, p.short_name, p.kind, p.country, p.aliases)
               for number, p in enumerate(parties, start=1)),
             (organisation, settings.TRACKER_ORGANISATION, "", PartyKind.MONITOR, "", "")],
        )  # fmt: skip
        sources = data.sources_draw(max(10, events // 4))
        rows_write(
            Source, SOURCE_FIELDS,
            [(number, s.title, s.publisher, s.url, s.published_on, s.language, s.confidential,
              None if s.relays is None else s.relays + 1)
             for number, s in enumerate(sources, start=1)],
        )  # fmt: skip
        report.parties, report.sources = len(parties) + 1, len(sources)

        event_id = claim_id = assessment_id = 0
        event_days: list[date] = []  # each event's date, for the people's fate claims
        plans = data.events_draw(data.claim_counts(events))
        for batch in chunked(plans, BATCH_EVENTS):
            event_rows, claim_rows, perpetrator_rows, assessment_rows = [], [], [], []
            for plan in batch:
                event_id += 1
                event_rows.append(
                    (event_id, plan.ref, plan.title, plan.start_date, plan.end_date, plan.date_precision,
                     plan.location_name, plan.admin_region, plan.country, plan.latitude, plan.longitude,
                     plan.event_type, plan.description)
                )  # fmt: skip
                event_days.append(plan.start_date)
                perpetrator_rows.extend((event_id, party + 1) for party in plan.perpetrators)
                for claim in plan.claims:
                    claim_id += 1
                    claim_rows.append(
                        (claim_id, event_id, claim.party + 1, claim.source + 1, claim.claimed_on, claim.outcome,
                         claim.category, None if claim.victim_side is None else claim.victim_side + 1,
                         subgroups.get(claim.subgroup), claim.qualifier, claim.low, claim.best, claim.high,
                         claim.wording, claim.retracted, claim.notes, claim.entered_at,
                         *review_columns(data.reviewed(), claim.entered_at))
                    )  # fmt: skip
                    report.subgroup_claims += claim.subgroup is not None
                    report.injured_claims += claim.outcome == Outcome.INJURED
                for judged in plan.assessments:
                    assessment_id += 1
                    assessor = organisation if judged.assessor is None else judged.assessor + 1
                    assessment_rows.append(assessment_row(assessment_id, event_id, assessor, judged))
            rows_write(Event, EVENT_FIELDS, event_rows)
            rows_write(Event.alleged_perpetrators.through, PERPETRATOR_FIELDS, perpetrator_rows)
            rows_write(Claim, CLAIM_FIELDS, claim_rows)
            rows_write(Assessment, ASSESSMENT_FIELDS, assessment_rows)
            progress("records", event_id, events)
        report.events, report.claims, report.assessments = event_id, claim_id, assessment_id
        # Before the summaries: the named dead of an event are a part of its counts.
        report.people, report.fate_claims = people_write(data, event_days, seed=seed)
        progress("people", event_id, events)
        sequences_reset()
        # Without statistics the planner takes "claims of these 500 events" for most of the table.
        statistics_refresh()

        done = 0
        for chunk in chunked(range(1, event_id + 1), REFRESH_EVENTS):
            done += event_summaries_refresh(events=chunk)
            progress("summaries", done, event_id)
    statistics_refresh()
    return report


def review_columns(reviewed: bool, entered_at: datetime) -> tuple[str, datetime | None]:
    """A record's review state and when it was reviewed: two days after it was entered, if it was."""
    if reviewed:
        return ReviewState.REVIEWED, entered_at + timedelta(days=2)
    return ReviewState.ENTERED, None


def assessment_row(number: int, event_id: int, assessor_id: int, plan: AssessmentPlan) -> tuple:
    figures = {"civilian": (None, None), "total": (None, None), plan.category: (plan.low, plan.high)}
    entered_at = datetime.combine(plan.assessed_on, time(9), tzinfo=UTC)
    return (
        number, event_id, assessor_id, plan.grade, plan.method, RATIONALE, *figures["civilian"], *figures["total"],
        plan.assessed_on, entered_at, *review_columns(plan.reviewed, entered_at),
    )  # fmt: skip


def people_write(data: ScaleData, event_days: list[date], *, seed: int) -> tuple[int, int]:
    """Write the people, their other names and fate claims (tracker.perf.people); return how many people and
    fate claims. Each person is written with the conflicts and reported deaths that the fate rules find in
    the claims drawn, as tracker.summaries.fates would store them, without reading them back."""
    draw = PeopleDraw(
        seed=seed, claimants=data.claimants, sides=data.sides, sources=len(data.sources), event_days=event_days
    )
    person_rows, other_name_rows, fate_claim_rows = [], [], []
    fate_claim_id = 0
    for person_id, person in enumerate(draw.people(), start=1):
        reports = []
        for claim in person.fate_claims:
            fate_claim_id += 1
            event_id = None if claim.event is None else claim.event + 1
            fate_claim_rows.append(
                (fate_claim_id, person_id, claim.party + 1, claim.source + 1, claim.claimed_on, claim.fate, event_id,
                 claim.fate_date, claim.fate_date_precision, claim.hedge, claim.status, claim.wording, claim.retracted,
                 claim.entered_at, *review_columns(claim.reviewed, claim.entered_at))
            )  # fmt: skip
            reports.append(
                fates.FateReport(
                    key=fate_claim_id, party=claim.party + 1, fate=claim.fate,
                    day=claim.fate_date or event_days[claim.event], claimed_on=claim.claimed_on,
                    entered_at=claim.entered_at, event=event_id, hedge=claim.hedge, retracted=claim.retracted,
                )
            )  # fmt: skip
        found = fates.fate_summary(reports, fate_days=settings.TRACKER_FATE_DAYS)
        affiliation = None if person.affiliation is None else person.affiliation + 1
        person_rows.append(
            (person_id, person.name, folded(person.name), affiliation, person.role, person.sex, person.age,
             person.age_group, PERSON_NOTES,
             *(conflict in found.conflicts for conflict in fates.CONFLICTS), found.reported_deaths,
             *review_columns(person.reviewed, person.fate_claims[0].entered_at))
        )  # fmt: skip
        other_name_rows.extend((person_id, name, folded(name)) for name in person.other_names)
    rows_write(Person, PERSON_FIELDS, person_rows)
    rows_write(OtherName, OTHER_NAME_FIELDS, other_name_rows)
    rows_write(FateClaim, FATE_CLAIM_FIELDS, fate_claim_rows)
    return len(person_rows), fate_claim_id


def sequences_reset() -> None:
    """Let the database number new records after the ones written here with their keys."""
    tables = [
        Party, Source, Event, Claim, Assessment, Event.alleged_perpetrators.through, Person, OtherName, FateClaim,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(statement)


def statistics_refresh() -> None:
    """Tell the query planner what the tables now hold, as a bulk load should."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# A claims CSV of new events, for timing an import


def claims_csv_generate(*, claims: int, seed: int = 1, stream: TextIO, prefix: str = "IMP") -> int:
    """Write a claims CSV of about `claims` claims on new events by the stored parties; return its rows.

    The events are new (refs `IMP-000001`, ...) and drawn in the data set's mix; the claimants and
    victim sides are the parties already stored, so that an import reuses them; the sources are new.
    """
    data = ScaleData(seed=seed)
    stored = list(Party.objects.order_by("pk").values_list("name", "kind"))
    if not stored:
        stored = [(party.name, party.kind) for party in data.parties_draw(party_count_for(claims // 5))]
    data.parties_known([PartyPlan(name=name, kind=kind) for name, kind in stored])
    data.sources_draw(max(1, claims // 20), url_prefix=f"https://reports.example.org/{prefix.lower()}")
    write_claims_csv(claim_csv_rows(data, claims=claims, prefix=prefix), stream)
    return claims


def claim_csv_rows(data: ScaleData, *, claims: int, prefix: str) -> Iterator[dict]:
    """Yield exactly `claims` claim rows, event by event, each event's claims together."""
    written, number = 0, 0
    counts = iter(data.claim_counts(max(1, claims // 5)))
    while written < claims:
        number += 1
        event = data.event_draw(f"{prefix}-{number:06d}", min(next(counts, 5), claims - written))
        for claim in event.claims:
            yield claim_csv_row(data, event, claim)
        written += len(event.claims)


def claim_csv_row(data: ScaleData, event: EventPlan, claim: ClaimPlan) -> dict:
    party, source = data.parties[claim.party], data.sources[claim.source]
    return {
        "event_ref": event.ref,
        "event_title": event.title,
        "event_date": event.start_date.isoformat(),
        "event_date_end": blank_if_none(event.end_date),
        "date_precision": event.date_precision,
        "event_type": event.event_type,
        "country": event.country,
        "admin1": event.admin_region,
        "location": event.location_name,
        "latitude": blank_if_none(event.latitude),
        "longitude": blank_if_none(event.longitude),
        # A new event's alleged perpetrators travel with its claims, as in any claims file.
        "event_perpetrators": "|".join(data.parties[index].name for index in event.perpetrators),
        "party": party.name,
        "party_kind": party.kind,
        "outcome": claim.outcome,
        "category": claim.category,
        "victim_side": "" if claim.victim_side is None else data.parties[claim.victim_side].name,
        "subgroup": claim.subgroup or "",
        "qualifier": claim.qualifier,
        "low": blank_if_none(claim.low),
        "best": blank_if_none(claim.best),
        "high": blank_if_none(claim.high),
        "wording": claim.wording,
        "claimed_on": claim.claimed_on.isoformat(),
        "source_title": source.title,
        "source_url": source.url,
        "source_publisher": source.publisher,
        "source_date": source.published_on.isoformat(),
        "source_confidential": "true" if source.confidential else "false",
        "source_relays": "",  # the stored sources keep the relays they have
        "retracted": "true" if claim.retracted else "false",
        "notes": claim.notes,
    }
