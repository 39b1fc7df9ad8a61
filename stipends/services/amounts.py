"""R-STP-1/2: the arithmetic of a stipend line — pure functions of the policy's numbers, no query.

Money is ``Decimal`` rounded half up to the fen at the end of each line, never in between.
"""
import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from assessment.choices import Tier
from core.choices import Sector

from ..choices import BaseGroup, Period

FEN = Decimal("0.01")
TWELVE = Decimal(12)

MSG_UNKNOWN_TIER = _("Unknown tier “{tier}”.")
MSG_UNKNOWN_PERIOD = _("Unknown period “{period}” of a base amount.")

#: R-STP-1: the policy field of each tier's coefficient.
COEFFICIENT_FIELDS = {
    Tier.GOOD: "coefficient_good",
    Tier.FAIRLY_GOOD: "coefficient_fairly_good",
    Tier.AVERAGE: "coefficient_average",
    Tier.POOR: "coefficient_poor",
}
#: R-STP-1: the policy fields of each group's base amount and its period.
BASE_FIELDS = {
    BaseGroup.VILLAGE: ("stipend_base_village", "stipend_base_village_period"),
    BaseGroup.COMMUNITY: ("stipend_base_community", "stipend_base_community_period"),
    BaseGroup.UNIVERSITY: ("stipend_base_university", "stipend_base_university_period"),
    BaseGroup.RETIRED_BRANCH: ("stipend_base_retired_branch", "stipend_base_retired_branch_period"),
    BaseGroup.OTHER: ("stipend_base_other", "stipend_base_other_period"),
}


def round_fen(value: Decimal) -> Decimal:
    """Half up to the fen (0.005 → 0.01), as payroll does; never half-even."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def base_group(*, sector: str, is_retired: bool) -> str:
    """R-STP-1/3: which base a secretary's line takes. In university and industry a retired secretary
    heads a retired-staff branch (004 第八条: 退休人员党支部书记)."""
    if sector == Sector.VILLAGE:
        return BaseGroup.VILLAGE
    if sector == Sector.COMMUNITY:
        return BaseGroup.COMMUNITY
    if sector == Sector.UNIVERSITY:
        return BaseGroup.RETIRED_BRANCH if is_retired else BaseGroup.UNIVERSITY
    return BaseGroup.OTHER


def base_for(policy, group: str) -> tuple[Decimal | None, str]:
    """The base amount and its period the policy sets for ``group`` (None: the policy sets none)."""
    amount_field, period_field = BASE_FIELDS[group]
    return getattr(policy, amount_field), getattr(policy, period_field)


def coefficient_for(policy, tier: str | None) -> Decimal:
    """R-STP-1: the tier's coefficient; a year not yet classified pays 1 (R-STP-2)."""
    if not tier:
        return Decimal(1)
    try:
        return Decimal(getattr(policy, COEFFICIENT_FIELDS[tier]))
    except KeyError:
        raise ValueError(str(MSG_UNKNOWN_TIER).format(tier=tier)) from None


def months_counted(*, first: dt.date, after_last: dt.date, min_days: int) -> int:
    """R-STP-2: whole calendar months in office from ``first`` to ``after_last`` (exclusive); a remainder of
    at least ``min_days`` (the policy's ``stipend_month_min_days``) counts as one more month. At most 12."""
    if after_last <= first:
        return 0
    span = relativedelta(after_last, first)
    months = span.years * 12 + span.months + (1 if span.days >= min_days else 0)
    return min(months, 12)


def stipend_amount(*, base: Decimal, period: str, coefficient: Decimal, months: int) -> Decimal:
    """R-STP-2: base × coefficient × months / 12 (a yearly base) or × months (a monthly one), half up to the fen.

    30,000 a year, 较好 (0.9), 7 months → 15,750.00; 300 a month, 12 months → 3,600.00.
    """
    base, coefficient, months = Decimal(base), Decimal(coefficient), Decimal(months)
    if period == Period.YEAR:
        return round_fen(base * coefficient * months / TWELVE)
    if period == Period.MONTH:
        return round_fen(base * coefficient * months)
    raise ValueError(str(MSG_UNKNOWN_PERIOD).format(period=period))


def pool_shares(*, pool: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """R-STP-2 (001 item 7): a township's pool shared in the ratio of the weights (coefficient × months).

    Each share is first cut down to the fen; the fens left over go one each to the shares that lost
    the most in the cut (largest remainder), ties to the earlier line, so the pool is spent to the fen.
    100,000 among 1 : 0.9 : 0.8 : 0.7 → 29,411.76 / 26,470.59 / 23,529.41 / 20,588.24.
    """
    pool = Decimal(pool)
    total = sum((Decimal(w) for w in weights), Decimal(0))
    if not weights or total <= 0:
        return [Decimal("0.00") for _ in weights]
    exact = [pool * Decimal(w) / total for w in weights]
    shares = [e.quantize(FEN, rounding=ROUND_DOWN) for e in exact]
    left = int(((pool.quantize(FEN, rounding=ROUND_DOWN) - sum(shares)) / FEN).to_integral_value())
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[:max(left, 0)]:
        shares[i] += FEN
    return shares
