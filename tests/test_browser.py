"""The real pages in headless Chromium: sign in, filter, open an event, switch to Arabic, confidentiality.

Needs Debian's `chromium` and the `playwright` package. Without them these tests are skipped
with the reason, except under CI (the CI variable set), where a missing browser is a failure.
Set TRACKER_SCREENSHOTS=1 to also save the README's screenshots into docs/screenshots/.
"""

import os
from pathlib import Path

import pytest

from tests.accounts import PASSWORD, make_confidant, make_reader
from tests.factories import make_claim, make_event, make_party
from tracker.demo import SEED_SOURCE_TITLE, demo_load
from tracker.models import Source

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
    assert page.locator("table.events tbody tr").count() == 8

    page.get_by_role("checkbox", name="major").check()
    page.get_by_label("Country").select_option("SY")
    page.get_by_role("button", name="Apply filters").click()
    assert "level=major" in page.url and "country=SY" in page.url
    refs = page.locator("table.events .event-ref").all_inner_texts()
    assert sorted(refs) == ["DEMO-2019-01-CLS-01", "SYR-2017-09-DEZ-01"]
    assert page.get_by_role("checkbox", name="major").is_checked()  # the form keeps what was chosen

    page.get_by_role("link", name="SYR-2017-09-DEZ-01").click()
    assert page.url.endswith("/events/SYR-2017-09-DEZ-01/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("SYR-2017-09-DEZ-01")
    combatants = page.locator("section.group").filter(has_text="Combatant dead")
    chart = combatants.get_by_role("img", name="Each party's count as an interval")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 500
    assert combatants.locator("rect.gap").count() == 1
    claims = combatants.locator("table.claims tbody tr")
    assert claims.count() == 2
    assert "around 40 militants" in claims.filter(has_text="Russian Ministry of Defence").inner_text()
    assert page.locator("ol.timeline li").count() == 4


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
    assert page.get_by_role("link", name="SYR-2017-09-DEZ-01").is_visible()


@pytest.mark.skipif(not os.environ.get("TRACKER_SCREENSHOTS"), reason="set TRACKER_SCREENSHOTS=1 to save them")
def test_save_readme_screenshots(open_page):
    """Save the README's pictures of the event list and an event page, from the demo data."""
    demo_load()
    page = open_page(viewport={"width": 1000, "height": 900})
    sign_in(page, make_reader())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/events/")
    page.screenshot(path=SCREENSHOTS / "event-list.png")
    page.goto("/events/SYR-2017-09-DEZ-01/")
    page.locator("section.group").last.scroll_into_view_if_needed()
    page.screenshot(
        path=SCREENSHOTS / "event-page.png", clip={"x": 0, "y": 0, "width": 1000, "height": 1100}, full_page=True
    )
    for name in ("event-list.png", "event-page.png"):
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
    reading.filter(has_text="Read as about 40, compared as [36, 44].").wait_for()
    wording.fill("dozens of fighters")
    reading.filter(has_text="No count can be read").wait_for()
    page.get_by_label("Qualifier").select_option("exact")
    wording.fill("around 50")
    reading.filter(has_text="The qualifier and numbers chosen are kept").wait_for()


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
    for url in ("/", "/events/", f"/events/{event.ref}/", "/parties/", "/api/docs/",
                f"/admin/tracker/event/{event.pk}/change/", "/admin/tracker/claim/add/"):  # fmt: skip
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
