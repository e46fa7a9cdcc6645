"""The read-only API: the pages' permissions, the web list's filters, confidential sources hidden, the schema kept."""

from datetime import date

import pytest
import schemathesis
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.accounts import make_user
from tests.factories import (
    make_claim,
    make_event,
    make_fate_claim,
    make_party,
    make_person,
    make_source,
    seeded_subgroup,
)
from tracker.models import Event, OtherName, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_reader(django_user_model):
    """A researcher who may read everything except confidential sources."""
    user = django_user_model.objects.create_user("reader", password="reader-password-1")
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_", content_type__app_label="tracker")
                              .exclude(codename="view_confidential_source"))  # fmt: skip
    return user


@pytest.fixture
def api(api_reader):
    client = APIClient()
    client.force_authenticate(api_reader)
    return client


@pytest.fixture
def events():
    """A denial in Syria with a confidential source, a single claim in Iraq, an event without claims."""
    ministry, monitor = make_party(name="Ministry", kind="state_military"), make_party(name="Monitor")
    denial = make_event(ref="SYR-2018-07-DEN-01", title="Bakery queue strike", start_date=date(2018, 7, 21))
    make_claim(denial, ministry, count=0, source=make_source(title="Ministry statement"))
    make_claim(denial, monitor, count=8, notes="told by Abu Khalid",
               source=make_source(title="Informant in Al-Bukamal", publisher="Network", confidential=True))  # fmt: skip
    single = make_event(ref="IRQ-2018-03-MOS-01.2", title="Mosul shelling", country="IQ", start_date=date(2018, 3, 1))
    make_claim(single, monitor, count=("approximate", None, 30, None), category="total")
    make_event(ref="SYR-2019-01-NONE", title="No claims yet", start_date=date(2019, 1, 1))
    return denial, single


