"""The fixed vocabularies of the domain: kinds of party, event types, origins, categories, qualifiers, levels,
grades, methods of assessment, and what befalls a named person."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tracker.rules import counts, discrepancy, fates, grading


class PartyKind(models.TextChoices):
    STATE_MILITARY = "state_military", _("State military")
    GOVERNMENT = "government", _("Government")
    ARMED_GROUP = "armed_group", _("Armed group")
    MONITOR = "monitor", _("Monitor")
    INTERNATIONAL_ORG = "international_org", _("International organisation")
    MEDIA = "media", _("Media")
    MEDICAL = "medical", _("Medical")
    LOCAL_SOURCE = "local_source", _("Local source")
    OTHER = "other", _("Other")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class StatedPrecision(models.TextChoices):
    """How exactly a claim's or a source's date is stated: an event's precisions but the week."""

    DAY = DatePrecision.DAY.value, DatePrecision.DAY.label
    MONTH = DatePrecision.MONTH.value, DatePrecision.MONTH.label
    YEAR = DatePrecision.YEAR.value, DatePrecision.YEAR.label


def stated_precision() -> models.CharField:
    """The precision of a claim's or a source's date."""
    return models.CharField(
        _("date precision"), max_length=5, choices=StatedPrecision.choices, default=StatedPrecision.DAY,
        help_text=_(
            "How exactly the date is stated: a month or a year is kept as its first day, counts from that day "
            "where claims are ordered, and shows as stated (“September 2017”)."
        ),
    )  # fmt: skip


def stated_on_first_day(date_field: str, name: str) -> models.CheckConstraint:
    """A date stated to the month or the year is stored as its first day."""
    precision = f"{date_field}_precision"
    return models.CheckConstraint(
        condition=models.Q(**{precision: StatedPrecision.DAY})
        | models.Q(**{f"{date_field}__isnull": True})
        | models.Q(**{precision: StatedPrecision.MONTH, f"{date_field}__day": 1})
        | models.Q(**{precision: StatedPrecision.YEAR, f"{date_field}__day": 1, f"{date_field}__month": 1}),
        name=name,
        violation_error_message=_("A date stated to the month or the year is stored as its first day."),
    )


class EventType(models.TextChoices):
    AIRSTRIKE = "airstrike", _("Airstrike")
    SHELLING = "shelling", _("Shelling")
    GROUND_CLASH = "ground_clash", _("Ground clash")
    BOMBING = "bombing", _("Bombing")
    EXECUTION = "execution", _("Execution")
    OTHER = "other", _("Other")


class Origin(models.TextChoices):
    """The dataset a record came from: re-imports find their records again by it and its identifier there."""

    MANUAL = "manual", _("Entered by hand")
    CLAIMS_FILE = "claims_file", _("Claims file")
    UCDP_GED = "ucdp_ged", _("UCDP GED")
    AIRWARS = "airwars", _("Airwars")
    ACLED = "acled", _("ACLED")


class VictimCategory(models.TextChoices):
    TOTAL = "total", _("Total")
    CIVILIAN = "civilian", _("Civilian")
    COMBATANT = "combatant", _("Combatant")
    UNKNOWN = "unknown", _("Unknown")


class Outcome(models.TextChoices):
    """What befell those a claim counts: deaths are what the tracker is for; the injured are counted beside."""

    KILLED = discrepancy.KILLED, _("killed")
    INJURED = discrepancy.INJURED, _("injured")


class Qualifier(models.TextChoices):
    EXACT = counts.EXACT, _("exact")
    APPROXIMATE = counts.APPROXIMATE, _("approximate")
    AT_LEAST = counts.AT_LEAST, _("at least")
    AT_MOST = counts.AT_MOST, _("at most")
    RANGE = counts.RANGE, _("range")


class Level(models.TextChoices):
    DENIAL = discrepancy.DENIAL, _("denial")
    MAJOR = discrepancy.MAJOR, _("major")
    MINOR = discrepancy.MINOR, _("minor")
    SINGLE = discrepancy.SINGLE, _("single")
    AGREE = discrepancy.AGREE, _("agree")


class Grade(models.TextChoices):
    """How strong the evidence of civilian harm is, as an assessor judges it: Airwars' five grades."""

    CONFIRMED = grading.CONFIRMED, _("confirmed")
    FAIR = grading.FAIR, _("fair")
    WEAK = grading.WEAK, _("weak")
    CONTESTED = grading.CONTESTED, _("contested")
    DISCOUNTED = grading.DISCOUNTED, _("discounted")


# What each grade means, shown wherever a grade is chosen or read (shared/DESIGN.md).
GRADE_MEANINGS = {
    Grade.CONFIRMED: _("a party alleged to be responsible accepts that it harmed civilians"),
    Grade.FAIR: _(
        "two or more independent credible sources, and a likely or confirmed action by an alleged perpetrator"
    ),
    Grade.WEAK: _("a single source, or scant detail"),
    Grade.CONTESTED: _("competing claims of responsibility (two or more alleged perpetrators)"),
    Grade.DISCOUNTED: _("those killed were combatants, or another party was most likely responsible"),
}


class AssessmentMethod(models.TextChoices):
    """How the assessor decided where reports conflict, as the casualty-recording standards ask to say."""

    RANGE = "range", _("a low–high range")
    MAJORITY = "majority", _("the majority of sources")
    SOURCE_HIERARCHY = "source_hierarchy", _("the most reliable source")
    TEAM_DECISION = "team_decision", _("a team decision")
    PENDING = "pending", _("pending: not decided yet")


class Fate(models.TextChoices):
    """What a party says befell a named person."""

    # Said of one person ("killed", not "the killed" of a count): in a context of their own.
    KILLED = fates.KILLED, pgettext_lazy("fate", "killed")
    FATALLY_WOUNDED = fates.FATALLY_WOUNDED, pgettext_lazy("fate", "fatally wounded")
    WOUNDED = fates.WOUNDED, pgettext_lazy("fate", "wounded")
    CAPTURED = fates.CAPTURED, pgettext_lazy("fate", "captured")
    ALIVE = fates.ALIVE, pgettext_lazy("fate", "alive")


class Hedge(models.TextChoices):
    """How surely a party says it: only what it states counts toward a conflict."""

    STATED = fates.STATED, _("stated")
    POSSIBLE = fates.POSSIBLE, _("possible (“may have been killed”)")


class FateStatus(models.TextChoices):
    """A named person's status when their fate befell them: the victim categories a person can be in."""

    CIVILIAN = VictimCategory.CIVILIAN.value, VictimCategory.CIVILIAN.label
    COMBATANT = VictimCategory.COMBATANT.value, VictimCategory.COMBATANT.label
    UNKNOWN = VictimCategory.UNKNOWN.value, VictimCategory.UNKNOWN.label


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class AgeGroup(models.TextChoices):
    CHILD = "child", _("child")
    ADULT = "adult", _("adult")


ADULT_AGE = 18  # a child is younger


class FateConflict(models.TextChoices):
    """The ways fate claims about one person contradict each other (tracker.rules.fates)."""

    KILLED_TWICE = fates.KILLED_TWICE, _("killed twice")
    ALIVE_AFTER_DEATH = fates.ALIVE_AFTER_DEATH, _("alive after death")
    DISPUTED = fates.DISPUTED, _("disputed")
