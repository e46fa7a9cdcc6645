"""The choices the lists' filters offer (claimant parties, countries, assessors, affiliations), kept in the cache.

Read at most once a minute per process and language rather than on every page; a refresh of the
stored summaries (which hold the parties' tallies) forgets them in its own process at once. A value
the form does not list is still checked against every party and country, so a filter by a party
new in the last minute works.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django_countries import countries

from tracker.models import Assessment, Event, Party, Person

CHOICES_SECONDS = 60
NAMES = ("claimants", "event-countries", "assessors", "affiliations")


def choices_key(name: str, language: str | None) -> str:
    return f"tracker:choices:{name}:{language}"


def cached_choices(name: str, read) -> list[tuple]:
    """Return the choices `read()` gives, kept for `CHOICES_SECONDS` per language."""
    key = choices_key(name, get_language())
    choices = cache.get(key)
    if choices is None:
        choices = list(read())
        cache.set(key, choices, CHOICES_SECONDS)
    return choices


def choices_forget(**signal) -> None:
    """Forget the kept choices, after a write that may change them; connected to summaries_stored, as
    a party's first or last claim moves it in or out of the claimants listed."""
    cache.delete_many([choices_key(name, code) for name in NAMES for code, _label in settings.LANGUAGES])


def claimant_choices() -> list[tuple]:
    """The parties that made claims, by name."""
    return cached_choices("claimants", lambda: Party.objects.with_claims().order_by("name").values_list("pk", "name"))


def event_country_choices() -> list[tuple]:
    """The countries that have events, by name."""

    def read():
        codes = set(Event.objects.order_by().values_list("country", flat=True).distinct())
        return [(code, name) for code, name in countries if code in codes]

    return cached_choices("event-countries", read)


def assessor_choices() -> list[tuple]:
    """The parties that assessed events, by name."""
    assessors = Party.objects.filter(pk__in=Assessment.objects.values("assessor_id"))
    return cached_choices("assessors", lambda: assessors.order_by("name").values_list("pk", "name"))


def affiliation_choices() -> list[tuple]:
    """The parties named as some person's affiliation, by name."""
    affiliations = Party.objects.filter(pk__in=Person.objects.values("affiliation_id"))
    return cached_choices("affiliations", lambda: affiliations.order_by("name").values_list("pk", "name"))
