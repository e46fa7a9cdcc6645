"""How long every page, the API, the track records, an import, the rebuild and the exports take, beside the admin's
event list.

`benchmark_run(runs=7, heavy_runs=3)` signs in by a session of a superuser made for the run (both
removed after, `tracker.perf.sessions`) and times each item in-process with Django's test Client or
`call_command`, and the parties' track records as the function the pages call. Each round times
every item once, each followed at once by the admin's event changelist, so that an item and the
admin timings it is compared with saw the same load of the machine: on a shared machine the ratio
of the two says more than either time alone. Per item it reports the median, the 95th percentile,
the database queries of one run, and the ratio of its median to the median of the admin beside it.

The import reads a claims CSV of new events generated for the run (`tracker.perf.scale`), a tenth as
many claims as the database holds, and imports it for real inside a transaction that is rolled
back after each timing: the data is left as it was. `rebuild_summaries` rewrites the summaries
as they are. Timings are never asserted anywhere; they depend on the machine.
"""

from __future__ import annotations

import io
import math
import os
import platform
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.urls import resolve, reverse

from tracker.models import Claim, Event, FateClaim, Party, Person, Source
from tracker.perf.scale import claims_csv_generate
from tracker.perf.sessions import signed_in_session
from tracker.rules.track_records import OWN
from tracker.summaries.track_records import TrackFilters, party_track_records

ADMIN_CHANGELIST = "/admin/tracker/event/"
DEEPEST_PAGE = 1000  # the deep page of the list, or the last it offers when it has fewer
IMPORT_SHARE = 10  # the import file holds one claim for every ten stored


class NoData(Exception):
    """The database holds no events to measure against."""


class NullStream(io.TextIOBase):
    """Where the exports write while timed: text is accepted and dropped."""

    def write(self, text: str) -> int:
        return len(text)


class QueryCounter:
    """Counts the queries sent to the database while installed with `connection.execute_wrapper`."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Item:
    name: str
    target: str  # an address, or a command line
    kind: str  # page, figures (a function the pages call), download, import or command
    action: Callable[[], None]
    runs: int
    note: str = ""
    seconds: list[float] = field(default_factory=list)
    admin_seconds: list[float] = field(default_factory=list)  # the admin's, each timed right after this item
    queries: int = 0

    def summary(self) -> dict:
        median, admin_median = statistics.median(self.seconds), statistics.median(self.admin_seconds)
        return {
            "name": self.name,
            "target": self.target,
            "kind": self.kind,
            "runs": len(self.seconds),
            "median_ms": round(median * 1000, 1),
            "p95_ms": round(percentile(self.seconds, 95) * 1000, 1),
            "queries": self.queries,
            "admin_median_ms": round(admin_median * 1000, 1),
            "ratio": round(median / admin_median, 2),
            "note": self.note,
        }


def percentile(values: list[float], share: int) -> float:
    """Return the nearest-rank percentile: of fewer than twenty runs, the 95th is the slowest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share / 100 * len(ordered)) - 1)]


def timed(action: Callable[[], None]) -> tuple[float, int]:
    """Run an action; return its seconds and how many queries it sent."""
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        action()
        seconds = time.perf_counter() - start
    return seconds, counter.count


def request_host() -> str:
    """A host name the settings accept, so that requests pass ALLOWED_HOSTS in any mode."""
    for host in settings.ALLOWED_HOSTS:
        if host != "*":
            return host.lstrip(".")
    return "localhost"


def deep_page(events: int) -> int:
    """Return the deep page of the event list to time: DEEPEST_PAGE, or the last the list offers if fewer.

    The list's page size and cap on pages are asked of the view its address resolves to, paging
    `events` rows as it does: the page timed is one the list serves, wherever the view is defined.
    """
    view = resolve(reverse("event_list")).func.view_class
    return min(DEEPEST_PAGE, view.paginator_class(range(events), view.paginate_by).num_pages)


def page(client: Client, address: str) -> Callable[[], None]:
    def get():
        # As HTTPS, so that a production configuration answers rather than redirects.
        response = client.get(address, secure=True)
        if response.status_code != 200:
            raise AssertionError(f"{address} answered {response.status_code}")
        if response.streaming:
            b"".join(response.streaming_content)

    return get


def command(*arguments: str) -> Callable[[], None]:
    def run():
        call_command(*arguments, stdout=NullStream(), stderr=NullStream())

    return run


def import_rolled_back(path: Path) -> Callable[[], None]:
    def run():
        with transaction.atomic():
            call_command("import_claims", str(path), stdout=NullStream(), stderr=NullStream())
            transaction.set_rollback(True)

    return run


def figures(filters: TrackFilters) -> Callable[[], None]:
    def read():
        party_track_records(filters)

    return read


