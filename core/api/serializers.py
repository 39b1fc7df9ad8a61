from django.urls import reverse
from rest_framework import serializers

from core.api.fields import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from core.models import Job, Notice, OrgUnit, Policy
from core.services.policies import policy_validate


class OrgUnitSerializer(ScopedModelSerializer):
    parent = serializers.SerializerMethodField()
    units_below = serializers.SerializerMethodField()
    branches = serializers.SerializerMethodField()
    secretaries = serializers.SerializerMethodField()
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    sector_display = serializers.CharField(source="get_sector_display", read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id", "code", "name", "level", "level_display", "sector", "sector_display", "depth", "numchild",
            "parent", "employees", "members", "joint_branch", "instructor", "is_active",
            "units_below", "branches", "secretaries",
        ]
        read_only_fields = ["depth", "numchild"]

    def get_parent(self, obj) -> str | None:
        # The parent's path is the node's path minus one step: no query needed.
        return obj.path[: -obj.steplen] or None

    # Counts below the unit the caller may see (R-ORG-1, R-ORG-2), computed for a whole page at once by the
    # viewset (core.selectors.subtree_counts); None where it did not (a create's answer).
    def _count(self, obj, name) -> int | None:
        row = self.context.get("subtree_counts", {}).get(obj.pk)
        return row.get(name, 0) if row is not None else None

    def get_units_below(self, obj) -> int | None:
        return self._count(obj, "units_below")

    def get_branches(self, obj) -> int | None:
        return self._count(obj, "branches")

    def get_secretaries(self, obj) -> int | None:
        return self._count(obj, "secretaries")


def org_unit_label(unit) -> str:
    """How a picker names a unit: 新华村党支部（430702101201）."""
    return f"{unit.name}（{unit.code}）"


class OrgUnitPickerSerializer(serializers.ModelSerializer):
    """``?view=picker``: what a picker shows of a unit — its label and its parent's name (issue 8 item 3)."""

    label = serializers.SerializerMethodField()
    parent_name = serializers.CharField(read_only=True, default=None, allow_null=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = OrgUnit
        fields = ["id", "label", "name", "code", "level", "level_display", "parent_name"]
        read_only_fields = fields

    def get_label(self, obj) -> str:
        return org_unit_label(obj)


class OrgUnitCreateSerializer(OrgUnitSerializer):
    parent_id = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), source="parent_unit", write_only=True)

    class Meta(OrgUnitSerializer.Meta):
        fields = OrgUnitSerializer.Meta.fields + ["parent_id"]


class PolicySerializer(ScopedModelSerializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Policy
        exclude = []

    def validate(self, attrs):
        # R-SEC-3: the same range and order checks as the page and the admin, on the values after this write.
        def current(name):
            if name in attrs:
                return attrs[name]
            return getattr(self.instance, name, None) if self.instance is not None else None

        policy_validate(unit=current("unit"), year=current("year"),
                        values={f.name: current(f.name) for f in Policy.value_fields()})
        return attrs


class JobSerializer(ScopedModelSerializer):
    download_url = serializers.SerializerMethodField()
    kind_display = serializers.CharField(read_only=True)

    class Meta:
        model = Job
        fields = ["id", "kind", "kind_display", "state", "progress", "message", "params", "result", "error", "download_url",
                  "created_at", "started_at", "finished_at"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        # Through the owner-checked view: media files are never served publicly (R-DOS-2).
        return reverse("job_download", args=[obj.pk]) if obj.file else None


class NoticeSerializer(ScopedModelSerializer):
    kind_display = serializers.CharField(read_only=True)  # the kind's label (core.notice_kinds)

    class Meta:
        model = Notice
        fields = ["id", "kind", "kind_display", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields
