"""The real pages in headless Chromium: sign in, filter, open an event, switch to Arabic, confidentiality.

Needs Debian's `chromium` and the `playwright` package. Without them these tests are skipped
with the reason, except under CI (the CI variable set), where a missing browser is a failure.
Set TRACKER_SCREENSHOTS=1 to also save the docs' screenshots into docs/screenshots/.
"""

import os
import re
from datetime import date
from pathlib import Path

import pytest

from tests.accounts import PASSWORD, make_confidant, make_reader, make_user
from tests.factories import make_claim, make_event, make_fate_claim, make_party, make_person, make_source
from tests.test_linking import ged_and_airwars
from tracker import roles
from tracker.demo import SEED_SOURCE_TITLE, demo_load
from tracker.models import Event, LanguagePreference, Source, Subgroup

# Playwright's sync API runs an event loop in this thread; Django would refuse its ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM to its path)"
    return None


@pytest.fixture(scope="session")
def browser():
    missing = browser_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"The browser tests must run in CI, but {missing}.")
        pytest.skip(f"Browser tests skipped: {missing}.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """Open a fresh browser page (its own cookies) with the given options."""
    contexts = []

    def open_page(**options):
        options.setdefault("viewport", {"width": 1000, "height": 800})
        context = browser.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def demo():
    demo_load()
    # A major discrepancy outside Syria, so that filtering by country has something to drop.
    elsewhere = make_event(ref="IRQ-2016-10-MOS-01", title="Shelling in Mosul", country="IQ")
    make_claim(elsewhere, count=50)
    make_claim(elsewhere, count=5)


def sign_in(page, user):
    page.goto("/events/")
    assert "/accounts/login/" in page.url  # anonymous visitors are sent to the login page
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()


def test_filter_the_list_open_an_event_and_see_its_chart_and_claims(open_page, demo):
    # JavaScript off: every step works with plain links and forms.
    page = open_page(java_script_enabled=False)
    sign_in(page, make_reader())
    page.goto("/events/")
    assert page.locator("table.events tbody tr").count() == 9

    levels = page.get_by_role("group", name="Level", exact=True)  # the injured level has its own
    levels.get_by_label("major").check()
    page.get_by_label("Country").select_option("SY")
    page.get_by_role("button", name="Apply filters").click()
    assert "level=major" in page.url and "country=SY" in page.url
    refs = page.locator("table.events .event-ref").all_inner_texts()
    assert sorted(refs) == ["DEMO-2019-01-CLS-01", "SYR-2017-09-DEZ-01"]
    assert levels.get_by_label("major").is_checked()  # the form keeps what was chosen

    page.get_by_role("link", name="SYR-2017-09-DEZ-01", exact=True).click()
    assert page.url.endswith("/events/SYR-2017-09-DEZ-01/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("SYR-2017-09-DEZ-01")
    # The Islamic State's dead, which the ministry counts; the news agency's "dozens" of any side are a group apart.
    combatants = (
        page.locator("section.group").filter(has_text="Combatant dead").filter(has_text="Russian Ministry of Defence")
    )
    chart = combatants.get_by_role("img", name="Each party's count as an interval")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 500
    assert combatants.locator("rect.gap").count() == 1
    claims = combatants.locator("table.claims tbody tr")
    assert claims.count() == 3  # the ministry's, its commanders among them, and the group's own
    assert "around 40 militants" in claims.filter(has_text="Russian Ministry of Defence").inner_text()
    assert claims.filter(has_text="of whom").filter(has_text="commanders").count() == 1
    assert page.locator("ol.timeline li").count() == 7


def test_a_containment_discrepancy_beside_its_groups_in_words_and_a_chart(open_page, demo):
    page = open_page()
    sign_in(page, make_reader())
    page.goto("/events/")
    row = page.locator("table.events tbody tr").filter(has_text="DEMO-2019-03-GRN-01")
    assert "0 – 22" in row.inner_text() and "each side against all sides" in row.inner_text()
    row.get_by_role("link", name="DEMO-2019-03-GRN-01").click()
    header = page.locator("header.event-header")
    assert "denial" in header.inner_text() and "set by Combatant: each side against all sides" in header.inner_text()
    header.get_by_role("link", name="set by Combatant: each side against all sides").click()
    containment = page.locator("section.containment").first
    assert containment.is_visible()
    assert "Russian Ministry of Defence's 22 Islamic State combatants exceed" in containment.inner_text()
    chart = containment.get_by_role("img", name="The sum of one party's parts against another party's whole")
    assert chart.is_visible() and chart.bounding_box()["width"] > 500
    assert containment.locator("rect.gap").count() == 1
    assert containment.locator("table.claims tbody tr").count() == 2
    # The section of the whole comes just before, titled "all sides", with what that means.
    whole = page.locator("section.group").first
    assert "all sides" in whole.get_by_role("heading").inner_text()
    assert whole.locator(".all-sides-note").is_visible()
    if os.environ.get("TRACKER_SCREENSHOTS"):
        containment.screenshot(path=SCREENSHOTS / "containment.png")


def test_switch_to_arabic_right_to_left_with_arabic_names(open_page, demo):
    monitor = make_party(name="المرصد السوري لحقوق الإنسان")
    event = make_event(ref="SYR-2018-AR-01", title="قصف على سوق المدينة", country="SY")
    make_claim(event, monitor, count=12, wording="١٢ مدنياً")
    page = open_page()
    sign_in(page, make_reader())
    page.goto(f"/events/{event.ref}/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("table.claims").get_by_role("link", name="المرصد السوري لحقوق الإنسان").is_visible()

    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Switch").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.url.endswith(f"/events/{event.ref}/")  # back on the same page
    assert "قصف على سوق المدينة" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("table.claims").get_by_role("link", name="المرصد السوري لحقوق الإنسان").is_visible()
    # Right to left: the main navigation starts at the right edge.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > 500

    page.goto("/events/")  # the choice is remembered on the next page
    assert page.get_by_role("heading", level=1).inner_text() == "الأحداث"
    assert page.locator("table.events").get_by_text("كبير").first.is_visible()  # "major"


def test_confidential_source_is_hidden_without_the_permission(open_page, demo):
    Source.objects.filter(title=SEED_SOURCE_TITLE).update(confidential=True)

    page = open_page()
    sign_in(page, make_reader())
    page.goto("/events/SYR-2017-09-DEZ-01/")
    ministry = page.locator("table.claims tbody tr").filter(has_text="Russian Ministry of Defence")
    assert "Confidential source" in ministry.inner_text()
    assert "command center destroyed" not in page.content()
    assert "TASS" not in page.content()

    page = open_page()
    sign_in(page, make_confidant())
    page.goto("/events/SYR-2017-09-DEZ-01/")
    ministry = page.locator("table.claims tbody tr").filter(has_text="Russian Ministry of Defence")
    assert "command center destroyed" in ministry.inner_text()


def test_keyboard_reaches_the_content_and_the_filters(open_page, demo):
    page = open_page()
    sign_in(page, make_reader())
    page.goto("/events/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("Deir")
    assert page.evaluate("document.activeElement.name") == "q"  # the search field comes first
    page.keyboard.press("Enter")
    page.wait_for_url("**/events/?q=Deir*")
    assert page.locator("table.events .event-ref").all_inner_texts() == ["SYR-2017-09-DEZ-01"]


def test_list_fits_a_phone_screen(open_page, demo):
    page = open_page(viewport={"width": 390, "height": 800})
    sign_in(page, make_reader())
    page.goto("/events/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_role("link", name="SYR-2017-09-DEZ-01", exact=True).is_visible()
    page.goto("/parties/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_label("Search").is_visible()


@pytest.mark.skipif(not os.environ.get("TRACKER_SCREENSHOTS"), reason="set TRACKER_SCREENSHOTS=1 to save them")
def test_save_docs_screenshots(open_page, editor):
    """Save the docs' pictures of the event list, an event page and its claims in the admin, from the demo data."""
    demo_load()
    page = open_page(viewport={"width": 1000, "height": 900})
    sign_in(page, make_reader())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/events/")
    page.screenshot(path=SCREENSHOTS / "event-list.png")
    page.locator("#events-map").screenshot(path=SCREENSHOTS / "event-map.png")
    page.goto("/events/SYR-2017-09-DEZ-01/")
    page.locator("section.group").last.scroll_into_view_if_needed()
    page.screenshot(
        path=SCREENSHOTS / "event-page.png", clip={"x": 0, "y": 0, "width": 1000, "height": 1100}, full_page=True
    )
    page = open_page(viewport={"width": 1280, "height": 900})  # a laptop: every field of a card on screen
    admin_sign_in(page, editor)
    page.goto(f"/admin/tracker/event/{Event.objects.get(ref='SYR-2017-09-DEZ-01').pk}/change/")
    claims = page.locator("#claims-group").bounding_box()
    page.screenshot(
        path=SCREENSHOTS / "claims-inline.png",
        clip={"x": claims["x"], "y": claims["y"], "width": claims["width"], "height": 620},
        full_page=True,
    )
    # The same event in Arabic, right to left, its spreads and ratios still read left to right.
    arabic = make_reader(username="arabic-reader")
    LanguagePreference.objects.create(user=arabic, language="ar")
    page = open_page(viewport={"width": 1000, "height": 900})
    sign_in(page, arabic)
    page.goto("/events/SYR-2017-09-DEZ-01/")
    page.screenshot(
        path=SCREENSHOTS / "event-page-ar.png", clip={"x": 0, "y": 0, "width": 1000, "height": 1000}, full_page=True
    )
    for name in ("event-list.png", "event-map.png", "event-page.png", "claims-inline.png", "event-page-ar.png"):
        assert (SCREENSHOTS / name).stat().st_size < 200_000


def test_admin_shows_how_a_typed_wording_will_be_read(open_page, admin_user):
    page = open_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill("password")  # pytest-django's admin_user
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/tracker/claim/add/")
    wording = page.get_by_label("Wording")
    reading = page.locator(".wording-reading")

    wording.fill("around 40 militants")
    reading.filter(has_text="Read as about 40, compared as \u2066[36, 44]\u2069.").wait_for()
    wording.fill("many fighters")
    reading.filter(has_text="No count can be read").wait_for()
    page.get_by_label("Qualifier").select_option("exact")
    wording.fill("around 50")
    reading.filter(has_text="The qualifier and numbers chosen are kept").wait_for()


# The claims inline, column by column: (the control's name in the first claim's form, its label).
CLAIM_COLUMNS = [
    ("party", "Claimant"), ("outcome", "Outcome"), ("category", "Victim category"), ("victim_side", "Victim side"),
    ("subgroup", "Of whom"), ("wording", "Wording"), ("qualifier", "Qualifier"), ("low", "Low"), ("best", "Best"),
    ("high", "High"),
    ("reading", "Read as"), ("claimed_on", "Claim date"), ("source", "Source"), ("retracted", "Retracted"),
    ("DELETE", "Delete"),
]  # fmt: skip
ARABIC_CLAIM_LABELS = {
    "party": "المدّعي", "outcome": "الحصيلة", "category": "فئة الضحايا", "victim_side": "جهة الضحايا",
    "subgroup": "من بينهم", "wording": "الصياغة",
    "qualifier": "الوصف", "low": "الأدنى", "best": "الأرجح", "high": "الأعلى", "reading": "قُرئ على أنه",
    "claimed_on": "تاريخ الادعاء", "source": "مصدر", "retracted": "مسحوب", "DELETE": "احذف",
}  # fmt: skip


def admin_sign_in(page, user):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url("**/admin/")


# The elements that stick out of the viewport, named for a failure's message.
OVERFLOWING = """[...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1 || e.getBoundingClientRect().left < -1)
  .slice(0, 5).map(e => `${e.tagName}#${e.id}.${e.className}`)"""


def within_viewport(page, box) -> bool:
    width = page.viewport_size["width"]
    return box is not None and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}], ids=["1280", "phone"]
)
def test_every_column_of_the_claims_inline_is_reachable_with_its_label(open_page, editor, language, viewport):
    LanguagePreference.objects.create(user=editor, language=language)
    event = make_event(ref="SYR-2017-09-DEZ-01", title="Strike near Deir ez-Zor")
    make_claim(event, make_party(name="Russian Ministry of Defence"), count=("approximate", None, 40, None),
               category="combatant", wording="around 40 militants")  # fmt: skip
    make_claim(event, count=7, category="combatant")
    page = open_page(viewport=viewport)
    admin_sign_in(page, editor)
    page.goto(f"/admin/tracker/event/{event.pk}/change/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    # Nothing runs off the side: every column is reached by scrolling down only.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.evaluate(OVERFLOWING)

    for form in ("claims-0", "claims-2"):  # a claim entered before, and the blank form for a new one
        card = page.locator(f"#{form}")
        for name, english in CLAIM_COLUMNS:
            if form == "claims-2" and name == "DELETE":
                continue  # a claim not yet saved has nothing to delete
            label = ARABIC_CLAIM_LABELS[name] if language == "ar" else english
            cell = card.locator(f".field-{name}")
            cell.scroll_into_view_if_needed()
            shown = cell.locator("label").filter(has_text=label)
            assert shown.is_visible(), (form, name, label)
            assert within_viewport(page, shown.bounding_box()), (form, name, "label", shown.bounding_box())
            control = cell.locator(
                ".select2-container, input:not([type=hidden]), select:not(.select2-hidden-accessible), .readonly"
            ).first
            assert control.is_visible(), (form, name)
            assert within_viewport(page, control.bounding_box()), (form, name, "control", control.bounding_box())
    # Each control is named by its own label, for screen readers too.
    card = page.locator("#claims-0")
    for name, english in CLAIM_COLUMNS:
        if name != "reading":
            label = ARABIC_CLAIM_LABELS[name] if language == "ar" else english
            assert card.get_by_label(re.compile(rf"^{label}:?$")).count() == 1, (name, label)


FATE_CLAIM_COLUMNS = [
    "party", "fate", "hedge", "status", "fate_date", "fate_date_precision", "claimed_on", "claimed_on_precision",
    "source", "wording", "retracted",
]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}], ids=["1280", "phone"]
)
def test_every_column_of_the_fate_claims_inlines_is_reachable_with_its_label(open_page, editor, language, viewport):
    """Fate claims are entered on the person and on the event as claims are: every column labelled, in view."""
    LanguagePreference.objects.create(user=editor, language=language)
    event = make_event(ref="IRQ-2017-04-MOS-01", title="Strike in Mosul")
    person = make_person(name="Gulmurod Khalimov")
    make_fate_claim(person, make_party(name="Iraqi source"), "killed", event=event, claimed_on=date(2017, 4, 20))
    page = open_page(viewport=viewport)
    admin_sign_in(page, editor)
    for address, card, linked in [
        (f"/admin/tracker/person/{person.pk}/change/", "fate_claims-0", "event"),
        (f"/admin/tracker/person/{person.pk}/change/", "fate_claims-1", "event"),  # the blank card
        (f"/admin/tracker/event/{event.pk}/change/", "fate_claims-0", "person"),
    ]:
        page.goto(address)
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.evaluate(OVERFLOWING)
        for name in [linked, *FATE_CLAIM_COLUMNS]:
            cell = page.locator(f"#{card} .field-{name}")
            cell.scroll_into_view_if_needed()
            label = cell.locator("label").first
            assert label.is_visible() and label.inner_text().strip(), (address, card, name)
            assert within_viewport(page, label.bounding_box()), (address, card, name, "label", label.bounding_box())
            control = cell.locator(
                ".select2-container, input:not([type=hidden]), select:not(.select2-hidden-accessible), textarea"
            ).first
            assert control.is_visible(), (address, card, name)
            assert within_viewport(page, control.bounding_box()), (address, card, name, "control")


def choose_in_autocomplete(page, field, text):
    """Pick an option in one of the admin's autocomplete boxes by typing part of its name."""
    field.locator(".select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill(text)
    page.locator(".select2-results__option--highlighted", has_text=text).wait_for()
    page.keyboard.press("Enter")


def test_a_claim_is_entered_on_a_phone_in_arabic(open_page, editor):
    LanguagePreference.objects.create(user=editor, language="ar")
    event = make_event(ref="SYR-2018-01-RAQ-01")
    make_claim(event, make_party(name="Raqqa Monitor"), count=12)
    make_party(name="Field Hospital")
    make_source(title="Hospital register")
    page = open_page(viewport={"width": 390, "height": 844})
    admin_sign_in(page, editor)
    page.goto(f"/admin/tracker/event/{event.pk}/change/")
    card = page.locator("#claims-1")  # the blank card below the claim already entered
    choose_in_autocomplete(page, card.locator(".field-party"), "Field Hospital")
    card.locator(".field-category select").select_option("civilian")
    card.locator(".field-wording input").fill("نحو 20")
    card.locator(".field-claimed_on input").fill("2018-01-06")
    choose_in_autocomplete(page, card.locator(".field-source"), "Hospital register")
    page.locator("#claims-group .add-row a").click()  # another blank card, laid out like the others
    assert within_viewport(page, page.locator("#claims-2 .field-party label").bounding_box())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("[name=_continue]").click()
    page.wait_for_url(f"**/admin/tracker/event/{event.pk}/change/")
    claim = event.claims.get(party__name="Field Hospital")
    assert (claim.category, claim.qualifier, claim.best, claim.entered_by) == ("civilian", "approximate", 20, editor)


def test_the_commanders_among_the_dead_are_a_part_of_the_ministrys_toll_not_a_new_toll(open_page, editor):
    """The trial that found the gap: the seed's "four field commanders", entered as a second claim of the
    ministry, once superseded its "about 40" and turned the event into "single, 4"."""
    event = make_event(ref="SYR-2017-09-DEZ-01", title="Strike near Deir ez-Zor", start_date=date(2017, 9, 1))
    ministry, group = make_party(name="Russian Ministry of Defence"), make_party(name="Islamic State")
    statement = make_source(title="TASS: about 40 militants killed near Deir ez-Zor")
    about_40 = make_claim(
        event, ministry, count=("approximate", None, 40, None), category="combatant", victim_side=group,
        wording="around 40 militants", claimed_on=date(2017, 9, 8), source=statement,
    )  # fmt: skip
    make_claim(event, make_party(name="Valley Monitor"), count=0, category="combatant", wording="no fighters")
    assert Event.objects.get(pk=event.pk).level == "denial"

    page = open_page(viewport={"width": 1280, "height": 900})
    admin_sign_in(page, editor)
    page.goto(f"/admin/tracker/event/{event.pk}/change/")
    card = page.locator("#claims-2")  # the blank card below the two claims
    choose_in_autocomplete(page, card.locator(".field-party"), "Russian Ministry of Defence")
    card.locator(".field-category select").select_option("combatant")
    choose_in_autocomplete(page, card.locator(".field-victim_side"), "Islamic State")
    card.locator(".field-subgroup select").select_option(label="commanders")
    card.locator(".field-wording input").fill("four field commanders")
    card.locator(".field-claimed_on input").fill("2017-09-08")
    choose_in_autocomplete(page, card.locator(".field-source"), "TASS")
    page.locator("[name=_continue]").click()
    page.wait_for_url(f"**/admin/tracker/event/{event.pk}/change/")
    assert page.locator(".errornote").count() == 0

    commanders = event.claims.get(subgroup__code="commanders")
    assert (commanders.party, commanders.qualifier, commanders.best) == (ministry, "exact", 4)
    about_40.refresh_from_db()
    assert about_40.is_current and commanders.is_current  # the part stands beside the whole, not for it
    assert Event.objects.get(pk=event.pk).level == "denial"  # the ministry's 36 and more against "no fighters"

    page.goto(f"/events/{event.ref}/")
    assert "of whom" in page.locator("main").inner_text()


def test_an_events_history_fits_a_phone_in_arabic(open_page, editor, demo):
    LanguagePreference.objects.create(user=editor, language="ar")
    event = Event.objects.get(ref="SYR-2017-09-DEZ-01")
    page = open_page(viewport={"width": 390, "height": 844})
    admin_sign_in(page, editor)
    page.goto(f"/admin/tracker/event/{event.pk}/history/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.evaluate(OVERFLOWING)
    assert page.locator("#change-history tr.history-claim").count() == event.claims.count()


def test_no_page_breaks_the_content_security_policy(open_page, demo, django_user_model):
    """Every page works with only the tracker's own scripts and styles allowed, the admin and API docs too."""
    django_user_model.objects.create_superuser("chief", password=PASSWORD)
    page = open_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and refused.append((page.url, message.text[:60], message.location))
        ),
    )
    sign_in(page, django_user_model.objects.get(username="chief"))
    event = Source.objects.get(title=SEED_SOURCE_TITLE).claims.first().event
    for url in ("/", "/events/", f"/events/{event.ref}/", "/parties/", "/api/docs/", "/links/",
                f"/admin/tracker/event/{event.pk}/change/", f"/admin/tracker/event/{event.pk}/history/",
                "/admin/tracker/claim/add/"):  # fmt: skip
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        assert "default-src 'self'" in response.headers["content-security-policy"], url
        assert "geolocation=()" in response.headers["permissions-policy"], url
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)  # Swagger UI ran, from the app's own files
    page.goto(f"/admin/tracker/event/{event.pk}/change/")
    page.locator("input[name='claims-0-wording']").fill("around 40")
    page.wait_for_timeout(500)  # the wording preview asks the server as the user types
    assert refused == []


