"""Benchmark: how long the pages, downloads and API take on years of data, as medians.

Not part of the suite (timings are never asserted). Run it against a database that holds
real data, for example all of UCDP GED Syria 2016-2019:

    export DATABASE_URL=sqlite:////tmp/bench.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py import_claims --format ucdp-ged ged_syria.csv
    .venv/bin/python tests/bench_pages.py [--runs 7]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tracker.models import Claim, Event  # noqa: E402
from tracker.summaries import event_summaries_refresh  # noqa: E402


def timed(action, runs: int) -> tuple[float, int]:
    """Return the median seconds of `runs` calls, and the queries of the last one."""
    seconds = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            action()
            seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    busiest = Event.objects.order_by("-claim_count", "ref").first()
    print(f"{connection.vendor}: {Event.objects.count()} events, {Claim.objects.count()} claims; {runs} runs each")

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    checks = {
        "dashboard /": page("/"),
        "event list /events/": page("/events/"),
        "event list, filtered and by ratio": page("/events/?level=major&level=minor&country=SY&ordering=-ratio"),
        "event list, text search": page("/events/?q=aleppo"),
        "event list, page 100": page("/events/?page=100"),
        f"event page /events/{busiest.ref}/": page(f"/events/{busiest.ref}/"),
        "parties /parties/": page("/parties/"),
        "API /api/events/": page("/api/events/"),
        "download, every event as CSV": page("/events/export.csv"),
    }
    for name, action in checks.items():
        seconds, queries = timed(action, runs)
        print(f"  {name:45} {seconds * 1000:9.1f} ms  {queries:4d} queries")
    seconds, _ = timed(event_summaries_refresh, min(runs, 3))
    print(f"  {'rebuild every stored summary':45} {seconds:9.2f} s")


if __name__ == "__main__":
    main()
