"""Addresses and forms that cannot be read get a clear 4xx answer, never a server error."""

import pytest
from django.urls import reverse

from tests.factories import make_claim, make_party, make_source
from tracker.models import Claim

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/events/%00/",
        "/events/?q=a%00b",
        "/admin/tracker/event/?title=a%00",
        "/admin/tracker/event/?level=%00",
        "/admin/tracker/event/?start_date__year=2147483648",
        "/admin/tracker/claim/?claimed_on__year=99999999999",
        "/admin/tracker/claim/?claimed_on__month=13",
        "/admin/tracker/event/?ratio__gte=1e999999",
        "/admin/tracker/event/?ratio__gte=nan",
        "/admin/tracker/event/?id__in=1,x",
        "/admin/tracker/claim/?best__gt=99999999999999999999",
        "/admin/tracker/claim/?party__id__exact=banana",
        "/admin/tracker/event/?start_date__gte=2020-13-45",
    ],
)
def test_an_address_that_cannot_be_read_is_a_bad_request(admin_client, url):
    make_claim()
    assert admin_client.get(url).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/admin/tracker/event/?start_date__year=2018",
        "/admin/tracker/event/?start_date__year=2018&start_date__month=1&start_date__day=1",
        "/admin/tracker/event/?level__exact=single&classification_dispute__exact=0",
        "/admin/tracker/event/?ratio__gte=1.5",
        "/admin/tracker/claim/?party__kind__exact=monitor&q=Raqqa",
        "/admin/tracker/claim/?is_current__exact=1&category__exact=civilian",
        "/admin/tracker/source/?confidential__exact=0",
    ],
)
def test_filters_that_can_be_read_still_filter(admin_client, url):
    make_claim()
    assert admin_client.get(url).status_code == 200


def test_a_count_too_large_to_store_is_refused_with_a_message(admin_client):
    party, source = make_party(), make_source()
    claim = make_claim()
    data = {
        "event": claim.event_id, "party": party.pk, "category": "civilian", "claimed_on": "2018-01-02",
        "source": source.pk, "wording": "99999999999 killed", "qualifier": "",
    }  # fmt: skip
    response = admin_client.post(reverse("admin:tracker_claim_add"), data)
    assert response.status_code == 200
    assert "larger than any death count the tracker can hold" in response.content.decode()
    assert Claim.objects.count() == 1
