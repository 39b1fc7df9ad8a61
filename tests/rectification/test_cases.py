"""R-RCT-1/3: a case's lists, its tasks' evidence, its sign-off and reopening (rectification/services/cases.py)."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from core.choices import Role
from rectification.choices import CaseEventKind, CaseOrigin, CaseState, TaskState
from rectification.models import CaseEvent, RectificationCase, TaskEvidenceFile
from rectification.services import cases as svc
from rectification.services.opening import case_open
from tests.factories import make_user

DEADLINE = dt.date(2026, 6, 30)


@pytest.fixture
def case(world):
    case, _ = case_open(unit=world.village_a1, year=2025, origin=CaseOrigin.POOR_TIER,
                        explanation={"rule": "R-RCT-1", "tier": "poor"})
    return case


def _msg(exc, field):
    return exc.value.message_dict[field]


def test_manual_open_needs_a_reason_and_staff(world):
    with pytest.raises(ValidationError) as exc:
        svc.case_open_manual(unit=world.village_a2, year=2025, reason="  ", by=world.staff_a)
    assert _msg(exc, "reason") == [svc.ERR_REASON_REQUIRED]
    with pytest.raises(PermissionDenied):
        svc.case_open_manual(unit=world.village_a2, year=2025, reason="r", by=world.supervisor_a)
    with pytest.raises(PermissionDenied):  # a sibling county's staff
        svc.case_open_manual(unit=world.village_a2, year=2025, reason="r", by=world.outsider)
    case = svc.case_open_manual(unit=world.village_a2, year=2025, reason="群众反映强烈", by=world.staff_a)
    assert case.origins == [CaseOrigin.MANUAL]
    assert case.explanation[CaseOrigin.MANUAL]["reason"] == "群众反映强烈"
    assert list(case.events.values_list("kind", flat=True)) == [CaseEventKind.OPENED]
    with pytest.raises(ValidationError) as exc:
        svc.case_open_manual(unit=world.village_a2, year=2025, reason="again", by=world.staff_a)
    assert _msg(exc, "unit") == [svc.ERR_CASE_EXISTS.format(year=2025)]


def test_manual_open_refuses_a_non_branch(world):
    with pytest.raises(ValidationError) as exc:
        svc.case_open_manual(unit=world.township_a, year=2025, reason="r", by=world.staff_a)
    assert _msg(exc, "unit") == [svc.ERR_NOT_A_BRANCH]


def test_lists_are_kept_by_staff_and_supervisors_not_the_secretary(world, case):
    p = svc.problem_add(case=case, text="组织生活不规范", by=world.supervisor_a)
    svc.problem_update(problem=p, text="三会一课不落实", by=world.staff_a)
    p.refresh_from_db()
    assert p.text == "三会一课不落实"
    with pytest.raises(PermissionDenied):
        svc.problem_add(case=case, text="x", by=world.secretary_user)
    with pytest.raises(PermissionDenied):
        svc.problem_add(case=case, text="x", by=world.outsider)
    with pytest.raises(ValidationError) as exc:
        svc.problem_add(case=case, text="", by=world.staff_a)
    assert _msg(exc, "text") == [svc.ERR_PROBLEM_REQUIRED]
    svc.problem_delete(problem=p, by=world.staff_a)
    assert not case.problems.exists()


def test_responsibility_needs_a_holder_person_or_unit(world, case):
    with pytest.raises(ValidationError) as exc:
        svc.responsibility_add(case=case, duty="", by=world.staff_a)
    assert _msg(exc, "person") == [svc.ERR_HOLDER_REQUIRED]
    assert _msg(exc, "duty") == [svc.ERR_DUTY_REQUIRED]
    r1 = svc.responsibility_add(case=case, duty="包村", person=world.secretary_a1, by=world.staff_a)
    r2 = svc.responsibility_add(case=case, duty="督导", unit=world.township_a, by=world.staff_a)
    svc.responsibility_update(responsibility=r1, duty="包村负责", unit=world.township_a, by=world.staff_a)
    r1.refresh_from_db()
    assert (r1.duty, r1.person_id, r1.unit_id) == ("包村负责", None, world.township_a.pk)
    svc.responsibility_delete(responsibility=r2, by=world.staff_a)
    assert list(case.responsibilities.all()) == [r1]


def test_task_needs_an_owner_and_a_deadline(world, case):
    with pytest.raises(ValidationError) as exc:
        svc.task_add(case=case, title="", deadline=None, by=world.staff_a)
    assert set(exc.value.message_dict) == {"title", "owner_person", "deadline"}
    assert _msg(exc, "owner_person") == [svc.ERR_OWNER_REQUIRED]
    assert _msg(exc, "deadline") == [svc.ERR_DEADLINE_REQUIRED]
    task = svc.task_add(case=case, title="整改", owner_unit=world.township_a, deadline=DEADLINE, by=world.staff_a)
    assert (task.state, task.deadline, task.owner_unit_id) == (TaskState.OPEN, DEADLINE, world.township_a.pk)
    task = svc.task_update(task=task, title="整改2", owner_person=world.secretary_a1, deadline=dt.date(2026, 7, 1),
                           by=world.staff_a)
    assert (task.title, task.owner_person_id, task.owner_unit_id) == ("整改2", world.secretary_a1.pk, None)


def test_mark_done_needs_evidence_text_or_a_file(world, case):
    task = svc.task_add(case=case, title="t", owner_person=world.secretary_a1, deadline=DEADLINE, by=world.staff_a)
    with pytest.raises(ValidationError) as exc:
        svc.task_mark_done(task=task, evidence=" ", by=world.secretary_user)
    assert _msg(exc, "evidence") == [svc.ERR_EVIDENCE_REQUIRED]
    upload = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    task = svc.task_mark_done(task=task, files=[upload], by=world.secretary_user)
    assert task.state == TaskState.DONE and task.done_by == world.secretary_user
    assert list(task.files.values_list("name", flat=True)) == ["会议记录.pdf"]
    event = case.events.get(kind=CaseEventKind.TASK_DONE)
    assert event.data["task"] == task.pk and event.by == world.secretary_user


def test_who_may_mark_a_task_done(world, case):
    other_sec = make_user(unit=world.village_a2, role=Role.SECRETARY)
    by_person = svc.task_add(case=case, title="a", owner_person=world.secretary_a1, deadline=DEADLINE,
                             by=world.staff_a)
    by_unit = svc.task_add(case=case, title="b", owner_unit=world.township_a, deadline=DEADLINE, by=world.staff_a)
    assert svc.can_mark_done(user=world.secretary_user, task=by_person)
    assert not svc.can_mark_done(user=world.secretary_user, task=by_unit)  # not the owner unit's
    assert not svc.can_mark_done(user=other_sec, task=by_person)
    assert not svc.can_mark_done(user=world.outsider, task=by_person)
    assert svc.can_mark_done(user=world.township_staff, task=by_unit)  # attached to the owner unit
    assert svc.can_mark_done(user=world.supervisor_a, task=by_unit)  # above the owner unit, within scope
    assert not svc.can_mark_done(user=world.supervisor_a, task=by_person)  # a supervisor does not the owner's work
    assert svc.can_mark_done(user=world.staff_a, task=by_person)  # staff of the subtree
    with pytest.raises(PermissionDenied):
        svc.task_mark_done(task=by_person, evidence="e", by=other_sec)


@override_settings(ZHISHU_EVIDENCE_MAX_BYTES=10)
def test_evidence_size_cap_and_types_name_the_file(world, case):
    task = svc.task_add(case=case, title="t", owner_person=world.secretary_a1, deadline=DEADLINE, by=world.staff_a)
    with pytest.raises(ValidationError) as exc:
        svc.evidence_attach(task=task, upload=SimpleUploadedFile("big.pdf", b"x" * 11), by=world.secretary_user)
    assert "big.pdf" in _msg(exc, "files")[0]
    svc.evidence_attach(task=task, upload=SimpleUploadedFile("ok.txt", b"x" * 10), by=world.secretary_user)
    with pytest.raises(ValidationError) as exc:
        svc.evidence_attach(task=task, upload=SimpleUploadedFile("run.exe", b"x"), by=world.secretary_user)
    assert _msg(exc, "files") == [svc.ERR_FILE_TYPE.format(name="run.exe", allowed=", ".join(svc.ALLOWED_EXTENSIONS))]
    assert list(TaskEvidenceFile.objects.values_list("name", flat=True)) == ["ok.txt"]
    # a refused file in a batch leaves the task open and attaches nothing (atomic)
    with pytest.raises(ValidationError):
        svc.task_mark_done(task=task, evidence="e", by=world.secretary_user,
                           files=[SimpleUploadedFile("a.pdf", b"x"), SimpleUploadedFile("b.pdf", b"x" * 11)])
    task.refresh_from_db()
    assert task.state == TaskState.OPEN and task.files.count() == 1


def test_a_case_with_one_open_task_cannot_be_closed(world, case):
    with pytest.raises(ValidationError) as exc:
        svc.case_close(case=case, note="ok", by=world.supervisor_a)
    assert _msg(exc, "tasks") == [svc.ERR_NO_TASKS]
    t1 = svc.task_add(case=case, title="a", owner_person=world.secretary_a1, deadline=DEADLINE, by=world.staff_a)
    svc.task_add(case=case, title="b", owner_person=world.secretary_a1, deadline=DEADLINE, by=world.staff_a)
    svc.task_mark_done(task=t1, evidence="done", by=world.secretary_user)
    with pytest.raises(ValidationError) as exc:
        svc.case_close(case=case, note="ok", by=world.supervisor_a)
    assert _msg(exc, "tasks") == [svc.open_tasks_message(1)]
    case.refresh_from_db()
    assert case.state == CaseState.OPEN


def test_sign_off_closes_and_reopening_keeps_both_in_the_history(world, case):
    task = svc.task_add(case=case, title="a", owner_person=world.secretary_a1, deadline=DEADLINE, by=world.staff_a)
    svc.task_mark_done(task=task, evidence="done", by=world.secretary_user)
    with pytest.raises(PermissionDenied):  # the branch's own secretary never signs off
        svc.case_close(case=case, note="ok", by=world.secretary_user)
    with pytest.raises(PermissionDenied):
        svc.case_close(case=case, note="ok", by=world.outsider)
    with pytest.raises(ValidationError) as exc:
        svc.case_close(case=case, note="", by=world.supervisor_a)
    assert _msg(exc, "note") == [svc.ERR_SIGN_OFF_NOTE]
    case = svc.case_close(case=case, note="验收合格", by=world.supervisor_a)
    assert case.state == CaseState.CLOSED and case.closed_by == world.supervisor_a
    first_close = case.closed_at
    with pytest.raises(ValidationError):  # a closed case takes no new task
        svc.task_add(case=case, title="c", owner_person=world.secretary_a1, deadline=DEADLINE, by=world.staff_a)
    with pytest.raises(ValidationError) as exc:
        svc.case_reopen(case=case, reason="", by=world.supervisor_a)
    assert _msg(exc, "reason") == [svc.ERR_REOPEN_REASON]
    case = svc.case_reopen(case=case, reason="复查发现反弹", by=world.staff_a)
    assert case.state == CaseState.OPEN and case.closed_at is None
    kinds = list(CaseEvent.objects.filter(case=case).order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == [CaseEventKind.OPENED, CaseEventKind.TASK_DONE, CaseEventKind.CLOSED, CaseEventKind.REOPENED]
    closed = case.events.get(kind=CaseEventKind.CLOSED)
    assert closed.note == "验收合格" and closed.by == world.supervisor_a
    assert closed.data["closed_at"] == first_close.isoformat()
    assert case.events.get(kind=CaseEventKind.REOPENED).data["earlier_close"]["sign_off_note"] == "验收合格"
    # reopen a task, close again: a second sign-off row, the first kept
    svc.task_reopen(task=task, reason="证据不足", by=world.staff_a)
    with pytest.raises(ValidationError):
        svc.case_close(case=case, note="x", by=world.supervisor_a)
    svc.task_mark_done(task=task, evidence="补充", by=world.secretary_user)
    svc.case_close(case=case, note="再次验收", by=world.supervisor_a)
    assert case.events.filter(kind=CaseEventKind.CLOSED).count() == 2
    assert RectificationCase.objects.get(pk=case.pk).sign_off_note == "再次验收"


def test_staff_of_the_branch_itself_cannot_sign_off(world, case):
    branch_staff = make_user(unit=world.village_a1, role=Role.STAFF)
    assert not svc.can_sign_off(user=branch_staff, case=case)
    assert svc.can_sign_off(user=world.township_staff, case=case)
