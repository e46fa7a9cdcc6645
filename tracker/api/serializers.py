"""How events, claims, parties, sources, people and their fate claims read in the API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker import visibility
from tracker.exports.discrepancies import AssessmentLine, assessment_record
from tracker.models import (
    Assessment,
    Claim,
    ComparisonGroup,
    ContainmentDiscrepancy,
    Event,
    FateClaim,
    Inconsistency,
    Party,
    Person,
    Source,
)
from tracker.models.assessments import FIGURE_COLUMNS
from tracker.models.choices import FateConflict
from tracker.rules import grading
from tracker.rules.dates import stated_text


@extend_schema_field(OpenApiTypes.STR)
class StatedDateField(serializers.ReadOnlyField):
    """A date as it was stated, as the claims CSV writes it: `2017-09-21`, `2017-09` for a month, `2017` for a year."""

    def __init__(self, date_field: str, **kwargs):
        self.date_field = date_field
        super().__init__(source="*", **kwargs)

    def to_representation(self, record):
        day = getattr(record, self.date_field)
        return None if day is None else stated_text(day, getattr(record, f"{self.date_field}_precision"))


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
    published_on = StatedDateField("published_on", allow_null=True, help_text="as stated: YYYY-MM-DD, YYYY-MM or YYYY")

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


class CitedSourceSerializer(serializers.ModelSerializer):
    """A record citing a source, a claim or a fate claim: its source and notes, unless tracker.visibility hides
    them from the reader."""

    notes = serializers.SerializerMethodField(help_text="empty when the source is hidden: notes may name who told us")
    source = serializers.SerializerMethodField()
    source_hidden = serializers.SerializerMethodField(help_text="the source is confidential and hidden from you")

    def hides(self, record) -> bool:
        request = self.context.get("request")
        # With no one to ask, no user: every confidential source is hidden.
        return visibility.is_claim_source_hidden(record, request.user if request else None)

    def get_notes(self, record) -> str:
        return "" if self.hides(record) else record.notes

    @extend_schema_field(SourceSerializer(allow_null=True))
    def get_source(self, record):
        return None if self.hides(record) else SourceSerializer(record.source, context=self.context).data

    def get_source_hidden(self, record) -> bool:
        return self.hides(record)


class ClaimSerializer(CitedSourceSerializer):
    event = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    party = PartyNameSerializer(read_only=True)
    victim_side = PartyNameSerializer(read_only=True, allow_null=True)
    subgroup = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True,
        help_text="who among the victims the claim counts (a subgroup's code, as in the claims CSV); null: the whole",
    )  # fmt: skip
    lo = serializers.SerializerMethodField(help_text="lower end of the interval compared")
    hi = serializers.SerializerMethodField(help_text="upper end of the interval compared; null when open-ended")
    current = serializers.BooleanField(source="is_current", help_text="its party's current claim in its group")
    claimed_on = StatedDateField("claimed_on", help_text="as stated: YYYY-MM-DD, YYYY-MM or YYYY")

    class Meta:
        model = Claim
        fields = [
            "id", "event", "party", "outcome", "category", "victim_side", "subgroup", "qualifier", "low", "best",
            "high", "lo", "hi", "wording", "claimed_on", "current", "retracted", "notes", "source", "source_hidden",
            "entered_at", "review_state",
        ]  # fmt: skip

    def get_lo(self, claim) -> int:
        return claim.interval.lo

    def get_hi(self, claim) -> int | None:
        return claim.interval.hi


class PersonSerializer(serializers.ModelSerializer):
    other_names = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    affiliation = PartyNameSerializer(read_only=True, allow_null=True)
    reported_deaths = serializers.IntegerField(
        read_only=True, help_text="distinct deaths reported: death claims in one event or within a few days are one"
    )
    conflicts = serializers.ListField(
        child=serializers.ChoiceField(choices=FateConflict.choices), read_only=True,
        help_text="the fate conflicts among the person's current fate claims",
    )  # fmt: skip

    class Meta:
        model = Person
        fields = [
            "id", "name", "other_names", "affiliation", "role", "sex", "age", "age_group", "notes", "reported_deaths",
            "conflicts", "review_state",
        ]  # fmt: skip


class FateClaimSerializer(CitedSourceSerializer):
    person = serializers.PrimaryKeyRelatedField(read_only=True)
    party = PartyNameSerializer(read_only=True)
    event = serializers.SlugRelatedField(slug_field="ref", read_only=True, allow_null=True)
    fate_date = StatedDateField(
        "fate_date", allow_null=True, help_text="as stated: YYYY-MM-DD, YYYY-MM or YYYY; null: the event's date"
    )
    claimed_on = StatedDateField("claimed_on", help_text="as stated: YYYY-MM-DD, YYYY-MM or YYYY")
    current = serializers.BooleanField(
        source="is_current", read_only=True, help_text="its party's current fate claim about the person"
    )

    class Meta:
        model = FateClaim
        fields = [
            "id", "person", "party", "fate", "hedge", "status", "event", "fate_date", "claimed_on", "wording",
            "current", "retracted", "notes", "source", "source_hidden", "entered_at", "review_state",
        ]  # fmt: skip


class AssessmentSerializer(serializers.ModelSerializer):
    """One assessment as the assessments file has it (its figures a low and a high per category), with its review."""

    event = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    assessor = PartyNameSerializer(read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id", "event", "assessor", "grade", "method", "rationale", "assessed_on", *FIGURE_COLUMNS, "entered_at",
            "review_state",
        ]  # fmt: skip


def subgroup_code(help_text: str) -> serializers.SlugRelatedField:
    """A subgroup as the API names it: by its code, or null for none."""
    return serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True, help_text=help_text)


class GroupSerializer(serializers.ModelSerializer):
    victim_side = PartyNameSerializer(read_only=True, allow_null=True)
    subgroup = subgroup_code('who among them the group\'s claims count ("children"), or null for the whole toll')

    class Meta:
        model = ComparisonGroup
        fields = [
            "outcome", "category", "victim_side", "subgroup", "level", "ratio", "lo_max", "hi_min", "party_count",
            "claim_count", "sets_level",
        ]  # fmt: skip


class ContainmentSerializer(serializers.ModelSerializer):
    """One party's parts of a whole (an outcome and category with no subgroup) above another party's whole:
    its claims of the whole's sides or categories added up, or its one claim of a subgroup."""

    victim_side = PartyNameSerializer(
        read_only=True, allow_null=True, help_text="the whole's victim side: null but where a subgroup is the part"
    )
    subgroup = subgroup_code("the subgroup counted alone as the part, or null where the parts are added up")
    parts_party = PartyNameSerializer(read_only=True, help_text="whose current claims add up to lo")
    whole_party = PartyNameSerializer(read_only=True, help_text="whose claim of the whole allows at most hi")
    lo = serializers.IntegerField(read_only=True, help_text="L: the sum of the lower bounds of the parts")
    hi = serializers.IntegerField(read_only=True, help_text="H: the upper bound of the whole")

    class Meta:
        model = ContainmentDiscrepancy
        fields = [
            "outcome", "category", "victim_side", "subgroup", "level", "ratio", "lo", "hi", "parts_party",
            "whole_party", "sets_level",
        ]  # fmt: skip


