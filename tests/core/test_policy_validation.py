"""R-SEC-3: a policy whose numbers cannot be applied is refused — by the service, so the page form,
the API and the admin refuse it alike — and one that is already stored cannot make a report answer 500."""
import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from core.models import Policy
from core.services.policies import (
    MSG_POLICY_HOURS_PER_DAY,
    MSG_POLICY_NEGATIVE,
    MSG_POLICY_SHARE_RANGE,
    MSG_POLICY_THRESHOLD_ORDER,
    MSG_POLICY_THRESHOLD_RANGE,
    MSG_POLICY_WEIGHTS_ZERO,
    policy_validate,
)
from tests.training.factories import AttendanceFactory, CourseFactory

D = Decimal


def errors_of(world, unit=None, **values):
    try:
        policy_validate(unit=unit or world.county_a, year=2026, values=values)
    except ValidationError as exc:
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {}


def test_the_seed_defaults_are_a_valid_policy(world):
    assert errors_of(world) == {}
    defaults = {f.name: f.policy_default for f in Policy.value_fields()}
    assert errors_of(world, **defaults) == {}


@pytest.mark.parametrize("value,ok", [(D("0"), False), (D("-8"), False), (D("0.01"), True), (D("8"), True)])
def test_hours_per_day_must_be_above_zero(world, value, ok):
    """R-TRN-4: hours are divided by hours per day, so 0 is refused."""
    errors = errors_of(world, hours_per_day=value)
    assert (errors == {}) is ok
    if not ok:
        assert errors["hours_per_day"][0] in (str(MSG_POLICY_HOURS_PER_DAY), str(MSG_POLICY_NEGATIVE))


@pytest.mark.parametrize("name", ["annual_training_days", "university_serving_min_monthly", "rural_average_income",
                                  "coefficient_poor", "red_flag_quota", "initial_training_months"])
def test_no_negative_hours_days_amounts_or_counts(world, name):
    assert errors_of(world, **{name: D("-1")}) == {name: [str(MSG_POLICY_NEGATIVE)]}
    assert errors_of(world, **{name: D("0")}) == {}


@pytest.mark.parametrize("value,ok", [(D("0"), True), (D("1"), True), (D("1.0001"), False), (D("1.5"), False),
                                      (D("-0.1"), False)])
def test_a_share_is_between_0_and_1_inclusive(world, value, ok):
    """R-ASM-3 / R-CLS-4: a share of exactly 1 is accepted, 1.5 is refused."""
    for name in ("evaluation_sample_share", "upgrade_poor_share", "keep_good_share", "weak_candidate_share"):
        errors = errors_of(world, **{name: value})
        assert (errors == {}) is ok, name
        if not ok:
            assert list(errors) == [name]
    if value > 1:
        assert errors_of(world, evaluation_sample_share=value) == {
            "evaluation_sample_share": [str(MSG_POLICY_SHARE_RANGE)]}


def test_a_stipend_coefficient_may_exceed_1(world):
    """R-STP-1: a coefficient is a multiplier of the base, not a share."""
    assert errors_of(world, coefficient_good=D("1.2")) == {}


def test_thresholds_must_descend_and_equal_thresholds_are_refused(world):
    """R-CLS-1: 好 ≥ 90 > 较好 ≥ 80 > 一般 ≥ 60 by default; a score cannot fall in two tiers."""
    assert errors_of(world, tier_good_min=D("85"), tier_fairly_good_min=D("84.99"), tier_average_min=D("0")) == {}
    errors = errors_of(world, tier_good_min=D("80"))  # equal to the default 较好
    assert list(errors) == ["tier_good_min"]
    assert "80" in errors["tier_good_min"][0]
    assert list(errors_of(world, tier_good_min=D("75"), tier_fairly_good_min=D("80"))) == ["tier_good_min"]
    assert list(errors_of(world, tier_average_min=D("80"))) == ["tier_average_min"]


def test_thresholds_stay_within_0_and_100(world):
    assert errors_of(world, tier_good_min=D("100")) == {}
    assert errors_of(world, tier_good_min=D("100.01")) == {"tier_good_min": [str(MSG_POLICY_THRESHOLD_RANGE)]}
    assert errors_of(world, tier_average_min=D("-1")) == {"tier_average_min": [str(MSG_POLICY_NEGATIVE)]}


def test_a_child_policy_is_checked_against_the_thresholds_it_inherits(world):
    """R-POL-1 + R-SEC-3: the county sets 较好 at 85; a township that sets only 好 = 85 is out of order."""
    Policy.objects.create(unit=world.county_a, year=2026, tier_fairly_good_min=D("85"))
    errors = errors_of(world, unit=world.township_a, tier_good_min=D("85"))
    assert list(errors) == ["tier_good_min"]
    assert str(MSG_POLICY_THRESHOLD_ORDER).split("“")[0] in errors["tier_good_min"][0]
    assert errors_of(world, unit=world.township_a, tier_good_min=D("86")) == {}
    # Another year's policy of the county is not inherited.
    assert errors_of(world, unit=world.township_a, tier_good_min=D("85")) != {}
    policy_validate(unit=world.township_a, year=2025, values={"tier_good_min": D("85")})


def test_a_policy_is_not_checked_against_its_own_stored_row(world):
    Policy.objects.create(unit=world.county_a, year=2026, tier_good_min=D("95"), tier_fairly_good_min=D("94"))
    assert errors_of(world, tier_good_min=D("93"), tier_fairly_good_min=D("92")) == {}


