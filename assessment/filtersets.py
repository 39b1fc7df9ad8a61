import django_filters

from assessment.choices import DutyReportState, HonourKind, HonourStage, Tier
from assessment.models import Classification, DutyReport, Honour
from core.filtersets import ScopedFilterSet, WithinUnitFilter


class WithinFilterMixin(ScopedFilterSet):
    """``within`` widens to a unit's whole subtree (NetBox-style tree filter)."""

    within = WithinUnitFilter(field_name="unit", label="within (unit id, whole subtree)")


class DutyReportFilterSet(WithinFilterMixin):
    state = django_filters.MultipleChoiceFilter(choices=DutyReportState.choices)

    class Meta:
        model = DutyReport
        fields = ["year", "unit", "person", "state"]


class ClassificationFilterSet(WithinFilterMixin):
    tier = django_filters.MultipleChoiceFilter(choices=Tier.choices)

    class Meta:
        model = Classification
        fields = ["year", "unit", "tier", "movement", "cycle"]


class HonourFilterSet(WithinFilterMixin):
    kind = django_filters.MultipleChoiceFilter(choices=HonourKind.choices)
    stage = django_filters.MultipleChoiceFilter(choices=HonourStage.choices)

    class Meta:
        model = Honour
        fields = ["year", "unit", "person", "kind", "stage", "level"]
