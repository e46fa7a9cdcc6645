"""The demo data set: the sample article's claim, and illustrative events that show every level.

Only the first claim is real (the Russian Defense Ministry's statement reported by TASS in
September 2017). Every other party, source and claim is invented to show the tracker at
work, and says so in its name, title and notes.

The statement's four field commanders are named people with the ministry's fate claims. Gulmurod
Khalimov's earlier and later reports are those the people's issue tells (a British newspaper's in
April 2017, Tajikistan's in February 2018, reports that he is alive); the newspaper and every
publication but the statement are left unnamed there, so they are illustrative here, and say so.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from tracker.ingest.formats.claims import COLUMNS
from tracker.ingest.importer import ImportReport, claims_import
from tracker.models import (
    Assessment,
    AssessmentMethod,
    Claim,
    Event,
    FateClaim,
    Grade,
    OtherName,
    Party,
    Person,
    ReviewState,
    Source,
)
from tracker.models.assessments import organisation

ILLUSTRATIVE = "ILLUSTRATIVE: invented for the demo; not a real claim."
ILLUSTRATIVE_SOURCE = "Illustrative source (not a real publication)"

SEED_EVENT = {
    "event_ref": "SYR-2017-09-DEZ-01",
    "event_title": "Airstrike on an IS command centre near Deir ez-Zor",
    "event_date": "2017-09-01",
    "date_precision": "month",
    "event_type": "airstrike",
    "country": "SY",
    "admin1": "Deir ez-Zor",
    "location": "Outskirts of Deir ez-Zor",
    "latitude": "35.336000",
    "longitude": "40.145000",
}
SEED_SOURCE_TITLE = "Russian Defense Ministry: IS command center destroyed, about 40 militants killed near Deir ez-Zor"
SEED_EXCERPT = (
    "“As a result of a precision airstrike carried out by Russian warplanes near the city of Deir "
    "ez-Zor, a command center and a communication hub have been destroyed, while around 40 militants "
    "of the Islamic State terror group were killed,” the statement reads. “It has been confirmed that "
    "there are four important field commanders among the eliminated militants […]”"
)

# Illustrative: a news agency's report, dated only to its month, that relays the ministry's statement.
RELAYING_SOURCE_TITLE = (
    "Valley News Agency: dozens of militants killed near Deir ez-Zor, the Russian ministry says "
    "(illustrative source, not a real publication)"
)


def illustrative_event(ref, title, date, event_type, location, admin1="Deir ez-Zor"):
    return {
        "event_ref": ref, "event_title": f"{title} (illustrative)", "event_date": date,
        "event_type": event_type, "country": "SY", "admin1": admin1, "location": location,
    }  # fmt: skip


def claim(event, party, kind, category, wording, claimed_on, victim_side="", **extra):
    return {
        **event, "party": party, "party_kind": kind, "category": category, "victim_side": victim_side,
        "wording": wording, "claimed_on": claimed_on, "source_title": ILLUSTRATIVE_SOURCE,
        "source_date": claimed_on, "notes": ILLUSTRATIVE, **extra,
    }  # fmt: skip


MOD = "Russian Ministry of Defence"
IS = "Islamic State"
MONITOR = "Euphrates Casualty Monitor (illustrative)"
HOSPITAL = "Al-Furat Field Hospital (illustrative)"
AGENCY = "Valley News Agency (illustrative)"
NORTH = "Northern Brigades (illustrative)"
SOUTH = "Southern Front (illustrative)"
GOVERNMENT = "Provincial Governorate (illustrative)"

AGREE = illustrative_event(
    "DEMO-2018-03-AGR-01", "Strike on a market in Al-Mayadin", "2018-03-14", "airstrike", "Al-Mayadin"
)
MINOR = illustrative_event(
    "DEMO-2018-05-MIN-01", "Shelling of a residential block in Hajin", "2018-05-02", "shelling", "Hajin"
)
DENIAL = illustrative_event(
    "DEMO-2018-07-DEN-01", "Airstrike on a bakery queue in Al-Bukamal", "2018-07-21", "airstrike", "Al-Bukamal"
)
SINGLE = illustrative_event(
    "DEMO-2018-09-SNG-01", "Car bomb at a checkpoint in Al-Busayrah", "2018-09-09", "bombing", "Al-Busayrah"
)
CLASH = illustrative_event(
    "DEMO-2019-01-CLS-01", "Clash over the Al-Suwar crossing", "2019-01-17", "ground_clash", "Al-Suwar"
)
GRAIN = illustrative_event(
    "DEMO-2019-03-GRN-01", "Airstrike on a training camp near Al-Shafah", "2019-03-11", "airstrike", "Al-Shafah"
)
PENDING = illustrative_event(
    "DEMO-2019-02-PND-01", "Reported execution of detainees in Gharanij", "2019-02-03", "execution", "Gharanij"
)

DEMO_ROWS = [
    # Illustrative: the group's own count of its dead (a party's first row names its kind).
    claim(SEED_EVENT, IS, "armed_group", "combatant", "seven fighters", "2017-09-10", victim_side=IS),
    # The sample article: the one real claim of the demo.
    {
        **SEED_EVENT,
        "party": MOD,
        "party_kind": "state_military",
        "category": "combatant",
        "victim_side": IS,
        "wording": "around 40 militants of the Islamic State terror group were killed",
        "claimed_on": "2017-09-08",
        "source_title": SEED_SOURCE_TITLE,
        "source_publisher": "TASS (statement of the Russian Defense Ministry)",
        "source_date": "2017-09-08",
        "notes": "Four important field commanders said to be among the dead, including Gulmurod Khalimov "
        "and Abu Muhammad al-Shimali. Attributed to the Russian Defense Ministry's statement.",
    },
    # Illustrative counter-claims on the same event: a classification dispute.
    # A wording that holds a breakdown is not read for its count: the whole's numbers are given.
    claim(
        SEED_EVENT,
        MONITOR,
        "monitor",
        "civilian",
        "12 civilians, including 4 children",
        "2017-09-09",
        qualifier="exact",
        best="12",
    ),
    # Who among them: the statement's "four important field commanders" are a part of its "around 40", not
    # a new toll; the monitor's "including 4 children" a part of its 12.
    {
        **SEED_EVENT,
        "party": MOD,
        "category": "combatant",
        "victim_side": IS,
        "subgroup": "commanders",
        "qualifier": "exact",
        "best": "4",
        "wording": "there are four important field commanders among the eliminated militants",
        "claimed_on": "2017-09-08",
        "source_title": SEED_SOURCE_TITLE,
        "source_publisher": "TASS (statement of the Russian Defense Ministry)",
        "source_date": "2017-09-08",
        "notes": "Part of the statement's around 40, not a count of its own.",
    },
    claim(
        SEED_EVENT,
        MONITOR,
        "monitor",
        "civilian",
        "12 civilians, including 4 children",
        "2017-09-09",
        subgroup="children",
        qualifier="exact",
        best="4",
    ),
    claim(SEED_EVENT, HOSPITAL, "medical", "civilian", "at least 9 civilian bodies received", "2017-09-09"),
    # A date stated to the month ("September 2017"), in a report that relays the ministry's statement.
    claim(
        SEED_EVENT,
        AGENCY,
        "media",
        "combatant",
        "dozens of militants were killed, the Russian ministry said",
        "2017-09",
        source_title=RELAYING_SOURCE_TITLE,
        source_publisher=AGENCY,
        notes=f"{ILLUSTRATIVE} Its report relays the Russian Defence Ministry's statement and gives no day.",
    ),
    # Agree: the counts fit one common value.
    claim(AGREE, MONITOR, "monitor", "civilian", "12 to 15 civilians", "2018-03-15"),
    claim(AGREE, HOSPITAL, "medical", "civilian", "13 dead", "2018-03-15"),
    claim(AGREE, AGENCY, "media", "civilian", "about 14 civilians", "2018-03-16"),
    # Minor: apart, but close.
    claim(MINOR, MONITOR, "monitor", "civilian", "at least 20 civilians", "2018-05-03"),
    claim(MINOR, GOVERNMENT, "government", "civilian", "up to 18 residents", "2018-05-04"),
    # Denial: one party says nobody died.
    claim(DENIAL, MOD, "state_military", "civilian", "no civilian casualties", "2018-07-22"),
    claim(DENIAL, MONITOR, "monitor", "civilian", "8 civilians killed", "2018-07-22"),
    # The injured, counted beside the dead and compared only among themselves.
    claim(DENIAL, MONITOR, "monitor", "civilian", "about 20 wounded", "2018-07-22", outcome="injured"),
    claim(DENIAL, HOSPITAL, "medical", "civilian", "at least 31 wounded treated", "2018-07-22", outcome="injured"),
    # Single: nobody else has counted yet.
    claim(SINGLE, AGENCY, "media", "total", "around 30 people", "2018-09-09"),
    # A clash: each side's count of the other's dead is compared only with like counts.
    claim(CLASH, SOUTH, "armed_group", "combatant", "we lost 6 fighters", "2019-01-18", victim_side=SOUTH),
    claim(CLASH, NORTH, "armed_group", "combatant", "13 martyrs", "2019-01-19", victim_side=NORTH),
    claim(CLASH, NORTH, "armed_group", "combatant", "30 enemy fighters", "2019-01-17", victim_side=SOUTH),
    claim(CLASH, SOUTH, "armed_group", "combatant", "15 of their fighters", "2019-01-18", victim_side=NORTH),
    # Revisions: the monitor's later count replaces its first; a retracted claim no longer counts.
    claim(CLASH, MONITOR, "monitor", "total", "at least 10", "2019-01-18"),
    claim(CLASH, MONITOR, "monitor", "total", "42 killed on both sides", "2019-01-25"),
    claim(CLASH, AGENCY, "media", "total", "nearly 100", "2019-01-18", retracted="true"),
    claim(CLASH, AGENCY, "media", "total", "about 40", "2019-01-20"),
    # Different grain: militants of one side against "no fighters" of any side, a denial that no
    # group shows on its own (each has a single claim); and a total below the parts.
    claim(GRAIN, MOD, "state_military", "combatant", "about 25 militants", "2019-03-12", victim_side=IS),
    claim(GRAIN, MONITOR, "monitor", "combatant", "no fighters were killed", "2019-03-13"),
    claim(GRAIN, AGENCY, "media", "total", "11 killed", "2019-03-13"),
]

# The statement's four field commanders, each with the ministry's fate claim in the seed event. The statement
# names two of them; the other two are invented for the demo, and say so.
KHALIMOV = "Gulmurod Khalimov"
COMMANDERS = [
    {
        "name": KHALIMOV, "role": "IS “minister of war”", "sex": "male",
        "other_names": ["Гулмурод Халимов", "غلمراد حليموف", "Gulmurod Halimov"],
        "notes": "Former commander of the Tajik Interior Ministry's special forces; joined IS in May 2015.",
        "fate": "fatally_wounded", "fate_date": date(2017, 9, 8),
        "wording": "was present at the meeting and died of fatal wounds",
    },
    {
        "name": "Abu Muhammad al-Shimali", "role": "“Emir of Deir ez-Zor”", "sex": "male",
        "other_names": ["أبو محمد الشمالي"],
        "notes": "Said to be responsible for financial affairs and the transfer of recruits to the IS training camps.",
        "fate": "killed", "wording": "among the eliminated militants",
    },
    *(
        {
            "name": f"Field commander {letter} (illustrative)", "role": "field commander", "sex": "male",
            "other_names": [],
            "notes": "ILLUSTRATIVE: the statement counts four field commanders and names two; this one is invented.",
            "fate": "killed", "wording": "among the eliminated militants", "illustrative": True,
        }
        for letter in "CD"
    ),
]  # fmt: skip

# Gulmurod Khalimov's other reports, as the people's issue tells them: the parties it names are real, the
# sources it does not name are illustrative. Each is (party, kind, fate, fate date and its precision, event,
# hedge, claim date and its precision, wording, source title, notes).
NEWSPAPER = "A British newspaper (illustrative)"
TAJIKISTAN = "Government of Tajikistan"
LATER_REPORTS = "Later press reports (illustrative)"
KHALIMOV_REPORTS = [
    (
        NEWSPAPER, "media", "killed", date(2017, 4, 1), "month", None, "stated", date(2017, 4, 1), "month",
        "killed in Mosul, an Iraqi source said",
        "British newspaper: IS “minister of war” killed in Mosul (illustrative source, not a real publication)",
        "A British newspaper, citing an Iraqi source, reported him killed in Mosul in April 2017. Which newspaper, "
        "and its article, are illustrative.",
    ),
    # "Could not confirm his death": the ministry's death, neither denied nor affirmed. A possible death
    # (“may have been killed”) is kept and shown, and counts toward no conflict.
    (
        TAJIKISTAN, "government", "killed", None, "day", SEED_EVENT["event_ref"], "possible", date(2018, 2, 1),
        "month", "could not confirm his death",
        "Tajik authorities cannot confirm Khalimov's death (illustrative source, not a real publication)",
        "In February 2018 Tajikistan could not confirm his death: recorded as a possible death in the ministry's "
        "event. The source is illustrative.",
    ),
    (
        LATER_REPORTS, "media", "alive", date(2018, 11, 1), "month", None, "stated", date(2018, 11, 1), "month",
        "is alive, according to later reports",
        "Reports: Khalimov alive (illustrative source, not a real publication)",
        f"{ILLUSTRATIVE} Later reports held him alive; this party, source and date stand for them.",
    ),
]  # fmt: skip


def demo_rows():
    """Yield the demo's rows as an import reads them, with their line numbers."""
    for line, row in enumerate(DEMO_ROWS, start=2):
        yield line, {column: row.get(column, "") for column in COLUMNS}


