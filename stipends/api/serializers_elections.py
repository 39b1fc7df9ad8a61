"""R-STP-3: the form each secretary receives, in the API (the rules are in services/elections.py)."""
from rest_framework import serializers

from cadres.models import Person
from core.api.fields import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from core.models import OrgUnit
from stipends.models import StipendElection


class StipendElectionSerializer(ScopedModelSerializer):
    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    unit = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    form_display = serializers.CharField(source="get_form_display", read_only=True)

    class Meta:
        model = StipendElection
        fields = ["id", "person", "person_name", "unit", "unit_name", "year", "form", "form_display", "note",
                  "created_by", "updated_at"]
        read_only_fields = ["created_by", "updated_at"]
        validators = []  # a second POST for the same person, branch and year updates it (upsert)


class StipendElectionUpdateSerializer(StipendElectionSerializer):
    """An update changes the form and the note; the person, branch and year name the record."""

    person = serializers.PrimaryKeyRelatedField(read_only=True)
    unit = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(StipendElectionSerializer.Meta):
        read_only_fields = ["person", "unit", "year", "created_by", "updated_at"]
