"""The tracker's models, one module per part of the domain; import them from here."""

from tracker.models.accounts import LanguagePreference
from tracker.models.assessments import Assessment, AssessmentQuerySet
from tracker.models.choices import (
    AgeGroup,
    AssessmentMethod,
    DatePrecision,
    EventType,
    Fate,
    FateConflict,
    FateStatus,
    Grade,
    Hedge,
    Level,
    Origin,
    Outcome,
    PartyKind,
    Qualifier,
    Sex,
    StatedPrecision,
    VictimCategory,
)
from tracker.models.claims import Claim, ClaimQuerySet
from tracker.models.comparisons import ComparisonGroup, ContainmentDiscrepancy, Inconsistency
from tracker.models.events import Event, EventQuerySet
from tracker.models.freshness import DataVersion
from tracker.models.imports import ImportJob, ImportJobQuerySet
from tracker.models.links import EventAlias, EventLink, LinkCandidate, LinkStatus
from tracker.models.parties import Party
from tracker.models.people import FateClaim, FateClaimQuerySet, OtherName, Person, PersonQuerySet
from tracker.models.reviews import ReviewState
from tracker.models.sources import Source
from tracker.models.subgroups import Subgroup
from tracker.models.tallies import EventMonthTally, MonthTally, PartyEventTally, PartyTally

__all__ = [
    "AgeGroup",
    "Assessment",
    "AssessmentMethod",
    "AssessmentQuerySet",
    "Claim",
    "ClaimQuerySet",
    "ComparisonGroup",
    "ContainmentDiscrepancy",
    "DataVersion",
    "DatePrecision",
    "Event",
    "EventAlias",
    "EventLink",
    "EventMonthTally",
    "EventQuerySet",
    "EventType",
    "Fate",
    "FateClaim",
    "FateClaimQuerySet",
    "FateConflict",
    "FateStatus",
    "Grade",
    "Hedge",
    "ImportJob",
    "ImportJobQuerySet",
    "Inconsistency",
    "LanguagePreference",
    "Level",
    "LinkCandidate",
    "LinkStatus",
    "MonthTally",
    "Origin",
    "OtherName",
    "Outcome",
    "Party",
    "PartyEventTally",
    "PartyKind",
    "PartyTally",
    "Person",
    "PersonQuerySet",
    "Qualifier",
    "ReviewState",
    "Sex",
    "Source",
    "StatedPrecision",
    "Subgroup",
    "VictimCategory",
]
