"""R-STP-2..4, R-POL-2: the API's shapes of stipend sheets, their lines and the what-if preview.

Labels travel next to codes (``state_display``, ``tier_display``) so no client shows a raw code. A line explains
itself with its stored inputs and the policy values its sheet kept (``sheet.policies[policy_key]``), never the
policy as it is now: an approved sheet explains itself as it did when it was approved (R-POL-1).
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from rest_framework import serializers

from assessment.choices import Tier
from core.api.fields import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from core.api.schema import optional_in_response
from core.api.serializers import JobSerializer
from core.models import OrgUnit, Policy
from core.services.policies import policy_validate
from stipends.choices import FloorKind
from stipends.models import StipendLine, StipendSheet
from stipends.services.sheets import MSG_CORRECT_REASON

TIER_LABELS = dict(Tier.choices)
FLOOR_LABELS = dict(FloorKind.choices)


def _user_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


@optional_in_response("floors")
class StipendSheetSerializer(ScopedModelSerializer):
    """A sheet with its totals; ``floors`` name other secretaries, so a secretary is not given them."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    built_by_name = serializers.SerializerMethodField()
    approved_by_name = serializers.SerializerMethodField()
    lines_url = serializers.SerializerMethodField()

    class Meta:
        model = StipendSheet
        fields = ["id", "unit", "unit_name", "year", "version", "state", "state_display", "previous",
                  "correction_reason", "regimes", "total", "line_count", "provisional_count",
                  "workload_credit_count", "flagged_count", "floors", "built_at", "built_by_name", "last_job",
                  "approved_at", "approved_by_name", "created_at", "lines_url"]
        read_only_fields = fields

    def get_built_by_name(self, obj) -> str:
        return _user_name(obj.built_by)

    def get_approved_by_name(self, obj) -> str:
        return _user_name(obj.approved_by)

    def get_lines_url(self, obj) -> str:
        return reverse("stipend-sheet-lines", args=[obj.pk])

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and request.user.is_secretary_role:
            data.pop("floors", None)
        else:
            for floor in data.get("floors") or []:
                floor.setdefault("kind_display", str(FLOOR_LABELS.get(floor.get("kind"), floor.get("kind"))))
        return data


class StipendSheetDetailSerializer(StipendSheetSerializer):
    """R-POL-2: the detail also gives the policy values the sheet used, once per jurisdiction."""

    class Meta(StipendSheetSerializer.Meta):
        fields = [*StipendSheetSerializer.Meta.fields, "policies"]
        read_only_fields = fields


