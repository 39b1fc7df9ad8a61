"""R-TRN-1..4: the three rules as plain functions, at the seed's numbers and their edges."""
import datetime as dt
from decimal import Decimal

import pytest

from core.models import Policy
from core.services.policies import policy_effective
from training.services.compliance import (
    annual_training_status,
    initial_training_status,
    rotation_status,
    training_days,
)

D = Decimal


@pytest.fixture
def policy(world):
    """The built-in defaults (seed 000): 6 months, 7 days, 6 months in office, 8 hours a day, 1 rotation, 12 months."""
    return policy_effective(unit=world.village_a1, year=2026)


# R-TRN-1 -------------------------------------------------------------------------------------------

def test_r_trn_1_deadline_is_six_calendar_months_from_the_31st(policy):
    st = initial_training_status(first_start=dt.date(2026, 1, 31), trained_on=None, as_of=dt.date(2026, 2, 1),
                                 policy=policy)
    assert st.deadline == dt.date(2026, 7, 31)
    assert st.status == "due"


def test_r_trn_1_trained_on_the_deadline_is_on_time(policy):
    st = initial_training_status(first_start=dt.date(2026, 1, 31), trained_on=dt.date(2026, 7, 31),
                                 as_of=dt.date(2026, 12, 31), policy=policy)
    assert st.status == "done_on_time"


def test_r_trn_1_trained_the_day_after_is_late(policy):
    st = initial_training_status(first_start=dt.date(2026, 1, 31), trained_on=dt.date(2026, 8, 1),
                                 as_of=dt.date(2026, 12, 31), policy=policy)
    assert st.status == "done_late"
    assert st.is_failing


def test_r_trn_1_untrained_is_due_on_the_deadline_and_overdue_the_day_after(policy):
    kw = {"first_start": dt.date(2026, 1, 31), "trained_on": None, "policy": policy}
    assert initial_training_status(as_of=dt.date(2026, 7, 31), **kw).status == "due"
    assert initial_training_status(as_of=dt.date(2026, 8, 1), **kw).status == "overdue"


def test_r_trn_1_explains_itself_with_the_policy_source(policy):
    st = initial_training_status(first_start=dt.date(2026, 1, 31), trained_on=None, as_of=dt.date(2026, 7, 1),
                                 policy=policy)
    data = st.as_dict()
    assert data["explanation"]["rule"] == "R-TRN-1"
    assert data["explanation"]["first_appointment_start"] == "2026-01-31"
    assert data["explanation"]["deadline"] == "2026-07-31"
    assert data["explanation"]["days_left"] == 30
    months = data["explanation"]["policy"]["initial_training_months"]
    assert months["value"] == 6 and months["default"] is True and months["rule"] == "R-TRN-1"


def test_r_trn_1_months_come_from_the_policy_in_force(world):
    Policy.objects.create(unit=world.county_a, year=2026, initial_training_months=3)
    policy = policy_effective(unit=world.village_a1, year=2026)
    st = initial_training_status(first_start=dt.date(2026, 1, 31), trained_on=None, as_of=dt.date(2026, 5, 1),
                                 policy=policy)
    assert st.deadline == dt.date(2026, 4, 30)
    assert st.status == "overdue"
    assert st.explanation["policy"]["initial_training_months"]["unit"] == "甲县委"


# R-TRN-2 -------------------------------------------------------------------------------------------

def _annual(policy, days, start=dt.date(2024, 3, 1), as_of=dt.date(2026, 12, 31)):
    return annual_training_status(year=2026, days=days, office_start=start, office_end=None, as_of=as_of,
                                  policy=policy)


def test_r_trn_2_exactly_seven_days_pass(policy):
    assert _annual(policy, D("7.0")).status == "met"


def test_r_trn_2_six_point_nine_days_fail(policy):
    st = _annual(policy, D("6.9"))
    assert st.status == "not_met"
    assert st.explanation["days_counted"] == D("6.90") and st.explanation["days_required"] == D("7")


def test_r_trn_2_short_during_the_year_is_in_progress(policy):
    assert _annual(policy, D("6.9"), as_of=dt.date(2026, 11, 23)).status == "in_progress"


def test_r_trn_2_hours_convert_at_the_policy_hours_per_day(world, policy):
    assert training_days(hours=D("56"), days=None, policy=policy) == D("7")
    assert training_days(hours=D("55.2"), days=None, policy=policy) == D("6.9")
    assert training_days(hours=D("8"), days=D("2.5"), policy=policy) == D("2.5")  # days given win
    Policy.objects.create(unit=world.city, year=2026, hours_per_day=D("6"))
    six = policy_effective(unit=world.village_a1, year=2026)
    assert training_days(hours=D("42"), days=None, policy=six) == D("7")
    assert _annual(six, training_days(hours=D("42"), days=None, policy=six)).status == "met"


def test_r_trn_2_appointed_2_july_is_not_measured_for_the_year(policy):
    st = _annual(policy, D("0"), start=dt.date(2026, 7, 2))
    assert st.status == "not_measured"
    assert st.explanation["measured_by"] == "R-TRN-1"


def test_r_trn_2_appointed_1_july_is_measured_exactly_six_months(policy):
    assert _annual(policy, D("0"), start=dt.date(2026, 7, 1)).status == "not_met"


def test_r_trn_2_office_ended_before_six_months_is_not_measured(policy):
    st = annual_training_status(year=2026, days=D("0"), office_start=dt.date(2020, 1, 1),
                                office_end=dt.date(2026, 6, 29), as_of=dt.date(2026, 12, 31), policy=policy)
    assert st.status == "not_measured"


# R-TRN-3 -------------------------------------------------------------------------------------------

def test_r_trn_3_eleven_months_left_and_no_rotation_is_flagged(policy):
    st = rotation_status(term_start=dt.date(2022, 1, 1), term_end=dt.date(2027, 1, 1), rotations=0,
                         as_of=dt.date(2026, 2, 1), policy=policy)
    assert st.status == "flagged"
    assert st.explanation["months_left"] == 11
    assert st.is_failing


def test_r_trn_3_twelve_months_left_is_not_yet_flagged(policy):
    st = rotation_status(term_start=dt.date(2022, 1, 1), term_end=dt.date(2027, 1, 1), rotations=0,
                         as_of=dt.date(2026, 1, 1), policy=policy)
    assert st.status == "pending"


def test_r_trn_3_one_rotation_meets_the_term(policy):
    st = rotation_status(term_start=dt.date(2022, 1, 1), term_end=dt.date(2027, 1, 1), rotations=1,
                         as_of=dt.date(2026, 12, 1), policy=policy)
    assert st.status == "met"
    assert st.explanation["policy"]["rotations_per_term"]["value"] == 1


def test_r_trn_3_unknown_term_end_is_never_flagged(policy):
    st = rotation_status(term_start=dt.date(2022, 1, 1), term_end=None, rotations=0,
                         as_of=dt.date(2026, 12, 1), policy=policy)
    assert st.status == "pending" and st.explanation["term_end_known"] is False
