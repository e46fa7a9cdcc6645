"""The read-only JSON API under /api/: events with their stored discrepancy summaries, claims, parties, sources.

Same rules as the pages: a signed-in user (session or token) with the model's view permission,
the web list's filters (tracker.filters.EventFilter), and confidential sources shown only to
those who may see them; to everyone else a claim's source is `null` with `source_hidden: true`.
"""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, routers, serializers, viewsets

from tracker.filters import EventFilter
from tracker.models import Claim, ComparisonGroup, Event, Party, Source


class ViewPermission(permissions.DjangoModelPermissions):
    """Reading needs the model's view permission, as on the pages (DRF asks none for GET)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class PartyNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "name"]


class PartySerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2, or empty")
    aliases = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["id", "name", "short_name", "kind", "country", "aliases", "notes"]

    def get_aliases(self, party) -> list[str]:
        return [alias.strip() for alias in party.aliases.splitlines() if alias.strip()]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "publisher",
            "url",
            "published_on",
            "language",
            "excerpt",
            "archive_url",
            "confidential",
        ]


class ClaimSerializer(serializers.ModelSerializer):
    event = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    party = PartyNameSerializer(read_only=True)
    victim_side = PartyNameSerializer(read_only=True, allow_null=True)
    lo = serializers.SerializerMethodField(help_text="lower end of the interval compared")
    hi = serializers.SerializerMethodField(help_text="upper end of the interval compared; null when open-ended")
    current = serializers.BooleanField(source="is_current", help_text="its party's current claim in its group")
    notes = serializers.SerializerMethodField(help_text="empty when the source is hidden: notes may name who told us")
    source = serializers.SerializerMethodField()
    source_hidden = serializers.SerializerMethodField(help_text="the source is confidential and hidden from you")

    class Meta:
        model = Claim
        fields = [
            "id", "event", "party", "category", "victim_side", "qualifier", "low", "best", "high", "lo", "hi",
            "wording", "claimed_on", "current", "retracted", "notes", "source", "source_hidden", "entered_at",
        ]  # fmt: skip

    def hides(self, claim) -> bool:
        request = self.context.get("request")
        if request is None:  # no one to ask: hide every confidential source
            return claim.source.confidential
        return claim.source_hidden_from(request.user)

    def get_notes(self, claim) -> str:
        return "" if self.hides(claim) else claim.notes

    def get_lo(self, claim) -> int:
        return claim.interval.lo

    def get_hi(self, claim) -> int | None:
        return claim.interval.hi

    @extend_schema_field(SourceSerializer(allow_null=True))
    def get_source(self, claim):
        return None if self.hides(claim) else SourceSerializer(claim.source, context=self.context).data

    def get_source_hidden(self, claim) -> bool:
        return self.hides(claim)


class GroupSerializer(serializers.ModelSerializer):
    victim_side = PartyNameSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ComparisonGroup
        fields = [
            "category", "victim_side", "level", "ratio", "lo_max", "hi_min", "party_count", "claim_count",
        ]  # fmt: skip


class EventSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2")
    groups = GroupSerializer(many=True, read_only=True)
    alleged_perpetrators = PartyNameSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "ref", "title", "start_date", "end_date", "date_precision", "location_name", "admin_region",
            "country", "latitude", "longitude", "event_type", "description", "alleged_perpetrators",
            "level", "ratio", "classification_dispute", "party_count", "claim_count", "groups",
        ]  # fmt: skip


class EventDetailSerializer(EventSerializer):
    claims = ClaimSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "claims"]


def claims_for_api():
    return Claim.objects.select_related("event", "party", "victim_side", "source")


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Events, most severe first unless `ordering` says otherwise, with the web list's filters."""

    queryset = Event.objects.prefetch_related(
        Prefetch("groups", ComparisonGroup.objects.select_related("victim_side")), "alleged_perpetrators"
    )
    permission_classes = [ViewPermission]
    filterset_class = EventFilter
    lookup_field = "ref"
    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9._-]*"

    def get_queryset(self):
        events = super().get_queryset()
        if self.action == "retrieve":
            events = events.prefetch_related(Prefetch("claims", claims_for_api()))
        return events

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer


def yes_or_no(field_name: str, label: str) -> filters.TypedChoiceFilter:
    """A true/false filter that refuses anything else, where a BooleanFilter reads "maybe" as "any"."""
    return filters.TypedChoiceFilter(
        field_name=field_name,
        label=label,
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
    )


class ClaimFilter(filters.FilterSet):
    event = filters.CharFilter(field_name="event__ref", label="Event reference")
    current = yes_or_no("is_current", "Current claims only (true) or superseded and retracted ones (false)")
    retracted = yes_or_no("retracted", "Retracted claims (true) or not (false)")

    class Meta:
        model = Claim
        fields = ["event", "party", "category", "victim_side", "current", "retracted"]


class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    """Claims, each with its interval and, where you may see it, its source."""

    queryset = claims_for_api().order_by("event__ref", "claimed_on", "pk")
    serializer_class = ClaimSerializer
    permission_classes = [ViewPermission]
    filterset_class = ClaimFilter


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
        return super().get_queryset().visible_to(self.request.user)


router = routers.DefaultRouter()
router.include_format_suffixes = False  # a ref may hold dots: GED-1.json is a ref, not a format
router.register("events", EventViewSet)
router.register("claims", ClaimViewSet)
router.register("parties", PartyViewSet)
router.register("sources", SourceViewSet)
