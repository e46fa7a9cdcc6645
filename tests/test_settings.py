"""Settings come from the environment; production mode refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LONG_KEY = "k3y-" + "x7Qp9" * 12


PRODUCTION = {"DEBUG": "false", "SECRET_KEY": LONG_KEY, "ALLOWED_HOSTS": "tracker.example.org"}
PERF_COMMANDS = {"generate_scale_data", "benchmark", "load_test"}


def manage(*args, **env):
    # A clean production-like environment: the tracker's own settings (the tests' install the developer
    # tools), and the browser tests relax async safety for their process only.
    unset = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", "TRACKER_PERF_TOOLS")
    environment = {key: value for key, value in os.environ.items() if key not in unset}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_mode_needs_a_secret_key():
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="tracker.example.org")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_mode_needs_allowed_hosts():
    result = manage("check", DEBUG="false", SECRET_KEY=LONG_KEY)
    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr


def test_production_mode_passes_the_deployment_checks():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY=LONG_KEY, ALLOWED_HOSTS="tracker.example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("value", ["postgres://tracker:pw@db.example.org:5433/claims", "sqlite:////tmp/claims.sqlite3"])
def test_database_url_selects_the_database(value):
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DATABASES['default'])",
                    DATABASE_URL=value)  # fmt: skip
    assert result.returncode == 0, result.stderr
    expected = "db.example.org" if value.startswith("postgres") else "/tmp/claims.sqlite3"
    assert expected in result.stdout


def test_production_cookies_are_secure_and_out_of_reach_of_scripts():
    names = ("SESSION", "CSRF", "LANGUAGE")
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(s.{name}_COOKIE_SECURE, s.{name}_COOKIE_HTTPONLY, s.{name}_COOKIE_SAMESITE)" for name in names
    )
    result = manage("shell", "-c", code, DEBUG="false", SECRET_KEY=LONG_KEY, ALLOWED_HOSTS="tracker.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-3:] == ["True True Lax"] * 3


def test_production_leaves_the_developer_tools_out():
    code = (
        "import sys; from django.apps import apps; from django.core.management import get_commands; "
        "print(apps.is_installed('tracker.perf'), 'tracker.perf' in sys.modules, *sorted(get_commands()))"
    )
    result = manage("shell", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    installed, imported, *commands = result.stdout.splitlines()[-1].split()
    assert (installed, imported) == ("False", "False")
    assert "import_claims" in commands
    assert not PERF_COMMANDS & set(commands)

    benchmark = manage("benchmark", **PRODUCTION)
    assert benchmark.returncode != 0
    assert "Unknown command: 'benchmark'" in benchmark.stderr


def test_the_developer_tools_are_installed_by_their_variable():
    listed = manage("help", TRACKER_PERF_TOOLS="1", **PRODUCTION)
    assert listed.returncode == 0, listed.stderr
    assert "[perf]" in listed.stdout
    assert set(listed.stdout.split()) >= PERF_COMMANDS


@pytest.mark.django_db
def test_every_answer_carries_the_content_security_and_permissions_policies(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "camera=()" in response["Permissions-Policy"]