def track_record_items(runs: int, busiest: Event) -> list[Item]:
    """Every party's track record under no filter and under one of each kind: what the parties' table and a
    party's page read (a party's page reads them all and shows its own), timed as the function they call."""
    year = busiest.start_date.year
    filters = [
        ("track records, every party", TrackFilters()),
        ("track records, civilians", TrackFilters(category="civilian")),
        ("track records, each party's own dead", TrackFilters(victim_side=OWN)),
        (f"track records, events in {busiest.country.code}", TrackFilters(country=busiest.country.code)),
        (f"track records, events of {year}", TrackFilters(date_from=date(year, 1, 1), date_to=date(year, 12, 31))),
        ("track records, airstrikes", TrackFilters(event_type="airstrike")),
        ("track records, against monitors", TrackFilters(others_kind="monitor")),
    ]
    return [
        Item(name, f"party_track_records({filters_text(chosen)})", "figures", figures(chosen), runs)
        for name, chosen in filters
    ]


def filters_text(filters: TrackFilters) -> str:
    defaults = TrackFilters()
    return ", ".join(
        f"{field.name}={getattr(filters, field.name)}"
        for field in fields(TrackFilters)
        if getattr(filters, field.name) != getattr(defaults, field.name)
    )


KINDS = ("page", "figures", "download", "import", "command")
PEOPLE_SEARCH = "halimov"  # a family name of the generated people, found however it is spelled


def people_items(page_item, *, search: str, most_reported: Person | None, largest: Party | None) -> list[Item]:
    """The people's list, its filters and the page of the person with most fate claims."""
    items = [
        page_item("people", "/people/"),
        page_item("people, in a fate conflict", "/people/?conflict=any"),
        page_item("people, name search", f"/people/?q={search}"),
        page_item(
            "people of the party with most members", f"/people/?affiliation={largest.pk}" if largest else "/people/"
        ),
        page_item("people, reported killed", "/people/?fate=killed"),
    ]
    if most_reported is not None:
        items.append(
            page_item(
                "person page with the most fate claims",
                f"/people/{most_reported.pk}/",
                note=f"{most_reported.fates} fate claims",
            )
        )
    return items


def benchmark_items(
    client: Client, *, runs: int, heavy_runs: int, search: str, workdir: Path, kinds=KINDS
) -> list[Item]:
    """Return what the benchmark times, in the order the issue lists it (those of the given kinds)."""
    busiest = Event.objects.order_by("-claim_count", "ref").first()
    prolific = Party.objects.annotate(claims_made=Count("claims")).order_by("-claims_made", "pk").first()
    deep = deep_page(Event.objects.count())
    most_reported = Person.objects.annotate(fates=Count("fate_claims")).order_by("-fates", "pk").first()
    largest = Party.objects.annotate(people=Count("members")).filter(people__gt=0).order_by("-people", "pk").first()

    import_file, import_rows = workdir / "import.csv", 0
    if "import" in kinds:
        with import_file.open("w", encoding="utf-8", newline="") as stream:
            import_claims = max(10, Claim.objects.count() // IMPORT_SHARE)
            import_rows = claims_csv_generate(claims=import_claims, seed=1, stream=stream)

    def page_item(name, address, note="", kind="page", item_runs=runs):
        return Item(name, address, kind, page(client, address), item_runs, note)

    items = [
        page_item("parties", "/parties/"),
        page_item("dashboard", "/"),
        page_item("dashboard, the injured", "/?outcome=injured"),
        page_item("events of the party with most claims", f"/events/?party={prolific.pk}" if prolific else "/events/"),
        page_item("event list, text search", f"/events/?q={search}"),
        page_item("event list, widest ratio first", "/events/?ordering=-ratio"),
        page_item(f"event list, page {deep}", f"/events/?page={deep}"),
        page_item("event list, major only", "/events/?level=major"),
        page_item("event list, the injured", "/events/?outcome=injured"),
        page_item("event list, injured counts major", "/events/?injured_level=major"),
        page_item("event list, inconsistent reports", "/events/?inconsistent=true"),
        page_item("event list, graded fair", "/events/?grade=fair"),
        page_item("event list, a claim differs from the assessment", "/events/?assessment=differs"),
        page_item("event list, suggested weak", "/events/?suggested=weak"),
        page_item("to assess", "/assess/"),
        page_item("review queue", "/review/"),
        page_item(
            "event page with the most claims",
            reverse("event_detail", args=[busiest.ref]),  # a ref may hold "#" or "?"
            note=f"{busiest.claim_count} claims",
        ),
        page_item("event list", "/events/"),
        page_item("API, events", "/api/events/"),
        *people_items(page_item, search=PEOPLE_SEARCH, most_reported=most_reported, largest=largest),
        *track_record_items(runs, busiest),
        page_item("download, every event as CSV", "/events/export.csv", kind="download", item_runs=heavy_runs),
        Item(
            "import of a claims CSV",
            f"import_claims ({import_rows:,} claims)",
            "import",
            import_rolled_back(import_file),
            heavy_runs,
            note=f"{import_rows:,} claims on new events, imported in a transaction rolled back after timing",
        ),
        Item("rebuild every summary", "rebuild_summaries", "command", command("rebuild_summaries"), heavy_runs),
        Item(
            "export every claim", "export_claims", "command", command("export_claims"), heavy_runs, "to a null stream"
        ),
        Item(
            "export every event's discrepancies",
            "export_discrepancies",
            "command",
            command("export_discrepancies"),
            heavy_runs,
            note="JSON, to a null stream",
        ),
    ]
    return [item for item in items if item.kind in kinds]


def database_name() -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    return connection.display_name


def benchmark_run(
    *, runs: int = 7, heavy_runs: int = 3, search: str = "market", machine: str = "", progress=None, kinds=KINDS
) -> dict:
    """Time every item beside the admin's event changelist; return the report (see the module's docstring)."""
    if not Event.objects.exists():
        raise NoData("the database holds no events; fill it first, e.g. with generate_scale_data --events 2000")
    progress = progress or (lambda message: None)
    with signed_in_session("benchmark") as session_key, tempfile.TemporaryDirectory() as workdir:
        client = Client(HTTP_HOST=request_host())
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        items = benchmark_items(
            client, runs=runs, heavy_runs=heavy_runs, search=search, workdir=Path(workdir), kinds=kinds
        )
        admin = page(client, ADMIN_CHANGELIST)
        # One untimed request each first: template loading and the like happen once per process.
        for item in items:
            if item.kind == "page":
                item.action()
        admin()
        admin_queries = 0
        for round_number in range(1, max(runs, heavy_runs) + 1):
            for item in items:
                if len(item.seconds) >= item.runs:
                    continue
                seconds, item.queries = timed(item.action)
                item.seconds.append(seconds)
                seconds, admin_queries = timed(admin)
                item.admin_seconds.append(seconds)
            progress(f"round {round_number} of {max(runs, heavy_runs)} done")

    admin_seconds = [seconds for item in items for seconds in item.admin_seconds]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": database_name(),
        "data": {
            "events": Event.objects.count(),
            "claims": Claim.objects.count(),
            "parties": Party.objects.count(),
            "sources": Source.objects.count(),
            "people": Person.objects.count(),
            "fate_claims": FateClaim.objects.count(),
        },
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "note": machine,
        },
        "debug": settings.DEBUG,
        "runs": runs,
        "heavy_runs": heavy_runs,
        "baseline": {
            "name": "admin's event list",
            "target": ADMIN_CHANGELIST,
            "runs": len(admin_seconds),
            "median_ms": round(statistics.median(admin_seconds) * 1000, 1),
            "p95_ms": round(percentile(admin_seconds, 95) * 1000, 1),
            "queries": admin_queries,
        },
        "items": [item.summary() for item in items],
    }


