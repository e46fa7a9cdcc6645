"""Containment on every surface: the seed article's case imported from a file shows a denial on the
list, the event page (in both languages), the dashboard, every download and the API; and the event's
ratio always belongs to the comparison that sets its level."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.accounts import make_confidant, make_reader
from tests.factories import make_claim, make_event, make_party, make_source
from tests.helpers import claim_row, csv_bytes
from tracker.ingest.importer import file_import
from tracker.models import Claim, ContainmentDiscrepancy, Event

pytestmark = pytest.mark.django_db

SEED_REF = "SYR-2017-09-DEZ-01"


def seed_case_file() -> bytes:
    """The ministry's "about 40" Islamic State militants, and a monitor's "no fighters were killed"."""
    event = {"event_ref": SEED_REF, "event_title": "Airstrike near Deir ez-Zor", "event_date": "2017-09-05",
             "country": "SY", "location": "Deir ez-Zor", "event_type": "airstrike"}  # fmt: skip
    return csv_bytes(
        [
            claim_row(**event, party="Russian Ministry of Defence", party_kind="state_military",
                      category="combatant", victim_side="Islamic State", qualifier="", best="",
                      wording="around 40 militants of the Islamic State", claimed_on="2017-09-08",
                      source_title="Ministry statement", source_date="2017-09-08"),
            claim_row(**event, party="Euphrates Monitor", party_kind="monitor", category="combatant",
                      victim_side="", qualifier="", best="", wording="no fighters were killed",
                      claimed_on="2017-09-09", source_title="Monitor report", source_date="2017-09-09"),
        ]
    )  # fmt: skip


@pytest.fixture
def seed_case():
    report = file_import(file=io.BytesIO(seed_case_file()), name="seed.csv")
    assert report.ok, report.errors
    return Event.objects.get(ref=SEED_REF)


def event_header(page: str) -> str:
    start = page.index('<header class="event-header">')
    return page[start : page.index("</header>", start)]


SENTENCE = (
    "Denial: Russian Ministry of Defence&#x27;s 36 Islamic State combatants exceed Euphrates Monitor&#x27;s "
    "0 combatants of all sides."
)


def test_the_seed_case_is_a_denial_though_each_group_stands_alone(seed_case):
    assert (seed_case.level, seed_case.ratio) == ("denial", None)
    assert sorted(seed_case.groups.values_list("level", flat=True)) == ["single", "single"]
    item = ContainmentDiscrepancy.objects.get(event=seed_case)
    assert (item.category, item.level, item.lo, item.hi, item.ratio, item.sets_level) == (
        "combatant", "denial", 36, 0, None, True,
    )  # fmt: skip
    assert (item.parts_party.name, item.whole_party.name) == ("Russian Ministry of Defence", "Euphrates Monitor")
    assert [claim.wording for claim in item.parts.all()] == ["around 40 militants of the Islamic State"]
    assert item.whole_claim.wording == "no fighters were killed"


def test_the_list_and_the_dashboard_show_the_denial_and_its_spread(reader, seed_case):
    for url in (reverse("event_list"), reverse("dashboard")):
        page = reader.get(url).content.decode()
        row = page[page.index('<table class="events">') :]
        assert SEED_REF in row, url
        assert 'class="level level-denial"' in row, url
        assert '<bdi dir="ltr">0 – 36</bdi>' in row, url
        assert "Combatant: each side against all sides" in row, url
    assert SEED_REF in reader.get(reverse("event_list"), {"level": "denial"}).content.decode()


def test_the_event_page_explains_the_containment_in_a_sentence_and_a_chart(reader, seed_case):
    page = reader.get(reverse("event_detail", args=[SEED_REF])).content.decode()
    header = event_header(page)
    assert 'class="level level-denial"' in header and 'class="ratio"' not in header
    assert "set by Combatant: each side against all sides" in header
    assert SENTENCE in page
    item = ContainmentDiscrepancy.objects.get(event=seed_case)
    chart = page[page.index(f'<svg id="containment-{item.pk}-chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert "Parts: Russian Ministry of Defence" in chart and "≥ 36" in chart
    assert "Whole: Euphrates Monitor" in chart and 'class="gap"' in chart
    # The containment panel sits beside the group of its whole, and both lead the page.
    panels = [page.index(marker) for marker in (f'id="containment-{item.pk}"', "Combatant dead: <bdi>Islamic")]
    whole_group = page.index('Combatant dead: <span class="all-sides">all sides</span>')
    assert whole_group < panels[0] < panels[1]
    assert "so each counts the dead of every side" in page  # "all sides" explained


def test_the_event_page_in_arabic(reader, seed_case):
    reader.cookies["django_language"] = "ar"
    page = reader.get(reverse("event_detail", args=[SEED_REF])).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    # The nouns agree with their numbers: 36 takes "مقاتلًا", 0 the singular "مقاتل".
    assert "إنكار: 36 مقاتلًا من Islamic State بحسب Russian Ministry of Defence تتجاوز 0 مقاتل من كل الأطراف" in page
    assert "كل الأطراف" in page
    listed = reader.get(reverse("event_list")).content.decode()
    assert 'class="level level-denial"' in listed and "0 – 36" in listed


def test_every_download_and_the_api_carry_the_denial(reader, seed_case):
    expected = [{
        "outcome": "killed", "category": "combatant", "victim_side": None, "subgroup": None, "level": "denial",
        "ratio": None, "lo": 36, "hi": 0, "parts_party": "Russian Ministry of Defence",
        "whole_party": "Euphrates Monitor",
    }]  # fmt: skip
    [record] = reader.get(reverse("event_download", args=["json"])).json()
    assert (record["level"], record["ratio"], record["containment"]) == ("denial", None, expected)

    stdout = io.StringIO()
    call_command("export_discrepancies", stdout=stdout)
    [command_record] = json.loads(stdout.getvalue())
    assert (command_record["level"], command_record["containment"]) == ("denial", expected)

    [row] = csv.DictReader(io.StringIO(reader.get(reverse("event_download", args=["csv"])).content.decode("utf-8-sig")))
    assert (row["level"], row["ratio"], row["comparison"]) == ("denial", "", "containment: part of combatant")
    assert (row["comparison_lo"], row["comparison_hi"]) == ("36", "0")
    assert row["comparison_counts"] == (
        "Russian Ministry of Defence, part (combatant: Islamic State): about 40 (36 – 44); "
        "Euphrates Monitor, whole (combatant: all sides): 0"
    )
    assert row["containment_discrepancies"] == "1"

    sheet = load_workbook(io.BytesIO(reader.get(reverse("event_download", args=["xlsx"])).content)).active
    header, values = (list(row) for row in sheet.iter_rows(max_row=2, values_only=True))
    workbook_row = dict(zip(header, values, strict=True))
    assert (workbook_row["level"], workbook_row["comparison_lo"], workbook_row["comparison_hi"]) == ("denial", 36, 0)

    reader.force_login(make_reader("api-reader"))
    event = reader.get(f"/api/events/{SEED_REF}/").json()
    assert (event["level"], event["ratio"]) == ("denial", None)
    [containment] = event["containment"]
    assert (containment["level"], containment["lo"], containment["hi"], containment["sets_level"]) == (
        "denial", 36, 0, True,
    )  # fmt: skip
    assert containment["parts_party"]["name"] == "Russian Ministry of Defence"
    assert containment["whole_party"]["name"] == "Euphrates Monitor"
    assert reader.get("/api/events/", {"level": "denial"}).json()["count"] == 1


@pytest.fixture
def denial_and_minor():
    """A denial among civilians and a minor discrepancy among combatants: the event shows no ratio."""
    event = make_event(ref="SYR-DENIAL-MINOR")
    ministry, monitor = make_party(name="Ministry"), make_party(name="Monitor")
    make_claim(event, ministry, count=0, category="civilian")
    make_claim(event, monitor, count=9, category="civilian")
    make_claim(event, ministry, count=18, category="combatant")
    make_claim(event, monitor, count=20, category="combatant")
    event.refresh_from_db()
    return event


def test_a_denial_beside_a_minor_discrepancy_shows_no_ratio_anywhere(reader, denial_and_minor):
    assert (denial_and_minor.level, denial_and_minor.ratio) == ("denial", None)
    listed = reader.get(reverse("event_list")).content.decode()
    row = listed[listed.index('<table class="events">') :]
    assert "0 – 9" in row and "1.11×" not in row
    page = reader.get(reverse("event_detail", args=["SYR-DENIAL-MINOR"])).content.decode()
    header = event_header(page)
    assert 'class="ratio"' not in header and "set by Civilian" in header
    assert "18 – 20, 1.11×" in page  # the minor group keeps its own ratio, in its own panel
    [record] = reader.get(reverse("event_download", args=["json"])).json()
    assert (record["level"], record["ratio"], record["level_set_by"]["comparison"]) == ("denial", None, "civilian")
    [row] = csv.DictReader(io.StringIO(reader.get(reverse("event_download", args=["csv"])).content.decode("utf-8-sig")))
    assert (row["ratio"], row["comparison"], row["comparison_lo"], row["comparison_hi"]) == ("", "civilian", "9", "0")
    assert reader.get(f"/api/events/{denial_and_minor.ref}/").json()["ratio"] is None


def test_the_classification_dispute_names_the_parties_on_each_side(reader):
    event = make_event(ref="SYR-WHO-DIED")
    make_claim(event, make_party(name="Ministry"), count=40, category="combatant")
    make_claim(event, make_party(name="Monitor"), count=12, category="civilian")
    make_claim(event, make_party(name="Hospital"), count=9, category="civilian")
    page = reader.get(reverse("event_detail", args=["SYR-WHO-DIED"])).content.decode()
    assert "Classification dispute: Ministry count only combatants, Hospital and Monitor only civilians." in page


def test_a_claim_without_a_side_reads_all_sides_where_others_name_one(reader, seed_case):
    monitor = Claim.objects.get(wording="no fighters were killed")
    party_page = reader.get(reverse("party_detail", args=[monitor.party_id])).content.decode()
    assert 'Combatant (<span class="all-sides"' in party_page
    assert "so each counts the dead of every side" in party_page
    event_page = reader.get(reverse("event_detail", args=[SEED_REF])).content.decode()
    timeline = event_page[event_page.index("Timeline of every claim") :]
    assert 'Combatant (<span class="all-sides"' in timeline and "(<bdi>Islamic State</bdi>)" in timeline
    # Where no claim of the category names a side, a claim without one is just of its category.
    plain = make_event(ref="SYR-PLAIN")
    make_claim(plain, count=3, category="civilian")
    assert "all-sides" not in reader.get(reverse("event_detail", args=["SYR-PLAIN"])).content.decode()


@pytest.fixture
def secret_claim(seed_case):
    source = make_source(title="Nurse at Al-Furat hospital", url="https://secret.example/nurse", confidential=True)
    make_claim(seed_case, make_party(name="Local hospital"), count=9, source=source, notes="told by Samir")
    make_claim(make_event(ref="IRQ-OTHER", country="IQ"), count=4)
    return source


def test_the_claims_download_has_every_claim_of_the_filtered_events(reader, secret_claim):
    response = reader.get(reverse("event_claims_download", args=["csv"]), {"country": "SY"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["event_ref"] for row in rows} == {SEED_REF}
    assert len(rows) == 3
    hidden = next(row for row in rows if row["party"] == "Local hospital")
    assert (hidden["source_title"], hidden["source_url"], hidden["notes"]) == ("Confidential source", "", "")
    assert "Nurse" not in response.content.decode() and "Samir" not in response.content.decode()


def test_the_claims_download_shows_confidential_sources_to_those_who_may_see_them(client, secret_claim):
    client.force_login(make_confidant())
    content = client.get(reverse("event_claims_download", args=["csv"])).content.decode()
    assert "Nurse at Al-Furat hospital" in content and "told by Samir" in content


def test_the_claims_download_imports_back_unchanged(client, seed_case):
    client.force_login(make_confidant())
    first = client.get(reverse("event_claims_download", args=["csv"])).content
    Claim.objects.all().delete()
    assert file_import(file=io.BytesIO(first), name="claims.csv").ok
    assert client.get(reverse("event_claims_download", args=["csv"])).content == first
    assert Event.objects.get(ref=SEED_REF).level == "denial"


def test_the_list_links_to_the_claims_download_with_its_filters(reader, seed_case):
    page = reader.get(reverse("event_list"), {"level": "denial", "page": "1", "ordering": "-date"}).content.decode()
    assert f'href="{reverse("event_claims_download", args=["csv"])}?level=denial"' in page
    xlsx = reader.get(reverse("event_claims_download", args=["xlsx"]), {"level": "denial"})
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row == 3
    assert reader.get(reverse("event_claims_download", args=["json"])).status_code == 404
    assert reader.get(reverse("event_claims_download", args=["csv"]), {"min_ratio": "x"}).status_code == 400
