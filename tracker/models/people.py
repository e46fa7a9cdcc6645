"""Named people and their fates: who a party says was killed, wounded, captured or is alive, in a source.

A person's name and other names keep a folded key (tracker.rules.names) so that a search finds a name as
others spell it; the conflicts among a person's fate claims (tracker.rules.fates) are stored on the person
by tracker.summaries.fates, kept in step by the `fates_changed` signal every write of a fate claim sends.
"""

from contextlib import contextmanager

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.models.choices import (
    ADULT_AGE,
    AgeGroup,
    Fate,
    FateConflict,
    FateStatus,
    Hedge,
    Sex,
    stated_on_first_day,
    stated_precision,
)
from tracker.models.claims import claim_date_field, claimant_field, source_field
from tracker.models.events import Event
from tracker.models.facts import AnnouncedQuerySet, RuleFacts
from tracker.models.parties import Party
from tracker.models.reviews import REVIEW_FIELDS, Reviewed
from tracker.models.signals import claims_changed_send, claims_changes_batched, fates_announcer
from tracker.models.versions import Versioned
from tracker.rules.dates import first_day
from tracker.rules.fates import FateReport
from tracker.rules.names import folded

MAX_AGE = 130
AGE_IMPOSSIBLE = _("An age is at most 130.")
AGE_UNFIT = _("The age and the age group disagree: a child is under 18, an adult 18 or over.")
# What tracker.summaries.fates stores on a person from their fate claims: one flag per conflict, and N.
CONFLICT_FIELDS = tuple(conflict.value for conflict in FateConflict)
STORED_FIELDS = (*CONFLICT_FIELDS, "reported_deaths")
# What makes two fate claims the same fate claim (an import that meets one stored already changes only its
# retraction, wording and notes): the same person, party, fate, hedge, status, event, fate date, claim
# date and source.
FATE_CLAIM_IDENTITY = (
    "person", "party", "fate", "hedge", "status", "event", "fate_date", "claimed_on", "source",
)  # fmt: skip


def people_whose_names(**lookup) -> list:
    """Return two searches for people's keys, by name and by other name, each of which a trigram index serves: a
    union of them is one list of keys (an OR of the two would be a filter over every person). `lookup` is one
    keyword, its name left for the folded column: {"contains": "halimov"}."""
    ((lookup_name, value),) = lookup.items()
    return [
        Person.objects.filter(**{f"name_folded__{lookup_name}": value}).order_by().values("pk"),
        OtherName.objects.filter(**{f"folded__{lookup_name}": value}).order_by().values("person_id"),
    ]


@contextmanager
def fate_claims_deleted(using):
    """A block deleting fate claims, on their own or with their people: each announces the event it leaves
    (tracker.models.signals.fate_claim_delete_announce), and every such event is refreshed once, at its end,
    in its transaction, not once a fate claim."""
    with transaction.atomic(using=using, savepoint=False), claims_changes_batched(sender=FateClaim):
        yield


class PersonQuerySet(models.QuerySet):
    def delete(self):
        with fate_claims_deleted(self.db):
            return super().delete()

    def named(self, text: str):
        """Return the people whose name or an other name holds the text as folded: "halimov" finds Khalimov."""
        key = folded(text)
        if not key:
            return self
        by_name, by_other_name = people_whose_names(contains=key)
        return self.filter(pk__in=by_name.union(by_other_name))

    def spelled_like(self, text: str):
        """Return the people `named` by the text; where no one is and on PostgreSQL, those with a name spelled much
        like it (trigram word similarity, served by the same indexes): "Khalimoff" finds Khalimov there.

        Only where no name holds the text: else "Khalimov" would also list every Salimov and Halimova, and, the
        list being sorted by reported deaths, bury the one sought."""
        key = folded(text)
        if not key or connection.vendor != "postgresql":
            return self.named(text)
        by_name, by_other_name = people_whose_names(contains=key)
        if not by_name.union(by_other_name).exists():
            by_name, by_other_name = people_whose_names(trigram_word_similar=key)
        return self.filter(pk__in=by_name.union(by_other_name))

    def for_list(self):
        """Return people with their affiliation and other names, most reported deaths first, then by name."""
        return (
            self.select_related("affiliation")
            .prefetch_related("other_names")
            .order_by("-reported_deaths", "name", "pk")
        )

    def in_conflict(self, conflict: str | None = None):
        """Return the people whose fate claims are in this conflict, or in any when none is given."""
        kinds = [conflict] if conflict else CONFLICT_FIELDS
        match = Q()
        for kind in kinds:
            match |= Q(**{kind: True})
        return self.filter(match)


