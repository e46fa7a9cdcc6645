"""The settings the tests run with: the tracker's own, read from the environment, with the developer
tools' app (tracker.perf) installed so that its commands are tested.

The tools are installed as a developer installs them, by TRACKER_PERF_TOOLS, set here before
tracker.settings reads it: pytest-django loads the settings before any conftest, so a conftest
would set it too late. tests/test_settings.py checks the tracker's settings without it.
"""

import os

os.environ["TRACKER_PERF_TOOLS"] = "1"

from tracker.settings import *  # noqa: F403
