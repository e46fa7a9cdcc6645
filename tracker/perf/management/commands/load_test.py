import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.perf.loadtest import load_test


class Command(BaseCommand):
    help = (
        "Load a running tracker (e.g. gunicorn tracker.wsgi) with a bounded number of page requests from "
        "several clients at once, signed in by a session made for the run in this database; print answers "
        "a second, latencies and every answer that was not a 200."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="the page to ask for, e.g. http://127.0.0.1:8000/events/")
        parser.add_argument("--clients", type=int, default=8, help="requests in flight at once (default 8)")
        parser.add_argument("--requests", type=int, default=2000, help="how many requests in all (default 2000)")
        parser.add_argument("--warmup", type=int, default=20, help="untimed requests first (default 20)")
        parser.add_argument("--output", type=Path, help="write the report as JSON to this file")

    def handle(self, *args, url: str, clients: int, requests: int, warmup: int, output, **options):
        if not url.startswith("http://"):
            raise CommandError("Give the page as http://host:port/path; the tracker's server behind its TLS proxy.")
        if clients < 1 or requests < 1 or warmup < 0:
            raise CommandError("--clients and --requests must be at least 1, --warmup at least 0")
        summary = load_test(url, clients=clients, requests=requests, warmup=warmup).summary()
        if output is not None:
            output.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(
            f"{summary['requests']:,} requests from {clients} clients in {summary['seconds']} s: "
            f"{summary['requests_per_second']} a second, median {summary['median_ms']} ms, "
            f"p95 {summary['p95_ms']} ms, {summary['errors']} errors"
        )
        if summary["errors"]:
            self.stdout.write(f"answers {summary['answers']}, failures {summary['failures']}")
