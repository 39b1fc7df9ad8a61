from decimal import Decimal

from rest_framework import serializers

from assessment.choices import Movement, Tier
from assessment.models import (
    AssessmentCycle,
    BranchListing,
    BranchScore,
    Classification,
    ClassificationChange,
    DutyReport,
    DutyReportEvent,
    EvaluationSample,
    Honour,
    Indicator,
    IndicatorTemplate,
    Sanction,
)
from assessment.services.classification import ERR_STARS
from cadres.models import Person
from core.api.fields import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from core.api.schema import optional_in_response
from core.models import OrgUnit


class CycleSerializer(ScopedModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    is_published = serializers.BooleanField(read_only=True)

    class Meta:
        model = AssessmentCycle
        fields = ["id", "unit", "unit_name", "year", "reports_due", "evaluations_due", "classification_date",
                  "publication_date", "is_published", "published_at", "last_review_job"]
        read_only_fields = ["published_at", "last_review_job"]
        validators = []  # the service checks uniqueness and date order with clearer messages


class DutyReportEventSerializer(ScopedModelSerializer):
    by_name = serializers.SerializerMethodField()

    class Meta:
        model = DutyReportEvent
        fields = ["from_state", "to_state", "reason", "snapshot", "by", "by_name", "at"]

    def get_by_name(self, obj) -> str:
        return (obj.by.get_full_name() or obj.by.username) if obj.by else ""


class DutyReportSerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = DutyReport
        fields = ["id", "unit", "unit_name", "person", "person_name", "year", "commitments", "work_done",
                  "problems", "plans", "state", "state_display", "return_reason", "submitted_at", "decided_at",
                  "updated_at"]
        read_only_fields = ["unit", "person", "state", "return_reason", "submitted_at", "decided_at", "updated_at"]
        validators = []


class DutyReportDetailSerializer(DutyReportSerializer):
    events = DutyReportEventSerializer(many=True, read_only=True)

    class Meta(DutyReportSerializer.Meta):
        fields = [*DutyReportSerializer.Meta.fields, "events"]


@optional_in_response("seed", "drawn")
class EvaluationSampleSerializer(ScopedModelSerializer):
    """R-ASM-3: the draw and the aggregate. Ballots are never listed; the seed and the drawn roster
    numbers are for staff only (a supervisor or secretary with the seed could redraw the list);
    the aggregate appears only once the sample is closed and holds the policy's minimum of answers."""

    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    aggregate = serializers.SerializerMethodField()

    STAFF_ONLY_FIELDS = ("seed", "drawn")

    class Meta:
        model = EvaluationSample
        fields = ["id", "unit", "unit_name", "year", "seed", "member_count", "sample_size", "drawn", "policy",
                  "created_at", "closed_at", "aggregate"]
        read_only_fields = ["member_count", "sample_size", "drawn", "policy", "created_at", "closed_at"]
        extra_kwargs = {"seed": {"required": False}}
        validators = []

    def get_aggregate(self, obj) -> dict | None:
        agg = self.context.get("aggregates", {}).get(obj.pk)
        # Decimals as strings, like every other score of the API.
        return {k: str(v) if isinstance(v, Decimal) else v for k, v in agg.items()} if agg else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not request.user.is_staff_role:
            for hidden in self.STAFF_ONLY_FIELDS:
                data.pop(hidden, None)
        return data


class IndicatorSerializer(ScopedModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "weight", "max_score", "position"]
        read_only_fields = ["position"]


class IndicatorTemplateSerializer(ScopedModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    indicators = IndicatorSerializer(many=True)

    class Meta:
        model = IndicatorTemplate
        fields = ["id", "unit", "year", "name", "indicators"]
        validators = []


class BranchScoreSerializer(ScopedModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    points = serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2))

    class Meta:
        model = BranchScore
        fields = ["id", "unit", "unit_name", "year", "template", "points", "superior_score", "scored_by",
                  "scored_at"]
        read_only_fields = ["template", "superior_score", "scored_by", "scored_at"]
        validators = []


class ClassificationSerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    # "" while no tier is set: declared so that the schema offers the blank value beside the tiers.
    computed_tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, read_only=True)
    override_tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, read_only=True)
    tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, read_only=True)
    previous_tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, read_only=True)
    movement = serializers.ChoiceField(choices=Movement.choices, allow_blank=True, read_only=True)
    tier_display = serializers.CharField(source="get_tier_display", read_only=True)
    is_published = serializers.SerializerMethodField()
    # R-POL-2: the row's own explanation with the policy its review applied (kept once per review).
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Classification
        fields = ["id", "unit", "unit_name", "year", "cycle", "superior_score", "member_score", "composite_score",
                  "computed_tier", "override_tier", "override_reason", "tier", "tier_display", "stars",
                  "previous_tier", "movement", "explanation", "computed_at", "is_published"]
        read_only_fields = fields

    def get_is_published(self, obj) -> bool:
        return bool(obj.cycle_id and obj.cycle.published_at)

    def get_explanation(self, obj) -> dict:
        return obj.explained()


