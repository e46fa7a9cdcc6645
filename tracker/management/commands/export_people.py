from tracker.exports.people import people_export
from tracker.management.exporting import ExportCommand


class Command(ExportCommand):
    help = (
        "Write every person to standard output: JSON, one object per person with their conflicts and fates, or "
        "CSV in the people import format, one row a fate claim, ready to import again with "
        "`import_claims --format people` (its events stored): export, import, export gives the same file."
    )
    formats = ["json", "csv"]
    default_format = "json"

    def export(self, *, format: str, stream, options):
        people_export(format=format, stream=stream)
