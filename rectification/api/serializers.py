"""R-RCT-1/3: the API's shapes of cases and tasks; nested lists read-only, labels next to codes."""
import datetime as dt

from rest_framework import serializers

from cadres.models import Person
from core.api.fields import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from core.models import OrgUnit
from rectification.models import (
    CaseEvent,
    CaseProblem,
    CaseResponsibility,
    CorrectionOrder,
    HelpAssignment,
    RectificationCase,
    RectificationTask,
    TaskEvidenceFile,
)
from rectification.selectors import case_age_days, explanation_items


def _user_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


class EvidenceFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = TaskEvidenceFile
        fields = ["id", "name", "size", "content_type", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("rectification:evidence", args=[obj.pk])  # the scoped download, never MEDIA_URL


class TaskSerializer(ScopedModelSerializer):
    case = ScopedPrimaryKeyRelatedField(queryset=RectificationCase.objects.all())
    owner_person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    owner_unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False, allow_null=True)
    owner_person_name = serializers.CharField(source="owner_person.name", read_only=True, default="")
    owner_unit_name = serializers.CharField(source="owner_unit.name", read_only=True, default="")
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    files = EvidenceFileSerializer(many=True, read_only=True)
    deadline = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = RectificationTask
        fields = ["id", "case", "title", "description", "owner_person", "owner_person_name", "owner_unit",
                  "owner_unit_name", "deadline", "state", "state_display", "overdue", "evidence", "files",
                  "done_at", "created_at"]
        read_only_fields = ["state", "evidence", "done_at", "created_at"]
        extra_kwargs = {"title": {"required": False, "allow_blank": True}}

    def get_overdue(self, obj) -> bool:
        return obj.state == "open" and obj.deadline < dt.date.today()


class TaskDoneSerializer(serializers.Serializer):
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseCreateSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    year = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ProblemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseProblem
        fields = ["id", "text", "position", "created_at"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True, default="")
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")

    class Meta:
        model = CaseResponsibility
        fields = ["id", "person", "person_name", "unit", "unit_name", "duty", "position"]


class EventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    by_name = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "kind_display", "note", "data", "by", "by_name", "at"]

    def get_by_name(self, obj) -> str:
        return _user_name(obj.by)


class HelpSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True, default="")
    partner_unit_name = serializers.CharField(source="partner_unit.name", read_only=True, default="")

    class Meta:
        model = HelpAssignment
        fields = ["id", "kind", "kind_display", "person", "person_name", "partner_unit", "partner_unit_name",
                  "start_date", "end_date", "note"]


class CorrectionSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = CorrectionOrder
        fields = ["id", "person", "person_name", "requirement", "deadline", "state", "state_display"]


class CaseSerializer(ScopedModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    origin_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    age_days = serializers.SerializerMethodField()
    tasks_total = serializers.IntegerField(read_only=True, default=0)
    tasks_done = serializers.IntegerField(read_only=True, default=0)
    tasks_overdue = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = RectificationCase
        fields = ["id", "unit", "unit_name", "year", "origins", "origin_labels", "state", "state_display",
                  "summary", "opened_at", "closed_at", "age_days", "tasks_total", "tasks_done", "tasks_overdue"]
        read_only_fields = fields

    def get_age_days(self, obj) -> int:
        from django.utils import timezone

        return case_age_days(obj, today=timezone.localdate())


class CaseDetailSerializer(CaseSerializer):
    """R-POL-2: the case explains why it opened (``explanation``, per origin, and its readable ``why``)."""

    why = serializers.SerializerMethodField()
    opened_by_name = serializers.SerializerMethodField()
    closed_by_name = serializers.SerializerMethodField()
    problems = ProblemSerializer(many=True, read_only=True)
    tasks = TaskSerializer(many=True, read_only=True)
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    help = HelpSerializer(many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "explanation", "why", "opened_by_name", "closed_by_name",
                  "sign_off_note", "problems", "tasks", "responsibilities", "events", "help", "corrections"]
        read_only_fields = fields

    def get_why(self, obj) -> list[dict]:
        return explanation_items(obj)

    def get_opened_by_name(self, obj) -> str:
        return _user_name(obj.opened_by)

    def get_closed_by_name(self, obj) -> str:
        return _user_name(obj.closed_by)
