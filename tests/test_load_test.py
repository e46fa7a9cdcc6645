"""The bounded load test: many signed-in clients asking a running server for a page at once."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import make_claim, make_event

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_load_test_counts_every_answer_of_a_signed_in_page(live_server, tmp_path):
    make_claim(make_event(ref="LOAD-1", title="Shelling of the market"))
    report = tmp_path / "load.json"

    call_command(
        "load_test", f"{live_server.url}/events/", "--clients", "3", "--requests", "12", "--warmup", "1",
        "--output", str(report), stdout=io.StringIO(),
    )  # fmt: skip

    summary = json.loads(report.read_text())
    # Every request was answered with the page itself, not a sign-in redirect.
    assert summary["requests"] == 12
    assert summary["answers"] == {"200": 12}
    assert summary["errors"] == 0
    assert summary["requests_per_second"] > 0


def test_the_load_test_reports_answers_that_are_not_the_page_as_errors(live_server, tmp_path):
    out, report = io.StringIO(), tmp_path / "load.json"

    call_command(
        "load_test", f"{live_server.url}/events/NO-SUCH-EVENT/", "--clients", "2", "--requests", "4",
        "--warmup", "0", "--output", str(report), stdout=out,
    )  # fmt: skip

    assert json.loads(report.read_text())["answers"] == {"404": 4}
    assert "4 errors" in out.getvalue()


def test_the_load_test_leaves_no_user_or_session_behind(live_server):
    call_command("load_test", f"{live_server.url}/", "--requests", "2", "--warmup", "0", stdout=io.StringIO())

    assert not get_user_model().objects.exists()
    assert not Session.objects.exists()


def test_the_load_test_wants_a_plain_http_address():
    with pytest.raises(CommandError, match="http://host:port/path"):
        call_command("load_test", "127.0.0.1:8000/events/", stdout=io.StringIO())
