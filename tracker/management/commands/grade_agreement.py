from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tracker.models import Assessment, Event, Grade, Party
from tracker.models.assessments import grade_suggestions

NONE = "none"  # no suggestion: no civilian harm reported


def agreement_table(pairs: Counter, assessor: str) -> list[str]:
    """Return, as the lines of a Markdown table, how many events have each (assessor's grade, suggested grade),
    rows the assessor's grade and columns the suggestion, with totals; then how often the two are equal."""
    columns = [*Grade.values, NONE]
    owner = f"{assessor}'" if assessor.endswith("s") else f"{assessor}'s"  # Airwars', the organisation's
    lines = [
        f"| {owner} grade \\ suggested | {' | '.join(columns)} | total |",
        "|---|" + "---:|" * (len(columns) + 1),
    ]
    for grade in Grade.values:
        counts = [pairs[grade, suggested] for suggested in columns]
        lines.append(f"| {grade} | {' | '.join(map(str, counts))} | {sum(counts)} |")
    totals = [sum(pairs[grade, suggested] for grade in Grade.values) for suggested in columns]
    lines.append(f"| total | {' | '.join(map(str, totals))} | {sum(totals)} |")
    equal, events = sum(pairs[grade, grade] for grade in Grade.values), sum(totals)
    # Per thousand in whole numbers, rounded half up: a share shown with one decimal, computed exactly.
    share = (equal * 1000 * 2 + events) // (events * 2) if events else 0
    lines += ["", f"The suggested grade equals {owner} for {equal} of {events} events ({share / 10:.1f} %)."]
    return lines


class Command(BaseCommand):
    help = (
        "Set an assessor's current grade of each event it assessed against the grade the event's claims suggest, "
        "and print the counts as a Markdown table (rows the assessor's grade, columns the suggestion, `none` "
        "where the claims suggest none), then how often the two are equal."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--assessor", default=None,
            help="the assessor party's name (default: the organisation, the setting TRACKER_ORGANISATION)",
        )  # fmt: skip

    def handle(self, *args, assessor, **options):
        name = assessor or settings.TRACKER_ORGANISATION
        party = Party.objects.filter(name__iexact=name).first()
        if party is None:
            raise CommandError(f"No party is named {name!r}.")
        grades = dict(Assessment.objects.current().filter(assessor=party).values_list("event_id", "grade"))
        suggested = grade_suggestions(Event.objects.filter(assessments__assessor=party).distinct())
        pairs = Counter((grade, suggested[event_id] or NONE) for event_id, grade in grades.items())
        self.stdout.write("\n".join(agreement_table(pairs, party.name)))
