from rest_framework import serializers

from cadres.models import Appointment, MemberDevelopment, Person, ReserveCandidate, Talk
from core.api.fields import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from core.models import OrgUnit


class PersonListSerializer(ScopedModelSerializer):
    """List rows: the ID number is always masked (R-SEC-1)."""

    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    gender_display = serializers.CharField(source="get_gender_display", read_only=True)
    education_display = serializers.CharField(source="get_education_display", read_only=True)
    is_current_secretary = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Person
        fields = ["id", "name", "gender", "gender_display", "ethnicity", "birth_date", "id_number", "education",
                  "education_display", "unit", "unit_name", "is_retired", "specialty", "is_current_secretary"]


def person_label(person) -> str:
    """How a picker names a person: 张三 · 新华村党支部 — never the ID number (R-SEC-1)."""
    return f"{person.name} · {person.unit.name}"


class PersonPickerSerializer(serializers.ModelSerializer):
    """``?view=picker``: what a picker shows of a person (issue 8 item 3)."""

    label = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "label", "name", "unit", "unit_name"]
        read_only_fields = fields

    def get_label(self, obj) -> str:
        return person_label(obj)


class PersonSerializer(ScopedModelSerializer):
    """Detail and writes. ID number and phone are masked for everyone; staff of the record's
    subtree get them in full only by asking (``?reveal=id_number,phone``), which is logged (R-SEL-1, R-SEC-1)."""

    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "gender", "ethnicity", "birth_date", "id_number", "phone", "education",
                  "party_join_date", "employer", "job_title", "is_retired", "specialty", "notes", "unit",
                  "unit_name", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness and the ID rules are checked by the service, with clearer messages.
        extra_kwargs = {"id_number": {"validators": []}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        revealed = self.context.get("revealed") or {}
        data["id_number"] = revealed.get("id_number", instance.masked_id_number)
        data["phone"] = revealed.get("phone", instance.masked_phone)
        return data


class AppointmentSerializer(ScopedModelSerializer):
    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    selection_method_display = serializers.CharField(source="get_selection_method_display", read_only=True)
    source_channel_display = serializers.CharField(source="get_source_channel_display", read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "person", "person_name", "unit", "unit_name", "role", "role_display", "start_date",
                  "planned_end_date", "end_date", "end_reason", "selection_method", "selection_method_display",
                  "source_channel", "source_channel_display", "eligible_voters", "votes_cast", "votes_for",
                  "is_full_time", "is_dual_leader", "concurrent_posts", "notes"]
        validators = []  # the one-current-secretary rule is the service's and the database's


class ReserveCandidateSerializer(ScopedModelSerializer):
    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ReserveCandidate
        fields = ["id", "person", "person_name", "unit", "unit_name", "sector", "added_on", "cultivation_plan",
                  "assigned_training", "status", "closed_on"]
        validators = []


class MemberDevelopmentSerializer(ScopedModelSerializer):
    """R-MEM-1: one branch's new members of one year; written through member_development_set (an upsert)."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = MemberDevelopment
        fields = ["id", "unit", "unit_name", "year", "new_members", "note", "source", "source_display", "updated_at"]
        read_only_fields = ["source", "updated_at"]
        validators = []  # (unit, year) twice is an update of the year's row, not an error


class TalkSerializer(ScopedModelSerializer):
    """R-TLK-1: a talk; the branch defaults to the person's current secretary post."""

    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False, allow_null=True)
    appointment = ScopedPrimaryKeyRelatedField(queryset=Appointment.objects.all(), required=False, allow_null=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Talk
        fields = ["id", "person", "person_name", "unit", "unit_name", "date", "kind", "kind_display",
                  "talker_name", "talker_position", "talker_user", "notes", "appointment", "created_by",
                  "created_at"]
        read_only_fields = ["created_by", "created_at"]
        extra_kwargs = {"talker_name": {"required": True}}
