"""Files made to take the import worker's memory are refused with the limit named, within bounded memory.

Each file is imported as the worker runs an upload's preview (tracker.ingest.jobs.import_job_run),
or as the command does, in a process of its own whose address space is capped (RLIMIT_AS): a
regression fails with a MemoryError rather than swapping the machine. The process reports its peak
resident memory beyond what it held before the import, as the kernel counts it (VmHWM).
The files are made here, small on disk where they unpack to much (a workbook is compressed).
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from itertools import chain
from pathlib import Path

import pytest

from tests.helpers import claim_row
from tests.workbooks import sheet_row, xlsx_handmade

ROOT = Path(__file__).resolve().parent.parent
CAPPED_AT = 600_000_000  # bytes of address space the import may add to the process
GROWN_AT_MOST = 300_000_000  # bytes of resident memory the import may add

# Runs in a fresh interpreter: a database of its own (its tables made from the models, without
# migrations), then the import under the cap.
IMPORT_UNDER_A_CAP = """
import io, json, os, resource, sys
import django
django.setup()
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from tracker.ingest.jobs import import_job_run
from tracker.models import ImportJob

how, path, capped_at = sys.argv[1], sys.argv[2], int(sys.argv[3])
with connection.schema_editor() as editor:
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            editor.create_model(model)
user = User.objects.create_superuser("worker")
if how == "worker":
    with open(path, "rb") as file:
        job_id = ImportJob.objects.create(
            uploaded_by=user, name=os.path.basename(path), format="claims", content=file.read(), language="en"
        ).pk

def status(name):
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) * 1024 for line in lines if line.startswith(name + ":"))

before = status("VmRSS")
resource.setrlimit(resource.RLIMIT_AS, (status("VmSize") + capped_at, resource.RLIM_INFINITY))
outcome = {}
try:
    if how == "worker":
        import_job_run(job_id=job_id, dry_run=True)
    else:
        err = io.StringIO()
        try:
            call_command("import_claims", path, "--dry-run", stdout=io.StringIO(), stderr=err)
        except Exception as error:
            outcome["command"] = f"{type(error).__name__}: {error}"
        outcome["stderr"] = err.getvalue()
except MemoryError:
    outcome["memory"] = "MemoryError"
grown = status("VmHWM") - before
resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
if how == "worker":
    job = ImportJob.objects.get()
    outcome.update(state=job.state, failure=job.failure, errors=(job.preview or {}).get("errors"))
outcome["grown"] = grown
print(json.dumps(outcome))
"""


def imported_under_a_cap(path: Path, how: str) -> dict:
    """Import a file in a process of its own, capped; return what it reported."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{path.parent / 'worker.sqlite3'}"}
    environment.pop("DATABASE_REPLICA_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_UNDER_A_CAP, how, str(path), str(CAPPED_AT)],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def workbook_written(path: Path, sheet_data: Iterable[bytes]) -> Path:
    """Write a workbook whose first sheet is a header and then the given pieces of XML, streamed."""
    with path.open("wb") as file:
        xlsx_handmade(chain([sheet_row(claim_row(), 1)], sheet_data), file)
    return path


def claim_cells() -> bytes:
    return sheet_row(claim_row().values()).removeprefix(b"<row>").removesuffix(b"</row>")


def test_a_workbook_row_of_eight_million_empty_cells_is_refused_by_the_worker(tmp_path):
    path = workbook_written(tmp_path / "claims.xlsx", [b'<row r="2">', claim_cells(), b"<c/>" * 8_000_000, b"</row>"])
    assert path.stat().st_size < 100_000
    outcome = imported_under_a_cap(path, "worker")
    assert outcome["state"] == "failed" and "memory" not in outcome
    assert outcome["errors"] == [
        [1, "row 2 of a sheet has more cells than an import reads in a row (16,384, IMPORT_MAX_ROW_CELLS)"]
    ]
    assert outcome["grown"] < GROWN_AT_MOST


def test_a_csv_line_of_twenty_million_fields_is_refused_by_the_worker(tmp_path):
    path = tmp_path / "claims.csv"
    with path.open("wb") as file:
        file.write(",".join(claim_row()).encode() + b"\r\n" + ",".join(claim_row().values()).encode())
        file.write(b"," * 20_000_000 + b"\r\n")
    outcome = imported_under_a_cap(path, "worker")
    assert outcome["state"] == "failed" and "memory" not in outcome
    assert outcome["errors"] == [
        [2, "the row has more cells than an import reads in a row (16,384, IMPORT_MAX_ROW_CELLS)"]
    ]
    assert outcome["grown"] < GROWN_AT_MOST


def test_a_workbook_cell_of_480_megabytes_is_refused_by_the_command(tmp_path):
    text = (b"x" * 1_000_000 for _ in range(480))  # written a megabyte at a time
    cell = chain([b'<row r="2"><c t="inlineStr"><is><t>'], text, [b"</t></is></c></row>"])
    path = workbook_written(tmp_path / "claims.xlsx", cell)
    assert path.stat().st_size < 2_000_000
    outcome = imported_under_a_cap(path, "command")
    assert "memory" not in outcome
    assert outcome["command"] == "CommandError: 1 bad row(s) in claims.xlsx; nothing was imported."
    assert outcome["stderr"] == (
        "claims.xlsx: line 1: row 2 of a sheet holds a cell far longer than a cell may be (32,767, "
        "IMPORT_MAX_CELL_CHARS)\n"
    )
    assert outcome["grown"] < GROWN_AT_MOST


@pytest.mark.parametrize("how", ["worker", "command"])
def test_a_file_within_the_limits_is_read_by_the_capped_process(tmp_path, how):
    """The cap leaves room for an ordinary import: a refusal above is the limit's, not the cap's."""
    path = workbook_written(tmp_path / "claims.xlsx", [b'<row r="2">', claim_cells(), b"</row>"])
    outcome = imported_under_a_cap(path, how)
    assert "memory" not in outcome and "command" not in outcome
    assert outcome.get("state", "previewed") == "previewed" and not outcome.get("errors")
