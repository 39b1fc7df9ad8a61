import django_filters
from django.utils.translation import gettext_lazy as _

from core.choices import Sector
from core.filtersets import ScopedFilterSet, WithinUnitFilter, YearFilter

from .choices import AppointmentRole, Education, ReserveStatus, SelectionMethod, SourceChannel, Specialty, TalkKind
from .models import Appointment, MemberDevelopment, Person, ReserveCandidate, Talk

__all__ = ["AppointmentFilterSet", "MemberDevelopmentFilterSet", "PersonFilterSet", "ReserveCandidateFilterSet",
           "TalkFilterSet", "WithinUnitFilter"]


class PersonFilterSet(ScopedFilterSet):
    unit = WithinUnitFilter()
    sector = django_filters.ChoiceFilter(field_name="unit__sector", choices=Sector.choices, label=_("sector"))
    education = django_filters.ChoiceFilter(choices=Education.choices)
    specialty = django_filters.ChoiceFilter(choices=Specialty.choices)
    current_secretary = django_filters.BooleanFilter(method="filter_current_secretary", label=_("current secretary"))

    class Meta:
        model = Person
        fields = ["gender", "is_retired"]

    def filter_current_secretary(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(is_current_secretary=value) if "is_current_secretary" in qs.query.annotations else qs


class AppointmentFilterSet(ScopedFilterSet):
    unit = WithinUnitFilter()
    role = django_filters.MultipleChoiceFilter(choices=AppointmentRole.choices)
    selection_method = django_filters.ChoiceFilter(choices=SelectionMethod.choices)
    source_channel = django_filters.ChoiceFilter(choices=SourceChannel.choices)
    sector = django_filters.ChoiceFilter(field_name="unit__sector", choices=Sector.choices, label=_("sector"))
    current = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label=_("current"))
    start_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte",
                                            label=_("appointed on or after"))
    start_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte",
                                             label=_("appointed on or before"))

    class Meta:
        model = Appointment
        fields = ["person", "is_dual_leader", "is_full_time"]


class ReserveCandidateFilterSet(ScopedFilterSet):
    unit = WithinUnitFilter()
    status = django_filters.ChoiceFilter(choices=ReserveStatus.choices)

    class Meta:
        model = ReserveCandidate
        fields = ["person", "sector"]


class MemberDevelopmentFilterSet(ScopedFilterSet):
    """R-MEM-1: rows within a unit's subtree, of a year; ``flagged`` keeps the flagged village branches' rows."""

    unit = WithinUnitFilter()
    year = django_filters.NumberFilter()
    flagged = django_filters.BooleanFilter(method="filter_flagged", label=_("flagged (R-MEM-1)"))

    class Meta:
        model = MemberDevelopment
        fields = ["source"]

    def filter_flagged(self, qs, name, value):
        if value is None:
            return qs
        import datetime as dt

        from cadres.selectors_members import member_development_flags
        from core.models import OrgUnit

        year = self.form.cleaned_data.get("year")
        year = int(year) if year and 2000 <= year <= 2200 else dt.date.today().year
        units = OrgUnit.objects.filter(pk__in=qs.values("unit_id"))
        flagged = [s.unit.pk for s in member_development_flags(year=year, units=units)["flagged"]]
        return qs.filter(unit_id__in=flagged) if value else qs.exclude(unit_id__in=flagged)


class TalkFilterSet(ScopedFilterSet):
    """R-TLK-1: talks by person, branch (whole subtree), kind, date range and year."""

    unit = WithinUnitFilter()
    kind = django_filters.MultipleChoiceFilter(choices=TalkKind.choices, label=_("kind of talk"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("talked on or after"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("talked on or before"))
    year = YearFilter(field_name="date", lookup_expr="year", label=_("year"))

    class Meta:
        model = Talk
        fields = ["person"]