def demo_load() -> ImportReport:
    """Load the demo through the importer, so that loading it twice changes nothing."""
    with transaction.atomic():
        report = claims_import(rows=demo_rows(), header=COLUMNS, reason="demo data")
        if report.stored:
            add_demo_details()
    return report


def add_demo_details():
    """Add what the claims format does not carry: aliases, the excerpt, the source the agency relays, the
    alleged perpetrators, the organisation's assessment of the seed event, and a review."""
    Party.objects.filter(name=MOD).update(
        short_name="Russian MoD", country="RU", aliases="Russian Defense Ministry\nMinistry of Defence of Russia"
    )
    Party.objects.filter(name=IS).update(short_name="IS", aliases="ISIS\nISIL\nDaesh")
    Source.objects.filter(title=SEED_SOURCE_TITLE).update(language="en", excerpt=SEED_EXCERPT)
    relaying = Source.objects.get(title=RELAYING_SOURCE_TITLE)
    relaying.relays = Source.objects.get(title=SEED_SOURCE_TITLE)
    relaying.save(update_fields=["relays"])  # saved, not updated: the grades read which sources are independent
    perpetrators = {SEED_EVENT["event_ref"]: MOD, DENIAL["event_ref"]: MOD, MINOR["event_ref"]: GOVERNMENT}
    for ref, party in perpetrators.items():
        Event.objects.get(ref=ref).alleged_perpetrators.add(Party.objects.get(name=party))
    Event.objects.filter(ref__startswith="DEMO-").update(
        description="Illustrative event, invented for the demo: its parties, sources and claims are not real."
    )
    Event.objects.get_or_create(
        ref=PENDING["event_ref"],
        defaults={
            "title": PENDING["event_title"],
            "start_date": PENDING["event_date"],
            "event_type": PENDING["event_type"],
            "country": "SY",
            "location_name": PENDING["location"],
            "description": "Illustrative event with no claims yet.",
        },
    )
    # The monitor's 12 civilians and the hospital's "at least 9" cite one illustrative publication: a single
    # source, so the claims suggest `weak`, and the organisation grades it so.
    Assessment.objects.get_or_create(
        event=Event.objects.get(ref=SEED_EVENT["event_ref"]),
        assessor=organisation(),
        assessed_on=date(2017, 9, 15),
        defaults={
            "grade": Grade.WEAK,
            "method": AssessmentMethod.RANGE,
            "civilian_low": 9,
            "civilian_high": 15,
            "rationale": (
                "Illustrative assessment, invented for the demo: the monitor's and the hospital's counts of "
                "civilians cite a single publication, so the evidence is weak; the range runs from the "
                "hospital's 9 bodies to a margin above the monitor's 12."
            ),
        },
    )
    # The one real claim, and its commanders, reviewed; every other record awaits review. The demo is loaded by
    # no user, so no user entered its records, and none is named as their reviewer.
    Claim.objects.filter(event__ref=SEED_EVENT["event_ref"], party__name=MOD).update(
        review_state=ReviewState.REVIEWED, reviewed_at=timezone.now()
    )
    add_demo_people()


