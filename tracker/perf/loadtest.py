"""A bounded load test: clients asking a running tracker for one page at once, as signed-in users.

`load_test(url, clients=8, requests=2000)` signs a user in by a session stored for the run (the
same database as the server's), sends `requests` GETs from `clients` threads, each waiting for its
answer before the next, and reports answers a second, latencies and every answer that was not a
200. It is bounded in requests and in time per request, so that it cannot run away with a machine
or a server. Timings are never asserted anywhere; they depend on the machine.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from tracker.perf.benchmark import percentile
from tracker.perf.sessions import signed_in_session

REQUEST_TIMEOUT = 30  # seconds a client waits for one answer before counting it an error


@dataclass
class LoadReport:
    url: str
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)  # status code -> how many
    failures: Counter = field(default_factory=Counter)  # what went wrong without an answer -> how many

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return self.requests - self.answers[200]

    def summary(self) -> dict:
        return {
            "url": self.url,
            "clients": self.clients,
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "median_ms": round(statistics.median(self.latencies) * 1000, 1) if self.latencies else None,
            "p95_ms": round(percentile(self.latencies, 95) * 1000, 1) if self.latencies else None,
            "errors": self.errors,
            "answers": {str(status): count for status, count in sorted(self.answers.items())},
            "failures": dict(self.failures),
        }


def load_test(url: str, *, clients: int = 8, requests: int = 2000, warmup: int = 0) -> LoadReport:
    """Send `requests` GETs of `url` from `clients` threads at once (after `warmup` untimed ones)."""
    address = urlsplit(url)
    path = address.path or "/"
    if address.query:
        path += f"?{address.query}"
    report = LoadReport(url=url, clients=clients)
    lock = threading.Lock()
    remaining = iter(range(requests))

    with signed_in_session("loadtest") as session_key:
        headers = {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}",
            # Behind the proxy that production expects, so that a production configuration answers
            # rather than redirects to https.
            "X-Forwarded-Proto": "https",
        }

        def get() -> tuple[int | None, str | None]:
            connection = http.client.HTTPConnection(address.hostname, address.port or 80, timeout=REQUEST_TIMEOUT)
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                return response.status, None
            except (OSError, http.client.HTTPException) as error:
                return None, type(error).__name__
            finally:
                connection.close()

        def client() -> None:
            while True:
                with lock:
                    if next(remaining, None) is None:
                        return
                started = time.perf_counter()
                status, failure = get()
                latency = time.perf_counter() - started
                with lock:
                    report.latencies.append(latency)
                    if status is not None:
                        report.answers[status] += 1
                    else:
                        report.failures[failure] += 1

        for _ in range(warmup):
            get()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        report.seconds = time.perf_counter() - started
    return report
