from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.backups import backup_write


class Command(BaseCommand):
    help = (
        "Write a whole backup (records, history, users and roles) to FILE: .jsonl, or compressed "
        ".jsonl.gz / .jsonl.xz / .jsonl.bz2. It restores with `restore` into an empty database of either kind."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            backup_write(path=file)
        except ValueError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        self.stdout.write(f"Backed up to {file} ({file.stat().st_size:,} bytes).")
