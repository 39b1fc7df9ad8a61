"""R-RCT-4: the corrections list's filters (state, year)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from assessment.filtersets import YearsFromRowsMixin
from core.filtersets import ScopedFilterSet
from rectification.choices import CorrectionState
from rectification.models import CorrectionOrder


class CorrectionPageFilterSet(YearsFromRowsMixin, ScopedFilterSet):
    year_model = CorrectionOrder
    year = django_filters.ChoiceFilter(label=_("Year"), choices=[], empty_label=_("All years"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=CorrectionState.choices,
                                        empty_label=_("All states"))

    class Meta:
        model = CorrectionOrder
        fields = ["year", "state"]
