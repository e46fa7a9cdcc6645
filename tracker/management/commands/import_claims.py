import sys
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tracker.ingest.formats import FORMATS
from tracker.ingest.importer import file_import
from tracker.ingest.tables import line_count


class Command(BaseCommand):
    help = (
        "Import claims from a .csv or .xlsx file in one of the import formats (--format). All or nothing: "
        "on any bad row, nothing is stored and every bad row is listed with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the file: .csv (UTF-8, header row first) or .xlsx (first sheet)")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, store nothing")
        parser.add_argument(
            "--format",
            choices=list(FORMATS),
            default="claims",
            help="; ".join(f"{name}: {format.label}" for name, format in FORMATS.items()) + " (default: claims)",
        )

    def handle(self, *args, file: Path, dry_run: bool, format: str, **options):
        try:
            with file.open("rb") as stream:
                total = line_count(stream, name=file.name)
                report = file_import(
                    file=stream,
                    name=file.name,
                    format=format,
                    dry_run=dry_run,
                    reason=f"import of {file.name}",
                    progress=lambda rows: self.with_progress(rows, total=total),
                )
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None

        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"{file.name}: {warning} (warning)"))
        if report.warnings.omitted:
            self.stderr.write(self.style.WARNING(f"{file.name}: and {report.warnings.omitted} more warnings"))
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"{file.name}: {error}")
            if report.errors.omitted:
                self.stderr.write(f"{file.name}: and {report.errors.omitted} more bad rows")
            raise CommandError(f"{report.errors.total} bad row(s) in {file.name}; nothing was imported.")
        verb = "Checked (dry run, nothing stored)" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {file.name}: {report.summary()}."))

    def with_progress(self, rows, *, total: int) -> Iterator:
        """Show how far the import has read, on a terminal only (never in logs or pipes)."""
        with tqdm(total=total, unit=" lines", file=sys.stderr, disable=not self.stderr.isatty(), leave=False) as bar:
            for line, row in rows:
                bar.update(max(line - bar.n, 0))
                yield line, row
