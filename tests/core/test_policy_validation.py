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
    MSG_POLICY_BASE_PERIOD,
    MSG_POLICY_COEFFICIENT_ORDER,
    MSG_POLICY_COEFFICIENT_RANGE,
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


@pytest.mark.parametrize("value,ok", [(D("0"), True), (D("1"), True), (D("1.0001"), False), (D("1.2"), False)])
def test_a_stipend_coefficient_is_between_0_and_1(world, value, ok):
    """R-STP-1 (issue 10 item 1): 好 is the base itself (1:0.9:0.8:0.7); a coefficient above 1 is refused."""
    errors = errors_of(world, coefficient_good=value, coefficient_fairly_good=D("0"), coefficient_average=D("0"),
                       coefficient_poor=D("0"))
    assert errors == ({} if ok else {"coefficient_good": [str(MSG_POLICY_COEFFICIENT_RANGE)]})


def test_stipend_coefficients_descend_with_the_tier_counting_inherited_values(world):
    """R-STP-1: 好 ≥ 较好 ≥ 一般 ≥ 较差, equal allowed; the error belongs to the field this policy sets."""
    assert errors_of(world, coefficient_good=D("0.8"), coefficient_fairly_good=D("0.8"),
                     coefficient_average=D("0.8"), coefficient_poor=D("0.8")) == {}
    errors = errors_of(world, coefficient_poor=D("0.85"))  # above the default 一般 0.80
    assert list(errors) == ["coefficient_poor"]
    labels = {f.name: f.verbose_name for f in Policy.value_fields()}
    assert errors["coefficient_poor"] == [str(MSG_POLICY_COEFFICIENT_ORDER.format(
        higher=labels["coefficient_average"], higher_value=D("0.80"), lower=labels["coefficient_poor"],
        lower_value=D("0.85")))]
    assert list(errors_of(world, coefficient_good=D("0.85"))) == ["coefficient_good"]  # below 较好 0.90
    # The county lowers 较好 to 0.6; a township that sets only 一般 = 0.7 is out of order with it.
    Policy.objects.create(unit=world.county_a, year=2026, coefficient_fairly_good=D("0.6"),
                          coefficient_average=D("0.5"), coefficient_poor=D("0.4"))
    assert list(errors_of(world, unit=world.township_a, coefficient_average=D("0.7"))) == ["coefficient_average"]
    assert errors_of(world, unit=world.township_a, coefficient_average=D("0.55")) == {}


def test_a_county_cannot_put_a_township_coefficients_out_of_order(world):
    from core.services.policies import MSG_POLICY_BREAKS_BELOW

    Policy.objects.create(unit=world.township_a, year=2026, coefficient_fairly_good=D("0.95"))
    assert errors_of(world, coefficient_good=D("0.9"), coefficient_fairly_good=D("0.9")) == {
        "coefficient_good": [str(MSG_POLICY_BREAKS_BELOW.format(unit="甲镇党委", year=2026))]}
    assert errors_of(world, coefficient_fairly_good=D("0.85")) == {}


@pytest.mark.parametrize("amount,period", [
    ("stipend_base_village", "stipend_base_village_period"),
    ("stipend_base_community", "stipend_base_community_period"),
    ("stipend_base_university", "stipend_base_university_period"),
    ("stipend_base_retired_branch", "stipend_base_retired_branch_period"),
    ("stipend_base_other", "stipend_base_other_period"),
])
def test_a_base_amount_comes_with_its_period_in_the_same_policy(world, amount, period):
    """R-STP-1: a yearly 30,000 must not meet an inherited "a month" (360,000 a year)."""
    labels = {f.name: f.verbose_name for f in Policy.value_fields()}
    errors = errors_of(world, **{amount: D("30000")})
    assert errors == {period: [str(MSG_POLICY_BASE_PERIOD.format(period=labels[period], amount=labels[amount]))]}
    assert errors_of(world, **{amount: D("30000"), period: "year"}) == {}
    assert errors_of(world, **{amount: D("-1"), period: "year"}) == {amount: [str(MSG_POLICY_NEGATIVE)]}
    assert errors_of(world, **{period: "month"}) == {}  # a period alone restates how the inherited base is given


