import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import ScopedFilterSet, WithinUnitFilter
from cadres.models import Person
from core.choices import Sector
from core.filtersets import YearFilter

from .choices import ContentCategory, CourseKind
from .models import Attendance, Course


class CourseFilterSet(ScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=CourseKind.choices)
    organiser = WithinUnitFilter(path_lookup="organiser__path", label=_("organised within unit"))
    year = YearFilter(field_name="start_date", lookup_expr="year", label=_("year"))
    category = django_filters.ChoiceFilter(choices=ContentCategory.choices, method="filter_category",
                                           label=_("content category"))
    # A course opens (开班); "start date" alone is the appointment's 任职日期 in the catalog.
    starts_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte",
                                             label=_("course opens on or after"))
    starts_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte",
                                              label=_("course opens on or before"))

    class Meta:
        model = Course
        fields = ["organiser_level"]

    def filter_category(self, qs, name, value):
        if not value:
            return qs
        # JSON containment is PostgreSQL-only; the quoted value inside the list text is portable.
        return qs.filter(content_categories__icontains=f'"{value}"')


class AttendanceFilterSet(ScopedFilterSet):
    # field_name is what the schema resolves the parameter's type from; filter() goes by path_lookup.
    unit = WithinUnitFilter(field_name="person__unit", path_lookup="person__unit__path")
    sector = django_filters.ChoiceFilter(field_name="person__unit__sector", choices=Sector.choices,
                                         label=_("sector"))
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.none())
    course = django_filters.ModelChoiceFilter(queryset=Course.objects.none())
    kind = django_filters.MultipleChoiceFilter(field_name="course__kind", choices=CourseKind.choices)
    year = YearFilter(field_name="completed_on", lookup_expr="year", label=_("year"))

    class Meta:
        model = Attendance
        fields = ["completed"]
