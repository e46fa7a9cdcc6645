"""The API's endpoints, their permissions and filters, and the router that serves them."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import routers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tracker import visibility
from tracker.api.permissions import ReviewPermission, ViewPermission
from tracker.api.serializers import (
    AssessmentSerializer,
    ClaimSerializer,
    EventDetailSerializer,
    EventSerializer,
    FateClaimSerializer,
    PartySerializer,
    PersonSerializer,
    SourceSerializer,
    TrackRecordSerializer,
)
from tracker.exports.track_records import track_record_rows
from tracker.filters import EventFilter, PersonFilter, TrackRecordForm
from tracker.models import (
    Assessment,
    Claim,
    ComparisonGroup,
    ContainmentDiscrepancy,
    Event,
    FateClaim,
    Inconsistency,
    Outcome,
    Party,
    Person,
    Source,
    Subgroup,
)
from tracker.models.reviews import records_review
from tracker.presentation.track_records import chosen_rows


def claims_for_api():
    return Claim.objects.select_related("event", "party", "victim_side", "subgroup", "source")


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Events, most severe first unless `ordering` says otherwise, with the web list's filters."""

    queryset = Event.objects.prefetch_related(
        Prefetch("groups", ComparisonGroup.objects.select_related("victim_side", "subgroup")),
        Prefetch(
            "containment",
            ContainmentDiscrepancy.objects.select_related("victim_side", "subgroup", "parts_party", "whole_party"),
        ),
        Prefetch("inconsistencies", Inconsistency.objects.select_related("party", "victim_side", "subgroup")),
        "alleged_perpetrators",
        # What the assessments read: every assessment (the first of each assessor its initial grade, the last
        # its current one), and the current claims of the killed of a whole category with no side.
        Prefetch(
            "assessments",
            Assessment.objects.select_related("assessor").order_by("assessor__name", "assessor_id", "assessed_on"),
            to_attr="assessments_read",
        ),
        Prefetch(
            "claims",
            Claim.objects.current()
            .filter(outcome=Outcome.KILLED, subgroup__isnull=True, victim_side__isnull=True)
            .select_related("party"),
            to_attr="whole_claims",
        ),
    )
    permission_classes = [ViewPermission]
    filterset_class = EventFilter
    lookup_field = "ref"
    lookup_value_regex = r".+"  # a ref may hold whatever a dataset's codes hold, slashes included

    def get_queryset(self):
        events = super().get_queryset()
        if self.action == "retrieve":
            events = events.prefetch_related(Prefetch("claims", claims_for_api()))
        return events

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer


def yes_or_no(field_name: str, label: str, lookup_expr: str = "exact") -> filters.TypedChoiceFilter:
    """A true/false filter that refuses anything else, where a BooleanFilter reads "maybe" as "any"."""
    return filters.TypedChoiceFilter(
        field_name=field_name,
        lookup_expr=lookup_expr,
        label=label,
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
    )


class ClaimFilter(filters.FilterSet):
    event = filters.CharFilter(field_name="event__ref", label="Event reference")
    subgroup = filters.ModelChoiceFilter(
        to_field_name="code", queryset=Subgroup.objects.all(), label="Claims of this subgroup, by its code"
    )
    whole = yes_or_no("subgroup", "Claims of the whole toll (true) or of a subgroup (false)", lookup_expr="isnull")
    current = yes_or_no("is_current", "Current claims only (true) or superseded and retracted ones (false)")
    retracted = yes_or_no("retracted", "Retracted claims (true) or not (false)")

    class Meta:
        model = Claim
        fields = ["event", "party", "outcome", "category", "victim_side", "subgroup", "whole", "current", "retracted"]


class ReviewAction:
    """The one write of a read-only endpoint: POST …/{id}/review/ marks the record reviewed by you, unless
    you last changed it; answers the record as it now stands, or 403 saying why not."""

    @action(detail=True, methods=["post"], permission_classes=[ReviewPermission])
    def review(self, request, pk=None):
        record = self.get_object()
        result = records_review(type(record).objects.filter(pk=record.pk), user=request.user)
        if result.refused:
            return Response({"detail": result.refused[0][1]}, status=status.HTTP_403_FORBIDDEN)
        return Response(self.get_serializer(self.get_object()).data)


