import django_filters
from django.utils.translation import gettext_lazy as _

from assessment.choices import DutyReportState, HonourKind, HonourStage, Tier
from assessment.models import Classification, DutyReport, Honour
from core.choices import BRANCH_LEVELS
from core.filtersets import ScopedFilterSet, WithinUnitFilter
from core.models import OrgUnit


class WithinFilterMixin(ScopedFilterSet):
    """``within`` widens to a unit's whole subtree (NetBox-style tree filter)."""

    within = WithinUnitFilter(field_name="unit", label=_("within (unit id, whole subtree)"))


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


# --- The filters of the list pages (R-ORG-2: every choice from the rows the user may see) ---

TIER_NONE = "none"  # the classification list's filter value for "no tier yet"


def _years_choices(queryset) -> list[tuple[int, int]]:
    years = queryset.order_by("-year").values_list("year", flat=True).distinct()
    return [(y, y) for y in years]


class YearsFromRowsMixin:
    """The year filter offers the years the user's own rows have, newest first (one query)."""

    year_model = None

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        from core.scoping import visible_rows

        user = getattr(request, "user", None)
        self.filters["year"].extra["choices"] = _years_choices(visible_rows(self.year_model, user))


class DutyReportPageFilterSet(YearsFromRowsMixin, ScopedFilterSet):
    """R-ASM-2: /assessment/duty-reports/ by year and state."""

    year_model = DutyReport
    year = django_filters.ChoiceFilter(label=_("Year"), choices=[], empty_label=_("All years"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=DutyReportState.choices,
                                        empty_label=_("All states"))

    class Meta:
        model = DutyReport
        fields = ["year", "state"]


class ClassificationPageFilterSet(ScopedFilterSet):
    """R-CLS-1/3: /assessment/classifications/ by tier (or none yet) and jurisdiction; the year is the page's."""

    tier = django_filters.ChoiceFilter(label=_("Tier"), choices=[*Tier.choices, (TIER_NONE, _("Unclassified"))],
                                       empty_label=_("All tiers"), method="filter_tier")
    unit = WithinUnitFilter(label=_("Within"), queryset=OrgUnit.objects.exclude(level__in=BRANCH_LEVELS)
                            .order_by("path"), empty_label=_("Whole jurisdiction"))

    class Meta:
        model = Classification
        fields = ["tier", "unit"]

    def filter_tier(self, queryset, name, value):
        return queryset.filter(tier="" if value == TIER_NONE else value) if value else queryset
