"""What readers see of assessments: the event page's section, the events to assess, the dashboard's headline
figures; in English and Arabic."""

from datetime import date

import pytest
from django.urls import reverse

from tests.accounts import make_confidant, make_reader, make_user
from tests.factories import make_claim, make_event, make_party, make_source
from tests.test_assessments import make_assessment
from tests.test_translations import arabic_get
from tracker.demo import SEED_EVENT, demo_load
from tracker.models import Event
from tracker.models.assessments import grade_suggestion, organisation, to_assess
from tracker.presentation import charts
from tracker.web.views.assess import ToAssessView

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed():
    """An event a monitor and a hospital report civilians killed on, which the organisation first graded weak,
    then fair with its figures, and another recorder graded contested."""
    perpetrator = make_party(name="Air Force", kind="state_military")
    monitor = make_party(name="Euphrates Monitor")
    hospital = make_party(name="City Hospital")
    event = make_event(ref="SYR-2017-09-X", title="Strike on the market", start_date=date(2017, 9, 1))
    event.alleged_perpetrators.add(perpetrator)
    make_claim(event, monitor, count=("range", 12, None, 15), category="civilian")
    make_claim(event, hospital, count=30, category="civilian")
    make_claim(event, perpetrator, count=0, category="combatant")
    make_assessment(event, grade="weak", assessed_on=date(2017, 9, 10), rationale="One report so far.")
    entered_by = make_user(username="analyst")
    make_assessment(
        event, grade="fair", assessed_on=date(2017, 10, 1), civilian_low=14, civilian_high=20, combatant_low=2,
        method="team_decision", rationale="Two independent reports and the strike is acknowledged.",
        entered_by=entered_by,
    )  # fmt: skip
    make_assessment(event, assessor=make_party(name="Airwars"), grade="contested", rationale="As published.")
    return event


def section(page: str) -> str:
    return page.split('id="assessment-heading"')[1].split("</section>")[0]


def test_the_event_page_shows_each_assessors_current_grade_figures_and_how_claims_stand(reader, assessed):
    shown = section(reader.get(reverse("event_detail", args=[assessed.ref])).content.decode())
    ours = shown.split("Our organisation")[1].split("</article>")[0]
    assert "fair" in ours and "two or more independent credible sources" in ours
    assert "Initially graded weak." in ours
    assert "14 – 20" in ours and "at least 2" in ours  # an open combatant figure
    # The monitor's 12 to 15 overlaps 14–20; the hospital's 30 lies above it; the Air Force's 0 combatants below 2.
    assert "Euphrates Monitor</bdi>: within" in ours
    assert "City Hospital</bdi>: above" in ours
    assert "Air Force</bdi>: below" in ours
    assert "a team decision" in ours and "Two independent reports" in ours
    assert "Entered by analyst" in ours and "2017-10-01" in ours
    airwars = shown.split("Airwars")[1].split("</article>")[0]
    assert "contested" in airwars and "Initially" not in airwars


def test_the_event_page_sets_the_suggested_grade_beside_and_says_when_the_organisations_differs(reader, assessed):
    # Two sources of civilian harm with one alleged perpetrator which claims none: the claims suggest fair.
    shown = section(reader.get(reverse("event_detail", args=[assessed.ref])).content.decode())
    assert "Suggested by the claims: <strong>fair</strong>" in shown
    assert "differs from the suggested one" not in shown
    make_assessment(assessed, grade="confirmed", assessed_on=date(2017, 11, 1), rationale="The Air Force admitted it.")
    shown = section(reader.get(reverse("event_detail", args=[assessed.ref])).content.decode())
    assert "The organisation's grade differs from the suggested one." in shown


def test_an_event_without_claims_or_assessments_has_no_assessment_section(reader):
    event = make_event()
    assert 'id="assessment-heading"' not in reader.get(reverse("event_detail", args=[event.ref])).content.decode()