def duration_text(milliseconds: float) -> str:
    if milliseconds >= 1000:
        return f"{milliseconds / 1000:.1f} s"
    if milliseconds >= 10:
        return f"{milliseconds:.0f} ms"
    return f"{milliseconds:.1f} ms"


def benchmark_table(report: dict) -> str:
    """Return the report as a Markdown table, with a line saying what was measured where."""
    data, machine, baseline = report["data"], report["machine"], report["baseline"]
    where = f"{machine['cpus']} CPUs" + (f", {machine['note']}" if machine["note"] else "")
    lines = [
        f"{report['database']}, {data['events']:,} events, {data['claims']:,} claims, {data['parties']:,} parties, "
        f"{data['sources']:,} sources, {data['people']:,} people ({data['fate_claims']:,} fate claims); {where} "
        f"({machine['platform']}, Python {machine['python']}, "
        f"Django {machine['django']}, DEBUG {'on' if report['debug'] else 'off'}); {report['date'][:10]}. "
        f"Median and 95th percentile of {report['runs']} runs ({report['heavy_runs']} for the download, import, "
        "rebuild and exports), each run followed by one of the admin's event list; the ratio is the item's median "
        "over the median of the admin runs beside it.",
        "",
        "| what | address or command | median | p95 | queries | admin median | ratio to admin |",
        "|---|---|---:|---:|---:|---:|---:|",
        f"| {baseline['name']} (baseline) | `{baseline['target']}` | {duration_text(baseline['median_ms'])} "
        f"| {duration_text(baseline['p95_ms'])} | {baseline['queries']} | | 1.00 |",
    ]
    for item in report["items"]:
        name = f"{item['name']} ({item['note']})" if item["note"] else item["name"]
        lines.append(
            f"| {name} | `{item['target']}` | {duration_text(item['median_ms'])} | {duration_text(item['p95_ms'])} "
            f"| {item['queries']} | {duration_text(item['admin_median_ms'])} | {item['ratio']:.2f} |"
        )
    return "\n".join(lines) + "\n"
