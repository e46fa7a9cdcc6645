import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.perf.benchmark import KINDS, NoData, benchmark_run, benchmark_table


class Command(BaseCommand):
    help = (
        "Time every page, the API, the events download, an import, rebuild_summaries and the exports on the "
        "data in the database, each run beside one of the admin's event list; print a table of medians, "
        "95th percentiles, query counts and ratios to the admin, and write it as JSON and Markdown."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7, help="timed runs of each page (default 7)")
        parser.add_argument(
            "--heavy-runs",
            type=int,
            default=3,
            help="timed runs of the download, the import, the rebuild and the exports (default 3)",
        )
        parser.add_argument("--output", type=Path, help="write the report as JSON to this file")
        parser.add_argument("--table", type=Path, help="write the table as Markdown to this file")
        parser.add_argument("--search", default="market", help="the word of the text search (default market)")
        parser.add_argument(
            "--kinds",
            default=",".join(KINDS),
            help=f"which items to time, comma-separated among {', '.join(KINDS)} (default all)",
        )
        parser.add_argument("--machine", default="", help="a word on the machine for the table, e.g. '2 shared cores'")

    def handle(self, *args, runs: int, heavy_runs: int, output, table, search: str, machine: str, kinds: str, **_):
        if runs < 1 or heavy_runs < 1:
            raise CommandError("--runs and --heavy-runs must be at least 1")
        chosen = tuple(kind.strip() for kind in kinds.split(",") if kind.strip())
        if not chosen or set(chosen) - set(KINDS):
            raise CommandError(f"--kinds takes some of {', '.join(KINDS)}")
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stderr.write(f"{message} ({time.monotonic() - started:.0f} s)")

        try:
            report = benchmark_run(
                runs=runs, heavy_runs=heavy_runs, search=search, machine=machine, progress=progress, kinds=chosen
            )
        except NoData as error:
            raise CommandError(str(error)) from None
        text = benchmark_table(report)
        if output is not None:
            output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if table is not None:
            table.write_text(text, encoding="utf-8")
        self.stdout.write(text)
