"""R-RCT-1/4: the API's shapes of candidates and correction orders."""
from rest_framework import serializers

from core.api.fields import ScopedModelSerializer
from rectification.models import CorrectionOrder, WeakCandidate


class WeakCandidateSerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = WeakCandidate
        fields = ["id", "committee", "committee_name", "unit", "unit_name", "year", "rank", "composite_score",
                  "state", "state_display", "reason", "listing", "explanation", "proposed_at", "decided_by",
                  "decided_at"]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, trim_whitespace=True)


class ProposeSerializer(serializers.Serializer):
    committee = serializers.IntegerField()
    year = serializers.IntegerField(min_value=1949, max_value=2200)


class BottomRankingRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    township = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    composite_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    tier = serializers.CharField()
    in_quota = serializers.BooleanField()
    candidate = serializers.SerializerMethodField()
    candidate_state = serializers.SerializerMethodField()

    def get_candidate(self, row):
        return row["candidate"].pk if row["candidate"] else None

    def get_candidate_state(self, row):
        return row["candidate"].state if row["candidate"] else None


class CorrectionOrderSerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    cause_display = serializers.CharField(source="get_cause_display", read_only=True)

    class Meta:
        model = CorrectionOrder
        fields = ["id", "case", "appointment", "unit", "unit_name", "person", "person_name", "year", "requirement",
                  "deadline", "state", "state_display", "met_at", "met_note", "cause", "cause_display",
                  "proposed_at", "decision_reason", "decided_by", "decided_at", "created_at"]
        read_only_fields = fields


class CorrectionMetSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)


class CorrectionAcceptSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    end_date = serializers.DateField()
