"""Settings of the tracker, read from the environment only.

Local use needs no variable at all: DEBUG is on and the data lives in a SQLite file in the
project folder. With DEBUG off (production), SECRET_KEY and ALLOWED_HOSTS must be given.
"""

import os
import secrets
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """Return a per-checkout key for local use, made once, so that logins survive a restart."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_flag("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or local_secret_key()
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
else:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("Set SECRET_KEY to a long random value (50 characters or more) when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names) when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "django_filters",
    "simple_history",
    "tracker.apps.AxesConfig",  # django-axes, with a name the admin can translate
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "tracker.apps.TrackerConfig",
]
# The developer tools for measuring speed (tracker/perf/: generate_scale_data, benchmark, load_test)
# make superusers and fill a database: only a developer's environment installs them.
TRACKER_PERF_TOOLS = env_flag("TRACKER_PERF_TOOLS", False)
if TRACKER_PERF_TOOLS:
    INSTALLED_APPS.append("tracker.perf.apps.PerfConfig")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tracker.web.guards.NulByteGuard",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracker.replicas.ReplicaReadsMiddleware",
    "tracker.web.languages.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# A PostgreSQL read replica, if there is one: the read-heavy pages read from it (tracker/replicas.py).
READ_REPLICA = None
if os.environ.get("DATABASE_REPLICA_URL"):
    READ_REPLICA = "replica"
    DATABASES[READ_REPLICA] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
    )
    # In tests the replica is the test database itself, as a replica would hold the same data.
    DATABASES[READ_REPLICA]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["tracker.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Long work (an import uploaded in the admin) runs as a task (django-tasks). "database" queues it
# in the database for workers (`manage.py import_worker`) on any machine; "immediate" runs it
# inside the request that asks for it. On SQLite, where one connection writes at a time, a worker
# beside the web server would only make them wait for each other: there it runs immediately.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND") or (
    "immediate" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "database"
)
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND is one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# An import job whose worker gave no sign of work for this long was lost (the worker stopped): the
# next worker to start retries it, up to IMPORT_JOB_ATTEMPTS runs in all, then marks it failed.
IMPORT_JOB_STALE_MINUTES = int(os.environ.get("IMPORT_JOB_STALE_MINUTES", "10"))
IMPORT_JOB_ATTEMPTS = int(os.environ.get("IMPORT_JOB_ATTEMPTS", "2"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Repeated failed sign-ins lock that user name from that address for a while (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "tracker" / "locale"]
# The language a user picks is kept for a year in this browser, not only for the session.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Locally runserver serves the static files; in production WhiteNoise does, from STATIC_ROOT
# after `manage.py collectstatic`, so that no separate web server or CDN is needed.
if not DEBUG:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Production hardening; each can be relaxed by its variable (e.g. behind a TLS proxy).
if not DEBUG:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    # Trust X-Forwarded-Proto only behind a TLS proxy that sets it; a client could send it too.
    if env_flag("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# No script of the tracker reads a cookie: the CSRF token travels in the forms.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# A sign-in lasts a working day, not Django's two weeks: the data can endanger sources.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "12")) * 60 * 60
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Only the tracker's own scripts, styles, fonts and images run or load: nothing from elsewhere,
# nothing inline (an injected script would not run), and no page of it inside another site's frame.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The browser features no page of the tracker uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "usb",
    )
}  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The discrepancy rules' thresholds (shared/DESIGN.md). Exact fractions, never floats.
# After changing them, run `python manage.py rebuild_summaries`.
TRACKER_APPROXIMATE_TOLERANCE = Fraction(os.environ.get("TRACKER_APPROXIMATE_TOLERANCE", "0.10"))
TRACKER_MAJOR_RATIO = Fraction(os.environ.get("TRACKER_MAJOR_RATIO", "1.5"))
TRACKER_MAJOR_GAP = int(os.environ.get("TRACKER_MAJOR_GAP", "3"))
# How many days apart two death claims about one person may lie and still report one death; a claim that the
# person was alive more days than this after a death claim contradicts it (tracker.rules.fates).
TRACKER_FATE_DAYS = int(os.environ.get("TRACKER_FATE_DAYS", "7"))
# How far apart two located events of different datasets may lie to be proposed as one incident.
TRACKER_LINK_RADIUS_KM = float(os.environ.get("TRACKER_LINK_RADIUS_KM", "5"))
# The party whose assessments are the organisation's own (its grades, its headline figures); made a
# monitor the first time it is needed (tracker.models.assessments.organisation).
TRACKER_ORGANISATION = os.environ.get("TRACKER_ORGANISATION", "Our organisation")

# How much an import reads at most (tracker/ingest/limits.py); a file beyond a limit is refused
# with a message naming it, before it can take the server's memory or time.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", "64000000"))
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", "512000000"))
IMPORT_MAX_SHARED_STRINGS_BYTES = int(os.environ.get("IMPORT_MAX_SHARED_STRINGS_BYTES", "16000000"))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "100000"))
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "200"))
# Cells in one row, empty ones included: a spreadsheet's widest row (column XFD). A CSV line's
# separators are counted, quoted or not, before the line is split: a line of millions of commas
# would otherwise be millions of cells in memory at once.
IMPORT_MAX_ROW_CELLS = int(os.environ.get("IMPORT_MAX_ROW_CELLS", "16384"))
# Cells in a whole file (in each sheet of a workbook), empty ones included: twice 100,000 rows of
# GED's 49 columns. It bounds the time an import reads, as the rows and row cells bound its memory.
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "10000000"))
# What a spreadsheet cell holds; a workbook whose XML holds a run of text or a tag eight times
# that long is refused before it is read, since reading it would hold it whole in memory.
IMPORT_MAX_CELL_CHARS = int(os.environ.get("IMPORT_MAX_CELL_CHARS", "32767"))
IMPORT_MAX_ERRORS_LISTED = max(1, int(os.environ.get("IMPORT_MAX_ERRORS_LISTED", "500")))

# A backup (`manage.py backup`) is JSON Lines that keeps every value as stored (tracker/jsonlines.py).
SERIALIZATION_MODULES = {"jsonl": "tracker.jsonlines"}

# The read-only API (tracker/api/): signed in by session or token, the pages' view permissions.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous request is told 401 with how to authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tracker.api.permissions.ViewPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.TrackerPagination",
    # Ratios and coordinates are numbers in JSON, as statistics tools expect, not strings.
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "tracker.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Casualty-claim discrepancy tracker API",
    "DESCRIPTION": "Read-only: events with their stored discrepancy summaries, claims, parties and sources.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI's files come from drf-spectacular-sidecar, served locally: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # An event's level and its injured level are one set of levels: one name for it in the schema.
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "tracker.models.choices.Level",
        "GradeEnum": "tracker.models.choices.Grade",
    },
}
