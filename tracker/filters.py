"""The event list's filters, shared by the web pages, their downloads and the API."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tracker.models import Claim, Event, EventType, Level, Party, VictimCategory


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Ordering where events without a value (no ratio, say) come last either way."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map[param.lstrip("-")])
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("Search"), help_text=_("Reference, title, place or description")
    )
    level = django_filters.MultipleChoiceFilter(choices=Level.choices, label=_("Level"))
    country = django_filters.ChoiceFilter(choices=countries, label=_("Country"))
    event_type = django_filters.ChoiceFilter(choices=EventType.choices, label=_("Event type"))
    party = django_filters.ModelChoiceFilter(
        queryset=Party.objects.all(), method="claimed_by", label=_("Claimant party")
    )
    category = django_filters.ChoiceFilter(
        choices=VictimCategory.choices, method="with_category", label=_("Victim category")
    )
    date_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label=_("To"))
    min_ratio = django_filters.NumberFilter(
        field_name="ratio", lookup_expr="gte", min_value=1, label=_("Ratio at least")
    )
    classification_dispute = django_filters.BooleanFilter(label=_("Classification dispute"))
    ordering = NullsLastOrderingFilter(
        fields=[("severity", "severity"), ("ratio", "ratio"), ("start_date", "date"), ("claim_count", "claims")],
        field_labels={
            "severity": _("Severity"),
            "ratio": _("Ratio"),
            "start_date": _("Date"),
            "claim_count": _("Claims"),
        },
        label=_("Order by"),
    )

    class Meta:
        model = Event
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(ref__icontains=value)
            | Q(title__icontains=value)
            | Q(location_name__icontains=value)
            | Q(description__icontains=value)
        )

    def claimed_by(self, queryset, name, party):
        return queryset.filter(pk__in=Claim.objects.filter(party=party).values("event_id"))

    def with_category(self, queryset, name, category):
        return queryset.filter(pk__in=Claim.objects.filter(category=category).values("event_id"))

    @property
    def qs(self):
        events = super().qs
        # Most severe first, then newest, unless the user chose an order; ties always by date and ref.
        if not self.form.cleaned_data.get("ordering"):
            return events.order_by("-severity", "-start_date", "ref")
        return events.order_by(*events.query.order_by, "-start_date", "ref")
