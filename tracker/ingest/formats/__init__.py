"""The import formats: each is one module that reads its rows as claim rows, registered here.

`import_claims --format`, the admin's import page and the docs' list of formats all follow
`FORMATS`, in the order registered. To add a format, write a module like `ucdp_ged` whose
`FORMAT` says how to check the header and read each row, and register it below.
"""

from tracker.ingest.formats import acled, airwars, assessments, claims, people, ucdp_ged
from tracker.ingest.formats.base import FORMATS, Format, ImportLine, get_format, register

register(claims.FORMAT)
register(ucdp_ged.FORMAT)
register(airwars.FORMAT)
register(acled.FORMAT)
register(assessments.FORMAT)
register(people.FORMAT)

__all__ = ["FORMATS", "Format", "ImportLine", "get_format", "register"]
