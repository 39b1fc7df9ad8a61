"""R-ASM-4, R-CLS-1, R-CLS-2: the pure arithmetic of scores and tiers (no queries)."""
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessment.choices import DEFAULT_RATING_POINTS, SATISFIED_RATINGS, TIER_RANK, Movement, Tier

ERR_POINTS_UNKNOWN = _("Indicator {indicator} is not in the template.")
ERR_POINTS_RANGE = _("Points for {indicator} must be between 0 and {max_score}.")
ERR_POINTS_MISSING = _("Points for {indicator} are missing.")
ERR_TEMPLATE_EMPTY = _("The template has no indicator with a weight.")

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def superior_score_compute(*, indicators: Sequence, points: Mapping[str, object]) -> Decimal:
    """R-ASM-4: the weighted share of the maximum on each indicator, out of 100.

    ``indicators`` have ``pk``, ``name``, ``weight`` and ``max_score``; ``points`` maps the
    indicator id (as a string, the JSON key) to the points given.
    """
    known = {str(i.pk) for i in indicators}
    for key in points:
        if str(key) not in known:
            raise ValidationError({"points": [ERR_POINTS_UNKNOWN.format(indicator=key)]})
    total_weight = sum((Decimal(i.weight) for i in indicators), Decimal(0))
    if total_weight <= 0:
        raise ValidationError({"template": [ERR_TEMPLATE_EMPTY]})
    weighted = Decimal(0)
    for ind in indicators:
        raw = points.get(str(ind.pk))
        if raw in (None, ""):
            raise ValidationError({"points": [ERR_POINTS_MISSING.format(indicator=ind.name)]})
        value = Decimal(str(raw))
        if not Decimal(0) <= value <= Decimal(ind.max_score):
            raise ValidationError({"points": [ERR_POINTS_RANGE.format(indicator=ind.name, max_score=ind.max_score)]})
        weighted += value / Decimal(ind.max_score) * Decimal(ind.weight)
    return _q(weighted / total_weight * HUNDRED)


def member_score_compute(*, counts: Mapping[str, int],
                         points: Mapping[str, Decimal] = DEFAULT_RATING_POINTS) -> Decimal | None:
    """R-ASM-4: the average points of the members' ballots, or None without a ballot."""
    answers = sum(counts.values())
    if not answers:
        return None
    total = sum((points[rating] * n for rating, n in counts.items()), Decimal(0))
    return _q(total / answers)


def satisfaction_share(*, counts: Mapping[str, int]) -> Decimal | None:
    """R-ASM-3: the share (%) of ballots rating the secretary 好 or 较好."""
    answers = sum(counts.values())
    if not answers:
        return None
    satisfied = sum(counts.get(r, 0) for r in SATISFIED_RATINGS)
    return (Decimal(satisfied) * HUNDRED / answers).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def composite_score_compute(*, superior: Decimal | None, member: Decimal | None, policy) -> Decimal | None:
    """R-ASM-4: superior × superior weight + member × member weight, half up to 0.01.

    Without a member evaluation the superior score stands alone (weights renormalised);
    without a superior score there is no composite.
    """
    if superior is None:
        return None
    if member is None:
        return _q(Decimal(superior))
    w_sup, w_mem = Decimal(policy.superior_score_weight), Decimal(policy.member_score_weight)
    if w_sup + w_mem <= 0:
        # Both weights 0 (data older than the policy checks of R-SEC-3): the superior score stands alone.
        return _q(Decimal(superior))
    return _q((Decimal(superior) * w_sup + Decimal(member) * w_mem) / (w_sup + w_mem))


def tier_for_score(*, score: Decimal, policy) -> Tier:
    """R-CLS-1: the tier of a composite score under the policy's thresholds (each one inclusive)."""
    if score >= policy.tier_good_min:
        return Tier.GOOD
    if score >= policy.tier_fairly_good_min:
        return Tier.FAIRLY_GOOD
    if score >= policy.tier_average_min:
        return Tier.AVERAGE
    return Tier.POOR


def tier_apply_listings(*, tier: str | None, negative_list: bool, weak_and_lax: bool) -> tuple[str | None, list[str]]:
    """R-CLS-2: weak and lax → 较差; negative list → at most 较好. Returns the tier and the rules applied."""
    applied = []
    if weak_and_lax and tier != Tier.POOR:
        tier = Tier.POOR
        applied.append("weak_and_lax")
    if negative_list and tier == Tier.GOOD:
        tier = Tier.FAIRLY_GOOD
        applied.append("negative_list")
    return tier, applied


def movement_of(*, previous: str | None, tier: str | None) -> str:
    """R-CLS-4: up, same, down against last year's tier; new without one."""
    if not previous or not tier:
        return Movement.NEW
    diff = TIER_RANK[tier] - TIER_RANK[previous]
    return Movement.UP if diff > 0 else Movement.DOWN if diff < 0 else Movement.SAME


def rank(tier: str) -> int:
    return TIER_RANK[tier]
