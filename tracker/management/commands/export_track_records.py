from datetime import date

from django.core.management.base import CommandError

from tracker.exports.track_records import track_record_rows, track_records_write
from tracker.management.exporting import ExportCommand
from tracker.models.choices import EventType, PartyKind, VictimCategory
from tracker.rules.track_records import VICTIM_SIDES
from tracker.summaries.track_records import OTHERS, TrackFilters, UnknownParty


class Command(ExportCommand):
    help = (
        "Write each party's track record, by name: how often its current counts sit above, within or below the "
        "other parties' (or an assessor's figures), its median ratio with the quartiles, its denials, retractions "
        "and revisions (JSON to standard output by default, or CSV), over the events and claims the options keep."
    )
    formats = ["json", "csv"]
    default_format = "json"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--category", choices=VictimCategory.values, help="only claims of this victim category")
        parser.add_argument(
            "--victim-side", choices=VICTIM_SIDES,
            help="only claims of each party's own dead (own), of another party's (other), or of no side named (none)",
        )  # fmt: skip
        parser.add_argument("--country", help="only events in this country (ISO 3166-1 alpha-2)")
        parser.add_argument("--date-from", type=date.fromisoformat, metavar="YYYY-MM-DD", help="events from this day")
        parser.add_argument("--date-to", type=date.fromisoformat, metavar="YYYY-MM-DD", help="events up to this day")
        parser.add_argument("--event-type", choices=EventType.values, help="only events of this type")
        parser.add_argument("--others-kind", choices=PartyKind.values, help="the others are only parties of this kind")
        parser.add_argument("--others", metavar="PARTY", help="the others are only this party (its name)")
        parser.add_argument(
            "--against", default=OTHERS, metavar="others|ASSESSOR",
            help="set each party against the other parties' claims (others, the default) or an assessor's figures "
            "(the assessor party's name)",
        )  # fmt: skip

    def export(self, *, format: str, stream, options):
        filters = TrackFilters(
            category=options["category"], victim_side=options["victim_side"], country=options["country"],
            date_from=options["date_from"], date_to=options["date_to"], event_type=options["event_type"],
            others_kind=options["others_kind"], others=options["others"], against=options["against"],
        )  # fmt: skip
        try:
            rows = list(track_record_rows(filters))
        except UnknownParty as error:
            raise CommandError(error) from None
        track_records_write(rows, format=format, stream=stream)