def test_an_event_the_claims_grade_but_no_one_assessed_says_so(reader):
    event = make_event()
    make_claim(event, count=3, category="civilian")
    shown = section(reader.get(reverse("event_detail", args=[event.ref])).content.decode())
    assert "Suggested by the claims: <strong>weak</strong>" in shown
    assert "No one has assessed this event yet." in shown


def test_the_assessment_section_reads_in_arabic(client, assessed):
    client.force_login(make_reader("reader-ar"))
    shown = section(arabic_get(client, reverse("event_detail", args=[assessed.ref])).content.decode())
    assert "التقييم" in shown and "ما توحي به الادعاءات:" in shown
    assert "الدرجة الأولى: ضعيف." in shown and "مرجَّح" in shown
    assert "أعلى منه" in shown and "أدنى منه" in shown and "ضمنه" in shown
    assert "قرار الفريق" in shown and "أدخله analyst" in shown


# --- The events to assess -----------------------------------------------------------------------------------


def listed(page: str) -> list[str]:
    return [part.split("</bdi>")[0] for part in page.split('class="event-ref"><bdi>')[1:]]


def test_to_assess_lists_disagreement_and_civilian_harm_without_a_settled_assessment_most_severe_first(reader):
    denial = make_event(ref="A-DENIAL")
    make_claim(denial, count=0)
    make_claim(denial, count=9)
    harm = make_event(ref="B-HARM")
    make_claim(harm, count=("at_least", 1, None, None), category="civilian")
    agreed = make_event(ref="C-AGREED")
    make_claim(agreed, count=5, category="combatant")
    settled = make_event(ref="D-SETTLED")
    make_claim(settled, count=4, category="civilian")
    make_assessment(settled, grade="weak")
    pending = make_event(ref="E-PENDING")
    make_claim(pending, count=4, category="civilian")
    make_assessment(pending, grade="weak", method="pending")
    by_others = make_event(ref="F-OTHERS")
    make_claim(by_others, count=4, category="civilian")
    make_assessment(by_others, assessor=make_party(name="Airwars"), grade="weak")
    revised = make_event(ref="G-REVISED")  # settled first, pending now: its current assessment is pending
    make_claim(revised, count=4, category="civilian")
    make_assessment(revised, grade="weak", assessed_on=date(2020, 1, 1))
    make_assessment(revised, grade="weak", method="pending", assessed_on=date(2020, 2, 1))
    page = reader.get(reverse("to_assess")).content.decode()
    refs = listed(page)
    assert refs[0] == "A-DENIAL"
    assert sorted(refs) == ["A-DENIAL", "B-HARM", "E-PENDING", "F-OTHERS", "G-REVISED"]
    assert "5 events to assess" in page


def test_to_assess_says_when_nothing_waits(reader):
    make_claim(make_event(), count=5, category="combatant")
    page = reader.get(reverse("to_assess")).content.decode()
    assert "Nothing to assess" in page and listed(page) == []


def test_to_assess_pages_like_the_event_list(reader, monkeypatch):
    for number in range(3):
        make_claim(make_event(ref=f"E-{number}"), count=2, category="civilian")
    monkeypatch.setattr(ToAssessView, "paginate_by", 2)
    first = reader.get(reverse("to_assess")).content.decode()
    second = reader.get(reverse("to_assess") + "?page=2").content.decode()
    assert len(listed(first)) == 2 and len(listed(second)) == 1
    assert "Page 1 of 2" in first


def test_to_assess_in_arabic(client):
    make_claim(make_event(), count=2, category="civilian")
    client.force_login(make_reader("reader-ar"))
    page = arabic_get(client, reverse("to_assess")).content.decode()
    assert "حدث واحد للتقييم" in page


