"""Developer tools for measuring speed: a generated data set, the benchmark and the load test.

An app of its own, installed only where `TRACKER_PERF_TOOLS=1` (and in the tests): production
runs without its commands, which make superusers and fill a database. Nothing else in the tracker
imports it.
"""
