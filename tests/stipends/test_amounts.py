"""R-STP-1/2: the arithmetic of a line with SPEC's worked examples and its edges."""
import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from stipends.services.amounts import months_counted, pool_shares, round_fen, stipend_amount


@pytest.mark.parametrize(("base", "period", "coefficient", "months", "expected"), [
    ("30000", "year", "0.9", 7, "15750.00"),   # 较好, 7 months
    ("30000", "year", "0.7", 12, "21000.00"),  # 较差, 12 months
    ("300", "month", "1", 12, "3600.00"),      # SEU serving staff, 12 months
    ("30000", "year", "1", 0, "0.00"),
])
def test_r_stp_2_worked_examples(base, period, coefficient, months, expected):
    assert stipend_amount(base=Decimal(base), period=period, coefficient=Decimal(coefficient),
                          months=months) == Decimal(expected)


def test_r_stp_2_half_a_fen_rounds_up_not_to_even():
    # 300.05 × 0.9 × 1 = 270.045: half up gives 270.05, banker's rounding would give 270.04.
    exact = Decimal("300.05") * Decimal("0.9")
    assert exact == Decimal("270.045")
    assert exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) == Decimal("270.04")
    assert stipend_amount(base=Decimal("300.05"), period="month", coefficient=Decimal("0.9"), months=1) \
        == Decimal("270.05")
    assert round_fen(Decimal("0.005")) == Decimal("0.01")


def test_an_unknown_period_is_refused():
    with pytest.raises(ValueError, match="week"):
        stipend_amount(base=Decimal(1), period="week", coefficient=Decimal(1), months=1)


def test_r_stp_2_the_pool_is_shared_by_coefficient_and_spent_to_the_fen():
    shares = pool_shares(pool=Decimal("100000"), weights=[Decimal(12), Decimal("10.8"), Decimal("9.6"),
                                                           Decimal("8.4")])
    assert shares == [Decimal("29411.76"), Decimal("26470.59"), Decimal("23529.41"), Decimal("20588.24")]
    assert sum(shares) == Decimal("100000.00")


def test_the_last_fens_go_to_the_largest_remainders_then_to_the_earlier_line():
    # 100.00 in three equal shares: 33.33 each and one fen left, which goes to the first line.
    assert pool_shares(pool=Decimal("100"), weights=[Decimal(1)] * 3) == [
        Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert pool_shares(pool=Decimal("100"), weights=[]) == []
    assert pool_shares(pool=Decimal("100"), weights=[Decimal(0)]) == [Decimal("0.00")]


@pytest.mark.parametrize(("first", "after_last", "months"), [
    (dt.date(2025, 6, 1), dt.date(2026, 1, 1), 7),
    (dt.date(2025, 1, 1), dt.date(2026, 1, 1), 12),
    (dt.date(2025, 6, 17), dt.date(2026, 1, 1), 7),   # 6 months 15 days: the begun month counts
    (dt.date(2025, 6, 18), dt.date(2026, 1, 1), 6),   # 6 months 14 days: it does not
    (dt.date(2025, 3, 1), dt.date(2025, 3, 1), 0),
])
def test_r_stp_2_months_in_office(first, after_last, months):
    assert months_counted(first=first, after_last=after_last, min_days=15) == months
