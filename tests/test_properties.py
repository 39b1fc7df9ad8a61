"""Property tests (hypothesis) for three rules that must hold for every input, not only the examples:

- the resident ID validator (R-SEC-3 on cadres.services.id_numbers): every valid number generated
  is accepted, every single-character change refused, and nothing but ValidationError is raised;
- R-TRN-1: the initial-training deadline is six calendar months on, the month's end when shorter;
- R-CLS-1: the tier never falls as the composite score rises.
"""
import calendar
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from assessment.choices import TIER_RANK
from assessment.services.scores import tier_for_score
from cadres.services.id_numbers import validate_id_number
from training.services.compliance import initial_training_deadline

PROPERTY = settings(max_examples=300, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
TODAY = dt.date(2026, 6, 1)
REGIONS = ["110105", "310115", "430721", "430722", "440305", "650102"]


@st.composite
def id_numbers(draw):
    region = draw(st.sampled_from(REGIONS))
    birth = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
    order = draw(st.integers(min_value=0, max_value=999))
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


@PROPERTY
@given(id_numbers())
def test_every_valid_id_number_is_accepted(number):
    assert validate_id_number(number, today=TODAY) == number
    assert validate_id_number(number.lower(), today=TODAY) == number  # a lower-case x is the same number


@PROPERTY
@given(id_numbers(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_refused(number, position, replacement):
    """GB 11643's weights are all non-zero modulo 11, so one changed digit always breaks the check digit
    (or the date, the region or the format first)."""
    assume(number[position] != replacement)
    changed = number[:position] + replacement + number[position + 1:]
    try:
        validate_id_number(changed, today=TODAY)
    except ValidationError:
        return
    raise AssertionError(f"{changed} (from {number}) was accepted")


@PROPERTY
@given(st.one_of(st.none(), st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.binary(max_size=20),
                 st.decimals(allow_nan=False), st.lists(st.integers(), max_size=3)))
@example("４３０７２１１９８００１０１００１Ｘ")
@example("1.1010519500101e+17")
@example("43072119800230001X")
@example("\x00" * 18)
def test_the_validator_raises_nothing_but_validation_error(value):
    try:
        validate_id_number(value, today=TODAY)
    except ValidationError:
        pass


@PROPERTY
@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(min_value=0, max_value=24))
@example(dt.date(2026, 8, 31), 6)   # → 2027-02-28
@example(dt.date(2027, 8, 31), 6)   # → 2028-02-29 (leap year)
@example(dt.date(2026, 12, 31), 6)  # → 2027-06-30
@example(dt.date(2026, 3, 31), 6)   # → 2026-09-30
@example(dt.date(2026, 1, 1), 6)    # → 2026-07-01
def test_initial_training_deadline_is_calendar_months_on(start, months):
    """R-TRN-1: the same day ``months`` later, or that month's last day when it is shorter."""

    class Policy:
        initial_training_months = months

    deadline = initial_training_deadline(first_start=start, policy=Policy())
    month_index = start.year * 12 + start.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    assert (deadline.year, deadline.month) == (year, month)
    assert deadline.day == min(start.day, calendar.monthrange(year, month)[1])
    assert deadline >= start


def test_initial_training_deadline_edges():
    class Six:
        initial_training_months = 6

    for start, expected in [(dt.date(2026, 8, 31), dt.date(2027, 2, 28)), (dt.date(2027, 8, 31), dt.date(2028, 2, 29)),
                            (dt.date(2026, 12, 31), dt.date(2027, 6, 30)), (dt.date(2026, 2, 28), dt.date(2026, 8, 28))]:
        assert initial_training_deadline(first_start=start, policy=Six()) == expected


scores = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def thresholds(draw):
    """Descending thresholds in 0..100, as the policy checks of R-SEC-3 require."""
    values = sorted(draw(st.lists(scores, min_size=3, max_size=3, unique=True)), reverse=True)
    return values


@PROPERTY
@given(thresholds(), scores, scores)
@example([Decimal("90"), Decimal("80"), Decimal("60")], Decimal("89.99"), Decimal("90"))
@example([Decimal("90"), Decimal("80"), Decimal("60")], Decimal("59.99"), Decimal("60"))
def test_the_tier_never_falls_as_the_score_rises(limits, a, b):
    """R-CLS-1: thresholds are inclusive; a higher composite never gets a lower tier."""

    class Policy:
        tier_good_min, tier_fairly_good_min, tier_average_min = limits

    low, high = sorted([a, b])
    assert TIER_RANK[tier_for_score(score=low, policy=Policy())] <= TIER_RANK[tier_for_score(score=high, policy=Policy())]
    assert tier_for_score(score=limits[0], policy=Policy()) == "good"
