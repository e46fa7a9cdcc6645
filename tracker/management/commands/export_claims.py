from tracker.exports.claims import claims_export
from tracker.management.exporting import ExportCommand


class Command(ExportCommand):
    help = (
        "Write every claim in the claims import format (CSV to standard output by default), "
        "ready to import again: export, import into an empty database, export gives the same file."
    )
    formats = ["csv", "xlsx"]
    default_format = "csv"

    def export(self, *, format: str, stream, options):
        claims_export(format=format, stream=stream)
