"""Builders for the assessment tests: many branches at once, cycles, scores and ballots."""
import datetime as dt
from decimal import Decimal

from assessment.models import AssessmentCycle, BranchScore, Classification, EvaluationRating, EvaluationSample, \
    IndicatorTemplate
from core.choices import Level, Sector
from core.models import OrgUnit

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _base36(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out.rjust(width, "0")


def make_branches(*, parent: OrgUnit, count: int, prefix: str = "B", sector: str = Sector.VILLAGE) -> list[OrgUnit]:
    """``count`` branches under ``parent`` in one INSERT, with the paths treebeard would compute."""
    parent.refresh_from_db()
    step = OrgUnit.steplen
    start = parent.numchild
    units = [
        OrgUnit(path=parent.path + _base36(start + i + 1, step), depth=parent.depth + 1, numchild=0,
                code=f"{prefix}{parent.pk}-{start + i + 1:05d}", name=f"{prefix}支部{start + i + 1}",
                level=Level.BRANCH, sector=sector)
        for i in range(count)
    ]
    OrgUnit.objects.bulk_create(units, batch_size=500)
    OrgUnit.objects.filter(pk=parent.pk).update(numchild=start + count)
    parent.refresh_from_db()
    return list(OrgUnit.objects.filter(path__in=[u.path for u in units]).order_by("path"))


def make_cycle(*, unit: OrgUnit, year: int = 2025) -> AssessmentCycle:
    return AssessmentCycle.objects.create(
        unit=unit, year=year, reports_due=dt.date(year, 12, 10), evaluations_due=dt.date(year, 12, 20),
        classification_date=dt.date(year + 1, 1, 10), publication_date=dt.date(year + 1, 1, 20))


def make_template(*, unit: OrgUnit, year: int = 2025) -> IndicatorTemplate:
    template, _ = IndicatorTemplate.objects.get_or_create(unit=unit, year=year, defaults={"name": f"{year}年量化考核"})
    if not template.indicators.exists():
        template.indicators.create(name="组织建设", weight=Decimal("50"), max_score=Decimal("50"), position=1)
        template.indicators.create(name="作用发挥", weight=Decimal("50"), max_score=Decimal("50"), position=2)
    return template


def set_scores(*, units, year: int = 2025, score: Decimal | str, template: IndicatorTemplate) -> None:
    """Superior scores written directly, in bulk (the scoring service is tested on its own)."""
    BranchScore.objects.bulk_create(
        [BranchScore(unit=u, year=year, template=template, points={}, superior_score=Decimal(str(score)))
         for u in units], batch_size=500)


def set_previous(*, units, year: int, tier: str) -> None:
    Classification.objects.bulk_create(
        [Classification(unit=u, year=year, tier=tier, computed_tier=tier) for u in units], batch_size=500)


def add_ballots(*, unit: OrgUnit, year: int = 2025, ratings: list[str], seed: int = 7) -> EvaluationSample:
    sample, _ = EvaluationSample.objects.get_or_create(
        unit=unit, year=year, defaults={"seed": seed, "member_count": 30, "sample_size": max(9, len(ratings)),
                                        "drawn": list(range(1, max(9, len(ratings)) + 1))})
    EvaluationRating.objects.bulk_create([EvaluationRating(sample=sample, rating=r) for r in ratings])
    return sample
