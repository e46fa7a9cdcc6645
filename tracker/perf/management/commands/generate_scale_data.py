import time

from django.core.management.base import BaseCommand, CommandError

from tracker.backups import NotEmpty
from tracker.perf.scale import SubgroupsMissing, scale_data_generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with a generated data set for measuring speed: N events with about five "
        "claims each in the mix of years of data (about one in ten of who among the killed or of the injured), "
        "parties, sources, about one named person per twenty events with their fate claims, and the stored "
        "summaries. The same seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, required=True, help="how many events (200000 for the full size)")
        parser.add_argument("--seed", type=int, default=1, help="the random seed (default 1)")

    def handle(self, *args, events: int, seed: int, **options):
        if events < 1:
            raise CommandError("--events must be at least 1")
        self.started = time.monotonic()
        self.last_line = ""
        self.tenths: dict[str, int] = {}
        try:
            report = scale_data_generate(events=events, seed=seed, progress=self.progress)
        except (NotEmpty, SubgroupsMissing) as error:
            raise CommandError(str(error)) from None
        self.progress_end()
        seconds = time.monotonic() - self.started
        self.stdout.write(self.style.SUCCESS(f"Generated {report.summary()} in {seconds:.0f} s (seed {seed})."))

    def progress(self, stage: str, done: int, total: int) -> None:
        """One line that follows the work on a terminal; a line per tenth of each stage elsewhere."""
        line = f"{stage}: {done:,} / {total:,} events ({time.monotonic() - self.started:.0f} s)"
        if self.stderr.isatty():
            self.stderr.write(f"\r{line}", ending="")
            self.last_line = line
        elif done * 10 // total > self.tenths.get(stage, -1):
            self.tenths[stage] = done * 10 // total
            self.stderr.write(line)

    def progress_end(self) -> None:
        if self.last_line:
            self.stderr.write("")
