"""The lists' filters: the events' and the people's (each shared by the web pages and the API), and the parties'."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tracker.choice_cache import affiliation_choices, assessor_choices, claimant_choices, event_country_choices
from tracker.models import (
    Assessment,
    Claim,
    Event,
    EventAlias,
    EventType,
    Fate,
    FateClaim,
    FateConflict,
    Level,
    Origin,
    Outcome,
    Party,
    PartyKind,
    Person,
    VictimCategory,
)
from tracker.models.choices import Grade
from tracker.models.events import OUTCOME_SUMMARY
from tracker.models.reviews import ReviewState
from tracker.rules.track_records import NONE, OTHER, OWN
from tracker.summaries.track_records import OTHERS as TRACK_OTHERS
from tracker.summaries.track_records import TrackFilters

RATIO_OF_THE_KILLED = _("Only the counts of the killed have a ratio: choose the killed to filter or order by it.")
RATIO_ORDERS = ("ratio", "-ratio")
NO_GRADE = "none"  # ?grade=none, ?suggested=none: events without one
DIFFERS = "differs"  # ?assessment=differs


def events_with_reviewed_records(**lookups) -> Q:
    """Match the events with a claim or an assessment (the records of an event that are reviewed) matching these
    lookups."""
    return Q(pk__in=Claim.objects.filter(**lookups).values("event_id")) | Q(
        pk__in=Assessment.objects.filter(**lookups).values("event_id")
    )


def record_matching(text: str) -> Q:
    """Match an event's record, or a merged event's alias, by its reference, title, place or description
    holding the text, or by its identifier in its dataset."""
    return (
        Q(ref__icontains=text)
        | Q(title__icontains=text)
        | Q(location_name__icontains=text)
        | Q(description__icontains=text)
        | Q(origin_id=text)
    )


class EventOrderingFilter(django_filters.OrderingFilter):
    """Ordering where events without a value (no ratio, say) come last either way. "ratio" is the
    stored ratio rank, where a denial counts as the widest ratio; "severity" is that of the counts
    of the outcome the list shows."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        name = self.param_map[param.lstrip("-")]
        if name == "severity":
            _level, name = OUTCOME_SUMMARY[self.parent.chosen_outcome]
        field = F(name)
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)


class CountryCodeField(django_filters.fields.ChoiceField):
    """A country code in either case: ?country=sy is Syria."""

    def clean(self, value):
        return super().clean(value.upper() if isinstance(value, str) else value)


class CountryFilter(django_filters.ChoiceFilter):
    field_class = CountryCodeField


class LongSelect(forms.Select):
    """A select of hundreds of options (the claimant parties, the countries), written as Django's
    templates write one, but in Python: the templates render each option on its own, which cost
    the event list more than its fifty rows."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = "".join(
            f'\n  <option value="{escape(option["value"])}"{attributes_text(option["attrs"])}>'
            f"{escape(option['label'])}</option>\n"
            for _group_name, group_options, _index in widget["optgroups"]
            for option in group_options
        )
        return mark_safe(
            f'<select name="{escape(widget["name"])}"{attributes_text(widget["attrs"])}>{options}\n</select>'
        )


def attributes_text(attrs: dict) -> str:
    """Return HTML attributes as Django's widget template writes them: True alone, False left out."""
    return "".join(
        "" if value is False else f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
    )


class EventFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("This date is before the “From” date."))
        if cleaned.get("outcome") == Outcome.INJURED:
            if cleaned.get("min_ratio") is not None:
                self.add_error("min_ratio", RATIO_OF_THE_KILLED)
            if set(cleaned.get("ordering") or []) & set(RATIO_ORDERS):
                self.add_error("ordering", RATIO_OF_THE_KILLED)
        return cleaned


def yes_or_no(label: str, help_text: str = "") -> django_filters.ChoiceFilter:
    """A filter on one of the event's yes/no columns. A choice rather than a BooleanFilter: that one
    reads "maybe" as "any" without a word."""
    return django_filters.ChoiceFilter(
        choices=[("true", _("Yes")), ("false", _("No"))],
        empty_label=_("Any"),
        method="flagged",
        label=label,
        help_text=help_text,
    )