def test_the_pool_regime_needs_a_pool_here_above_or_in_the_townships_below(world):
    """R-STP-2: refused rather than warned — a pool sheet without any pool pays no village secretary at all."""
    errors = errors_of(world, stipend_regime="pool")
    assert list(errors) == ["stipend_regime"]
    assert "2026" in errors["stipend_regime"][0]
    assert errors_of(world, stipend_regime="pool", stipend_township_pool=D("100000")) == {}
    assert errors_of(world, stipend_regime="base") == {}
    Policy.objects.create(unit=world.city, year=2026, stipend_township_pool=D("80000"))  # inherited
    assert errors_of(world, stipend_regime="pool") == {}
    Policy.objects.filter(unit=world.city).delete()
    Policy.objects.create(unit=world.township_a, year=2026, stipend_township_pool=D("90000"))  # the township's own
    assert errors_of(world, stipend_regime="pool") == {}
    assert list(errors_of(world, unit=world.county_b, stipend_regime="pool")) == ["stipend_regime"]


@pytest.mark.parametrize("value,ok", [(0, False), (1, True), (15, True), (31, True), (32, False)])
def test_the_days_that_count_a_month_are_1_to_31(world, value, ok):
    """R-STP-2: 0 would count a month that was not begun (the remainder of whole months is 0 days)."""
    assert (errors_of(world, stipend_month_min_days=value) == {}) is ok


def test_the_workload_credit_is_a_share(world):
    assert errors_of(world, workload_credit_share=D("1.1")) == {"workload_credit_share": [str(MSG_POLICY_SHARE_RANGE)]}
    assert errors_of(world, workload_credit_share=D("0.10")) == {}


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


def test_the_policy_page_shows_the_stipend_fields_in_chinese_and_refuses_a_base_without_its_period(world, client):
    """R-STP-1/2 (issue 10 item 1): the new fields, their choices and their checks on the page, in Chinese."""
    client.force_login(world.staff_a)
    page = client.get(reverse("policy_create"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for label in ("报酬基数：村党组织书记", "村党组织书记基数的计发周期", "以乡镇为单位按系数比例分配", "每年",
                  "乡镇村党组织书记报酬总额（元/年）", "不领报酬时折算计入年度工作量的比例"):
        assert label in page, label
    response = client.post(reverse("policy_create"), {
        "unit": world.county_a.pk, "year": 2026, "stipend_base_village": "30000", "coefficient_poor": "0.95",
        "stipend_regime": "pool"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and not Policy.objects.exists()
    assert set(response.context["form"].errors) == {"stipend_base_village_period", "coefficient_poor", "stipend_regime"}
    body = response.content.decode()
    assert "请在本政策中与“报酬基数：村党组织书记”一并设定“村党组织书记基数的计发周期”" in body
    assert "报酬系数不得随等次降低而升高" in body


def test_the_policies_api_validates_the_stipend_fields_by_field(world, api):
    response = api(world.staff_a).post("/api/v1/policies/", {
        "unit": world.county_a.pk, "year": 2026, "stipend_base_university": "300", "coefficient_good": "1.2"},
        format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"stipend_base_university_period", "coefficient_good"}
    response = api(world.staff_a).post("/api/v1/policies/", {"unit": world.county_a.pk, "year": 2026,
                                                             "stipend_base_other_period": "week"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["stipend_base_other_period"]
    response = api(world.staff_a).post("/api/v1/policies/", {
        "unit": world.county_a.pk, "year": 2026, "stipend_base_university": "300",
        "stipend_base_university_period": "month", "stipend_regime": "pool", "stipend_township_pool": "100000"},
        format="json")
    assert response.status_code == 201, response.content
