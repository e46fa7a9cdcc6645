from tracker.exports.discrepancies import discrepancies_write, discrepancy_records
from tracker.management.exporting import ExportCommand


class Command(ExportCommand):
    help = (
        "Write one record per event, most severe first: its level, ratio, dispute flag and groups "
        "(JSON to standard output by default; CSV and xlsx hold one flat row per event)."
    )
    formats = ["json", "csv", "xlsx"]
    default_format = "json"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--hxl", action="store_true", help="add a second row of HXL hashtags under the CSV or xlsx header"
        )
        parser.add_argument(
            "--site", default="", metavar="URL",
            help="the tracker's address (https://tracker.example.org), so that each record's url is whole; "
            "without it, the url is the event page's path",
        )  # fmt: skip

    def export(self, *, format: str, stream, options):
        records = discrepancy_records(site=options["site"].rstrip("/"))
        discrepancies_write(records, format=format, stream=stream, hxl=options["hxl"])