# Each violation of the Content Security Policy, as the page itself is told of it.
VIOLATIONS_RECORDED = """window.violations = [];
document.addEventListener("securitypolicyviolation",
  event => window.violations.push(`${event.violatedDirective} at line ${event.lineNumber}`));"""


def test_the_browsable_api_keeps_to_the_content_security_policy(open_page, demo):
    page = open_page()
    page.add_init_script(VIOLATIONS_RECORDED)
    sign_in(page, make_reader())
    event = Event.objects.order_by("ref").first()
    for url in ("/api/", "/api/events/", f"/api/events/{event.ref}/", "/api/claims/?category=civilian"):
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        policy = response.headers["content-security-policy"]
        assert "style-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert page.locator(".response-info").is_visible(), url  # the browsable page, styled by its own files
        assert page.evaluate("window.violations") == [], url


# The characters of `text`, found in the element's text, left to right as drawn on the screen.
DRAWN = """(element, text) => {
  const nodes = [], walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) nodes.push(walker.currentNode);
  const chars = nodes.flatMap(node => [...node.data].map((char, index) => ({node, index, char})))
    .filter(({char}) => !"\\u2066\\u2067\\u2068\\u2069".includes(char));  // isolates take no room
  const start = chars.map(({char}) => char).join("").indexOf(text);
  if (start < 0) return null;
  return chars.slice(start, start + text.length).map(({node, index, char}) => {
    const range = document.createRange();
    range.setStart(node, index);
    range.setEnd(node, index + 1);
    return [range.getBoundingClientRect().x, char];
  }).sort((a, b) => a[0] - b[0]).map(([x, char]) => char).join("");
}"""