class ClassificationChangeSerializer(ScopedModelSerializer):
    class Meta:
        model = ClassificationChange
        fields = ["field", "old_value", "new_value", "reason", "by", "at"]


class BranchListingSerializer(ScopedModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = BranchListing
        fields = ["id", "unit", "unit_name", "year", "kind", "reason", "created_by", "created_at"]
        read_only_fields = ["created_by", "created_at"]
        validators = []


class SanctionSerializer(ScopedModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)

    class Meta:
        model = Sanction
        fields = ["id", "person", "person_name", "unit", "unit_name", "year", "applies_to_year", "reason",
                  "reason_display", "explanation"]
        read_only_fields = fields


class HonourSerializer(ScopedModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True, default="")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = Honour
        fields = ["id", "kind", "kind_display", "year", "unit", "unit_name", "person", "person_name", "level",
                  "stage", "stage_display", "recuperation_days", "withdrawn_at", "withdrawn_reason", "created_at"]
        read_only_fields = ["stage", "recuperation_days", "withdrawn_at", "withdrawn_reason", "created_at"]


# Request and response bodies of the actions and reports. The views keep reading ``request.data``
# themselves (their own messages); these serializers describe the payloads in the OpenAPI schema.


class DutyReportReturnSerializer(serializers.Serializer):
    # Blank passes here so that the service's own message says a reason is required.
    reason = serializers.CharField(allow_blank=True, help_text="Why the report goes back to the secretary (required).")


class EvaluationRatingsSerializer(serializers.Serializer):
    ratings = serializers.ListField(
        child=serializers.CharField(),
        help_text="Anonymous ballots: good, fairly_good, average, poor or 好/较好/一般/差/较差.",
    )


class EvaluationVerifySerializer(serializers.Serializer):
    rule = serializers.CharField()
    seed = serializers.IntegerField()
    reproduced = serializers.BooleanField(help_text="Whether the recorded seed redraws the recorded members.")


class EvaluationSatisfactionSerializer(serializers.Serializer):
    rule = serializers.CharField()
    unit = serializers.IntegerField()
    year = serializers.IntegerField()
    branches = serializers.IntegerField(help_text="Branches with enough answers to count.")
    answers = serializers.IntegerField()
    satisfaction = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True,
                                            help_text="Share (%) of 好 and 较好 ballots; null without answers.")


class ClassificationOverrideSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices, allow_blank=True, required=False,
                                   help_text='The tier set by staff; "" goes back to the rules\' tier.')
    reason = serializers.CharField(allow_blank=True, help_text="Why the tier changes (required).")


class ClassificationStarsSerializer(serializers.Serializer):
    stars = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False,
                                     error_messages={k: ERR_STARS for k in ("invalid", "min_value", "max_value")},
                                     help_text="1 to 5; null or omitted clears the stars.")
    reason = serializers.CharField(allow_blank=True, help_text="Why the stars change (required).")


class HonourAdvanceSerializer(serializers.Serializer):
    # Ids within a bigint: a larger number is a 400 here, not an overflow in the database (R-SEC-3).
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                help_text="Red-flag candidates to move to the next stage.")