def grade_filter(label: str, help_text: str) -> django_filters.ChoiceFilter:
    """A filter on one of the event's stored grades: a grade, or `none` for events without one."""
    return django_filters.ChoiceFilter(
        choices=[*Grade.choices, (NO_GRADE, _("None"))],
        empty_label=_("Any"),
        method="graded",
        label=label,
        help_text=help_text,
    )


def outcome_filter() -> django_filters.ChoiceFilter:
    """Whose counts a list of events reads: the killed, as by default, or the injured.

    The killed list every event at its level (an event without claims yet among them); the injured
    list the events with claims of the injured, at the level of those, most severe first.
    """
    return django_filters.ChoiceFilter(
        choices=Outcome.choices,
        empty_label=None,
        method="counting",
        label=_("Counts of"),
        help_text=_("The killed, or the injured: each event at the level of those counts."),
    )


class OutcomeChosen:
    """What a filter set with an `outcome_filter()` reads of it."""

    @property
    def chosen_outcome(self) -> str:
        """The outcome chosen, once the filters are read; the killed unless the injured were chosen."""
        chosen = self.form.cleaned_data.get("outcome") if self.is_bound and self.is_valid() else None
        return chosen or Outcome.KILLED

    def counting(self, queryset, name, outcome):
        return queryset.counting(outcome)