def drawn(locator, text: str) -> str | None:
    """Return how `text`, found inside the element, reads on screen from left to right."""
    return locator.evaluate(DRAWN, text) if locator.count() else None


def test_spreads_and_ratios_read_left_to_right_on_arabic_pages(open_page, editor, demo):
    """A spread "7 – 36, 5.1×" is never drawn "×7 – 36, 5.1" on a right-to-left page, nor a ratio "5.1×" as "×5.1"."""
    LanguagePreference.objects.create(user=editor, language="ar")
    event = Event.objects.get(ref="SYR-2017-09-DEZ-01")
    page = open_page(viewport={"width": 1280, "height": 900})
    admin_sign_in(page, editor)
    for url in ("/events/", "/"):
        page.goto(url)
        assert page.locator("html").get_attribute("dir") == "rtl"
        row = page.locator("table.events tbody tr").filter(has_text=event.ref)
        assert drawn(row.locator("td.spread"), "7 – 36, 5.1×") == "7 – 36, 5.1×", url
        denial = page.locator("table.events tbody tr").filter(has_text="DEMO-2019-03-GRN-01")
        assert drawn(denial.locator("td.spread"), "0 – 22") == "0 – 22", url

    page.goto(f"/events/{event.ref}/")
    assert drawn(page.locator(".ratio").first, "5.1×") == "5.1×"
    combatants = page.locator("section.group").first
    sentence = combatants.locator("p.sentence")
    assert drawn(sentence.locator(".muted"), "7 – 36, 5.1×") == "7 – 36, 5.1×"
    assert drawn(sentence, "5.1×") == "5.1×"  # the ratio inside the Arabic sentence itself

    page.goto("/admin/tracker/event/")
    ratio = page.locator("tr").filter(has_text=event.ref).locator("td.field-ratio_shown")
    assert drawn(ratio, "5.1×") == "5.1×"
    page.goto(f"/admin/tracker/event/{event.pk}/change/")
    assert drawn(page.locator(".field-ratio_shown .readonly").first, "5.1×") == "5.1×"
    # The claims by date: the news agency's of September 2017 counts from its first day, before the ministry's.
    assert drawn(page.locator("#claims-1 .field-reading .readonly"), "[36, 44]") == "[36, 44]"
    make_claim(event, count=("range", 12, None, 15), category="total")  # entered as numbers, without wording
    page.goto("/admin/tracker/claim/?qualifier=range")
    reported = [drawn(cell, "12 – 15") for cell in page.locator("td.field-reported").all()]
    assert "12 – 15" in reported and "15 – 12" not in reported


