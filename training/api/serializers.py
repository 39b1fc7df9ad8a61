
from rest_framework import serializers

from cadres.models import Person
from core.api.fields import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from core.models import OrgUnit
from core.services.policies import PolicyResolver
from training.choices import ContentCategory
from training.models import Attendance, Course
from training.services.compliance import days_display, training_days


class CourseSerializer(ScopedModelSerializer):
    organiser = ScopedPrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    content_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ContentCategory.choices), required=False
    )
    content_categories_display = serializers.ListField(
        source="get_content_categories_display", read_only=True, child=serializers.CharField()
    )

    class Meta:
        model = Course
        fields = ["id", "code", "name", "kind", "kind_display", "organiser", "organiser_name", "organiser_level",
                  "start_date", "end_date", "hours", "content_categories", "content_categories_display",
                  "capacity", "location", "notes", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {"code": {"validators": []}}


class AttendanceSerializer(ScopedModelSerializer):
    """``days_credited``: the days given, else hours (the course's when none are given) at the
    hours per day of the policy in force for the person's unit in the completion year (R-TRN-4)."""

    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    course = ScopedPrimaryKeyRelatedField(queryset=Course.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)
    course_name = serializers.CharField(source="course.name", read_only=True)
    course_kind = serializers.CharField(source="course.kind", read_only=True)
    days_credited = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = ["id", "person", "person_name", "course", "course_name", "course_kind", "hours", "days",
                  "days_credited", "completed", "completed_on", "certificate_number", "notes", "created_at"]
        read_only_fields = ["created_at"]
        validators = []  # the service names the duplicate with a clearer message

    def _resolver(self, year: int) -> PolicyResolver:
        cache = self.context.setdefault("_resolvers", {})
        if year not in cache:
            cache[year] = PolicyResolver(year=year)
        return cache[year]

    def get_days_credited(self, obj) -> str:
        year = (obj.completed_on or obj.course.start_date).year
        policy = self._resolver(year).for_unit(unit_id=obj.person.unit_id, path=obj.person.unit.path)
        hours = obj.hours if obj.hours is not None else obj.course.hours
        return str(days_display(training_days(hours=hours, days=obj.days, policy=policy)))