class EventFilter(OutcomeChosen, django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        help_text=_("Reference, title, place, description, or the identifier in its dataset"),
    )
    outcome = outcome_filter()
    # A level is the event's own column: no DISTINCT needed.
    level = django_filters.MultipleChoiceFilter(
        choices=Level.choices, method="at_level", label=_("Level"), widget=forms.CheckboxSelectMultiple,
        distinct=False, help_text=_("Of the counts chosen: the killed's, or the injured's."),
    )  # fmt: skip
    injured_level = django_filters.MultipleChoiceFilter(
        choices=Level.choices, label=_("Level of the injured counts"), widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )  # fmt: skip
    country = CountryFilter(choices=countries, label=_("Country"), empty_label=_("Any"), widget=LongSelect)
    event_type = django_filters.ChoiceFilter(choices=EventType.choices, label=_("Event type"), empty_label=_("Any"))
    origin = django_filters.ChoiceFilter(
        choices=Origin.choices, label=_("Origin"), empty_label=_("Any"), help_text=_("The dataset the event came from.")
    )
    party = django_filters.ModelChoiceFilter(
        field_name="claims__party",  # what it filters on, for the API schema; the method does the filtering
        queryset=Party.objects.all(),
        method="claimed_by",
        label=_("Claimant party"),
        empty_label=_("Any"),
        widget=LongSelect,
    )
    category = django_filters.ChoiceFilter(
        choices=VictimCategory.choices, method="with_category", label=_("Victim category"), empty_label=_("Any")
    )
    date_from = django_filters.DateFilter(
        field_name="start_date", lookup_expr="gte", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    min_ratio = django_filters.NumberFilter(
        field_name="ratio", method="ratio_at_least", min_value=1, label=_("Ratio at least"),
        help_text=_("Denials count as wider than any ratio."),
    )  # fmt: skip
    classification_dispute = yes_or_no(_("Classification dispute"))
    inconsistent = yes_or_no(
        _("Inconsistent report"), help_text=_("Some party counts more of a subgroup than of the whole it belongs to.")
    )
    review = django_filters.ChoiceFilter(
        choices=ReviewState.choices, method="reviewed", label=_("Review"), empty_label=_("Any"),
        help_text=_(
            "Entered: some claim or assessment awaits review. Reviewed: every claim and assessment has been reviewed."
        ),
    )  # fmt: skip
    grade = grade_filter(_("Grade"), _("The organisation's current grade of the event."))
    assessor = django_filters.ModelChoiceFilter(
        field_name="assessments__assessor",  # for the API schema; the method does the filtering
        queryset=Party.objects.all(),
        method="assessed_by",
        label=_("Assessor"),
        empty_label=_("Any"),
        help_text=_("Events with a current assessment by this party."),
    )
    suggested = grade_filter(_("Suggested grade"), _("The grade the event's current claims suggest."))
    assessment = django_filters.ChoiceFilter(
        choices=[(DIFFERS, _("A claim lies outside its figures"))],
        empty_label=_("Any"),
        method="differing",
        label=_("Assessment"),
        help_text=_("Some party's claim lies above or below a figure of the organisation's current assessment."),
    )
    ordering = EventOrderingFilter(
        fields=[("severity", "severity"), ("ratio_rank", "ratio"), ("start_date", "date"), ("claim_count", "claims")],
        field_labels={
            "severity": _("Least severe first"),
            "-severity": _("Most severe first"),
            "ratio_rank": _("Narrowest ratio first"),
            "-ratio": _("Widest ratio first"),
            "start_date": _("Oldest first"),
            "-date": _("Newest first"),
            "claim_count": _("Fewest claims first"),
            "-claims": _("Most claims first"),
        },
        label=_("Order by"),
        empty_label=_("Most severe first, then newest"),
    )

    class Meta:
        model = Event
        fields = []
        form = EventFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The form lists only what can match, read once a minute rather than on every page; a
        # value it does not list is still checked against every party and country.
        # Read when the form is shown only (callables are), not for the API or a download.
        party, country = self.form.fields["party"], self.form.fields["country"]
        assessor = self.form.fields["assessor"]
        party.widget.choices = lambda: [("", party.empty_label), *claimant_choices()]
        assessor.widget.choices = lambda: [("", assessor.empty_label), *assessor_choices()]
        country.widget.choices = lambda: [("", country.empty_label), *event_country_choices()]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # An event merged into another is found by its own record as well, kept on its alias.
        merged = EventAlias.objects.filter(record_matching(value)).values("event_id")
        return queryset.filter(record_matching(value) | Q(pk__in=merged))

    def claimed_by(self, queryset, name, party):
        return queryset.filter(pk__in=Claim.objects.filter(party=party).values("event_id"))

    def with_category(self, queryset, name, category):
        return queryset.filter(pk__in=Claim.objects.filter(category=category).values("event_id"))

    def ratio_at_least(self, queryset, name, value):
        return queryset.filter(ratio_rank__gte=value)  # a denial's rank is above any ratio

    def at_level(self, queryset, name, levels):
        level, _severity = OUTCOME_SUMMARY[self.chosen_outcome]
        return queryset.filter(**{f"{level}__in": levels})

    def reviewed(self, queryset, name, state):
        awaiting = events_with_reviewed_records(review_state=ReviewState.ENTERED)
        if state == ReviewState.ENTERED:
            return queryset.filter(awaiting)
        return queryset.filter(events_with_reviewed_records()).exclude(awaiting)

    def graded(self, queryset, name, value):
        column = "suggested_grade" if name == "suggested" else "grade"
        return queryset.filter(**{column: None if value == NO_GRADE else value})

    def assessed_by(self, queryset, name, party):
        # Any assessment by the party will do: its latest of each event is a current one.
        return queryset.filter(pk__in=Assessment.objects.filter(assessor=party).values("event_id"))

    def differing(self, queryset, name, value):
        return queryset.filter(assessment_differs=True)

    def flagged(self, queryset, name, value):
        return queryset.filter(**{name: value == "true"})

    @property
    def qs(self):
        events = super().qs
        # Most severe first, then newest, unless the user chose an order; ties always by date and ref.
        chosen = getattr(self.form, "cleaned_data", {}).get("ordering") if self.is_bound else None
        if not chosen:
            return events.by_severity(self.chosen_outcome)
        return events.order_by(*events.query.order_by, "-start_date", "ref")


class DashboardFilter(OutcomeChosen, django_filters.FilterSet):
    """The dashboard's one choice: whether it counts the events by their killed or their injured counts."""

    outcome = outcome_filter()

    class Meta:
        model = Event
        fields = []


# Imports add every victim side and perpetrator as a party, most of whom never claim anything:
# the parties list shows those with claims until the user asks for all.
WITH_CLAIMS, ALL_PARTIES = "with", "all"


class PartyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("Name, short name or alias"))
    kind = django_filters.ChoiceFilter(choices=PartyKind.choices, label=_("Kind"), empty_label=_("Any"))
    claims = django_filters.ChoiceFilter(
        choices=[(WITH_CLAIMS, _("Only parties with claims")), (ALL_PARTIES, _("All parties"))],
        empty_label=None,
        method="with_claims",
        label=_("Show"),
    )
    ordering = django_filters.OrderingFilter(
        fields=[("name", "name"), ("claim_total", "claims")],
        field_labels={
            "name": _("Name, A to Z"),
            "-name": _("Name, Z to A"),
            "claim_total": _("Fewest claims first"),
            "-claims": _("Most claims first"),
        },
        label=_("Order by"),
        empty_label=_("Name, A to Z"),
    )

    class Meta:
        model = Party
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data = QueryDict(mutable=True) if data is None else data.copy()
        data.setdefault("claims", WITH_CLAIMS)  # the default holds until the user chooses "All parties"
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        return queryset.matching(value) if value.strip() else queryset

    def with_claims(self, queryset, name, value):
        return queryset.with_claims() if value == WITH_CLAIMS else queryset

    @property
    def qs(self):
        # Ties (the same number of claims) by name; "claims" counts need `PartyQuerySet.for_list()`.
        parties = super().qs
        # A search puts the party named or aliased as typed first, then the order chosen.
        ranked = ["match_rank"] if "match_rank" in parties.query.annotations else []
        return parties.order_by(*ranked, *parties.query.order_by, "name", "pk")


