"""Data entry in the admin, as an editor who may enter data but not see confidential sources."""

from datetime import date

import pytest
from django.urls import reverse

from tests.accounts import make_reader
from tests.factories import make_claim, make_event, make_party, make_source, seeded_subgroup
from tracker.models import Claim, Event

pytestmark = pytest.mark.django_db


def event_form(**fields):
    data = {
        "ref": "SYR-2017-09-DEZ-01", "title": "Strike near Deir ez-Zor", "event_type": "airstrike",
        "start_date": "2017-09-05", "date_precision": "day", "location_name": "Deir ez-Zor", "country": "SY",
        "claims-TOTAL_FORMS": "0", "claims-INITIAL_FORMS": "0",
        "groups-TOTAL_FORMS": "0", "groups-INITIAL_FORMS": "0",
        "assessments-TOTAL_FORMS": "0", "assessments-INITIAL_FORMS": "0",
        "fate_claims-TOTAL_FORMS": "0", "fate_claims-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(fields)
    return data


def claim_inline(index, party, source, **fields):
    prefix = f"claims-{index}-"
    data = {"party": party.pk, "category": "combatant", "claimed_on": "2017-09-08", "source": source.pk, **fields}
    return {prefix + name: value for name, value in data.items()}


def test_pages_open_for_an_editor(editor_client):
    event = make_event()
    claim = make_claim(event)
    for url in [
        reverse("admin:index"),
        reverse("admin:tracker_event_changelist"),
        reverse("admin:tracker_event_add"),
        reverse("admin:tracker_event_change", args=[event.pk]),
        reverse("admin:tracker_event_history", args=[event.pk]),
        reverse("admin:tracker_claim_changelist"),
        reverse("admin:tracker_claim_change", args=[claim.pk]),
        reverse("admin:tracker_claim_history", args=[claim.pk]),
        reverse("admin:tracker_party_changelist"),
        reverse("admin:tracker_source_changelist"),
        reverse("admin:tracker_subgroup_changelist"),
        reverse("admin:tracker_subgroup_add"),
    ]:
        assert editor_client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("admin:tracker_event_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_event_with_claims_typed_as_wording(editor_client, editor):
    ministry, group, source = make_party(name="Ministry"), make_party(name="Group"), make_source()
    data = event_form(**{"claims-TOTAL_FORMS": "2"})
    data |= claim_inline(0, ministry, source, wording="around 40 militants", victim_side=group.pk)
    data |= claim_inline(1, group, source, wording="seven fighters", victim_side=group.pk)
    response = editor_client.post(reverse("admin:tracker_event_add"), data, follow=True)
    assert response.status_code == 200
    event = Event.objects.get(ref="SYR-2017-09-DEZ-01")
    about_forty = event.claims.get(party=ministry)
    assert (about_forty.qualifier, about_forty.best, about_forty.entered_by) == ("approximate", 40, editor)
    messages = [str(message) for message in response.context["messages"]]
    # The interval is isolated left to right (U+2066 … U+2069): an Arabic message keeps "[36, 44]" in order.
    assert "Read “around 40 militants” as about 40, compared as \u2066[36, 44]\u2069." in messages
    assert "Read “seven fighters” as 7, compared as \u2066[7, 7]\u2069." in messages
    assert (event.level, str(event.ratio)) == ("major", "5.14")


def test_the_event_page_enters_claims_of_the_injured_and_of_a_subgroup(editor_client):
    ministry, monitor, source = make_party(name="Ministry"), make_party(name="Monitor"), make_source()
    children, commanders = seeded_subgroup("children"), seeded_subgroup("commanders")
    data = event_form(**{"claims-TOTAL_FORMS": "4"})
    data |= claim_inline(0, ministry, source, qualifier="approximate", best="40")
    data |= claim_inline(1, ministry, source, subgroup=commanders.pk, wording="four field commanders")
    data |= claim_inline(2, monitor, source, category="civilian", outcome="injured", qualifier="exact", best="30")
    data |= claim_inline(3, monitor, source, category="civilian", subgroup=children.pk, qualifier="exact", best="4")
    response = editor_client.post(reverse("admin:tracker_event_add"), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    stored = Claim.objects.order_by("pk").values_list("outcome", "category", "subgroup__code", "best")
    assert list(stored) == [
        ("killed", "combatant", None, 40), ("killed", "combatant", "commanders", 4),
        ("injured", "civilian", None, 30), ("killed", "civilian", "children", 4),
    ]  # fmt: skip


def test_a_post_without_the_outcome_counts_the_killed_and_leaves_a_blank_card_alone(editor_client):
    """As a page drawn before claims had an outcome posts: the claim counts the killed, the empty card adds nothing."""
    party, source = make_party(), make_source()
    data = event_form(**{"claims-TOTAL_FORMS": "2"}) | claim_inline(0, party, source, qualifier="exact", best="7")
    response = editor_client.post(reverse("admin:tracker_event_add"), data)
    assert response.status_code == 302
    assert list(Claim.objects.values_list("outcome", "best")) == [("killed", 7)]


def test_a_subgroup_of_another_category_is_refused_on_the_event_page_and_the_claim_page(editor_client):
    party, source = make_party(), make_source()
    commanders = seeded_subgroup("commanders")
    message = "“commanders” is a subgroup of combatant victims, not of civilian."
    data = event_form(**{"claims-TOTAL_FORMS": "1"})
    data |= claim_inline(0, party, source, category="civilian", subgroup=commanders.pk, qualifier="exact", best="4")
    response = editor_client.post(reverse("admin:tracker_event_add"), data)
    assert response.status_code == 200 and message in response.content.decode()
    claim = make_claim(count=4)
    data = {
        "event": claim.event_id, "party": claim.party_id, "category": "civilian", "subgroup": commanders.pk,
        "claimed_on": "2018-01-02", "source": claim.source_id, "qualifier": "exact", "best": "4",
        "loaded_version": claim.version,
    }  # fmt: skip
    response = editor_client.post(reverse("admin:tracker_claim_change", args=[claim.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    claim.refresh_from_db()
    assert claim.subgroup is None


def test_the_claim_page_explains_outcome_and_subgroup_and_saves_them(editor_client):
    claim = make_claim(count=10)
    page = editor_client.get(reverse("admin:tracker_claim_change", args=[claim.pk])).content.decode()
    assert "Whether the claim counts the killed or the injured" in page
    assert "Empty for the whole toll." in page
    data = {
        "event": claim.event_id, "party": claim.party_id, "category": "civilian", "outcome": "injured",
        "subgroup": seeded_subgroup("medical_workers").pk, "claimed_on": "2018-01-02", "source": claim.source_id,
        "qualifier": "exact", "best": "10", "loaded_version": claim.version,
    }  # fmt: skip
    response = editor_client.post(reverse("admin:tracker_claim_change", args=[claim.pk]), data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.outcome, claim.subgroup.code) == ("injured", "medical_workers")


def test_changelist_filters_by_injured_level_and_inconsistency(editor_client):
    hurt, calm = make_event(title="Bus"), make_event(title="Market")
    Event.objects.filter(pk=hurt.pk).update(injured_level="major", inconsistent=True)
    changelist = reverse("admin:tracker_event_changelist")
    assert list(editor_client.get(changelist, {"injured_level__exact": "major"}).context["cl"].result_list) == [hurt]
    assert list(editor_client.get(changelist, {"inconsistent__exact": "1"}).context["cl"].result_list) == [hurt]
    assert list(editor_client.get(changelist, {"inconsistent__exact": "0"}).context["cl"].result_list) == [calm]
    page = editor_client.get(reverse("admin:tracker_event_change", args=[hurt.pk])).content.decode()
    assert "Some party counts more of a subgroup than of the whole it belongs to." in page


def test_event_change_page_shows_the_level_in_words(editor_client):
    event = make_event()
    make_claim(event, count=0)
    make_claim(event, count=8)
    page = editor_client.get(reverse("admin:tracker_event_change", args=[event.pk])).content.decode()
    assert '<span class="level level-denial">denial</span>' in page
    listing = editor_client.get(reverse("admin:tracker_event_changelist")).content.decode()
    assert '<span class="level level-denial">denial</span>' in listing


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"qualifier": "range", "low": "15", "high": "12"}, "The low number (15) is above the high number (12)."),
        ({"qualifier": "exact"}, "A count qualified as “exact” needs a best number."),
        ({"qualifier": "at_least", "low": "3", "high": "9"}, "A count qualified as “at least” has no high number"),
        ({"wording": "many people"}, "The count cannot be read from “many people”."),
        ({}, "Choose a qualifier, or type the wording"),
        ({"qualifier": "exact", "best": "-4"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_a_bad_count_is_refused_with_a_clear_message(editor_client, fields, message):
    party, source = make_party(), make_source()
    data = event_form(**{"claims-TOTAL_FORMS": "1"}) | claim_inline(0, party, source, **fields)
    response = editor_client.post(reverse("admin:tracker_event_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()
    assert not Claim.objects.exists()


def test_a_claim_edited_on_its_own_page_is_read_from_wording(editor_client):
    claim = make_claim(count=10)
    data = {
        "event": claim.event_id, "party": claim.party_id, "category": "civilian", "claimed_on": "2018-01-05",
        "source": claim.source_id, "wording": "12 to 15", "qualifier": "", "loaded_version": claim.version,
    }  # fmt: skip
    response = editor_client.post(reverse("admin:tracker_claim_change", args=[claim.pk]), data, follow=True)
    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.qualifier, claim.low, claim.best, claim.high) == ("range", 12, None, 15)
    history = claim.history.all()
    assert history.count() == 2
    assert history.first().history_user.username == "editor"


def test_event_end_before_start_is_refused(editor_client):
    response = editor_client.post(reverse("admin:tracker_event_add"), event_form(end_date="2017-09-01"))
    assert "The end date is before the start date." in response.content.decode()
    assert not Event.objects.exists()


def test_changelist_filters_by_level_and_searches(editor_client):
    denial = make_event(title="Bakery queue")
    make_claim(denial, count=0)
    make_claim(denial, count=8)
    make_claim(make_event(title="Market"), count=5)
    response = editor_client.get(reverse("admin:tracker_event_changelist"), {"level__exact": "denial"})
    assert list(response.context["cl"].result_list) == [denial]
    response = editor_client.get(reverse("admin:tracker_event_changelist"), {"q": "bakery"})
    assert list(response.context["cl"].result_list) == [denial]


def test_confidential_sources_are_hidden_from_an_editor(editor_client):
    secret = make_source(title="Informant in Hajin", confidential=True)
    make_source(title="Public report")
    claim = make_claim(source=secret)
    listing = editor_client.get(reverse("admin:tracker_source_changelist")).content.decode()
    assert "Public report" in listing
    assert "Informant in Hajin" not in listing
    page = editor_client.get(reverse("admin:tracker_claim_change", args=[claim.pk])).content.decode()
    assert "Informant in Hajin" not in page
    assert "Confidential source" in page
    search = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "tracker", "model_name": "claim", "field_name": "source", "term": "Informant"},
    )
    assert search.json()["results"] == []


def test_confidential_source_history_is_hidden_from_an_editor(editor_client, admin_client):
    secret = make_source(title="Informant in Hajin", confidential=True)
    history = reverse("admin:tracker_source_history", args=[secret.pk])
    version = reverse("admin:tracker_source_simple_history", args=[secret.pk, secret.history.get().history_id])
    for url in (history, version):
        response = editor_client.get(url)
        assert response.status_code == 403
        assert "Informant" not in response.content.decode()
        assert admin_client.get(url).status_code == 200


def test_a_claims_history_does_not_name_its_confidential_source(editor_client, admin_client):
    claim = make_claim(source=make_source(title="Public report"))
    claim.source = make_source(title="Informant in Hajin", confidential=True)
    claim.save()
    url = reverse("admin:tracker_claim_history", args=[claim.pk])
    page = editor_client.get(url).content.decode()
    assert "Public report" in page
    assert "Informant in Hajin" not in page
    assert "Confidential source" in page
    assert "Informant in Hajin" in admin_client.get(url).content.decode()


def test_an_editor_cannot_attach_a_confidential_source(editor_client):
    secret = make_source(title="Informant in Hajin", confidential=True)
    claim = make_claim(count=4)
    data = {
        "event": claim.event_id, "party": claim.party_id, "category": "civilian", "claimed_on": "2018-01-05",
        "source": secret.pk, "qualifier": "exact", "best": "4",
    }  # fmt: skip
    response = editor_client.post(reverse("admin:tracker_claim_change", args=[claim.pk]), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    claim.refresh_from_db()
    assert claim.source != secret


@pytest.fixture
def viewer_client(client):
    """Staff who may look at the data in the admin but change nothing, nor see confidential sources."""
    client.force_login(make_reader("viewer", is_staff=True))
    return client


def test_read_only_admin_pages_do_not_name_a_confidential_source(viewer_client):
    secret = make_source(title="Informant in Hajin", publisher="Hajin network", confidential=True)
    claim = make_claim(source=secret, notes="told by Abu Khalid")
    public = make_claim(claim.event, source=make_source(title="Public report"), notes="press conference")
    for url in (
        reverse("admin:tracker_claim_change", args=[claim.pk]),
        reverse("admin:tracker_event_change", args=[claim.event_id]),
    ):
        page = viewer_client.get(url).content.decode()
        assert "Informant" not in page and "Hajin network" not in page and "Abu Khalid" not in page, url
        assert "Confidential source" in page, url
    page = viewer_client.get(reverse("admin:tracker_claim_change", args=[public.pk])).content.decode()
    assert "Public report" in page and "press conference" in page


def test_an_editor_does_not_see_the_notes_of_a_claim_with_a_confidential_source(editor_client):
    claim = make_claim(source=make_source(title="Informant", confidential=True), notes="told by Abu Khalid")
    page = editor_client.get(reverse("admin:tracker_claim_change", args=[claim.pk])).content.decode()
    assert "Abu Khalid" not in page
    assert "Hidden with the confidential source." in page
    claim.notes = "told by Abu Khalid, again"
    claim.save()
    history = editor_client.get(reverse("admin:tracker_claim_history", args=[claim.pk])).content.decode()
    assert "Abu Khalid" not in history


def test_an_admin_sees_confidential_sources(admin_client):
    secret = make_source(title="Informant in Hajin", confidential=True)
    claim = make_claim(source=secret)
    page = admin_client.get(reverse("admin:tracker_claim_change", args=[claim.pk])).content.decode()
    assert "Informant in Hajin" in page


def test_bulk_delete_action_updates_the_summary(admin_client):
    event = make_event()
    make_claim(event, count=40)
    low = make_claim(event, count=4)
    response = admin_client.post(
        reverse("admin:tracker_claim_changelist"),
        {"action": "delete_selected", "_selected_action": [low.pk], "post": "yes"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.level, event.claim_count) == ("single", 1)


@pytest.mark.parametrize(
    ("wording", "understood", "message"),
    [
        ("around 40 militants", True, "Read as about 40, compared as \u2066[36, 44]\u2069."),
        ("no civilians", True, "Read as 0, compared as \u2066[0, 0]\u2069."),
        ("at least 12", True, "Read as at least 12, compared as \u2066[12, ∞]\u2069."),
        ("many", False, "No count can be read from this wording"),
    ],
)
def test_wording_preview_says_how_it_will_be_read(editor_client, wording, understood, message):
    response = editor_client.get(reverse("admin:tracker_claim_read_wording"), {"wording": wording})
    answer = response.json()
    assert answer["understood"] is understood
    assert answer["message"].startswith(message)


def test_wording_preview_needs_a_staff_login(client):
    response = client.get(reverse("admin:tracker_claim_read_wording"), {"wording": "40"})
    assert response.status_code == 302


def test_adding_a_claim_shows_no_computed_fields(editor_client):
    page = editor_client.get(reverse("admin:tracker_claim_add")).content.decode()
    assert 'name="wording"' in page
    for label in ("Read as:", "Entered by:", "Current:"):
        assert label not in page


def test_pages_that_type_wording_load_the_preview_script(editor_client):
    page = editor_client.get(reverse("admin:tracker_event_add")).content.decode()
    endpoint = reverse("admin:tracker_claim_read_wording")
    assert f'src="/static/tracker/wording.js" data-endpoint="{endpoint}"' in page


def inline_claim(index, claim, **fields):
    """The inline form of a claim already entered, as the event's change page posts it back."""
    data = {
        "id": claim.pk, "event": claim.event_id, "party": claim.party_id, "category": claim.category,
        "victim_side": claim.victim_side_id or "", "wording": claim.wording, "qualifier": claim.qualifier,
        "low": claim.low or "", "best": "" if claim.best is None else claim.best, "high": claim.high or "",
        "claimed_on": claim.claimed_on.isoformat(), "source": claim.source_id, "loaded_version": claim.version,
        **fields,
    }  # fmt: skip
    return {f"claims-{index}-{name}": value for name, value in data.items()}


def history_table(page: str) -> str:
    return page[page.index('id="change-history"') : page.index("</table>", page.index('id="change-history"'))]


def test_an_events_history_says_what_happened_to_its_claims(editor_client):
    ministry, group, source = make_party(name="Ministry"), make_party(name="Group"), make_source()
    data = event_form(**{"claims-TOTAL_FORMS": "2"})
    data |= claim_inline(0, ministry, source, wording="around 40 militants", victim_side=group.pk)
    data |= claim_inline(1, group, source, wording="seven fighters", victim_side=group.pk)
    editor_client.post(reverse("admin:tracker_event_add"), data)
    event = Event.objects.get()
    about_forty, seven = event.claims.get(party=ministry), event.claims.get(party=group)

    # Saved again to edit one claim and delete the other, the event's own fields unchanged.
    data = event_form(**{"claims-TOTAL_FORMS": "2", "claims-INITIAL_FORMS": "2", "loaded_version": event.version})
    data |= inline_claim(0, about_forty, wording="around 45 militants", qualifier="")
    data |= inline_claim(1, seven, DELETE="on")
    response = editor_client.post(reverse("admin:tracker_event_change", args=[event.pk]), data)
    assert response.status_code == 302

    page = editor_client.get(reverse("admin:tracker_event_history", args=[event.pk])).content.decode()
    table = history_table(page)
    assert event.history.count() == 1  # the second save changed no field of the event: no bare "Changed" line
    assert table.count('<tr class="history-claim">') == 4  # two added, one changed, one deleted
    assert "Ministry, Combatant (Group): about 45" in table
    assert "<strong>Wording:</strong> <bdi>around 40 militants</bdi> → <bdi>around 45 militants</bdi>" in table
    assert "<strong>Best:</strong> <bdi>40</bdi> → <bdi>45</bdi>" in table
    assert "<strong>Claimant:</strong> <bdi>Group</bdi>" in table  # what the deleted claim was added with
    assert "<strong>Victim category:</strong> <bdi>Combatant</bdi>" in table
    assert "Deleted" in table and "Created" in table
    assert "None" not in table


def test_a_change_reason_shows_only_where_there_is_one(editor_client):
    claim = make_claim(count=10)
    claim.best, claim._change_reason = 12, "import of ged.csv in the admin"
    claim.save()
    for url in (
        reverse("admin:tracker_claim_history", args=[claim.pk]),
        reverse("admin:tracker_event_history", args=[claim.event_id]),
    ):
        table = history_table(editor_client.get(url).content.decode())
        assert 'Reason: <span dir="auto">import of ged.csv in the admin</span>' in table, url
        assert table.count("Reason:") == 1, url
        assert "None" not in table and "Change reason" not in table, url


def test_an_events_history_hides_the_notes_of_a_claim_with_a_confidential_source(editor_client, admin_client):
    secret = make_source(title="Informant in Hajin", confidential=True)
    claim = make_claim(source=secret, notes="told by Abu Khalid")
    claim.notes = "told by Abu Khalid, again"
    claim.save()
    # Moved off the confidential source by someone who may see it: the old notes stay hidden.
    moved = make_claim(claim.event, source=secret, notes="from Umm Ahmad")
    moved.source, moved.notes = make_source(title="Public report"), "press conference"
    moved.save()
    url = reverse("admin:tracker_event_history", args=[claim.event_id])
    page = editor_client.get(url).content.decode()
    assert "Abu Khalid" not in page and "Umm Ahmad" not in page and "Informant" not in page
    assert "Hidden with the confidential source." in page and "Confidential source" in page
    assert "Public report" in page
    shown = admin_client.get(url).content.decode()
    assert "Abu Khalid" in shown and "Umm Ahmad" in shown and "Informant in Hajin" in shown


def test_a_claims_own_history_hides_notes_written_under_a_confidential_source(editor_client):
    claim = make_claim(source=make_source(title="Informant", confidential=True), notes="from Umm Ahmad")
    claim.source, claim.notes = make_source(title="Public report"), "press conference"
    claim.save()
    page = editor_client.get(reverse("admin:tracker_claim_history", args=[claim.pk])).content.decode()
    assert "Umm Ahmad" not in page


def test_a_new_event_on_the_same_day_and_place_is_saved_with_a_warning(editor_client):
    existing = make_event(ref="SYR-2017-09-DEZ-01", title="Airstrike near Deir ez-Zor", location_name="Deir ez-Zor",
                          start_date=date(2017, 9, 5))  # fmt: skip
    data = event_form(ref="SYR-2017-09-DEZ-02", location_name="DEIR EZ-ZOR")
    response = editor_client.post(reverse("admin:tracker_event_add"), data, follow=True)
    assert Event.objects.filter(ref="SYR-2017-09-DEZ-02").exists()  # a warning, not a refusal
    warnings = [message for message in response.context["messages"] if message.level_tag == "warning"]
    assert len(warnings) == 1
    link = f'<a href="{reverse("admin:tracker_event_change", args=[existing.pk])}">{existing}</a>'
    assert link in str(warnings[0])
    assert link in response.content.decode()  # shown as a link, not as escaped text


@pytest.mark.parametrize(
    ("place", "warned"),
    [
        ({"location_name": "Outskirts of Deir ez-Zor", "latitude": "35.3400", "longitude": "40.1500"}, True),
        ({"location_name": "Outskirts of Deir ez-Zor", "latitude": "35.3000", "longitude": "40.1500"}, False),
        ({"location_name": "Mayadin"}, False),
    ],
    ids=["coordinates 600 m apart", "coordinates 4 km apart", "another place"],
)
def test_the_duplicate_warning_reads_coordinates_within_a_kilometre(editor_client, place, warned):
    make_event(location_name="Deir ez-Zor", start_date=date(2017, 9, 5), latitude="35.3360", longitude="40.1450")
    response = editor_client.post(reverse("admin:tracker_event_add"), event_form(**place), follow=True)
    assert Event.objects.filter(ref="SYR-2017-09-DEZ-01").exists()
    assert any(message.level_tag == "warning" for message in response.context["messages"]) is warned


def test_no_duplicate_warning_on_another_day_nor_on_an_edit_that_keeps_date_and_place(editor_client):
    make_event(location_name="Deir ez-Zor", start_date=date(2017, 9, 6))
    response = editor_client.post(reverse("admin:tracker_event_add"), event_form(), follow=True)
    assert not [message for message in response.context["messages"] if message.level_tag == "warning"]
    same_day = make_event(location_name="Deir ez-Zor", start_date=date(2017, 9, 5))
    event = Event.objects.get(ref="SYR-2017-09-DEZ-01")
    response = editor_client.post(
        reverse("admin:tracker_event_change", args=[event.pk]),
        event_form(title="Renamed", loaded_version=event.version),
        follow=True,
    )
    assert not [message for message in response.context["messages"] if message.level_tag == "warning"]
    event.refresh_from_db()
    response = editor_client.post(
        reverse("admin:tracker_event_change", args=[event.pk]),
        event_form(location_name="deir ez-zor", loaded_version=event.version),
        follow=True,
    )
    assert [
        str(same_day) in str(message) for message in response.context["messages"] if message.level_tag == "warning"
    ] == [True]


def test_the_admin_shows_ratios_as_the_pages_do(editor_client):
    event = make_event()
    make_claim(event, count=5)
    make_claim(event, count=3)  # 5 against 3: minor, 1.67
    make_claim(event, count=4, category="combatant")  # a group of one claim: no ratio
    editor_client.cookies["django_language"] = "ar"
    listing = editor_client.get(reverse("admin:tracker_event_changelist")).content.decode()
    page = editor_client.get(reverse("admin:tracker_event_change", args=[event.pk])).content.decode()
    for html in (listing, page):
        assert 'dir="rtl"' in html
        assert '<bdi dir="ltr">1.67×</bdi>' in html  # kept left to right: not "×1.67"
        assert "1,67" not in html
    assert "<p>None</p>" not in page  # the single group's ratio, among the event's groups


def test_the_history_of_an_event_that_does_not_exist_is_not_found(editor_client):
    assert editor_client.get(reverse("admin:tracker_event_history", args=["12345"])).status_code == 404
    assert editor_client.get("/admin/tracker/event/not-a-number/history/").status_code == 404


def test_wording_preview_offers_the_breakdown_as_further_claims(editor_client):
    children = seeded_subgroup("children")
    query = {"wording": "12 civilians, including 4 children", "category": "civilian", "outcome": "killed"}
    answer = editor_client.get(reverse("admin:tracker_claim_read_wording"), query).json()
    assert (answer["qualifier"], answer["best"]) == ("exact", 12)
    assert answer["breakdown_message"] == f"This wording also says: {children.name} 4 (civilian). Add them as claims?"
    assert answer["breakdown"] == [
        {"category": "civilian", "subgroup": children.pk, "outcome": "killed", "qualifier": "exact",
         "low": None, "best": 4, "high": None},
    ]  # fmt: skip


@pytest.mark.parametrize(
    "query",
    [
        {"wording": "12 civilians", "category": "civilian"},
        {"wording": "12 civilians, including 4 children"},  # no category chosen yet: nothing to offer
    ],
)
def test_wording_preview_offers_nothing_beyond_one_claim(editor_client, query):
    answer = editor_client.get(reverse("admin:tracker_claim_read_wording"), query).json()
    assert (answer["understood"], answer["breakdown"], answer["breakdown_message"]) == (True, [], "")


def test_wording_preview_offers_the_injured_beside_the_killed(editor_client):
    query = {"wording": "3 civilians killed and 12 wounded", "category": "civilian"}
    answer = editor_client.get(reverse("admin:tracker_claim_read_wording"), query).json()
    assert answer["best"] == 3
    assert answer["breakdown_message"] == "This wording also says: civilian injured 12. Add them as claims?"
    assert [(part["outcome"], part["best"]) for part in answer["breakdown"]] == [("injured", 12)]


@pytest.mark.parametrize(("ticked", "added"), [("on", 2), ("", 1)])
def test_a_claim_saved_with_its_breakdown_adds_the_claims_of_the_breakdown(editor_client, editor, ticked, added):
    event, party, source, side = make_event(), make_party(), make_source(), make_party(name="Group")
    data = {
        "event": event.pk, "party": party.pk, "category": "civilian", "claimed_on": "2018-01-05", "source": source.pk,
        "victim_side": side.pk, "wording": "12 civilians, including 4 children", "qualifier": "",
        "add_breakdown": ticked,
    }  # fmt: skip
    response = editor_client.post(reverse("admin:tracker_claim_add"), data, follow=True)
    assert response.status_code == 200
    assert Claim.objects.count() == added
    whole = Claim.objects.get(subgroup=None)
    assert (whole.qualifier, whole.best) == ("exact", 12)
    if added == 2:
        part = Claim.objects.get(subgroup__code="children")
        assert (part.event, part.party, part.source, part.victim_side, part.claimed_on) == (
            event,
            party,
            source,
            side,
            date(2018, 1, 5),
        )
        assert (part.category, part.outcome, part.qualifier, part.best, part.entered_by) == (
            "civilian",
            "killed",
            "exact",
            4,
            editor,
        )
        assert any("Added the claim" in str(message) for message in response.context["messages"])


def test_a_breakdown_claim_stored_already_is_not_added_twice(editor_client):
    event, party, source = make_event(), make_party(), make_source()
    children = seeded_subgroup("children")
    make_claim(event, party, count=4, source=source, subgroup=children, claimed_on=date(2018, 1, 5))
    data = {
        "event": event.pk, "party": party.pk, "category": "civilian", "claimed_on": "2018-01-05", "source": source.pk,
        "wording": "12 civilians, including 4 children", "qualifier": "", "add_breakdown": "on",
    }  # fmt: skip
    response = editor_client.post(reverse("admin:tracker_claim_add"), data, follow=True)
    assert Claim.objects.count() == 2
    messages = [str(message) for message in response.context["messages"]]
    assert any(
        message.startswith("A claim of the breakdown was not added: This claim is stored already")
        for message in messages
    )
