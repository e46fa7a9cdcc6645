"""Import formats are plug-ins: the command, the admin's import page and the docs follow the registry."""

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tests.helpers import csv_bytes
from tracker.admin.imports import ClaimsFileForm
from tracker.ingest.formats import FORMATS, Format, ImportLine, get_format, register
from tracker.management.commands.import_claims import Command
from tracker.models import Claim

FORMATS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "users" / "import-formats.md"


def documented_formats() -> list[tuple[str, str]]:
    """Return (name, label) of each row of the docs' table of import formats."""
    section = FORMATS_PAGE.read_text(encoding="utf-8").split("## The formats", 1)[1]
    rows = section.split("|---|---|---|\n", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|", rows, flags=re.MULTILINE)


def test_the_docs_list_every_registered_format_by_its_name_and_label():
    with translation.override("en"):
        assert documented_formats() == [(format.name, str(format.label)) for format in FORMATS.values()]


def test_the_commands_choices_are_the_registry():
    parser = Command().create_parser("manage.py", "import_claims")
    (action,) = [action for action in parser._actions if action.dest == "format"]
    assert list(action.choices) == list(FORMATS)
    assert all(str(format.label) in action.help for format in FORMATS.values())


def test_the_admin_offers_every_registered_format():
    assert [name for name, _label in ClaimsFileForm().fields["format"].choices] == list(FORMATS)


def test_an_unknown_format_is_named_with_the_known_ones():
    with pytest.raises(KeyError, match="no import format 'ods'; known: claims, ucdp-ged"):
        get_format("ods")


def tally_lines(rows) -> Iterator[ImportLine]:
    """A format of one column per count: `ref`, `monitor`, `dead`."""
    for line, row in rows:
        claim = {
            "event_ref": row["ref"], "event_title": f"Tally {row['ref']}", "event_date": "2020-01-01",
            "country": "SY", "location": "Idlib", "party": row["monitor"], "party_kind": "monitor",
            "category": "total", "qualifier": "exact", "best": row["dead"], "claimed_on": "2020-01-02",
            "source_title": f"{row['monitor']} tally",
        }  # fmt: skip
        yield ImportLine(line, [claim])


@pytest.fixture
def tally():
    format = register(
        Format(
            name="tally",
            label=_("A monitor's tally"),
            header_problems=lambda header: [] if {"ref", "monitor", "dead"} <= set(header) else ["not a tally"],
            lines=tally_lines,
        )
    )
    yield format
    del FORMATS[format.name]


@pytest.mark.django_db
def test_a_format_is_one_module_and_a_registration(tally, tmp_path, admin_client):
    """Registered, a format is offered by the command and the admin, and its rows meet the importer's rules."""
    path = tmp_path / "tally.csv"
    path.write_bytes(csv_bytes([{"ref": "T-1", "monitor": "Idlib Monitor", "dead": "7"}, {"ref": "T-2"}]))
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_claims", str(path), "--format", "tally", stdout=io.StringIO(), stderr=stderr)
    assert stderr.getvalue() == "tally.csv: line 3: party is empty\n"

    path.write_bytes(csv_bytes([{"ref": "T-1", "monitor": "Idlib Monitor", "dead": "7"}]))
    call_command("import_claims", str(path), "--format", "tally", stdout=io.StringIO())
    assert Claim.objects.get().count.best == 7
    assert "A monitor&#x27;s tally" in admin_client.get("/admin/tracker/claim/import/").content.decode()


def test_a_name_is_registered_once(tally):
    with pytest.raises(ValueError, match="already registered"):
        register(tally)