# How the track records table may be ordered (?track_order=), a minus first for the other way.
TRACK_ORDERS = {
    "-median": _("Highest median ratio first"),
    "median": _("Lowest median ratio first"),
    "-above": _("Most often above first"),
    "-below": _("Most often below first"),
    "-denials": _("Most denials first"),
}


class CountryCodeChoice(forms.ChoiceField):
    """A country code in either case: ?country=sy is Syria."""

    def to_python(self, value):
        return super().to_python(value).upper()


class TrackRecordForm(forms.Form):
    """The filters of the parties' track records (tracker.summaries.track_records.TrackFilters), on their pages,
    downloads and the API. Parties are named, as the command names them: the others and the assessor by name."""

    category = forms.ChoiceField(choices=[("", _("Any")), *VictimCategory.choices], required=False,
                                 label=_("Victim category"))  # fmt: skip
    victim_side = forms.ChoiceField(
        choices=[("", _("Any")), (OWN, _("Its own dead")), (OTHER, _("Another party's dead")),
                 (NONE, _("No side named"))],
        required=False, label=_("Whose dead"),
    )  # fmt: skip
    country = CountryCodeChoice(choices=[("", _("Any")), *countries], required=False, label=_("Country"),
                                widget=LongSelect)  # fmt: skip
    date_from = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    event_type = forms.ChoiceField(choices=[("", _("Any")), *EventType.choices], required=False,
                                   label=_("Event type"))  # fmt: skip
    others_kind = forms.ChoiceField(
        choices=[("", _("Any")), *PartyKind.choices], required=False, label=_("Kind of the others"),
        help_text=_("Set each party only against parties of this kind."),
    )  # fmt: skip
    others = forms.CharField(required=False, label=_("Only against"), widget=LongSelect,
                             help_text=_("Set each party only against this party."))  # fmt: skip
    against = forms.CharField(required=False, label=_("Against"), widget=LongSelect,
                              help_text=_("The other parties' counts, or an assessor's figures."))  # fmt: skip
    track_order = forms.ChoiceField(choices=[("", _("Name, A to Z")), *TRACK_ORDERS.items()], required=False,
                                    label=_("Order by"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Named rather than numbered, as the command names them; read only when the form is shown.
        others, against = self.fields["others"], self.fields["against"]
        others.widget.choices = lambda: [("", _("Any")), *((name, name) for _pk, name in claimant_choices())]
        against.widget.choices = lambda: [
            (TRACK_OTHERS, _("The other parties' counts")),
            *((name, name) for _pk, name in assessor_choices()),
        ]

    def party_name(self, field: str) -> str:
        name = self.cleaned_data[field].strip()
        if name and not Party.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("No party is named “%(name)s”."), params={"name": name})
        return name

    def clean_others(self):
        return self.party_name("others")

    def clean_against(self):
        against = self.cleaned_data["against"].strip() or TRACK_OTHERS
        return against if against.casefold() == TRACK_OTHERS else self.party_name("against")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("This date is before the “From” date."))
        return cleaned

    def track_filters(self) -> TrackFilters:
        """The filters chosen, once the form is valid."""
        chosen = self.cleaned_data
        return TrackFilters(
            category=chosen["category"] or None, victim_side=chosen["victim_side"] or None,
            country=chosen["country"] or None, date_from=chosen["date_from"], date_to=chosen["date_to"],
            event_type=chosen["event_type"] or None, others_kind=chosen["others_kind"] or None,
            others=chosen["others"] or None, against=chosen["against"],
        )  # fmt: skip


