from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.claims_csv import BadFile, read_claims_csv
from tracker.imports import claims_import


class Command(BaseCommand):
    help = (
        "Import claims from a CSV file in the claims format. All or nothing: on any bad row, "
        "nothing is stored and every bad row is listed with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the claims CSV (UTF-8, header row first)")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, store nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            with file.open("rb") as stream:
                header, rows = read_claims_csv(stream)
                report = claims_import(rows=rows, header=header, dry_run=dry_run, reason=f"import of {file.name}")
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except BadFile as error:
            raise CommandError(f"{file}: line {error.line}: {error}") from None

        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"{file.name}: {warning} (warning)"))
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"{file.name}: {error}")
            raise CommandError(f"{len(report.errors)} bad row(s) in {file.name}; nothing was imported.")
        verb = "Checked (dry run, nothing stored)" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {file.name}: {report.summary()}."))