def test_the_two_weights_cannot_both_be_zero(world):
    """R-ASM-4: the composite divides by the sum of the weights."""
    assert errors_of(world, superior_score_weight=D("0"), member_score_weight=D("0")) == {
        "superior_score_weight": [str(MSG_POLICY_WEIGHTS_ZERO)]}
    assert errors_of(world, superior_score_weight=D("0")) == {}  # the member weight 0.30 is inherited
    assert errors_of(world, superior_score_weight=D("1"), member_score_weight=D("0")) == {}
    Policy.objects.create(unit=world.county_a, year=2026, member_score_weight=D("0"))
    assert errors_of(world, unit=world.township_a, superior_score_weight=D("0")) == {
        "superior_score_weight": [str(MSG_POLICY_WEIGHTS_ZERO)]}
    assert list(errors_of(world, superior_score_weight=D("1.5"))) == ["superior_score_weight"]


# ---------------------------------------------------------------- the three ways in

def test_the_api_refuses_a_bad_policy_with_400_naming_each_field(world, api):
    response = api(world.staff_a).post("/api/v1/policies/", {
        "unit": world.county_a.pk, "year": 2026, "hours_per_day": "0", "annual_training_days": "-1",
        "evaluation_sample_share": "1.5", "superior_score_weight": "0", "member_score_weight": "0",
    }, format="json")
    assert response.status_code == 400
    assert {"hours_per_day", "annual_training_days", "evaluation_sample_share"} <= set(response.json())
    assert not Policy.objects.exists()
    response = api(world.staff_a).post("/api/v1/policies/", {
        "unit": world.county_a.pk, "year": 2026, "superior_score_weight": "0", "member_score_weight": "0"},
        format="json")
    assert response.status_code == 400 and list(response.json()) == ["superior_score_weight"]


def test_the_api_checks_a_partial_update_against_the_stored_values(world, api):
    policy = Policy.objects.create(unit=world.county_a, year=2026, tier_good_min=D("95"), tier_fairly_good_min=D("90"))
    url = f"/api/v1/policies/{policy.pk}/"
    response = api(world.staff_a).patch(url, {"tier_good_min": "90"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["tier_good_min"]
    assert api(world.staff_a).patch(url, {"tier_good_min": "91"}, format="json").status_code == 200


def test_the_page_form_refuses_a_bad_policy_in_chinese(world, client, settings):
    client.force_login(world.staff_a)
    response = client.post(reverse("policy_create"), {"unit": world.county_a.pk, "year": 2026, "hours_per_day": "0",
                                                      "tier_good_min": "70"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and not Policy.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"hours_per_day", "tier_good_min"}
    assert "每天培训学时必须大于 0" in response.content.decode()


def test_the_admin_form_refuses_a_bad_policy(world):
    model_admin = admin.site._registry[Policy]
    request = RequestFactory().post("/admin/core/policy/add/")
    request.user = world.staff_a
    form_class = model_admin.get_form(request, None)
    form = form_class({"unit": world.county_a.pk, "year": 2026, "keep_good_share": "1.5"})
    assert not form.is_valid() and list(form.errors) == ["keep_good_share"]


# ---------------------------------------------------------------- a bad policy already stored

def test_a_stored_policy_with_zero_hours_per_day_does_not_break_reports(world, api, client):
    """R-TRN-4: the bad value counts as the default (8 hours a day) instead of answering 500."""
    Policy.objects.create(unit=world.county_a, year=2026, hours_per_day=D("0"),
                          superior_score_weight=D("0"), member_score_weight=D("0"))
    course = CourseFactory(organiser=world.county_a, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 2))
    AttendanceFactory(person=world.secretary_a1, course=course, hours=D("16"), days=None)
    response = api(world.staff_a).get("/api/v1/attendances/?year=2026")
    assert response.status_code == 200
    assert response.json()["results"][0]["days_credited"] == "2.00"
    client.force_login(world.staff_a)
    assert client.get("/training/compliance/?year=2026").status_code == 200


def test_both_weights_zero_left_in_the_database_give_the_superior_score(world):
    from assessment.services.scores import composite_score_compute

    class Zero:
        superior_score_weight = member_score_weight = D("0")

    assert composite_score_compute(superior=D("88"), member=D("40"), policy=Zero()) == D("88.00")


def test_a_parent_policy_cannot_put_a_child_policy_out_of_order(world, api):
    """R-POL-1 + R-SEC-3: the township sets 好 at 85; the county may not raise 较好 to 85 or above."""
    from core.services.policies import MSG_POLICY_BREAKS_BELOW

    Policy.objects.create(unit=world.township_a, year=2026, tier_good_min=D("85"))
    errors = errors_of(world, tier_fairly_good_min=D("85"))
    assert errors == {"tier_fairly_good_min": [str(MSG_POLICY_BREAKS_BELOW.format(unit="甲镇党委", year=2026))]}
    assert errors_of(world, tier_fairly_good_min=D("84")) == {}
    # A village policy under the township inherits 85 from it, not the county's value.
    Policy.objects.create(unit=world.village_a1, year=2026, tier_fairly_good_min=D("70"))
    assert errors_of(world, tier_good_min=D("60"), tier_fairly_good_min=D("50"), tier_average_min=D("40")) == {}
    # Another year's child is not concerned.
    policy_validate(unit=world.county_a, year=2025, values={"tier_fairly_good_min": D("85")})
    response = api(world.staff_a).post("/api/v1/policies/", {"unit": world.county_a.pk, "year": 2026,
                                                             "tier_fairly_good_min": "86"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["tier_fairly_good_min"]
