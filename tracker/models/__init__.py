"""The tracker's models, one module per part of the domain; import them from here."""

from tracker.models.accounts import LanguagePreference
from tracker.models.choices import DatePrecision, EventType, Level, Origin, PartyKind, Qualifier, VictimCategory
from tracker.models.comparisons import ComparisonGroup, ContainmentDiscrepancy
from tracker.models.imports import ImportJob, ImportJobQuerySet
from tracker.models.links import EventAlias, EventLink, LinkStatus
from tracker.models.records import (
    Claim,
    ClaimQuerySet,
    Event,
    EventQuerySet,
    Party,
    Source,
    SourceQuerySet,
)

__all__ = [
    "Claim",
    "ClaimQuerySet",
    "ComparisonGroup",
    "ContainmentDiscrepancy",
    "DatePrecision",
    "Event",
    "EventAlias",
    "EventLink",
    "EventQuerySet",
    "EventType",
    "ImportJob",
    "ImportJobQuerySet",
    "LanguagePreference",
    "Level",
    "LinkStatus",
    "Origin",
    "Party",
    "PartyKind",
    "Qualifier",
    "Source",
    "SourceQuerySet",
    "VictimCategory",
]
