"""R-STP-5/6, R-JOB-1: continuous office, good years, one eligibility per qualifying period, the records."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment.choices import Tier
from assessment.services.classification import annual_review_run
from core.services.policies import policy_defaults, policy_effective
from stipends.choices import HealthCheckBasis, HealthCheckKind
from stipends.models import HealthCheck, HealthCheckEntitlement
from stipends.services import health as svc
from stipends.services.health import Stint, continuous_periods, eligibility_for, health_eligibility_refresh
from tests.assessment.helpers import make_cycle
from tests.factories import AppointmentFactory, make_unit
from tests.stipends.helpers import classify, secretary, set_policy

D = dt.date


def stint(start, end=None, unit_id=1):
    return Stint(person_id=1, unit_id=unit_id, start=start, end=end)


# ---------------------------------------------------------------- R-STP-6: continuity (pure)

def test_a_31_day_gap_keeps_office_continuous():
    # 31 January → 3 March 2020: the days strictly between are 1 February … 2 March = 29 + 2 = 31.
    assert svc.gap_days_between(D(2020, 1, 31), D(2020, 3, 3)) == 31
    periods = continuous_periods(stints=[stint(D(2015, 1, 1), D(2020, 1, 31)), stint(D(2020, 3, 3))], gap_days=31)
    assert len(periods) == 1
    assert (periods[0].start, periods[0].end) == (D(2015, 1, 1), None)
    assert periods[0].gaps == [{"after": "2020-01-31", "before": "2020-03-03", "days": 31}]


def test_a_45_day_gap_breaks_continuity():
    periods = continuous_periods(stints=[stint(D(2015, 1, 1), D(2020, 1, 31)), stint(D(2020, 3, 17))], gap_days=31)
    assert [(p.start, p.end) for p in periods] == [(D(2015, 1, 1), D(2020, 1, 31)), (D(2020, 3, 17), None)]
    assert periods[1].broken_by == {"after": "2020-01-31", "before": "2020-03-17", "days": 45}


def test_a_32_day_gap_breaks_the_default_and_the_policy_days_decide():
    stints = [stint(D(2015, 1, 1), D(2020, 1, 31)), stint(D(2020, 3, 4))]  # 32 days between
    assert len(continuous_periods(stints=stints, gap_days=31)) == 2
    assert len(continuous_periods(stints=stints, gap_days=32)) == 1


def test_overlapping_and_same_day_appointments_merge_across_branches():
    stints = [stint(D(2016, 1, 1), D(2021, 3, 1), unit_id=1), stint(D(2021, 3, 1), D(2022, 6, 30), unit_id=2),
              stint(D(2022, 1, 1), D(2023, 1, 1), unit_id=3), stint(D(2022, 12, 1), unit_id=4)]
    periods = continuous_periods(stints=stints, gap_days=31)
    assert len(periods) == 1 and periods[0].end is None and periods[0].gaps == []
    assert [s.unit_id for s in periods[0].stints] == [1, 2, 3, 4]


# ---------------------------------------------------------------- R-STP-5: the edges (pure)

def _period(start, end=None, unit_id=1):
    return continuous_periods(stints=[stint(start, end, unit_id)], gap_days=31)[0]


GOOD_BOTH = {(1, 2022), (1, 2023)}


def test_5_years_11_months_of_office_is_not_eligible_6_years_is():
    policy = policy_defaults(year=2024)
    short = eligibility_for(period=_period(D(2019, 2, 1)), year=2024, policy=policy, good=GOOD_BOTH)
    assert (short.qualifies, short.years, short.months) == (False, 5, 11)
    six = eligibility_for(period=_period(D(2019, 1, 1)), year=2024, policy=policy, good=GOOD_BOTH)
    assert (six.qualifies, six.years, six.months) == (True, 6, 0)
    assert six.qualified_on == D(2024, 12, 31)


def test_six_years_by_the_end_of_an_ended_period():
    policy = policy_defaults(year=2026)
    ended = eligibility_for(period=_period(D(2017, 7, 1), D(2023, 6, 30)), year=2026, policy=policy,
                            good={(1, 2019), (1, 2020)})
    assert ended.qualifies and ended.explanation["period"]["counted_until"] == "2023-06-30"
    assert ended.qualified_on == D(2023, 6, 30)  # the sixth year completed that day
    one_day_short = eligibility_for(period=_period(D(2017, 7, 1), D(2023, 6, 29)), year=2026, policy=policy,
                                    good={(1, 2019), (1, 2020)})
    assert not one_day_short.qualifies


def test_one_good_year_is_not_enough_two_are():
    policy = policy_defaults(year=2024)
    one = eligibility_for(period=_period(D(2015, 1, 1)), year=2024, policy=policy, good={(1, 2022)})
    assert not one.qualifies and one.good_years == [2022]
    two = eligibility_for(period=_period(D(2015, 1, 1)), year=2024, policy=policy, good={(1, 2020), (1, 2022)})
    assert two.qualifies and two.good_years == [2020, 2022]
    # The count completed at the end of 2022; six years were complete on 31 December 2020.
    assert two.qualified_on == D(2022, 12, 31)


def test_a_good_year_counts_only_for_a_branch_held_that_year_and_once():
    # Branch 1 until mid-2021, then branch 2: branch 2's 好 of 2020 was before the person held it.
    period = continuous_periods(stints=[stint(D(2014, 1, 1), D(2021, 6, 30), 1), stint(D(2021, 7, 1), None, 2)],
                                gap_days=31)[0]
    policy = policy_defaults(year=2024)
    result = eligibility_for(period=period, year=2024, policy=policy, good={(2, 2020), (1, 2021), (2, 2021)})
    assert result.good_years == [2021] and not result.qualifies
    result = eligibility_for(period=period, year=2024, policy=policy, good={(1, 2021), (2, 2023)})
    assert result.good_years == [2021, 2023] and result.qualifies


def test_good_years_after_the_year_do_not_count():
    policy = policy_defaults(year=2024)
    result = eligibility_for(period=_period(D(2015, 1, 1)), year=2024, policy=policy, good={(1, 2023), (1, 2025)})
    assert result.good_years == [2023] and not result.qualifies


def test_the_explanation_names_the_rules_inputs_and_whose_policy(world):
    policy_unit = world.county_a
    set_policy(unit=policy_unit, year=2024, health_check_min_years=5)
    policy = policy_effective(unit=world.branch1, year=2024)
    result = eligibility_for(period=_period(D(2019, 6, 1)), year=2024, policy=policy, good={(1, 2020), (1, 2021)})
    exp = result.explanation
    assert result.qualifies and exp["rule"] == ["R-STP-5", "R-STP-6"]
    assert exp["lasted"] == {"years": 5, "months": 7, "days": 0}
    assert exp["good_years"] == [2020, 2021]
    assert exp["policy"]["health_check_min_years"]["value"] == 5
    assert exp["policy"]["health_check_min_years"]["unit_id"] == policy_unit.pk
    assert exp["policy"]["health_check_min_good_years"]["default"] is True
    assert exp["policy"]["continuous_office_gap_days"]["value"] == 31


# ---------------------------------------------------------------- the refresh (database)

@pytest.fixture(autouse=True)
def branches(request):
    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        world.branch = branch(world, name="红星村党支部")
        world.branch1 = branch(world, name="光明村党支部")
        world.branch_b = branch(world, parent=world.township_b, name="石门村党支部")

def branch(world, parent=None, name=None):
    """A branch of its own (the world's villages have current secretaries)."""
    return make_unit(parent=parent or world.township_a, **({"name": name} if name else {}))


def _long_serving(world, *, unit=None, start=D(2019, 1, 1), good=(2022, 2023), **kw):
    unit = unit or world.branch
    person = secretary(unit=unit, start=start, **kw)
    for y in good:
        classify(unit=unit, year=y, tier=Tier.GOOD)
    return person


def test_refresh_lists_a_qualifying_secretary_once_with_the_explanation(world):
    person = _long_serving(world)
    result = health_eligibility_refresh(scope_path=world.county_a.path, year=2024)
    assert (result["created"], result["qualifying"]) == (1, 1)
    ent = HealthCheckEntitlement.objects.get()
    assert (ent.person, ent.unit, ent.period_start, ent.year) == (person, world.branch, D(2019, 1, 1), 2024)
    assert ent.good_years == [2022, 2023] and ent.qualified_on == D(2024, 12, 31)
    assert ent.explanation["policy"]["health_check_min_years"]["value"] == 6


def test_listed_once_per_qualifying_period_across_refreshes_and_years(world):
    _long_serving(world)
    health_eligibility_refresh(scope_path=world.county_a.path, year=2024)
    again = health_eligibility_refresh(scope_path=world.county_a.path, year=2024)
    assert (again["created"], again["updated"]) == (0, 1)
    classify(unit=world.branch, year=2024, tier=Tier.GOOD)
    next_year = health_eligibility_refresh(scope_path=world.county_a.path, year=2025)
    assert next_year["created"] == 0
    ent = HealthCheckEntitlement.objects.get()
    assert ent.year == 2024 and ent.good_years == [2022, 2023, 2024]  # the explanation follows the data


def test_a_used_eligibility_is_left_as_it_was(world):
    _long_serving(world)
    health_eligibility_refresh(scope_path=world.county_a.path, year=2024)
    ent = HealthCheckEntitlement.objects.get()
    svc.health_check_record(person=ent.person, kind=HealthCheckKind.CHECK, basis=HealthCheckBasis.ELIGIBLE,
                            entitlement=ent, decided_on=D(2025, 3, 1), by=world.staff_a)
    classify(unit=world.branch, year=2024, tier=Tier.GOOD)
    result = health_eligibility_refresh(scope_path=world.county_a.path, year=2025)
    assert (result["created"], result["updated"], result["used_left"]) == (0, 0, 1)
    ent.refresh_from_db()
    assert ent.good_years == [2022, 2023]


def test_a_new_period_after_a_break_can_qualify_again(world):
    person = _long_serving(world, start=D(2010, 1, 1), good=(2012, 2013))
    person.appointments.update(end_date=D(2016, 12, 31))
    health_eligibility_refresh(scope_path=world.county_a.path, year=2016)
    AppointmentFactory(person=person, unit=world.branch, start_date=D(2017, 3, 1))  # 31 + 28 = 59 days between
    for y in (2020, 2021):
        classify(unit=world.branch, year=y, tier=Tier.GOOD)
    health_eligibility_refresh(scope_path=world.county_a.path, year=2022)
    health_eligibility_refresh(scope_path=world.county_a.path, year=2023)
    ents = list(HealthCheckEntitlement.objects.order_by("period_start").values_list("period_start", "year"))
    # The first period's six years were complete at the end of 2015: the year it first qualified.
    assert ents == [(D(2010, 1, 1), 2015), (D(2017, 3, 1), 2023)]
    assert HealthCheckEntitlement.objects.get(year=2023).explanation["broken_by"]["days"] == 59


def test_a_31_day_gap_between_two_branches_keeps_the_count_going(world):
    person = secretary(unit=world.branch1, start=D(2017, 1, 1), end=D(2020, 1, 31))
    AppointmentFactory(person=person, unit=world.branch, start_date=D(2020, 3, 3))
    classify(unit=world.branch1, year=2019, tier=Tier.GOOD)
    classify(unit=world.branch, year=2021, tier=Tier.GOOD)
    health_eligibility_refresh(scope_path=world.county_a.path, year=2022)
    ent = HealthCheckEntitlement.objects.get(person=person)
    assert ent.unit == world.branch and ent.good_years == [2019, 2021]
    assert ent.explanation["gaps"] == [{"after": "2020-01-31", "before": "2020-03-03", "days": 31}]


def test_a_45_day_gap_restarts_the_count(world):
    person = secretary(unit=world.branch1, start=D(2017, 1, 1), end=D(2020, 1, 31))
    AppointmentFactory(person=person, unit=world.branch, start_date=D(2020, 3, 17))
    classify(unit=world.branch1, year=2019, tier=Tier.GOOD)
    classify(unit=world.branch, year=2021, tier=Tier.GOOD)
    health_eligibility_refresh(scope_path=world.county_a.path, year=2022)
    assert not HealthCheckEntitlement.objects.filter(person=person).exists()


def test_the_branch_policy_sets_the_gap_days(world):
    person = secretary(unit=world.branch1, start=D(2017, 1, 1), end=D(2020, 1, 31))
    AppointmentFactory(person=person, unit=world.branch, start_date=D(2020, 3, 17))
    classify(unit=world.branch1, year=2019, tier=Tier.GOOD)
    classify(unit=world.branch, year=2021, tier=Tier.GOOD)
    set_policy(unit=world.township_a, year=2022, continuous_office_gap_days=60)
    health_eligibility_refresh(scope_path=world.county_a.path, year=2022)
    ent = HealthCheckEntitlement.objects.get(person=person)
    assert ent.explanation["policy"]["continuous_office_gap_days"] == {
        "value": 60, "rule": "R-STP-6", "seed": ent.explanation["policy"]["continuous_office_gap_days"]["seed"],
        "unit_id": world.township_a.pk, "unit": world.township_a.name, "year": 2022, "default": False}


def test_an_unpublished_tier_does_not_count(world):
    _long_serving(world, start=D(2018, 1, 1), good=(2022,))
    cycle = make_cycle(unit=world.county_a, year=2023)
    classify(unit=world.branch, year=2023, tier=Tier.GOOD, cycle=cycle)
    assert health_eligibility_refresh(scope_path=world.county_a.path, year=2023)["created"] == 0
    cycle.published_at = dt.datetime(2024, 1, 20, tzinfo=dt.UTC)
    cycle.save()
    assert health_eligibility_refresh(scope_path=world.county_a.path, year=2023)["created"] == 1


def test_the_refresh_is_scoped(world):
    _long_serving(world, unit=world.branch_b)
    assert health_eligibility_refresh(scope_path=world.county_a.path, year=2024)["created"] == 0
    assert health_eligibility_refresh(scope_path=world.county_b.path, year=2024)["created"] == 1
    assert HealthCheckEntitlement.objects.get().unit == world.branch_b


def test_the_refresh_takes_a_fixed_number_of_queries(world, django_assert_num_queries):
    township = world.township_a
    for i in range(30):
        unit = make_unit(parent=township, name=f"村{i}")
        _long_serving(world, unit=unit, start=D(2015 + i % 5, 1, 1))
    # appointments, good tiers, policies, entitlements; savepoint and release; one bulk insert
    with django_assert_num_queries(7):
        result = health_eligibility_refresh(scope_path=world.county_a.path, year=2024)
    assert result["created"] == 30


def test_a_bad_year_names_the_field(world):
    with pytest.raises(ValidationError) as exc:
        health_eligibility_refresh(scope_path=world.county_a.path, year=0)
    assert exc.value.message_dict == {"year": [str(svc.MSG_YEAR_RANGE)]}


# ---------------------------------------------------------------- R-JOB-1: the annual review runs it

def test_the_annual_review_refreshes_the_eligible_list_and_twice_is_once(world):
    _long_serving(world, start=D(2019, 6, 1), good=(2023, 2024))
    cycle = make_cycle(unit=world.county_a, year=2025)
    result = annual_review_run(cycle_id=cycle.pk)
    assert result["steps"]["stipends.health"]["created"] == 1
    again = annual_review_run(cycle_id=cycle.pk)
    assert again["steps"]["stipends.health"]["created"] == 0
    assert HealthCheckEntitlement.objects.get().year == 2025


# ---------------------------------------------------------------- records (R-STP-5, 000 item 14)

@pytest.fixture
def entitlement(world):
    _long_serving(world)
    health_eligibility_refresh(scope_path=world.county_a.path, year=2024)
    return HealthCheckEntitlement.objects.get()


def record(world, **kw):
    values = {"kind": HealthCheckKind.CHECK, "basis": HealthCheckBasis.ELIGIBLE, "decided_on": D(2025, 3, 1),
              "by": world.staff_a, "today": D(2025, 6, 1), **kw}
    return svc.health_check_record(**values)


def errors_of(exc):
    return {k: [str(m) for m in v] for k, v in exc.value.message_dict.items()}


def test_a_check_by_the_rule_uses_the_eligibility_once(world, entitlement):
    check = record(world, person=entitlement.person, entitlement=entitlement, paid_by="县财政")
    assert (check.unit, check.entitlement) == (entitlement.unit, entitlement)
    with pytest.raises(ValidationError) as exc:
        record(world, person=entitlement.person, entitlement=entitlement)
    assert errors_of(exc) == {"entitlement": [str(svc.MSG_ENTITLEMENT_USED)]}


def test_a_check_by_the_rule_needs_the_persons_own_eligibility(world, entitlement):
    with pytest.raises(ValidationError) as exc:
        record(world, person=entitlement.person)
    assert errors_of(exc) == {"entitlement": [str(svc.MSG_ENTITLEMENT_REQUIRED)]}
    with pytest.raises(ValidationError) as exc:
        record(world, person=world.person_a2, entitlement=entitlement)
    assert errors_of(exc) == {"entitlement": [str(svc.MSG_ENTITLEMENT_OTHER_PERSON)]}


def test_recuperation_for_a_retired_secretary_by_decision(world):
    retired = secretary(unit=world.branch1, start=D(2000, 1, 1), end=D(2020, 12, 31), is_retired=True)
    check = record(world, person=retired, kind=HealthCheckKind.RECUPERATION, basis=HealthCheckBasis.DECISION,
                   decision="县委组织部2025年第3次部务会决定", place="南岳疗休养基地")
    assert check.unit == world.branch1 and check.entitlement is None
    assert not HealthCheckEntitlement.objects.filter(person=retired).exists()


def test_a_decision_needs_its_text_and_no_eligibility(world, entitlement):
    with pytest.raises(ValidationError) as exc:
        record(world, person=entitlement.person, basis=HealthCheckBasis.DECISION, decision="  ",
               entitlement=entitlement)
    assert errors_of(exc) == {"decision": [str(svc.MSG_DECISION_REQUIRED)],
                              "entitlement": [str(svc.MSG_DECISION_NO_ENTITLEMENT)]}


def test_recuperation_is_only_by_decision(world, entitlement):
    with pytest.raises(ValidationError) as exc:
        record(world, person=entitlement.person, kind=HealthCheckKind.RECUPERATION, entitlement=entitlement)
    assert errors_of(exc) == {"basis": [str(svc.MSG_RECUPERATION_BY_DECISION)]}


def test_only_staff_record(world, entitlement):
    with pytest.raises(PermissionDenied):
        record(world, person=entitlement.person, entitlement=entitlement, by=world.supervisor_a)


def test_mark_done_once_and_not_before_the_decision(world, entitlement):
    check = record(world, person=entitlement.person, entitlement=entitlement)
    with pytest.raises(ValidationError) as exc:
        svc.health_check_mark_done(check=check, done_on=D(2025, 2, 28), by=world.staff_a, today=D(2025, 6, 1))
    assert errors_of(exc) == {"done_on": [str(svc.MSG_DONE_BEFORE_DECIDED)]}
    with pytest.raises(ValidationError) as exc:
        svc.health_check_mark_done(check=check, done_on=D(2025, 6, 2), by=world.staff_a, today=D(2025, 6, 1))
    assert errors_of(exc) == {"done_on": [str(svc.MSG_DONE_IN_FUTURE)]}
    done = svc.health_check_mark_done(check=check, done_on=D(2025, 4, 2), cost=Decimal("860.50"),
                                      place="县人民医院", by=world.staff_a, today=D(2025, 6, 1))
    assert (done.done_on, done.cost, done.place) == (D(2025, 4, 2), Decimal("860.50"), "县人民医院")
    with pytest.raises(ValidationError) as exc:
        svc.health_check_mark_done(check=check, done_on=D(2025, 4, 3), by=world.staff_a, today=D(2025, 6, 1))
    assert errors_of(exc) == {"done_on": [str(svc.MSG_ALREADY_DONE.format(date="2025-04-02"))]}
    assert HealthCheck.objects.get().history.count() == 2  # R-SEC-2


# ---------------------------------------------------------------- the demo's receiver

def test_the_demo_lists_the_eligible_and_records_a_check_and_a_recuperation_once(world):
    from stipends.demo_health import seed_health
    from tests.factories import make_user

    make_user(unit=None, username="admin", is_superuser=True, is_staff=True)
    _long_serving(world, start=D(2018, 1, 1), good=(2023, 2024))
    secretary(unit=world.branch1, start=D(2001, 1, 1), end=D(2020, 12, 31), is_retired=True, name="退休老书记")
    seed_health(as_of=D(2026, 12, 1))
    seed_health(as_of=D(2026, 12, 1))
    checks = {c.basis: c for c in HealthCheck.objects.select_related("person")}
    assert set(checks) == {HealthCheckBasis.ELIGIBLE, HealthCheckBasis.DECISION} and len(checks) == 2
    assert checks[HealthCheckBasis.ELIGIBLE].done_on is not None
    assert checks[HealthCheckBasis.DECISION].kind == HealthCheckKind.RECUPERATION
    assert checks[HealthCheckBasis.DECISION].person.name == "退休老书记"
    assert HealthCheckEntitlement.objects.count() == 1
