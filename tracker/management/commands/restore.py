from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.backups import NotEmpty, backup_restore


class Command(BaseCommand):
    help = "Restore a backup written by `backup` into an empty, migrated database: whole or not at all."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"no file {file}")
        try:
            backup_restore(path=file)
        except NotEmpty as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {file}.")
