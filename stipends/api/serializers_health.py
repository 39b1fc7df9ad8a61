"""R-STP-5/6: the API's shapes of health-check eligibilities and records; labels next to codes."""
from rest_framework import serializers

from cadres.models import Person
from core.api.fields import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from core.models import OrgUnit
from stipends.choices import HealthCheckBasis, HealthCheckKind
from stipends.models import HealthCheck, HealthCheckEntitlement


class HealthCheckSerializer(ScopedModelSerializer):
    """Read and write: ``person``, ``kind``, ``basis`` and ``entitlement`` are fixed once recorded."""

    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    entitlement = ScopedPrimaryKeyRelatedField(queryset=HealthCheckEntitlement.objects.all(), required=False,
                                               allow_null=True)
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False, allow_null=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind = serializers.ChoiceField(choices=HealthCheckKind.choices, default=HealthCheckKind.CHECK)
    basis = serializers.ChoiceField(choices=HealthCheckBasis.choices, default=HealthCheckBasis.ELIGIBLE)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    basis_display = serializers.CharField(source="get_basis_display", read_only=True)
    cost = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)

    class Meta:
        model = HealthCheck
        fields = ["id", "person", "person_name", "unit", "unit_name", "kind", "kind_display", "basis",
                  "basis_display", "entitlement", "decided_on", "decision", "done_on", "place", "cost", "paid_by",
                  "notes", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {n: {"required": False, "allow_blank": True}
                        for n in ("decision", "place", "paid_by", "notes")}


class EligibleRowSerializer(serializers.ModelSerializer):
    """A row of the eligible list with its explanation (R-POL-2) and whether the check was recorded or done."""

    person_name = serializers.CharField(source="person.name")
    unit_name = serializers.CharField(source="unit.name")
    unit_code = serializers.CharField(source="unit.code")
    health_check = serializers.SerializerMethodField()
    checked = serializers.SerializerMethodField()
    done_on = serializers.SerializerMethodField()

    class Meta:
        model = HealthCheckEntitlement
        fields = ["id", "person", "person_name", "unit", "unit_name", "unit_code", "year", "period_start",
                  "qualified_on", "good_years", "checked", "health_check", "done_on", "explanation"]

    def _check(self, obj):
        return getattr(obj, "health_check", None)

    def get_health_check(self, obj) -> int | None:
        check = self._check(obj)
        return check.pk if check else None

    def get_checked(self, obj) -> bool:
        return self._check(obj) is not None

    def get_done_on(self, obj) -> str | None:
        check = self._check(obj)
        return check.done_on.isoformat() if check and check.done_on else None
