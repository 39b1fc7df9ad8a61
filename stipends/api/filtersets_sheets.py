"""Filters of the stipend-sheet API (R-ORG-2: every choice among the rows the user may see)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from assessment.choices import Tier
from core.filtersets import ScopedFilterSet, WithinUnitFilter, YearFilter
from core.models import OrgUnit
from stipends.choices import Regime, SheetState
from stipends.models import StipendLine, StipendSheet


class StipendSheetFilterSet(ScopedFilterSet):
    """R-STP-4: sheets by year, state and jurisdiction (``unit`` widens to the unit's subtree)."""

    year = YearFilter()
    state = django_filters.ChoiceFilter(choices=SheetState.choices)
    unit = WithinUnitFilter(field_name="unit", label=_("within (unit id, whole subtree)"))

    class Meta:
        model = StipendSheet
        fields = ["year", "state", "unit"]


class StipendLineFilterSet(ScopedFilterSet):
    """R-STP-2/3: a sheet's lines by township, tier, regime, floors not met and provisional."""

    township = django_filters.ModelChoiceFilter(queryset=OrgUnit.objects.none(), label=_("township"))
    tier = django_filters.ChoiceFilter(choices=[*Tier.choices, ("none", _("Not classified"))],
                                       method="filter_tier", label=_("tier"))
    regime = django_filters.ChoiceFilter(choices=Regime.choices)
    flagged = django_filters.BooleanFilter(method="filter_flagged", label=_("floors not met"))
    provisional = django_filters.BooleanFilter()

    class Meta:
        model = StipendLine
        fields = ["township", "tier", "regime", "flagged", "provisional"]

    def filter_tier(self, queryset, name, value):
        return queryset.filter(tier="" if value == "none" else value)

    def filter_flagged(self, queryset, name, value):
        return queryset.exclude(flags=[]) if value else queryset.filter(flags=[])
