"""The tracker's models, one module per part of the domain; import them from here."""

from tracker.models.accounts import LanguagePreference
from tracker.models.assessments import Assessment, AssessmentQuerySet
from tracker.models.choices import (
    AssessmentMethod,
    DatePrecision,
    EventType,
    Grade,
    Level,
    Origin,
    Outcome,
    PartyKind,
    Qualifier,
    StatedPrecision,
    VictimCategory,
)
from tracker.models.claims import Claim, ClaimQuerySet
from tracker.models.comparisons import ComparisonGroup, ContainmentDiscrepancy, Inconsistency
from tracker.models.events import Event, EventQuerySet
from tracker.models.imports import ImportJob, ImportJobQuerySet
from tracker.models.links import EventAlias, EventLink, LinkCandidate, LinkStatus
from tracker.models.parties import Party
from tracker.models.reviews import ReviewState
from tracker.models.sources import Source
from tracker.models.subgroups import Subgroup
from tracker.models.tallies import EventMonthTally, MonthTally, PartyEventTally, PartyTally

__all__ = [
    "Assessment",
    "AssessmentMethod",
    "AssessmentQuerySet",
    "Claim",
    "ClaimQuerySet",
    "ComparisonGroup",
    "ContainmentDiscrepancy",
    "DatePrecision",
    "Event",
    "EventAlias",
    "EventLink",
    "EventMonthTally",
    "EventQuerySet",
    "EventType",
    "Grade",
    "ImportJob",
    "ImportJobQuerySet",
    "Inconsistency",
    "LanguagePreference",
    "Level",
    "LinkCandidate",
    "LinkStatus",
    "MonthTally",
    "Origin",
    "Outcome",
    "Party",
    "PartyEventTally",
    "PartyKind",
    "PartyTally",
    "Qualifier",
    "ReviewState",
    "Source",
    "StatedPrecision",
    "Subgroup",
    "VictimCategory",
]
