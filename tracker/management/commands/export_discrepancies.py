import csv
import json

from django.core.management.base import BaseCommand

from tracker.exports import DISCREPANCY_CSV_COLUMNS, discrepancy_csv_row, discrepancy_records


class Command(BaseCommand):
    help = "Write one record per event, most severe first: its level, ratio, dispute flag and groups."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, format: str, **options):
        records = discrepancy_records()
        if format == "json":
            # Streamed record by record, so that years of events never sit in memory at once.
            self.stdout.write("[", ending="")
            for index, record in enumerate(records):
                self.stdout.write(("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False), ending="")
            self.stdout.write("\n]")
        else:
            writer = csv.DictWriter(self.stdout, fieldnames=DISCREPANCY_CSV_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(discrepancy_csv_row(record) for record in records)
