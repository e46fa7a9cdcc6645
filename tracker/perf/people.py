"""The named people of the generated data set and their fate claims, the same for the same seed.

About one person per twenty events (10,000 at 200,000 events), drawn from a random stream of their
own so that the rest of the data set stays that of earlier runs. Names are built from given and
family names in Latin, Cyrillic and Arabic letters: a person's other names are the Cyrillic and
Arabic spellings, now and then another transliteration ("Halimov" for "Khalimov") and a nom de
guerre. Most are fighters of an armed party, the rest civilians of none.

Each person has 1-4 fate claims by different parties, most in one event and of one account (all
say killed, or all say wounded, captured or alive). A few in a hundred are told apart, each one
of the fate conflicts of shared/DESIGN.md: killed in two events, or on days months apart; said
alive months after a death; or killed by one party and alive by another in one event. A few
claims are hedged (`possible`) or retracted, which can undo a conflict: what is stored is what the
rules (tracker.rules.fates) find, computed here from the drawn claims. One person in a hundred
thousand events (at least one) is reported again and again, 50 fate claims in several events,
for the person page's speed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from tracker.rules import fates

EVENTS_PER_PERSON = 20
EVENTS_PER_MUCH_REPORTED = 100_000
MUCH_REPORTED_CLAIMS = 50

# (Latin, Cyrillic, Arabic), and for given names the sex they are mostly given to.
GIVEN_NAMES = [
    ("Gulmurod", "Гулмурод", "غلمراد", "male"), ("Yusuf", "Юсуф", "يوسف", "male"), ("Omar", "Омар", "عمر", "male"),
    ("Ahmad", "Ахмад", "أحمد", "male"), ("Khalid", "Халид", "خالد", "male"), ("Ibrahim", "Ибрагим", "إبراهيم", "male"),
    ("Hassan", "Хасан", "حسن", "male"), ("Mustafa", "Мустафа", "مصطفى", "male"), ("Karim", "Карим", "كريم", "male"),
    ("Salim", "Салим", "سليم", "male"), ("Tariq", "Тарик", "طارق", "male"), ("Bilal", "Билал", "بلال", "male"),
    ("Hamza", "Хамза", "حمزة", "male"), ("Jamal", "Джамал", "جمال", "male"), ("Rashid", "Рашид", "رشيد", "male"),
    ("Anwar", "Анвар", "أنور", "male"), ("Qasim", "Касим", "قاسم", "male"), ("Aisha", "Аиша", "عائشة", "female"),
    ("Fatima", "Фатима", "فاطمة", "female"), ("Maryam", "Марьям", "مريم", "female"),
    ("Zaynab", "Зайнаб", "زينب", "female"), ("Khadija", "Хадиджа", "خديجة", "female"),
]  # fmt: skip
FAMILY_NAMES = [
    ("Khalimov", "Халимов", "حليموف"), ("Nazarov", "Назаров", "نازاروف"), ("Rahimov", "Рахимов", "رحيموف"),
    ("Karimov", "Каримов", "كريموف"), ("Yusupov", "Юсупов", "يوسوبوف"), ("al-Shimali", "аш-Шимали", "الشمالي"),
    ("al-Ansari", "аль-Ансари", "الأنصاري"), ("al-Tikriti", "ат-Тикрити", "التكريتي"),
    ("al-Jaburi", "аль-Джабури", "الجبوري"), ("al-Dulaimi", "ад-Дулайми", "الدليمي"),
    ("al-Hashimi", "аль-Хашими", "الهاشمي"), ("Haddad", "Хаддад", "حداد"), ("Mansour", "Мансур", "منصور"),
    ("Darwish", "Дарвиш", "درويش"), ("Saleh", "Салех", "صالح"), ("Othman", "Осман", "عثمان"),
    ("Khoury", "Хури", "خوري"), ("Qureshi", "Куреши", "قريشي"), ("Jumaev", "Джумаев", "جوماييف"),
    ("Sharipov", "Шарипов", "شاريبوف"),
]  # fmt: skip
# Another transliteration of a Latin name, as another newspaper writes it.
RESPELLINGS = [("Kh", "H"), ("kh", "h"), ("Kh", "X"), ("Q", "K"), ("ou", "u"), ("J", "Dzh"), ("sh", "ch")]
NISBAS = ["al-Shishani", "al-Tajiki", "al-Iraqi", "al-Suri", "al-Muhajir", "al-Libi", "al-Maqdisi", "al-Somali"]
FIGHTER_ROLES = {"fighter": 40, "field commander": 25, "commander": 10, "emir": 5, "spokesman": 5, "sniper": 5,
                 "logistics chief": 5, "recruiter": 5}  # fmt: skip
CIVILIAN_ROLES = {"": 40, "teacher": 8, "doctor": 6, "nurse": 6, "journalist": 8, "aid worker": 8, "farmer": 10,
                  "student": 8, "driver": 6}  # fmt: skip
CIVILIAN_SHARE = 0.3
UNAFFILIATED_FIGHTERS = 0.1  # of fighters, those no party is known for
OTHER_SPELLING_SHARE = 0.3
NOM_DE_GUERRE_SHARE = 0.15
AGE_SHARE = 0.4
CHILD_SHARE = 0.2  # of civilians

CLAIMS_PER_PERSON = {1: 40, 2: 30, 3: 20, 4: 10}
# How a person's fate claims are told: one account, or two that cannot both be true (the conflict's name).
ONE_ACCOUNT = "one account"
STORY_WEIGHTS = {ONE_ACCOUNT: 82, fates.KILLED_TWICE: 6, fates.ALIVE_AFTER_DEATH: 6, fates.DISPUTED: 6}
DEATH_WEIGHTS = {fates.KILLED: 85, fates.FATALLY_WOUNDED: 15}
SURVIVAL_WEIGHTS = {fates.WOUNDED: 50, fates.CAPTURED: 30, fates.ALIVE: 20}
SURVIVED_SHARE = 0.2  # of one-account people, those all say survived
FATE_DATE_SHARE = 0.2  # of claims in an event, those with a fate date of their own
MONTH_PRECISION_SHARE = 0.1  # of fate dates
POSSIBLE_SHARE = 0.06
RETRACTED_SHARE = 0.05
UNKNOWN_STATUS_SHARE = 0.1
ENTERED_SHARE = 0.05  # awaiting review
WORDINGS = {
    (fates.STATED, fates.KILLED): "was killed",
    (fates.STATED, fates.FATALLY_WOUNDED): "died of wounds",
    (fates.STATED, fates.WOUNDED): "was wounded",
    (fates.STATED, fates.CAPTURED): "was captured",
    (fates.STATED, fates.ALIVE): "is alive",
    (fates.POSSIBLE, fates.KILLED): "may have been killed",
    (fates.POSSIBLE, fates.FATALLY_WOUNDED): "may have died of wounds",
    (fates.POSSIBLE, fates.WOUNDED): "may have been wounded",
    (fates.POSSIBLE, fates.CAPTURED): "may have been captured",
    (fates.POSSIBLE, fates.ALIVE): "may be alive",
}
NOTES = "Generated person for measuring speed, not a real person."


@dataclass(slots=True)
class FateClaimPlan:
    party: int  # index into the parties
    source: int  # index into the sources
    fate: str
    event: int | None  # index into the events
    fate_date: date | None
    fate_date_precision: str
    hedge: str
    status: str
    wording: str
    claimed_on: date
    entered_at: datetime
    retracted: bool
    reviewed: bool


@dataclass(slots=True)
class PersonPlan:
    name: str
    other_names: list[str]
    affiliation: int | None  # index into the parties
    role: str
    sex: str
    age: int | None
    age_group: str
    reviewed: bool
    fate_claims: list[FateClaimPlan] = field(default_factory=list)


def people_count_for(events: int) -> int:
    """About one person per twenty events, at least one."""
    return max(1, events // EVENTS_PER_PERSON)


def weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class PeopleDraw:
    """Draws the people and their fate claims from one seeded stream, over events drawn before."""

    def __init__(self, *, seed: int, claimants: list[int], sides: list[int], sources: int, event_days: list[date]):
        self.rng = random.Random(f"people {seed}")
        self.claimants = claimants  # party indices, the prolific ones repeated
        self.sides = sides  # armed parties, whose fighters people are
        self.sources = sources
        self.event_days = event_days  # each event's date, by index

    def people(self) -> list[PersonPlan]:
        count = people_count_for(len(self.event_days))
        much_reported = max(1, len(self.event_days) // EVENTS_PER_MUCH_REPORTED)
        chosen = set(self.rng.sample(range(count), min(count, much_reported)))
        return [self.person(much_reported=number in chosen) for number in range(count)]

    def person(self, *, much_reported: bool) -> PersonPlan:
        rng = self.rng
        civilian = rng.random() < CIVILIAN_SHARE
        sex = "female" if civilian and rng.random() < 0.4 else "male"
        given = rng.choice([names for names in GIVEN_NAMES if names[3] == sex])
        family = rng.choice(FAMILY_NAMES)
        name = f"{given[0]} {family[0]}"
        other_names = [f"{given[1]} {family[1]}", f"{given[2]} {family[2]}"]
        if rng.random() < OTHER_SPELLING_SHARE:
            spelled, spelling = rng.choice(RESPELLINGS)
            if spelled in name:
                other_names.append(name.replace(spelled, spelling))
        if not civilian and rng.random() < NOM_DE_GUERRE_SHARE:
            son = rng.choice([names for names in GIVEN_NAMES if names[3] == "male"])
            other_names.append(f"Abu {son[0]} {rng.choice(NISBAS)}")
        age, age_group = None, ""
        if civilian and rng.random() < CHILD_SHARE:
            age_group = "child"
            age = rng.randint(2, 17) if rng.random() < 0.5 else None
        elif rng.random() < AGE_SHARE:
            age = rng.randint(18, 65)
        affiliation = None
        if not civilian and self.sides and rng.random() >= UNAFFILIATED_FIGHTERS:
            affiliation = rng.choice(self.sides)
        person = PersonPlan(
            name=name, other_names=list(dict.fromkeys(other_names)), affiliation=affiliation,
            role=weighted(rng, CIVILIAN_ROLES if civilian else FIGHTER_ROLES), sex=sex, age=age, age_group=age_group,
            reviewed=rng.random() >= ENTERED_SHARE,
        )  # fmt: skip
        status = "civilian" if civilian else "combatant"
        person.fate_claims = self.reported_often(status) if much_reported else self.told(status)
        return person

    # A person's fate claims

    def told(self, status: str) -> list[FateClaimPlan]:
        """Draw 1-4 fate claims by different parties: one account, or a conflict and claims agreeing with the first."""
        rng = self.rng
        parties = self.parties(weighted(rng, CLAIMS_PER_PERSON))
        story = weighted(rng, STORY_WEIGHTS) if len(parties) > 1 else ONE_ACCOUNT
        home = rng.randrange(len(self.event_days))
        if story == ONE_ACCOUNT:
            kinds = SURVIVAL_WEIGHTS if rng.random() < SURVIVED_SHARE else DEATH_WEIGHTS
            return [self.in_event(party, weighted(rng, kinds), home, status) for party in parties]
        first = self.in_event(parties[0], weighted(rng, DEATH_WEIGHTS), home, status)
        if story == fates.KILLED_TWICE:
            second = self.elsewhere(parties[1], weighted(rng, DEATH_WEIGHTS), home, status)
        elif story == fates.ALIVE_AFTER_DEATH:
            later = self.event_days[home] + timedelta(days=rng.randint(30, 700))
            second = self.dated(parties[1], weighted(rng, SURVIVAL_WEIGHTS), later, status)
        else:
            second = self.in_event(parties[1], weighted(rng, SURVIVAL_WEIGHTS), home, status)
        return [first, second, *(self.in_event(party, first.fate, home, status) for party in parties[2:])]

    def reported_often(self, status: str) -> list[FateClaimPlan]:
        """Draw a person reported again and again: killed in several events, now and then said to live on."""
        rng = self.rng
        events = [rng.randrange(len(self.event_days)) for _ in range(8)]
        claims = []
        for _ in range(MUCH_REPORTED_CLAIMS):
            party = rng.choice(self.claimants)  # a party may report again: its latest stands
            fate = weighted(rng, SURVIVAL_WEIGHTS if rng.random() < 0.15 else DEATH_WEIGHTS)
            claims.append(self.in_event(party, fate, rng.choice(events), status))
        return claims

    def parties(self, count: int) -> list[int]:
        """Draw `count` different claimants (fewer if there are not so many)."""
        chosen: list[int] = []
        for _ in range(count * 10):
            party = self.rng.choice(self.claimants)
            if party not in chosen:
                chosen.append(party)
            if len(chosen) == count:
                break
        return chosen

    def in_event(self, party: int, fate: str, event: int, status: str) -> FateClaimPlan:
        """A claim in an event: on the event's date mostly, now and then a fate date a few days on."""
        fate_date = None
        if self.rng.random() < FATE_DATE_SHARE:
            fate_date = self.event_days[event] + timedelta(days=self.rng.randint(0, 3))
        return self.claim(party, fate, event, fate_date, self.event_days[event], status)

    def elsewhere(self, party: int, fate: str, home: int, status: str) -> FateClaimPlan:
        """A claim in another event, or with a fate date of its own months from the home event's."""
        other = self.rng.randrange(len(self.event_days))
        if other != home and self.rng.random() < 0.6:
            return self.in_event(party, fate, other, status)
        shift = self.rng.choice((-1, 1)) * self.rng.randint(30, 400)
        return self.dated(party, fate, self.event_days[home] + timedelta(days=shift), status)

    def dated(self, party: int, fate: str, day: date, status: str) -> FateClaimPlan:
        """A claim in no event, with a fate date: to the day, or to the month (stored as its first day)."""
        precision = "month" if self.rng.random() < MONTH_PRECISION_SHARE else "day"
        if precision == "month":
            day = day.replace(day=1)
        claim = self.claim(party, fate, None, day, day, status)
        claim.fate_date_precision = precision
        return claim

    def claim(
        self, party: int, fate: str, event: int | None, fate_date: date | None, day: date, status: str
    ) -> FateClaimPlan:
        rng = self.rng
        hedge = fates.POSSIBLE if rng.random() < POSSIBLE_SHARE else fates.STATED
        claimed_on = day + timedelta(days=rng.randint(0, 10))
        return FateClaimPlan(
            party=party, source=rng.randrange(self.sources), fate=fate, event=event, fate_date=fate_date,
            fate_date_precision="day", hedge=hedge,
            status="unknown" if rng.random() < UNKNOWN_STATUS_SHARE else status,
            wording=WORDINGS[(hedge, fate)], claimed_on=claimed_on,
            entered_at=datetime.combine(claimed_on, time(7), tzinfo=UTC) + timedelta(seconds=rng.randrange(50_000)),
            retracted=rng.random() < RETRACTED_SHARE, reviewed=rng.random() >= ENTERED_SHARE,
        )  # fmt: skip