class StipendLineSerializer(serializers.ModelSerializer):
    """R-STP-2/3, R-POL-2: one secretary's line with what it was computed from and the policy values used."""

    person_name = serializers.CharField(source="person.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True, default="")
    regime_display = serializers.CharField(source="get_regime_display", read_only=True)
    group_display = serializers.CharField(source="get_group_display", read_only=True)
    form_display = serializers.CharField(source="get_form_display", read_only=True)
    base_period_display = serializers.CharField(source="get_base_period_display", read_only=True)
    tier_display = serializers.SerializerMethodField()
    flags_display = serializers.SerializerMethodField()
    difference = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = StipendLine
        fields = ["id", "sheet", "person", "person_name", "unit", "unit_name", "township", "township_name",
                  "sector", "group", "group_display", "regime", "regime_display", "form", "form_display",
                  "base_amount", "base_period", "base_period_display", "pool_amount", "tier", "tier_display",
                  "coefficient", "months", "in_office_from", "in_office_until", "amount", "provisional", "flags",
                  "flags_display", "previous_amount", "difference", "policy_key", "explanation"]
        read_only_fields = fields

    def get_tier_display(self, obj) -> str:
        return str(TIER_LABELS.get(obj.tier, "")) if obj.tier else ""

    def get_flags_display(self, obj) -> list[str]:
        return [str(FLOOR_LABELS.get(f, f)) for f in obj.flags or []]

    def get_difference(self, obj) -> str | None:
        """In a correction: this version's amount less the corrected version's (a new line: its whole amount)."""
        if not self._sheet(obj).previous_id:
            return None
        return str(obj.amount - (obj.previous_amount or 0))

    def _sheet(self, obj) -> StipendSheet:
        # The lines endpoint gives the one sheet in the context: no query per line.
        return self.context.get("sheet") or obj.sheet

    def get_explanation(self, obj) -> dict:
        policies = self._sheet(obj).policies or {}
        keys = [obj.policy_key, (obj.explanation or {}).get("pool_policy")]
        used = {k: policies[k] for k in dict.fromkeys(keys) if k and k in policies}
        return {**(obj.explanation or {}), "rule": (obj.explanation or {}).get("rule", "R-STP-2"),
                "policies": used}


class SheetStartSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    year = serializers.IntegerField(min_value=1949, max_value=2200)


class StartedJobSerializer(JobSerializer):
    """The job building the sheet: follow it at ``url`` (R-JOB-3)."""

    url = serializers.SerializerMethodField()

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return reverse("job-detail", args=[obj.pk])


class CorrectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_reason(self, value):
        if not value.strip():
            raise serializers.ValidationError(str(MSG_CORRECT_REASON))
        return value.strip()


class PolicyValuesSerializer(serializers.ModelSerializer):
    """A draft of a jurisdiction's own policy: any value field, each optional (absent or null = inherit)."""

    class Meta:
        model = Policy
        fields = [f.name for f in Policy.value_fields()]
        extra_kwargs = {f.name: {"required": False, "allow_null": True} for f in Policy.value_fields()}


class PreviewRequestSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    year = serializers.IntegerField(min_value=1949, max_value=2200)
    values = PolicyValuesSerializer()

    def validate(self, attrs):
        # R-SEC-3: the checks of the policy page, keyed by the field under ``values``.
        try:
            policy_validate(unit=attrs["unit"], year=attrs["year"], values=attrs["values"])
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            raise serializers.ValidationError({"values": detail}) from None
        return attrs


class PreviewRowSerializer(serializers.Serializer):
    """One secretary under the policy in force (``current``) and under the draft (``draft``)."""

    person = serializers.IntegerField(source="line.person_id")
    person_name = serializers.CharField(source="line.person_name")
    unit = serializers.IntegerField(source="line.unit_id")
    unit_name = serializers.CharField(source="line.unit_name")
    township_name = serializers.CharField(source="line.township_name")
    tier = serializers.CharField(source="line.tier")
    tier_display = serializers.SerializerMethodField()
    regime = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField()
    draft = serializers.SerializerMethodField()
    difference = serializers.DecimalField(max_digits=14, decimal_places=2)

    def get_tier_display(self, row) -> str:
        return str(TIER_LABELS.get(row.line.tier, "")) if row.line.tier else ""

    def get_regime(self, row) -> dict:
        return {"current": row.current.regime if row.current else None,
                "draft": row.draft.regime if row.draft else None}

    @staticmethod
    def _side(line) -> dict | None:
        if line is None:
            return None
        return {"amount": str(line.amount), "coefficient": str(line.coefficient), "months": line.months,
                "base_amount": None if line.base_amount is None else str(line.base_amount),
                "base_period": line.base_period, "provisional": line.provisional, "form": line.form,
                "flags": [str(f) for f in line.flags], "formula": line.explanation.get("formula")}

    def get_current(self, row) -> dict | None:
        return self._side(row.current)

    def get_draft(self, row) -> dict | None:
        return self._side(row.draft)


class PreviewSerializer(serializers.Serializer):
    """R-STP-2: the totals under the policy in force and under the draft, their difference, every line."""

    rule = serializers.SerializerMethodField()
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    year = serializers.IntegerField()
    current_total = serializers.DecimalField(source="current.total", max_digits=14, decimal_places=2)
    draft_total = serializers.DecimalField(source="draft.total", max_digits=14, decimal_places=2)
    difference = serializers.DecimalField(max_digits=14, decimal_places=2)
    current_flagged = serializers.IntegerField(source="current.flagged_count")
    draft_flagged = serializers.IntegerField(source="draft.flagged_count")
    changed = serializers.SerializerMethodField()
    rows = PreviewRowSerializer(many=True)

    def get_rule(self, preview) -> str:
        return "R-STP-2"

    def get_changed(self, preview) -> int:
        return len(preview.changed_rows)