class Person(Reviewed, Versioned):
    name = models.CharField(
        _("name"), max_length=300, help_text=_("As the person is best known; other spellings go under other names.")
    )
    name_folded = models.CharField(_("name as searched"), max_length=300, editable=False)
    affiliation = models.ForeignKey(
        Party, models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("affiliation"),
        help_text=_("The party the person belongs to or fights for, if known."),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("As reported: “field commander”."))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    age_group = models.CharField(
        _("age group"), max_length=5, choices=AgeGroup.choices, blank=True,
        help_text=_("Where only that is known: a child is under 18."),
    )  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)

    # Stored by tracker.summaries.fates from the person's fate claims.
    killed_twice = models.BooleanField(FateConflict.KILLED_TWICE.label, default=False, editable=False)
    alive_after_death = models.BooleanField(FateConflict.ALIVE_AFTER_DEATH.label, default=False, editable=False)
    disputed = models.BooleanField(FateConflict.DISPUTED.label, default=False, editable=False)
    reported_deaths = models.PositiveIntegerField(
        _("reported deaths"), default=0, editable=False,
        help_text=_("Distinct deaths reported: death claims in one event or within a few days of each other are one."),
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=[*STORED_FIELDS, *REVIEW_FIELDS])
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_deaths", "name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["-reported_deaths", "name"], name="person_deaths_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""), name="person_name_not_empty",
                violation_error_message=_("A person needs a name."),
            ),
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age__lte=MAX_AGE), name="person_age_possible",
                violation_error_message=AGE_IMPOSSIBLE,
            ),
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age_group="")
                | Q(age_group=AgeGroup.CHILD, age__lt=ADULT_AGE) | Q(age_group=AgeGroup.ADULT, age__gte=ADULT_AGE),
                name="person_age_fits_group",
                violation_error_message=AGE_UNFIT,
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = folded(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded"}
        super().save(*args, **kwargs)

    def delete(self, using=None, keep_parents=False):
        with fate_claims_deleted(using):
            return super().delete(using=using, keep_parents=keep_parents)

    def clean(self):
        # The constraints' words, on the field to mend, without a query per person (as Event.clean): an
        # import of new people checks them here.
        if self.age is not None and self.age > MAX_AGE:
            raise ValidationError({"age": AGE_IMPOSSIBLE})
        if self.age is not None and self.age_group and (self.age < ADULT_AGE) != (self.age_group == AgeGroup.CHILD):
            raise ValidationError({"age_group": AGE_UNFIT})

    @property
    def conflicts(self) -> list[str]:
        """The kinds of conflict stored for this person, in the rules' order."""
        return [kind for kind in CONFLICT_FIELDS if getattr(self, kind)]


class OtherName(models.Model):
    """Another name of a person: a spelling in another script or transliteration, or a nom de guerre."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="other_names", verbose_name=_("person"))
    name = models.CharField(
        _("other name"), max_length=300,
        help_text=_("Any script: “Гулмурод Халимов”, “غلمراد حليموف”, a nom de guerre."),
    )  # fmt: skip
    folded = models.CharField(_("name as searched"), max_length=300, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "name"]
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""), name="other_name_not_empty",
                violation_error_message=_("An other name cannot be empty."),
            ),
            models.UniqueConstraint(
                fields=["person", "name"], name="other_name_once",
                violation_error_message=_("The person has this other name already."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.folded = folded(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "folded"}
        super().save(*args, **kwargs)


# PostgreSQL's trigram word similarity (`%>`) on the folded names alone, for `spelled_like` (the app does not
# install django.contrib.postgres, whose lookups would need it; SQLite never asks this one).
for searched in (Person._meta.get_field("name_folded"), OtherName._meta.get_field("folded")):
    searched.register_lookup(TrigramWordSimilar)


class FateClaimQuerySet(AnnouncedQuerySet):
    def current(self):
        """Return the current fate claims: per person and party the latest by claim date (then entry), not
        retracted; the SQL form of tracker.rules.fates.current_reports."""
        return self.with_current().filter(is_current=True)

    def with_current(self):
        """Annotate each fate claim with `is_current`: whether it is its party's current one about its person."""
        later = FateClaim.objects.filter(
            Q(claimed_on__gt=OuterRef("claimed_on"))
            | Q(claimed_on=OuterRef("claimed_on"), entered_at__gt=OuterRef("entered_at"))
            | Q(claimed_on=OuterRef("claimed_on"), entered_at=OuterRef("entered_at"), pk__gt=OuterRef("pk")),
            person=OuterRef("person"),
            party=OuterRef("party"),
            retracted=False,
        )
        return self.annotate(
            is_current=ExpressionWrapper(Q(retracted=False) & ~Exists(later), output_field=models.BooleanField())
        )

    def for_rules(self):
        """Return fate claims with their event's date, which stands for a fate date left empty."""
        return self.select_related("event").only(*FateClaim.RULE_FIELDS, "event__start_date")

    def named_in(self, event):
        """Return every fate claim of the people named in this event, wherever it is, as a page shows them: who
        is among the event's named dead depends on all of a person's claims."""
        people = self.model.objects.filter(event=event).values("person_id")
        return self.filter(person__in=people).select_related("person", "party", "source", "event")

    announced = "person_id"
    announcer = fates_announcer

    def delete(self):
        with fate_claims_deleted(self.db):
            return super().delete()

    def update(self, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            left = self.events_left(self, kwargs)
            updated = super().update(**kwargs)
            claims_changed_send(sender=self.model, event_ids=left)
        return updated

    def bulk_update(self, objs, fields, *args, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            left = self.events_left(self.model.objects.filter(pk__in=[record.pk for record in objs]), fields)
            updated = super().bulk_update(objs, fields, *args, **kwargs)
            claims_changed_send(sender=self.model, event_ids=left)
        return updated

    @staticmethod
    def events_left(fate_claims, fields) -> set[int]:
        """Return the events these fate claims are in before a write that moves them (none for another write):
        announced as claims changed there, for they may hold none of their people's named dead after it. The
        events they are in after it are refreshed through their people's announcement."""
        if not {"event", "event_id"} & set(fields):
            return set()
        return set(fate_claims.order_by().values_list("event_id", flat=True).distinct())


class FateClaim(RuleFacts, Reviewed, Versioned):
    """One party's statement, in a source, of what befell a named person."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="fate_claims", verbose_name=_("person"))
    party = claimant_field("fate_claims")
    source = source_field("fate_claims")
    claimed_on = claim_date_field()
    claimed_on_precision = stated_precision()
    fate = models.CharField(_("fate"), max_length=15, choices=Fate.choices)
    # An event with fate claims stays: deleting it would change when and where those claims say it happened.
    event = models.ForeignKey(
        Event, models.PROTECT, null=True, blank=True, related_name="fate_claims", verbose_name=_("event"),
        help_text=_("The event the party ties the fate to, if any."),
    )  # fmt: skip
    fate_date = models.DateField(
        _("fate date"), null=True, blank=True,
        help_text=_("When it befell the person, as the party says; empty for the event's date."),
    )  # fmt: skip
    fate_date_precision = stated_precision()
    hedge = models.CharField(
        _("hedge"), max_length=8, choices=Hedge.choices, default=Hedge.STATED,
        help_text=_("“Possible” for “may have been killed”: such claims are kept but count toward no conflict."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=FateStatus.choices, default=FateStatus.UNKNOWN,
        help_text=_("The person's status then, as the party says."),
    )  # fmt: skip
    wording = models.CharField(
        _("wording"), max_length=500, blank=True, help_text=_("As reported: “was fatally wounded near Deir ez-Zor”.")
    )
    retracted = models.BooleanField(_("retracted"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False,
        related_name="fate_claims_entered", verbose_name=_("entered by"),
    )  # fmt: skip
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=REVIEW_FIELDS)
    objects = FateClaimQuerySet.as_manager()

    # What the fate rules and the named dead of events read of a fate claim (as attribute names): only a
    # change to one of these refreshes the person's stored conflicts and the summaries of their events.
    RULE_FIELDS = (
        "person_id", "party_id", "fate", "event_id", "fate_date", "claimed_on", "entered_at", "hedge", "retracted",
        "status",
    )  # fmt: skip

    class Meta:
        base_manager_name = "objects"  # person.fate_claims.add() writes through it, and announces
        ordering = ["person", "claimed_on", "entered_at", "pk"]
        verbose_name = _("fate claim")
        verbose_name_plural = _("fate claims")
        indexes = [
            models.Index(fields=["person", "party"], name="fate_claim_person_party"),
            models.Index(fields=["event", "person"], name="fate_claim_event_person"),
            models.Index(fields=["party", "fate"], name="fate_claim_party_fate"),
            models.Index(fields=["review_state", "person"], name="fate_claim_review_state"),
        ]
        constraints = [
            stated_on_first_day("claimed_on", "fate_claim_date_first_day"),
            stated_on_first_day("fate_date", "fate_claim_fate_date_first_day"),
            models.CheckConstraint(
                condition=Q(fate_date__isnull=False) | Q(event__isnull=False), name="fate_claim_dated",
                violation_error_message=_("A fate claim needs a fate date or an event, whose date it takes."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.party}: {self.person} {self.get_fate_display()}"

    def identity_key(self) -> tuple:
        """Return what makes this fate claim the one it is (`FATE_CLAIM_IDENTITY`, by primary keys)."""
        return tuple(getattr(self, self._meta.get_field(name).attname) for name in FATE_CLAIM_IDENTITY)

    @property
    def loaded_person_id(self):
        return self.loaded_fact("person_id")

    @property
    def loaded_event_id(self):
        return self.loaded_fact("event_id")

    @property
    def day(self):
        """The day the fate befell the person: the fate date, or the event's date when none is given."""
        return self.fate_date if self.fate_date is not None else self.event.start_date

    def report(self) -> FateReport:
        """What the fate rules read of this claim."""
        return FateReport(
            key=self.pk, party=self.party_id, fate=self.fate, day=self.day, claimed_on=self.claimed_on,
            entered_at=self.entered_at, event=self.event_id, hedge=self.hedge, retracted=self.retracted,
            status=self.status,
        )  # fmt: skip

    def clean(self):
        # A day entered with month or year precision stands for its month or year.
        if self.claimed_on:
            self.claimed_on = first_day(self.claimed_on, self.claimed_on_precision)
        if self.fate_date:
            self.fate_date = first_day(self.fate_date, self.fate_date_precision)
        if self.fate_date is None and self.event_id is None:
            raise ValidationError(
                {"fate_date": _("Give a fate date, or choose the event whose date the fate claim takes.")}
            )
