"""R-RCT-5 / R-JOB-2: tasks due within the policy's task_reminder_days reminded to their owners; overdue ones
escalated to the supervisors of the branch's subtree and nobody else; each notice once."""
import datetime as dt

import pytest

from core.choices import Role
from core.models import Notice, Policy
from core.sweeps import registered_sweeps
from rectification.choices import CaseOrigin
from rectification.services import cases as svc
from rectification.services.opening import case_open
from rectification.sweeps import NOTICE_KIND_DUE, NOTICE_KIND_OVERDUE, rectification_task_sweep
from tests.factories import make_unit, make_user

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture
def case(world):
    return case_open(unit=world.village_a1, year=2025, origin=CaseOrigin.POOR_TIER)[0]


def _task(world, case, deadline, **owner):
    owner = owner or {"owner_person": world.secretary_a1}
    return svc.task_add(case=case, title=f"任务{deadline}", deadline=deadline, by=world.staff_a, **owner)


def test_it_is_registered():
    assert "rectification.tasks" in {s.name for s in registered_sweeps()}


def test_reminder_days_edge_default_seven(world, case):
    exactly = _task(world, case, AS_OF + dt.timedelta(days=7))
    beyond = _task(world, case, AS_OF + dt.timedelta(days=8))
    today = _task(world, case, AS_OF)
    assert rectification_task_sweep(as_of=AS_OF) == 2
    keys = set(Notice.objects.filter(recipient=world.secretary_user).values_list("key", flat=True))
    assert keys == {f"{NOTICE_KIND_DUE}:{exactly.pk}:{exactly.deadline}", f"{NOTICE_KIND_DUE}:{today.pk}:{AS_OF}"}
    assert not Notice.objects.filter(key__contains=f":{beyond.pk}:").exists()


def test_reminder_days_come_from_the_branch_policy_of_the_deadline_year(world, case):
    Policy.objects.create(unit=world.county_a, year=2026, task_reminder_days=3)
    Policy.objects.create(unit=world.county_b, year=2026, task_reminder_days=30)  # a sibling's policy is not ours
    three = _task(world, case, AS_OF + dt.timedelta(days=3))
    four = _task(world, case, AS_OF + dt.timedelta(days=4))
    rectification_task_sweep(as_of=AS_OF)
    assert Notice.objects.filter(key__contains=f":{three.pk}:").count() == 1
    assert not Notice.objects.filter(key__contains=f":{four.pk}:").exists()


def test_a_unit_owner_is_reminded_through_its_users(world, case):
    task = _task(world, case, AS_OF + dt.timedelta(days=1), owner_unit=world.township_a)
    rectification_task_sweep(as_of=AS_OF)
    assert set(Notice.objects.filter(kind=NOTICE_KIND_DUE).values_list("recipient", flat=True)) == {
        world.township_staff.pk}
    assert Notice.objects.get(kind=NOTICE_KIND_DUE).url.endswith(f"#task-{task.pk}")


def test_deadline_today_is_not_overdue_yesterday_is(world, case):
    today = _task(world, case, AS_OF)
    yesterday = _task(world, case, AS_OF - dt.timedelta(days=1))
    rectification_task_sweep(as_of=AS_OF)
    overdue_keys = set(Notice.objects.filter(kind=NOTICE_KIND_OVERDUE).values_list("key", flat=True))
    assert overdue_keys == {f"{NOTICE_KIND_OVERDUE}:{yesterday.pk}:{yesterday.deadline}"}
    assert not Notice.objects.filter(kind=NOTICE_KIND_OVERDUE, key__contains=f":{today.pk}:").exists()


def test_overdue_escalates_to_the_subtree_supervisor_and_nobody_else(world, case):
    township_sup = make_user(unit=world.township_a, role=Role.SUPERVISOR)
    sibling_township = make_unit(parent=world.county_a, code="430721009", name="丙镇党委", level="township",
                                 sector="organ")
    sibling_sup = make_user(unit=sibling_township, role=Role.SUPERVISOR)
    township_b_sup = make_user(unit=world.township_b, role=Role.SUPERVISOR)
    _task(world, case, AS_OF - dt.timedelta(days=1))
    assert rectification_task_sweep(as_of=AS_OF) == 2
    recipients = set(Notice.objects.filter(kind=NOTICE_KIND_OVERDUE).values_list("recipient", flat=True))
    assert recipients == {township_sup.pk, world.township_staff.pk}  # the township's supervisor and staff
    for outsider in (sibling_sup, township_b_sup, world.outsider, world.staff_a, world.supervisor_a):
        assert not Notice.objects.filter(recipient=outsider).exists()


def test_without_township_users_it_goes_to_the_next_ancestor(world, case):
    world.township_staff.delete()
    _task(world, case, AS_OF - dt.timedelta(days=3))
    rectification_task_sweep(as_of=AS_OF)
    recipients = set(Notice.objects.filter(kind=NOTICE_KIND_OVERDUE).values_list("recipient", flat=True))
    assert recipients == {world.staff_a.pk, world.supervisor_a.pk}
    assert not Notice.objects.filter(recipient=world.outsider).exists()


def test_run_twice_the_same_day_each_notice_once(world, case):
    _task(world, case, AS_OF + dt.timedelta(days=2))
    _task(world, case, AS_OF - dt.timedelta(days=2))
    first = rectification_task_sweep(as_of=AS_OF)
    assert first == 2
    assert rectification_task_sweep(as_of=AS_OF) == 0
    assert Notice.objects.count() == 2


def test_done_tasks_are_not_swept(world, case):
    task = _task(world, case, AS_OF - dt.timedelta(days=2))
    svc.task_mark_done(task=task, evidence="e", by=world.secretary_user)
    assert rectification_task_sweep(as_of=AS_OF) == 0


def test_it_is_set_based(world, case, django_assert_max_num_queries):
    for i in range(6):
        _task(world, case, AS_OF + dt.timedelta(days=i - 3))
    with django_assert_max_num_queries(7):
        rectification_task_sweep(as_of=AS_OF)
