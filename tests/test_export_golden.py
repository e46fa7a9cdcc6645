"""The exports write, byte for byte, what they wrote before they were made fast (files in tests/data/).

After a change meant to change an export, `make golden` writes the files afresh from the same
records (this test, run with --write-golden); review their diff before committing it.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tracker.models import Source

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = {
    "export_claims.csv": ["export_claims"],
    "export_discrepancies.json": ["export_discrepancies"],
    "export_discrepancies.csv": ["export_discrepancies", "--format", "csv"],
}


@pytest.fixture
def records():
    """The demo, every form of count, a UCDP sample, and a confidential source: every kind of row."""
    quiet = io.StringIO()
    call_command("load_demo", stdout=quiet)
    call_command("import_claims", str(DATA / "claims_every_form.csv"), stdout=quiet)
    call_command("import_claims", "--format", "ucdp-ged", str(FIXTURES / "ged231_sample.csv"), stdout=quiet)
    Source.objects.filter(pk=Source.objects.order_by("pk").values("pk")[:1]).update(confidential=True)


@pytest.mark.parametrize("name", GOLDEN)
def test_an_export_writes_what_it_wrote_before(records, name, pytestconfig):
    written = io.StringIO()
    call_command(*GOLDEN[name], stdout=written)
    golden = DATA / name
    if pytestconfig.getoption("write_golden"):
        golden.write_text(written.getvalue(), encoding="utf-8")
    assert written.getvalue() == golden.read_text(encoding="utf-8")