class InconsistencySerializer(serializers.ModelSerializer):
    """One party's report that does not add up: its subgroup's lower bound above its own whole's upper bound."""

    party = PartyNameSerializer(read_only=True)
    victim_side = PartyNameSerializer(read_only=True, allow_null=True)
    subgroup = subgroup_code("the subgroup counted above its whole")
    lo = serializers.IntegerField(read_only=True, help_text="the lower bound of the party's subgroup claim")
    hi = serializers.IntegerField(read_only=True, help_text="the upper bound of the party's own claim of the whole")

    class Meta:
        model = Inconsistency
        fields = ["party", "outcome", "category", "victim_side", "subgroup", "lo", "hi"]


ASSESSMENT_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "assessor": {"type": "string"},
            "grade": {"type": "string"},
            "initial_grade": {"type": "string"},
            "method": {"type": "string"},
            "figures": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "category": {"type": "string"},
                        "low": {"type": "integer"},
                        "high": {"type": "integer", "nullable": True},
                    },
                },
            },
            "against": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "party": {"type": "string"},
                        "category": {"type": "string"},
                        "standing": {"type": "string", "enum": [grading.ABOVE, grading.BELOW, grading.WITHIN]},
                    },
                },
            },
        },
    },
}


def event_assessments(event) -> list[dict]:
    """Each assessor's current assessment of an event, by the assessor's name, as export_discrepancies gives
    it; from the view's prefetched `assessments_read` (every assessment, in order) and `whole_claims`."""
    by_assessor: dict[int, list] = {}
    for assessment in event.assessments_read:
        by_assessor.setdefault(assessment.assessor_id, []).append(assessment)
    compared = [
        grading.ComparedClaim(
            claim.party.name, claim.category, claim.interval.lo, claim.interval.hi, victim_side=claim.victim_side_id
        )
        for claim in event.whole_claims
    ]
    return [
        assessment_record(
            AssessmentLine(
                current.assessor.name, current.grade, assessments[0].grade, current.method, current.figures()
            ),
            compared,
        )
        for assessments in by_assessor.values()
        for current in [assessments[-1]]
    ]


class EventSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", help_text="ISO 3166-1 alpha-2")
    assessments = serializers.SerializerMethodField(
        help_text="each assessor's current assessment: its grade, initial grade, method, figures and claims against"
    )
    groups = GroupSerializer(many=True, read_only=True)
    containment = ContainmentSerializer(many=True, read_only=True)
    inconsistencies = InconsistencySerializer(many=True, read_only=True)
    alleged_perpetrators = PartyNameSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "ref", "title", "start_date", "end_date", "date_precision", "location_name", "admin_region",
            "country", "latitude", "longitude", "event_type", "description", "alleged_perpetrators",
            "origin", "origin_id",
            "level", "ratio", "classification_dispute", "injured_level", "inconsistent", "party_count", "claim_count",
            "groups", "containment", "inconsistencies", "suggested_grade", "grade", "assessment_differs",
            "assessments",
        ]  # fmt: skip

    @extend_schema_field(ASSESSMENT_SCHEMA)
    def get_assessments(self, event) -> list[dict]:
        return event_assessments(event)


class EventDetailSerializer(EventSerializer):
    claims = ClaimSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "claims"]


class TrackRecordSerializer(serializers.Serializer):
    """One party's track record, as export_track_records writes it (tracker.exports.track_records)."""

    party = serializers.CharField(help_text="The party's name")
    groups = serializers.IntegerField(help_text="Comparison groups where it was set against the others")
    above = serializers.IntegerField()
    within = serializers.IntegerField()
    below = serializers.IntegerField()
    median_ratio = serializers.FloatField(allow_null=True, help_text="Its point ÷ the others', null without one")
    q1 = serializers.FloatField(allow_null=True)
    q3 = serializers.FloatField(allow_null=True)
    denials = serializers.IntegerField()
    retracted_share = serializers.FloatField(allow_null=True)
    revised_up = serializers.IntegerField()
    revised_down = serializers.IntegerField()
    deaths_in_conflict = serializers.IntegerField(help_text="Its death claims about people whose fates conflict")
    too_few = serializers.BooleanField(help_text="Fewer than 5 groups: too few to say")
