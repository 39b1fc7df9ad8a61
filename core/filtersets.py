import django_filters
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.choices import Level, Sector
from core.models import OrgUnit, Policy


YEAR_MIN, YEAR_MAX = 1949, 2200
ERR_FILTER_YEAR = _("Enter a year between {min} and {max}.")


class YearFilter(django_filters.NumberFilter):
    """A calendar year, 1949–2200: ``?year=0`` on a date's ``__year`` lookup is a 400 naming the
    field, not the ``ValueError`` of a date before year 1 (R-SEC-3)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        message = format_lazy(ERR_FILTER_YEAR, min=YEAR_MIN, max=YEAR_MAX)
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        kwargs.setdefault("error_messages", {"min_value": message, "max_value": message, "invalid": message})
        super().__init__(*args, **kwargs)


class OrgUnitFilterSet(django_filters.FilterSet):
    """``within`` widens to a unit's whole subtree (NetBox-style tree filter)."""

    level = django_filters.MultipleChoiceFilter(choices=Level.choices)
    sector = django_filters.MultipleChoiceFilter(choices=Sector.choices)
    within = django_filters.NumberFilter(method="filter_within", label="within (unit id, whole subtree)")
    parent = django_filters.NumberFilter(method="filter_parent", label="parent (direct children of unit id)")

    class Meta:
        model = OrgUnit
        fields = ["level", "sector", "code", "is_active"]

    def filter_within(self, queryset, name, value):
        unit = OrgUnit.objects.filter(pk=value).only("path").first()
        return queryset.filter(path__startswith=unit.path) if unit else queryset.none()

    def filter_parent(self, queryset, name, value):
        parent = OrgUnit.objects.filter(pk=value).only("path", "depth").first()
        if parent is None:
            return queryset.none()
        return queryset.filter(path__startswith=parent.path, depth=parent.depth + 1)


class PolicyFilterSet(django_filters.FilterSet):
    class Meta:
        model = Policy
        fields = ["year", "unit"]