@pytest.mark.parametrize("path", ["/api/events/", "/api/claims/", "/api/parties/", "/api/sources/", "/api/schema/"])
def test_anonymous_users_are_told_to_authenticate(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.parametrize("path", ["/api/events/", "/api/claims/", "/api/parties/", "/api/sources/"])
def test_signed_in_without_view_permission_is_forbidden(django_user_model, path):
    client = APIClient()
    client.force_authenticate(django_user_model.objects.create_user("visitor"))
    assert client.get(path).status_code == 403


def test_token_authentication(api_reader, events):
    token = Token.objects.create(user=api_reader)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/events/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/events/").status_code == 401


def test_session_authentication(client, api_reader, events):
    client.force_login(api_reader)
    assert client.get("/api/events/", HTTP_ACCEPT="application/json").json()["count"] == 3


def test_events_most_severe_first_with_stored_summaries_and_groups(api, events):
    body = api.get("/api/events/").json()

    assert body["count"] == 3 and body["next"] is None
    first = body["results"][0]
    assert (first["ref"], first["level"], first["party_count"], first["claim_count"]) == (
        "SYR-2018-07-DEN-01",
        "denial",
        2,
        2,
    )
    assert first["groups"] == [{
        "outcome": "killed", "category": "civilian", "victim_side": None, "subgroup": None, "level": "denial",
        "ratio": None, "lo_max": 8, "hi_min": 0, "party_count": 2, "claim_count": 2, "sets_level": True,
    }]  # fmt: skip
    assert (first["containment"], first["inconsistencies"], first["injured_level"]) == ([], [], None)
    assert "claims" not in first


@pytest.mark.parametrize(
    ("query", "refs"),
    [
        ("level=denial", ["SYR-2018-07-DEN-01"]),
        ("level=denial&level=single", ["SYR-2018-07-DEN-01", "IRQ-2018-03-MOS-01.2"]),
        ("country=IQ", ["IRQ-2018-03-MOS-01.2"]),
        ("q=bakery", ["SYR-2018-07-DEN-01"]),
        ("category=total", ["IRQ-2018-03-MOS-01.2"]),
        ("date_from=2018-06-01&date_to=2018-12-31", ["SYR-2018-07-DEN-01"]),
        ("ordering=date", ["IRQ-2018-03-MOS-01.2", "SYR-2018-07-DEN-01", "SYR-2019-01-NONE"]),
    ],
)
def test_the_web_lists_filters(api, events, query, refs):
    assert [event["ref"] for event in api.get(f"/api/events/?{query}").json()["results"]] == refs


def test_party_filter(api, events):
    ministry = events[0].claims.get(party__name="Ministry").party
    assert [event["ref"] for event in api.get(f"/api/events/?party={ministry.pk}").json()["results"]] == [
        "SYR-2018-07-DEN-01"
    ]


def test_an_invalid_filter_is_a_bad_request_not_an_error(api, events):
    response = api.get("/api/events/?level=catastrophic")
    assert response.status_code == 400
    assert "level" in response.json()


def test_event_by_ref_with_its_claims_and_a_confidential_source_hidden(api, events):
    body = api.get("/api/events/SYR-2018-07-DEN-01/").json()

    claims = {claim["party"]["name"]: claim for claim in body["claims"]}
    assert claims["Ministry"]["source"]["title"] == "Ministry statement"
    assert claims["Ministry"]["source_hidden"] is False
    assert claims["Monitor"]["source"] is None and claims["Monitor"]["source_hidden"] is True
    assert "Informant" not in str(body) and "Network" not in str(body)
    assert "Abu Khalid" not in str(body)  # notes may name who told us: hidden with the source
    assert claims["Monitor"]["notes"] == ""
    assert "Abu Khalid" not in str(api.get("/api/claims/").json())
    assert (claims["Monitor"]["lo"], claims["Monitor"]["hi"], claims["Monitor"]["current"]) == (8, 8, True)


def test_a_ref_with_a_dot_is_a_ref(api, events):
    assert api.get("/api/events/IRQ-2018-03-MOS-01.2/").json()["title"] == "Mosul shelling"


def test_confidential_sources_are_left_out_of_the_source_list(api, events):
    titles = {source["title"] for source in api.get("/api/sources/").json()["results"]}
    assert "Informant in Al-Bukamal" not in titles and "Ministry statement" in titles
    secret = events[0].claims.get(party__name="Monitor").source
    assert api.get(f"/api/sources/{secret.pk}/").status_code == 404


def test_with_the_permission_confidential_sources_are_shown(api, api_reader, events, django_user_model):
    api_reader.user_permissions.add(Permission.objects.get(codename="view_confidential_source"))
    api.force_authenticate(django_user_model.objects.get(pk=api_reader.pk))

    claims = api.get("/api/claims/?event=SYR-2018-07-DEN-01").json()["results"]
    assert {claim["source"]["title"] for claim in claims} == {"Ministry statement", "Informant in Al-Bukamal"}
    assert "told by Abu Khalid" in {claim["notes"] for claim in claims}
    assert len(api.get("/api/sources/").json()["results"]) == 3


def test_claims_filters(api, events):
    results = api.get("/api/claims/?event=IRQ-2018-03-MOS-01.2").json()["results"]
    assert [(claim["qualifier"], claim["best"], claim["lo"], claim["hi"]) for claim in results] == [
        ("approximate", 30, 27, 33)
    ]


def test_claims_filter_on_current_and_retracted_and_refuse_anything_else(api, events):
    current = api.get("/api/claims/?current=true").json()["results"]
    assert len(current) == 3 and all(claim["current"] for claim in current)
    assert api.get("/api/claims/?retracted=false").json()["count"] == 3
    response = api.get("/api/claims/?current=maybe")
    assert response.status_code == 400
    assert "current" in response.json()


@pytest.fixture
def injured(events):
    """The denial's injured: a monitor's count of injured children, at a level the summary would store."""
    denial, _single = events
    make_claim(denial, denial.claims.get(party__name="Monitor").party, count=14, outcome="injured",
               subgroup=seeded_subgroup("children"))  # fmt: skip
    Event.objects.filter(pk=denial.pk).update(
        level="denial", severity=5, injured_level="single", injured_severity=2, inconsistent=True
    )
    return events


def test_claims_say_what_befell_those_counted_and_of_whom(api, injured):
    claims = api.get("/api/claims/", {"event": "SYR-2018-07-DEN-01"}).json()["results"]
    assert sorted((claim["outcome"], claim["subgroup"], claim["best"]) for claim in claims) == [
        ("injured", "children", 14), ("killed", None, 0), ("killed", None, 8),
    ]  # fmt: skip
    detail = api.get("/api/events/SYR-2018-07-DEN-01/").json()
    assert {(claim["outcome"], claim["subgroup"]) for claim in detail["claims"]} == {
        ("injured", "children"), ("killed", None),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"outcome": "injured"}, [14]),
        ({"outcome": "killed", "event": "SYR-2018-07-DEN-01"}, [0, 8]),
        ({"subgroup": "children"}, [14]),
        ({"whole": "false"}, [14]),
        ({"whole": "true", "event": "SYR-2018-07-DEN-01"}, [0, 8]),
    ],
)
def test_claims_filter_by_outcome_and_subgroup(api, injured, query, expected):
    assert sorted(claim["best"] for claim in api.get("/api/claims/", query).json()["results"]) == expected


