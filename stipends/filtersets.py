"""Filters of the stipend sheet pages (R-ORG-2: every choice from the rows the user may see)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import ScopedFilterSet, WithinUnitFilter
from stipends.choices import SheetState
from stipends.models import StipendSheet


class SheetPageFilterSet(ScopedFilterSet):
    """/stipends/: the sheets by year, state and jurisdiction (the unit picker widens to the subtree)."""

    year = django_filters.ChoiceFilter(label=_("Year"), choices=[], empty_label=_("All years"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=SheetState.choices, empty_label=_("All states"))
    unit = WithinUnitFilter(field_name="unit", label=_("Jurisdiction"))

    class Meta:
        model = StipendSheet
        fields = ["year", "state", "unit"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        years = StipendSheet.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct()
        self.filters["year"].extra["choices"] = [(y, y) for y in years]