class ClaimViewSet(ReviewAction, viewsets.ReadOnlyModelViewSet):
    """Claims, each with its interval and, where you may see it, its source."""

    queryset = claims_for_api().order_by("event__ref", "claimed_on", "pk")
    serializer_class = ClaimSerializer
    permission_classes = [ViewPermission]
    filterset_class = ClaimFilter


class AssessmentFilter(filters.FilterSet):
    event = filters.CharFilter(field_name="event__ref", label="Event reference")

    class Meta:
        model = Assessment
        fields = ["event", "assessor", "grade", "method", "review_state"]


class AssessmentViewSet(ReviewAction, viewsets.ReadOnlyModelViewSet):
    """Assessments, every assessor's every one (the first of each its initial grade, the last its current one)."""

    queryset = Assessment.objects.select_related("event", "assessor").order_by("event__ref", "assessor__name",
                                                                                "assessed_on", "pk")  # fmt: skip
    serializer_class = AssessmentSerializer
    permission_classes = [ViewPermission]
    filterset_class = AssessmentFilter


class PartyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Party.objects.order_by("name")
    serializer_class = PartySerializer
    permission_classes = [ViewPermission]
    filterset_fields = ["kind", "country"]


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Sources you may see: confidential ones only with the permission to see them."""

    serializer_class = SourceSerializer
    permission_classes = [ViewPermission]
    queryset = Source.objects.order_by("-published_on", "title", "pk")

    def get_queryset(self):
        return visibility.sources_visible_to(self.request.user, super().get_queryset())


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """Named people, most reported deaths first, with the web list's filters."""

    queryset = Person.objects.for_list()
    serializer_class = PersonSerializer
    permission_classes = [ViewPermission]
    filterset_class = PersonFilter


class FateClaimFilter(filters.FilterSet):
    event = filters.CharFilter(field_name="event__ref", label="Event reference")
    current = yes_or_no("is_current", "Current fate claims only (true) or superseded and retracted ones (false)")
    retracted = yes_or_no("retracted", "Retracted fate claims (true) or not (false)")

    class Meta:
        model = FateClaim
        fields = ["person", "party", "fate", "hedge", "status", "event", "current", "retracted", "review_state"]


class FateClaimViewSet(viewsets.ReadOnlyModelViewSet):
    """Fate claims, each with whether it is current and, where you may see it, its source and notes."""

    queryset = (
        FateClaim.objects.with_current()
        .select_related("party", "event", "source")
        .order_by("person_id", "claimed_on", "entered_at", "pk")
    )
    serializer_class = FateClaimSerializer
    permission_classes = [ViewPermission]
    filterset_class = FateClaimFilter

    def get_queryset(self):
        return visibility.claims_marked(super().get_queryset(), self.request.user)


router = routers.DefaultRouter()
router.include_format_suffixes = False  # a ref may hold dots: GED-1.json is a ref, not a format
router.register("events", EventViewSet)
router.register("claims", ClaimViewSet)
router.register("assessments", AssessmentViewSet)
router.register("parties", PartyViewSet)
router.register("sources", SourceViewSet)


class TrackRecordViewSet(viewsets.ViewSet):
    """Each party's track record, by name, under the filters of the parties page (`category`, `victim_side`,
    `country`, `date_from`, `date_to`, `event_type`, `others_kind`, `others`, `against`): as
    export_track_records writes it. Filters that cannot be read are a 400 saying why."""

    permission_classes = [ViewPermission]
    serializer_class = TrackRecordSerializer

    def list(self, request):
        form = TrackRecordForm(request.query_params)
        rows = chosen_rows(form, lambda filters: list(track_record_rows(filters)))
        if rows is None:
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(TrackRecordSerializer(rows, many=True).data)


router.register("track-records", TrackRecordViewSet, basename="track-record")

router.register("people", PersonViewSet)
router.register("fate-claims", FateClaimViewSet)