@pytest.mark.parametrize("query", [{"subgroup": "kids"}, {"outcome": "dead"}, {"whole": "maybe"}])
def test_a_claims_filter_that_cannot_be_read_is_a_bad_request(api, injured, query):
    response = api.get("/api/claims/", query)
    assert response.status_code == 400 and list(query) == list(response.json())


def test_events_give_their_injured_level_and_whether_a_report_is_inconsistent(api, injured):
    records = {event["ref"]: event for event in api.get("/api/events/").json()["results"]}
    assert (records["SYR-2018-07-DEN-01"]["injured_level"], records["SYR-2018-07-DEN-01"]["inconsistent"]) == (
        "single", True,
    )  # fmt: skip
    assert (records["SYR-2019-01-NONE"]["injured_level"], records["SYR-2019-01-NONE"]["inconsistent"]) == (None, False)
    detail = api.get("/api/events/SYR-2018-07-DEN-01/").json()
    assert (detail["injured_level"], detail["inconsistent"]) == ("single", True)


@pytest.mark.parametrize(
    ("query", "refs"),
    [
        ({"outcome": "injured"}, ["SYR-2018-07-DEN-01"]),
        ({"outcome": "injured", "level": "single"}, ["SYR-2018-07-DEN-01"]),
        ({"outcome": "injured", "level": "denial"}, []),
        ({"injured_level": "single"}, ["SYR-2018-07-DEN-01"]),
        ({"inconsistent": "true"}, ["SYR-2018-07-DEN-01"]),
        ({"inconsistent": "false"}, ["IRQ-2018-03-MOS-01.2", "SYR-2019-01-NONE"]),
    ],
)
def test_events_filter_by_outcome_injured_level_and_inconsistency(api, injured, query, refs):
    assert [event["ref"] for event in api.get("/api/events/", query).json()["results"]] == refs


def test_schema_and_docs_are_served_without_a_cdn(api, client, api_reader):
    assert api.get("/api/schema/").status_code == 200
    client.force_login(api_reader)
    page = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")  # shipped, served locally


