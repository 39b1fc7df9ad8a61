"""R-RCT-1/3: the ledger (台账) selectors — age in days, task counts (overdue = open and deadline before today),
filters by year, state and unit subtree, the summary, and the explanation read robustly (R-POL-2)."""
import datetime as dt

import pytest
from django.utils import timezone

from rectification.choices import CaseOrigin, CaseState
from rectification.models import RectificationCase
from rectification.selectors import case_age_days, explanation_items, ledger_report, ledger_rows, ledger_summary
from rectification.services import cases as svc
from rectification.services.opening import case_open

TODAY = dt.date(2026, 6, 10)


@pytest.fixture
def cases(world):
    a1 = case_open(unit=world.village_a1, year=2025, origin=CaseOrigin.POOR_TIER)[0]
    a2 = case_open(unit=world.village_a2, year=2024, origin=CaseOrigin.WEAK_AND_LAX)[0]
    b1 = case_open(unit=world.village_b1, year=2025, origin=CaseOrigin.POOR_TIER)[0]
    return a1, a2, b1


def _task(world, case, deadline):
    return svc.task_add(case=case, title=str(deadline), owner_person=world.secretary_a1, deadline=deadline,
                        by=world.staff_a)


def test_task_counts_today_is_not_overdue_yesterday_is(world, cases):
    a1 = cases[0]
    _task(world, a1, TODAY)
    _task(world, a1, TODAY - dt.timedelta(days=1))
    done = _task(world, a1, TODAY - dt.timedelta(days=5))
    svc.task_mark_done(task=done, evidence="e", by=world.secretary_user)  # done late: not overdue any more
    row = ledger_rows(user=world.staff_a, today=TODAY).get(pk=a1.pk)
    assert (row.tasks_total, row.tasks_done, row.tasks_overdue) == (3, 1, 1)


def test_age_runs_from_opening_to_sign_off_or_today(world, cases):
    a1 = cases[0]
    opened = timezone.make_aware(dt.datetime(2026, 3, 1, 9))
    RectificationCase.objects.filter(pk=a1.pk).update(opened_at=opened)
    a1.refresh_from_db()
    assert case_age_days(a1, today=dt.date(2026, 3, 1)) == 0
    assert case_age_days(a1, today=dt.date(2026, 3, 31)) == 30
    a1.closed_at = timezone.make_aware(dt.datetime(2026, 3, 11, 17))
    assert case_age_days(a1, today=dt.date(2026, 12, 31)) == 10


def test_filters_year_state_and_subtree(world, cases):
    a1, a2, b1 = cases
    _task(world, a2, TODAY)
    t = a2.tasks.get()
    svc.task_mark_done(task=t, evidence="e", by=world.staff_a)
    svc.case_close(case=a2, note="ok", by=world.supervisor_a)
    staff = world.staff_a
    assert {c.pk for c in ledger_rows(user=staff)} == {a1.pk, a2.pk}  # never the sibling county's
    assert [c.pk for c in ledger_rows(user=staff, year=2024)] == [a2.pk]
    assert [c.pk for c in ledger_rows(user=staff, state=CaseState.OPEN)] == [a1.pk]
    assert [c.pk for c in ledger_rows(user=staff, unit=world.village_a1)] == [a1.pk]
    assert {c.pk for c in ledger_rows(user=staff, unit=world.township_a)} == {a1.pk, a2.pk}
    assert [c.pk for c in ledger_rows(user=world.secretary_user)] == [a1.pk]


def test_summary_counts_open_closed_and_with_overdue_in_one_query(world, cases, django_assert_num_queries):
    a1, a2, _b1 = cases
    _task(world, a1, TODAY - dt.timedelta(days=1))
    _task(world, a1, TODAY - dt.timedelta(days=2))  # two overdue tasks: the case counts once
    rows = ledger_rows(user=world.staff_a, today=TODAY)
    with django_assert_num_queries(1):
        summary = ledger_summary(rows, today=TODAY)
    assert summary == {"total": 2, "open": 2, "closed": 0, "with_overdue": 1}


def test_report_is_two_queries_whatever_the_number_of_cases(world, cases, django_assert_num_queries):
    for case in cases[:2]:
        for i in range(3):
            _task(world, case, TODAY + dt.timedelta(days=i))
    with django_assert_num_queries(2):  # the summary, the rows
        report = ledger_report(user=world.staff_a, today=TODAY)
    assert len(report["results"]) == 2 and report["summary"]["total"] == 2


def test_explanation_is_read_robustly(world, cases):
    a1 = cases[0]
    a1.origins = ["poor_tier", "weak_and_lax", "unknown_origin"]
    a1.explanation = {
        "poor_tier": {"rule": "R-RCT-1", "tier": "poor", "composite_score": "48.00",
                      "policy": {"weak_candidate_share": {"value": "0.05", "unit": "甲县委", "year": 2025,
                                                          "default": False},
                                 "not_a_field": 3}},
        "weak_and_lax": "not a dict",
    }
    items = explanation_items(a1)
    assert [i["origin"] for i in items] == ["poor_tier", "weak_and_lax", "unknown_origin"]
    poor = items[0]
    assert (poor["tier"], poor["composite_score"]) == ("poor", "48.00")
    assert poor["policy_values"][0]["value"] == "0.05" and not poor["policy_values"][0]["default"]
    assert poor["policy_values"][1] == {"name": "not_a_field", "label": "not_a_field", "value": 3, "rule": "",
                                        "unit": "", "year": None, "default": False}
    assert items[1]["rule"] == "" and items[2]["label"] == "unknown_origin"
    a1.explanation = None
    assert [i["policy_values"] for i in explanation_items(a1)] == [[], [], []]
