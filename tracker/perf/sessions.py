"""The signed-in session a tool measures the pages with, and nothing left of it after."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model


@contextmanager
def signed_in_session(tool: str) -> Iterator[str]:
    """Yield the key of a session signed in as a superuser made for one run of `tool`.

    The session is written straight into the store the server reads, not by signing in: a sign-in
    would leave its traces (django-axes' access log, the last login). The user and the session are
    removed after, however the run ends.
    """
    user = get_user_model().objects.create_superuser(f"{tool}-{secrets.token_hex(4)}", email="", password=None)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    try:
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        yield session.session_key
    finally:
        session.delete()
        user.delete()
