from tracker.exports.assessments import assessment_rows, assessments_write
from tracker.management.exporting import ExportCommand


class Command(ExportCommand):
    help = (
        "Write every assessment in the assessments import format (CSV to standard output by default), ready to "
        "import again with `import_claims --format assessments`: export, import, export gives the same file."
    )
    formats = ["csv", "xlsx"]
    default_format = "csv"

    def export(self, *, format: str, stream, options):
        assessments_write(assessment_rows(), format=format, stream=stream)
