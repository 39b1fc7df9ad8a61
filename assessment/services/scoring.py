"""R-ASM-4: indicator templates of a jurisdiction and the superior's scoring of a branch."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assessment.models import BranchScore, Indicator, IndicatorTemplate
from assessment.services.evaluations import ERR_NOT_A_BRANCH, year_published
from assessment.services.scores import superior_score_compute
from core.choices import BRANCH_LEVELS

ERR_NO_TEMPLATE = _("No indicator template applies to this branch in {year}.")
ERR_TEMPLATE_EXISTS = _("This jurisdiction has a template for the year already.")
ERR_TEMPLATE_USED = _("The template has scores already; its indicators can no longer change.")
ERR_SCORE_PUBLISHED = _("The {year} assessment is published; scores can no longer change.")
ERR_INDICATORS_REQUIRED = _("A template needs at least one indicator.")
ERR_TEMPLATE_PUBLISHED = _("The {year} assessment is published; its indicators can no longer change.")


def indicator_template_save(*, unit, year: int, name: str, indicators: list[dict],
                            template: IndicatorTemplate | None = None) -> IndicatorTemplate:
    """R-ASM-4: a jurisdiction's weighted indicators (name, weight, max score) for a year."""
    if not indicators:
        raise ValidationError({"indicators": [ERR_INDICATORS_REQUIRED]})
    if year_published(unit=unit, year=year):
        raise ValidationError({"year": [ERR_TEMPLATE_PUBLISHED.format(year=year)]})
    with transaction.atomic():
        if template is None:
            if IndicatorTemplate.objects.filter(unit=unit, year=year).exists():
                raise ValidationError({"year": [ERR_TEMPLATE_EXISTS]})
            template = IndicatorTemplate.objects.create(unit=unit, year=year, name=name)
        else:
            if template.scores.exists():
                raise ValidationError({"indicators": [ERR_TEMPLATE_USED]})
            template.name = name
            template.save(update_fields=["name"])
            template.indicators.all().delete()
        Indicator.objects.bulk_create([
            Indicator(template=template, name=i["name"], weight=i["weight"], max_score=i["max_score"], position=n)
            for n, i in enumerate(indicators, start=1)
        ])
    return template


def template_for(*, unit, year: int) -> IndicatorTemplate | None:
    """The template of the nearest jurisdiction above (or at) the branch for the year."""
    return (IndicatorTemplate.objects.filter(unit__path__in=unit.ancestor_paths(), year=year)
            .order_by("-unit__depth").prefetch_related("indicators").first())


def branch_score_set(*, unit, year: int, points: dict, by) -> BranchScore:
    """R-ASM-4: the superior committee scores a branch on its template's indicators."""
    if unit.level not in BRANCH_LEVELS:
        raise ValidationError({"unit": [ERR_NOT_A_BRANCH]})
    if year_published(unit=unit, year=year):
        raise ValidationError({"year": [ERR_SCORE_PUBLISHED.format(year=year)]})
    template = template_for(unit=unit, year=year)
    if template is None:
        raise ValidationError({"template": [ERR_NO_TEMPLATE.format(year=year)]})
    points = {str(k): v for k, v in points.items()}
    total = superior_score_compute(indicators=list(template.indicators.all()), points=points)
    score, _ = BranchScore.objects.update_or_create(
        unit=unit, year=year,
        defaults={"template": template, "points": {k: str(v) for k, v in points.items()},
                  "superior_score": total, "scored_by": by})
    return score