ANY_CONFLICT = "any"  # ?conflict=any: people in a fate conflict of any kind


class EventReferenceField(forms.CharField):
    """An event by its reference, or by its number where no event has that reference: "SYR-2017-09-DEZ-01", "17"."""

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        match = Q(ref=value) | Q(pk=int(value)) if value.isdigit() else Q(ref=value)
        events = list(Event.objects.filter(match).only("pk", "ref")[:2])
        event = next((event for event in events if event.ref == value), events[0] if events else None)
        if event is None:
            raise forms.ValidationError(_("No event has the reference “%(ref)s”."), params={"ref": value})
        return event


class EventReferenceFilter(django_filters.Filter):
    field_class = EventReferenceField


class PersonFilter(django_filters.FilterSet):
    """The people: by name as any spell it, affiliation, current fate, fate conflict and event; most reported
    deaths first, then by name."""

    q = django_filters.CharFilter(
        method="search", label=_("Name"), help_text=_("Any spelling: “Halimov” finds Gulmurod Khalimov.")
    )
    affiliation = django_filters.ModelChoiceFilter(
        queryset=Party.objects.all(), label=_("Affiliation"), empty_label=_("Any"), widget=LongSelect
    )
    fate = django_filters.ChoiceFilter(
        choices=Fate.choices, method="with_current_fate", label=_("Current fate"), empty_label=_("Any"),
        help_text=_("People of whom some party's current fate claim says this."),
    )  # fmt: skip
    conflict = django_filters.ChoiceFilter(
        choices=[*FateConflict.choices, (ANY_CONFLICT, _("any conflict"))],
        method="in_conflict",
        label=_("Fate conflict"),
        empty_label=_("Any or none"),
    )
    event = EventReferenceFilter(
        field_name="fate_claims__event",  # what it filters on, for the API schema; the method does the filtering
        method="named_in",
        label=_("Event"),
        help_text=_("An event's reference: the people with a fate claim in it."),
    )

    class Meta:
        model = Person
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As the event filter's parties: the form lists the affiliations in use, read once a minute.
        affiliation = self.form.fields["affiliation"]
        affiliation.widget.choices = lambda: [("", affiliation.empty_label), *affiliation_choices()]

    def search(self, queryset, name, value):
        return queryset.spelled_like(value)

    def with_current_fate(self, queryset, name, fate):
        return queryset.filter(pk__in=FateClaim.objects.current().filter(fate=fate).values("person_id"))

    def in_conflict(self, queryset, name, conflict):
        return queryset.in_conflict(None if conflict == ANY_CONFLICT else conflict)

    def named_in(self, queryset, name, event):
        return queryset.filter(pk__in=FateClaim.objects.filter(event=event).values("person_id"))

    @property
    def qs(self):
        return super().qs.order_by("-reported_deaths", "name", "pk")  # the person_deaths_name index


FEWEST_COMPARED, MOST_COMPARED = 2, 5


class PartyCompareForm(forms.Form):
    """The parties whose track records are compared side by side (?party=1&party=2…), in the order chosen: at
    most MOST_COMPARED, each the id of a party. Fewer than FEWEST_COMPARED is no error, but nothing to compare."""

    party = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    def clean_party(self) -> list[Party]:
        chosen = self.cleaned_data["party"] or []
        if len(chosen) > MOST_COMPARED:
            raise forms.ValidationError(
                _("Choose at most %(most)s parties to compare; %(chosen)s were chosen.")
                % {"most": MOST_COMPARED, "chosen": len(chosen)}
            )
        unknown = [pk for pk in chosen if not pk.isdigit()]
        found = Party.objects.in_bulk([int(pk) for pk in chosen if pk.isdigit()])
        unknown += [pk for pk in chosen if pk.isdigit() and int(pk) not in found]
        if unknown:
            raise forms.ValidationError(_("No party has the id %(ids)s.") % {"ids": ", ".join(unknown)})
        return list(dict.fromkeys(found[int(pk)] for pk in chosen))