def add_demo_people():
    """Add the statement's field commanders with the ministry's fate claims, and Khalimov's other reports.

    Each fate claim is saved on its own, so that the people's stored conflicts follow as they do for any
    entry: Khalimov's are "killed twice" (Mosul in April, Deir ez-Zor in September 2017) and "alive after
    death". Once: the people of a demo loaded before are left as they are."""
    if Person.objects.filter(name=KHALIMOV).exists():
        return
    event = Event.objects.get(ref=SEED_EVENT["event_ref"])
    ministry, group = Party.objects.get(name=MOD), Party.objects.get(name=IS)
    statement = Source.objects.get(title=SEED_SOURCE_TITLE)
    for commander in COMMANDERS:
        person = Person.objects.create(
            name=commander["name"], role=commander["role"], sex=commander["sex"], affiliation=group,
            notes=commander["notes"],
        )  # fmt: skip
        for other_name in commander["other_names"]:
            OtherName.objects.create(person=person, name=other_name)
        FateClaim.objects.create(
            person=person, party=ministry, source=statement, claimed_on=date(2017, 9, 8), fate=commander["fate"],
            event=event, fate_date=commander.get("fate_date"), status="combatant", wording=commander["wording"],
            notes=ILLUSTRATIVE if commander.get("illustrative") else "",
            # The one real statement's fate claims are reviewed, like its claims.
            review_state=ReviewState.ENTERED if commander.get("illustrative") else ReviewState.REVIEWED,
            reviewed_at=None if commander.get("illustrative") else timezone.now(),
        )  # fmt: skip
    khalimov = Person.objects.get(name=KHALIMOV)
    for (party, kind, fate, fate_date, fate_precision, ref, hedge, claimed_on, claimed_precision, wording, title,
         notes) in KHALIMOV_REPORTS:  # fmt: skip
        FateClaim.objects.create(
            person=khalimov,
            party=Party.objects.get_or_create(name=party, defaults={"kind": kind})[0],
            source=Source.objects.create(
                title=title, published_on=claimed_on, published_on_precision=claimed_precision, language="en"
            ),
            claimed_on=claimed_on, claimed_on_precision=claimed_precision, fate=fate, hedge=hedge,
            event=Event.objects.get(ref=ref) if ref else None, fate_date=fate_date, fate_date_precision=fate_precision,
            status="combatant", wording=wording, notes=notes,
        )  # fmt: skip
