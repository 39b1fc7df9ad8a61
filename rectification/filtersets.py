"""Filters of the rectification API and pages (R-ORG-2: every choice from the rows the user may see)."""
import datetime as dt

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import ScopedFilterSet, WithinUnitFilter
from rectification.choices import CaseState, TaskState
from rectification.models import RectificationCase, RectificationTask


class CaseFilterSet(ScopedFilterSet):
    """R-RCT-1/3: cases by year, state and jurisdiction (``unit`` widens to the unit's subtree)."""

    unit = WithinUnitFilter(field_name="unit", label=_("within (unit id, whole subtree)"))
    state = django_filters.ChoiceFilter(choices=CaseState.choices)

    class Meta:
        model = RectificationCase
        fields = ["year", "state", "unit"]


class TaskFilterSet(ScopedFilterSet):
    state = django_filters.ChoiceFilter(choices=TaskState.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    within = WithinUnitFilter(field_name="case__unit", path_lookup="case__unit__path",
                              label=_("within (unit id, whole subtree)"))

    class Meta:
        model = RectificationTask
        fields = ["case", "state", "owner_person", "owner_unit"]

    def filter_overdue(self, queryset, name, value):
        q = {"state": TaskState.OPEN, "deadline__lt": dt.date.today()}
        return queryset.filter(**q) if value else queryset.exclude(**q)


class LedgerPageFilterSet(ScopedFilterSet):
    """/rectification/: the ledger by year, state and jurisdiction (the unit picker widens to the subtree)."""

    year = django_filters.ChoiceFilter(label=_("Year"), choices=[], empty_label=_("All years"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=CaseState.choices, empty_label=_("All states"))
    unit = WithinUnitFilter(field_name="unit", label=_("Unit"))

    class Meta:
        model = RectificationCase
        fields = ["year", "state", "unit"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        years = (RectificationCase.objects.visible_to(user).order_by("-year").values_list("year", flat=True)
                 .distinct())
        self.filters["year"].extra["choices"] = [(y, y) for y in years]