def test_the_map_and_the_link_review_work_with_no_request_leaving_the_machine(open_page, live_server):
    """The offline map on the event list and on the link review: markers by level, each a link to its event."""
    _, airwars = ged_and_airwars()
    editor = make_user("linker")
    roles.role_assign(user=editor, roles=[roles.EDITOR])
    page = open_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, editor)

    page.goto("/events/")
    events_map = page.get_by_role("img", name="Where the events happened")
    assert events_map.is_visible() and events_map.bounding_box()["width"] > 500
    assert page.locator("#events-map path.land").count() == 1
    assert (
        page.locator("#events-map a.marker.level-denial").count()
        + page.locator("#events-map a.marker.level-single").count()
        == 2
    )
    page.locator("#events-map a.marker").last.click()  # drawn last, on top of the other
    assert re.search(r"/events/(GED-1|AW-CS1)/$", page.url)

    page.goto("/links/")
    pair = page.locator("section.link-pair")
    assert pair.count() == 1
    assert pair.get_by_role("img", name="Where the two events lie").is_visible()
    assert pair.locator("a.marker").count() == 2
    pair.get_by_role("button", name="Accept: one incident, merge them").click()
    assert "Merged AW-CS1 into GED-1." in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Undo the merge").click()
    assert "AW-CS1 is restored" in page.locator(".messages").inner_text()
    assert Event.objects.filter(pk=airwars.pk).exists()
    if os.environ.get("TRACKER_SCREENSHOTS"):
        page.goto("/links/")
        page.locator("section.link-pair").screenshot(path=SCREENSHOTS / "link-review.png")

    host = re.match(r"https?://([^/:]+)", live_server.url).group(1)
    assert host == "localhost" or host.startswith("127.")
    elsewhere = [url for url in requested if re.match(r"https?://([^/:]+)", url).group(1) != host]
    assert requested and elsewhere == []