@pytest.mark.parametrize(
    "count",
    [
        ("exact", None, 1, None), ("exact", None, 0, None), ("approximate", None, 1, None),
        ("approximate", None, 2, None), ("at_least", 1, None, None), ("at_least", 0, None, None),
        ("at_most", None, None, 9), ("range", 0, None, 4), ("range", 1, None, 4),
    ],
)  # fmt: skip
def test_an_event_reporting_civilians_killed_waits_as_the_claims_interval_says(count):
    claim = make_claim(count=count, category="civilian")
    claim.refresh_from_db()
    assert to_assess(Event.objects.all()).exists() == (claim.interval.lo >= 1)


def test_harm_counts_only_current_whole_civilian_claims_of_the_killed():
    event = make_event()
    make_claim(event, count=3, category="combatant")
    make_claim(event, count=3, category="civilian", outcome="injured")
    assert not to_assess(Event.objects.all()).exists()
    make_claim(event, count=3, category="civilian", source=make_source())
    assert to_assess(Event.objects.all()).exists()


# --- The dashboard --------------------------------------------------------------------------------------


def test_the_dashboard_counts_the_events_to_assess_and_the_headline_figures(reader, assessed):
    confirmed = make_event()
    make_assessment(confirmed, grade="confirmed", civilian_low=3, civilian_high=None, rationale="Admitted.")
    weak = make_event()
    make_assessment(weak, grade="weak", civilian_low=100, civilian_high=200)
    make_claim(make_event(), count=2, category="civilian")  # waits to be assessed
    page = reader.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("to_assess")}">1 event to assess' in page
    # Fair 14–20 and confirmed at least 3: the weak event's figures stay out of the headline.
    assert "Headline figures: 17 – 20 civilians killed" in page
    assert "whose high is open: 1" in page
    grades = page.split('class="grade-counts"')[1].split("</ul>")[0]
    counts = {
        label: total
        for total, label in (
            item.split('class="grade-count">')[1].split("</span> ") for item in grades.split("</li>")[:-1]
        )
    }
    assert counts == {"confirmed": "1", "fair": "1", "weak": "1", "contested": "0", "discounted": "0"}


def test_the_dashboard_figures_in_arabic(client, assessed):
    client.force_login(make_reader("reader-ar"))
    page = arabic_get(client, reverse("dashboard")).content.decode()
    assert "الأرقام الرئيسية: 14 – 20" in page and "تقييمات المنظمة" in page


def test_the_organisation_is_named_by_its_setting_on_the_page(reader, assessed):
    assert organisation().name in section(reader.get(reverse("event_detail", args=[assessed.ref])).content.decode())


# --- The charts ------------------------------------------------------------------------------------------


def test_an_assessed_bar_is_drawn_hatched_and_marked_apart_from_the_claims():
    drawn = charts.interval_chart(
        [
            charts.IntervalBar("Monitor", 12, 15, "12 – 15"),
            charts.IntervalBar("Ours (assessment)", 14, None, "at least 14", assessed=True),
        ],
        chart_id="c",
        lo_max=None,
        hi_min=None,
        title="t",
        description="d",
    )
    assert '<pattern id="c-hatch"' in drawn
    assessed = drawn.split('<g class="row  assessment">')[1].split("</g>")[0]
    assert 'class="assessed" fill="url(#c-hatch)"' in assessed and "Ours (assessment)" in assessed
    claimed = drawn.split('<g class="row ">')[1].split("</g>")[0]
    assert 'class="bar" x=' in claimed and "hatch" not in claimed


def test_a_chart_without_assessed_figures_has_no_hatch():
    drawn = charts.interval_chart(
        [charts.IntervalBar("Monitor", 12, 15, "12 – 15")], chart_id="c", lo_max=None, hi_min=None, title="t",
        description="d",
    )  # fmt: skip
    assert "pattern" not in drawn


