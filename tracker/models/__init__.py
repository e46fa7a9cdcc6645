"""The tracker's models, one module per part of the domain; import them from here."""

from tracker.models.accounts import LanguagePreference
from tracker.models.choices import DatePrecision, EventType, Level, PartyKind, Qualifier, VictimCategory
from tracker.models.comparisons import ComparisonGroup, ContainmentDiscrepancy
from tracker.models.records import (
    Claim,
    ClaimQuerySet,
    Event,
    EventQuerySet,
    Party,
    Source,
    SourceQuerySet,
)
from tracker.models.tallies import EventMonthTally, MonthTally, PartyEventTally, PartyTally

__all__ = [
    "Claim",
    "ClaimQuerySet",
    "ComparisonGroup",
    "ContainmentDiscrepancy",
    "DatePrecision",
    "Event",
    "EventMonthTally",
    "EventQuerySet",
    "EventType",
    "LanguagePreference",
    "Level",
    "MonthTally",
    "Party",
    "PartyEventTally",
    "PartyKind",
    "PartyTally",
    "Qualifier",
    "Source",
    "SourceQuerySet",
    "VictimCategory",
]