def test_a_wording_that_holds_a_breakdown_adds_its_claims_as_new_cards(open_page, editor):
    # A transactional test starts without the subgroups the migration seeds.
    Subgroup.objects.get_or_create(code="children", defaults={"name": "children", "category": "civilian"})
    event = make_event(ref="SYR-2018-01-RAQ-02")
    make_party(name="Raqqa Monitor")
    make_source(title="Monitor report")
    page = open_page()
    admin_sign_in(page, editor)
    page.goto(f"/admin/tracker/event/{event.pk}/change/")
    card = page.locator("#claims-0")
    choose_in_autocomplete(page, card.locator(".field-party"), "Raqqa Monitor")
    card.locator(".field-category select").select_option("civilian")
    card.locator(".field-claimed_on input").fill("2018-01-06")
    choose_in_autocomplete(page, card.locator(".field-source"), "Monitor report")
    card.locator(".field-wording input").fill("12 civilians, including 4 children")
    offer = card.locator(".wording-breakdown")
    offer.filter(has_text="This wording also says: children 4 (civilian).").wait_for()
    offer.get_by_role("button", name="Add as claims").click()
    page.locator("[name=_continue]").click()
    page.wait_for_url(f"**/admin/tracker/event/{event.pk}/change/")
    claims = {(claim.subgroup and claim.subgroup.code, claim.best, claim.party.name) for claim in event.claims.all()}
    assert claims == {(None, 12, "Raqqa Monitor"), ("children", 4, "Raqqa Monitor")}
