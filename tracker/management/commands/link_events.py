import time

from django.conf import settings
from django.core.management.base import BaseCommand

from tracker import linking
from tracker.models import Event


class Command(BaseCommand):
    help = (
        "Propose pairs of events from different datasets that may be one incident and store them for the link "
        "review (in place of those proposed before; an import that makes new events proposes them anew too), "
        "and with --accept merge every one-to-one pair scoring at least --min-score. Ends with one line: the "
        "number of candidates, then of one-to-one candidates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--radius", type=float, default=None,
            help=f"kilometres two located events may lie apart (default {settings.TRACKER_LINK_RADIUS_KM:g}, "
            "the setting TRACKER_LINK_RADIUS_KM)",
        )  # fmt: skip
        parser.add_argument("--accept", action="store_true", help="merge every one-to-one candidate above the score")
        parser.add_argument("--min-score", type=int, default=0, help="with --accept: the lowest score accepted")
        parser.add_argument("--dry-run", action="store_true", help="with --accept: say how many, merge nothing")

    def handle(self, *args, radius, accept, min_score, dry_run, **options):
        started = time.perf_counter()
        proposal = linking.link_candidates_refresh(radius_km=radius)
        if options["verbosity"] >= 2:
            refs = dict(Event.objects.values_list("pk", "ref"))
            for item in proposal.candidates:
                reasons = ", ".join(code if value is None else f"{code} {value}" for code, value in item.reasons)
                self.stdout.write(f"{item.score}\t{refs[item.first]}\t{refs[item.second]}\t{reasons}")
        if accept:
            chosen = linking.scoring_at_least(proposal.one_to_one, min_score)
            self.stdout.write(
                f"{'Would accept' if dry_run else 'Accepting'} {len(chosen)} one-to-one candidates "
                f"scoring at least {min_score}."
            )
            if not dry_run:
                merged, refusals = linking.links_accept(candidates=chosen, user=None)
                self.stdout.write(self.style.SUCCESS(f"Merged {merged} pairs of events."))
                for refusal in refusals:
                    self.stdout.write(self.style.WARNING(f"Not merged: {refusal}"))
        events = {key for item in proposal.candidates for key in (item.first, item.second)}
        self.stdout.write(
            f"{len(proposal.candidates)} candidates, {len(proposal.one_to_one)} one-to-one, "
            f"{len(events)} events in a candidate, in {time.perf_counter() - started:.1f} s"
        )
