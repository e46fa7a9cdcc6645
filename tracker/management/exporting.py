"""What the export commands share: the --format and --output options, and where bytes go."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class ExportCommand(BaseCommand):
    formats: list[str] = []
    default_format = ""

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=self.formats, default=self.default_format)
        parser.add_argument(
            "--output", "-o", type=Path, help="write to this file instead of standard output (needed for xlsx)"
        )

    def handle(self, *args, format: str, output: Path | None, **options):
        binary = format == "xlsx"
        if output is None:
            if binary:
                raise CommandError("An xlsx workbook is binary: give the file to write with --output FILE.xlsx")
            self.export(format=format, stream=self.stdout, options=options)
            return
        try:
            with output.open(
                "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""})
            ) as stream:
                self.export(format=format, stream=stream, options=options)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from None
        self.stderr.write(f"Wrote {output}.")

    def export(self, *, format: str, stream, options):
        raise NotImplementedError