@pytest.fixture
def wsgi_app():
    """The real WSGI app, its requests kept inside the test's transaction (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_response_outside_the_schema(api_reader, events, wsgi_app):
    """Every operation of the schema, fed generated parameters: no 5xx, every response as the schema says."""
    token = Token.objects.create(user=api_reader)
    auth = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=auth)

    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])  # fmt: skip
        def check(case):
            case.call_and_validate(
                headers=auth, checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
            )

        check()


def test_ratios_and_coordinates_are_numbers_and_the_page_size_can_be_chosen(api):
    event = make_event(ref="SYR-2018-RATIO", latitude="35.336000", longitude="40.140000")
    make_claim(event, count=4)
    make_claim(event, count=10)
    for number in range(3):
        make_event(ref=f"SYR-2018-MORE-{number}")
    (record,) = api.get("/api/events/", {"q": "SYR-2018-RATIO"}).json()["results"]
    assert (record["ratio"], record["latitude"], record["longitude"]) == (2.5, 35.336, 40.14)
    page = api.get("/api/events/", {"page_size": 2}).json()
    assert (len(page["results"]), page["count"]) == (2, 4)
    assert len(api.get("/api/events/", {"page_size": 100000}).json()["results"]) == 4  # capped, not refused


def test_an_event_names_its_subgroups_its_injured_level_and_a_party_at_odds_with_itself(api):
    event = make_event(ref="SYR-COMMANDERS")
    ministry, monitor, group = make_party(name="Ministry"), make_party(name="Monitor"), make_party(name="Group")
    commanders = seeded_subgroup("commanders")
    make_claim(event, ministry, count=40, category="combatant", victim_side=group)
    make_claim(event, ministry, count=45, category="combatant", victim_side=group, subgroup=commanders)
    make_claim(event, monitor, count=0, category="combatant", victim_side=group)
    make_claim(event, monitor, count=3, outcome="injured")

    record = api.get("/api/events/SYR-COMMANDERS/").json()
    assert (record["level"], record["injured_level"]) == ("denial", "single")
    groups = [(group["outcome"], group["category"], group["subgroup"], group["level"]) for group in record["groups"]]
    assert groups == [
        ("killed", "combatant", None, "denial"), ("killed", "combatant", "commanders", "single"),
        ("injured", "civilian", None, "single"),
    ]  # fmt: skip
    [containment] = record["containment"]
    assert (containment["subgroup"], containment["victim_side"]["name"], containment["lo"], containment["hi"]) == (
        "commanders", "Group", 45, 0,
    )  # fmt: skip
    assert record["inconsistencies"] == [{
        "party": {"id": ministry.pk, "name": "Ministry"}, "outcome": "killed", "category": "combatant",
        "victim_side": {"id": group.pk, "name": "Group"}, "subgroup": "commanders", "lo": 45, "hi": 40,
    }]  # fmt: skip


@pytest.mark.parametrize(
    ("day", "precision", "stated"),
    [
        (date(2017, 9, 21), "day", "2017-09-21"),
        (date(2017, 9, 1), "month", "2017-09"),
        (date(2017, 1, 1), "year", "2017"),
    ],
)
def test_claims_and_sources_give_their_dates_as_stated_as_the_claims_csv_writes_them(api, day, precision, stated):
    event = make_event(ref="SYR-2017-09-DEZ-01", start_date=date(2017, 9, 21))
    source = make_source(title="Later report", published_on=day, published_on_precision=precision)
    make_claim(event, count=12, source=source, claimed_on=day, claimed_on_precision=precision)
    claim = api.get("/api/claims/").json()["results"][0]
    assert (claim["claimed_on"], claim["source"]["published_on"]) == (stated, stated)
    assert api.get("/api/sources/").json()["results"][0]["published_on"] == stated
    assert api.get(f"/api/events/{event.ref}/").json()["claims"][0]["claimed_on"] == stated
    # The event list's date filters still read the event's day.
    assert api.get("/api/events/", {"date_from": "2017-09-21"}).json()["count"] == 1
    assert api.get("/api/events/", {"date_from": "2017-09-22"}).json()["count"] == 0


@pytest.fixture
def khalimov():
    """Gulmurod Khalimov, reported killed twice, once by a confidential source; and someone without a fate claim."""
    person = make_person(name="Gulmurod Khalimov", affiliation=make_party(name="Islamic State"))
    OtherName.objects.create(person=person, name="Гулмурод Халимов")
    deir = make_event(ref="SYR-2017-09-DEZ-01", location_name="Deir ez-Zor", start_date=date(2017, 9, 8))
    ministry, informant = make_party(name="Ministry"), make_party(name="Monitor")
    make_fate_claim(person, ministry, "fatally_wounded", event=deir, claimed_on=date(2017, 9, 10))
    secret = make_source(title="Informant in Mosul", confidential=True)
    make_fate_claim(person, informant, fate_date=date(2017, 4, 1), fate_date_precision="month",
                    claimed_on=date(2017, 4, 1), claimed_on_precision="month", source=secret,
                    notes="told by Abu Khalid")  # fmt: skip
    make_fate_claim(person, informant, "alive", fate_date=date(2017, 5, 1), claimed_on=date(2017, 3, 1))
    make_person(name="Abu Bakr al-Baghdadi")
    return person


def test_people_with_their_deaths_and_conflicts_and_the_web_lists_filters(api, khalimov):
    people = api.get("/api/people/").json()["results"]
    assert [person["name"] for person in people] == ["Gulmurod Khalimov", "Abu Bakr al-Baghdadi"]
    assert people[0]["other_names"] == ["Гулмурод Халимов"] and people[0]["affiliation"]["name"] == "Islamic State"
    assert people[0]["reported_deaths"] == 2 and people[0]["conflicts"] == ["killed_twice"]
    for query in ("q=Xalimov", "conflict=any", "fate=fatally_wounded", "event=SYR-2017-09-DEZ-01"):
        assert [person["name"] for person in api.get(f"/api/people/?{query}").json()["results"]] == [
            "Gulmurod Khalimov"
        ], query
    assert api.get("/api/people/?fate=alive").json()["count"] == 0  # the monitor's later claim supersedes it


@pytest.mark.parametrize("query", ["conflict=twice", "fate=dead", "event=NOWHERE", "affiliation=abc"])
def test_a_people_filter_that_cannot_be_read_is_a_bad_request(api, khalimov, query):
    response = api.get(f"/api/people/?{query}")
    assert response.status_code == 400 and query.split("=")[0] in response.json()


def test_fate_claims_with_dates_as_stated_current_and_a_confidential_source_hidden(api, khalimov):
    claims = api.get(f"/api/fate-claims/?person={khalimov.pk}").json()["results"]
    alive, killed, wounded = claims  # in the order made
    assert (killed["fate_date"], killed["claimed_on"], killed["current"]) == ("2017-04", "2017-04", True)
    assert (alive["fate"], alive["current"]) == ("alive", False)
    assert (wounded["event"], wounded["fate_date"]) == ("SYR-2017-09-DEZ-01", None)  # the event's date
    assert wounded["party"]["name"] == "Ministry"
    assert killed["source"] is None and killed["source_hidden"] is True and killed["notes"] == ""
    assert wounded["source"]["title"] and wounded["source_hidden"] is False
    assert "Abu Khalid" not in api.get("/api/fate-claims/").content.decode()
    assert "Informant in Mosul" not in api.get(f"/api/fate-claims/{killed['id']}/").content.decode()


@pytest.mark.parametrize(
    ("query", "fates"),
    [("fate=alive", ["alive"]), ("current=true", ["killed", "fatally_wounded"]), ("event=SYR-2017-09-DEZ-01",
     ["fatally_wounded"]), ("current=false", ["alive"])],
)  # fmt: skip
def test_fate_claims_filter_by_fate_current_and_event(api, khalimov, query, fates):
    assert [claim["fate"] for claim in api.get(f"/api/fate-claims/?{query}").json()["results"]] == fates


def test_fate_claims_filter_by_party(api, khalimov):
    ministry = khalimov.fate_claims.get(fate="fatally_wounded").party_id
    assert [claim["fate"] for claim in api.get(f"/api/fate-claims/?party={ministry}").json()["results"]] == [
        "fatally_wounded"
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_people_and_fate_claims_are_read_only_even_to_a_superuser(khalimov, method):
    client = APIClient()
    client.force_authenticate(make_user("root", is_superuser=True, is_staff=True))
    fate_claim = khalimov.fate_claims.first()
    for address in ("/api/people/", f"/api/people/{khalimov.pk}/", "/api/fate-claims/",
                    f"/api/fate-claims/{fate_claim.pk}/"):  # fmt: skip
        assert getattr(client, method)(address, {"name": "Someone"}, format="json").status_code == 405, address
    assert khalimov.fate_claims.count() == 3 and Person.objects.count() == 2