def test_the_event_page_draws_each_assessors_figures_in_the_chart_of_their_category(reader, assessed):
    make_claim(assessed, count=3, category="civilian", outcome="injured")
    page = reader.get(reverse("event_detail", args=[assessed.ref])).content.decode()
    charts_drawn = [chart.split("</svg>")[0] for chart in page.split("<svg")[1:]]
    civilian = next(chart for chart in charts_drawn if "City Hospital" in chart and "Euphrates" in chart)
    assert "Our organisation (assessment)" in civilian and "14 – 20" in civilian
    assert "Airwars (assessment)" not in civilian  # Airwars gave a grade, no figures
    combatant = next(chart for chart in charts_drawn if "Air Force" in chart)
    assert "Our organisation (assessment)" in combatant and "at least 2" in combatant
    injured = [chart for chart in charts_drawn if ">injured</text>" in chart]
    assert len(injured) == 1 and "assessment" not in injured[0]


# --- The demo --------------------------------------------------------------------------------------------


def test_the_demos_seed_event_carries_the_organisations_illustrative_assessment(reader):
    demo_load()
    seed = Event.objects.get(ref=SEED_EVENT["event_ref"])
    assessment = seed.assessments.get()
    assert (assessment.assessor, assessment.grade) == (organisation(), grade_suggestion(seed.pk))
    assert assessment.grade == "weak" and "Illustrative" in assessment.rationale
    shown = section(reader.get(reverse("event_detail", args=[seed.ref])).content.decode())
    assert "9 – 15" in shown and "Euphrates Casualty Monitor (illustrative)</bdi>: within" in shown
    demo_load()  # loading again adds nothing
    assert seed.assessments.count() == 1


# --- Sources by independent origin ------------------------------------------------------------------------


def origins_of(page: str) -> str:
    return page.split('id="origins-heading"')[1].split("</section>")[0]


@pytest.fixture
def relayed():
    """An event whose ministry statement TASS relays, a newspaper relays TASS, and a monitor reports apart; a
    confidential informant relays the monitor."""
    event = make_event()
    statement = make_source(title="Ministry statement")
    tass = make_source(title="TASS report", relays=statement)
    paper = make_source(title="Daily paper", relays=tass)
    monitor = make_source(title="Monitor report")
    informant = make_source(title="Informant in the village", confidential=True, relays=monitor)
    make_claim(event, make_party(name="Ministry"), count=0, category="civilian", source=paper)
    make_claim(event, make_party(name="Monitor"), count=7, category="civilian", source=monitor)
    make_claim(event, make_party(name="Council"), count=7, category="civilian", source=informant)
    return event


def test_the_sources_are_grouped_by_their_independent_origin(reader, relayed):
    shown = origins_of(reader.get(reverse("event_detail", args=[relayed.ref])).content.decode())
    assert "2 independent origins:" in shown
    # The statement is cited by no claim of the event, yet it is where the paper's report comes from.
    assert "Ministry statement</span>; relayed by Daily paper, TASS report" in shown
    assert "Monitor report</span>; relayed by a confidential source" in shown
    assert "Informant" not in shown


def test_a_confidential_origin_is_named_to_those_who_may_see_it(client, relayed):
    client.force_login(make_confidant())
    shown = origins_of(client.get(reverse("event_detail", args=[relayed.ref])).content.decode())
    assert "relayed by Informant in the village" in shown


def test_a_hidden_origin_is_never_named(reader):
    event = make_event()
    secret = make_source(title="Secret cable", confidential=True)
    make_claim(event, count=3, source=make_source(title="Open relay", relays=secret))
    shown = origins_of(reader.get(reverse("event_detail", args=[event.ref])).content.decode())
    assert "a confidential source</span>; relayed by Open relay" in shown and "Secret cable" not in shown


def test_the_origins_in_arabic(client, relayed):
    client.force_login(make_reader("reader-ar"))
    shown = origins_of(arabic_get(client, reverse("event_detail", args=[relayed.ref])).content.decode())
    assert "أصلان مستقلان:" in shown and "ينقل عنه مصدر سري" in shown
