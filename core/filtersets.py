import django_filters

from core.choices import Level, Sector
from core.models import OrgUnit, Policy


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
