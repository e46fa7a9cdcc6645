from django.core.management.base import BaseCommand

from tracker.claims_csv import write_claims_csv
from tracker.exports import claim_rows


class Command(BaseCommand):
    help = "Write every claim to standard output in the claims CSV format, ready to import again."

    def handle(self, *args, **options):
        write_claims_csv(claim_rows(), self.stdout)
