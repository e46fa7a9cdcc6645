"""Settings come from the environment; production mode refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LONG_KEY = "k3y-" + "x7Qp9" * 12


def manage(*args, **env):
    # A clean production-like environment: the browser tests relax async safety for their process only.
    unset = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
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


@pytest.mark.django_db
def test_every_answer_carries_the_content_security_and_permissions_policies(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "camera=()" in response["Permissions-Policy"]
