from django.core.management import call_command
from django.core.management.base import BaseCommand

from tracker.ingest.jobs import import_jobs_recover


class Command(BaseCommand):
    help = (
        "Run a background worker for the imports uploaded in the admin (and any other task), after "
        "retrying or failing the import jobs that a stopped worker left unfinished. Run one or more, on "
        "any machine that reaches the database; stop one with Ctrl-C or SIGTERM: it finishes its job first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run the tasks waiting now, then stop")

    def handle(self, *args, batch: bool, **options):
        for job in import_jobs_recover():
            self.stderr.write(f"import job {job.pk} ({job.name}) was left unfinished by a stopped worker: {job.state}")
        call_command("db_worker", batch=batch, reload=False, verbosity=options["verbosity"])
