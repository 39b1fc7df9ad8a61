"""R-RCT-1/3: a rectification case's three lists (problems, tasks, responsibilities), its tasks'
evidence, and its sign-off (挂账销号) and reopening — every step written to the case's history.

Who may do what (R-ORG-2 on top of the rows a user sees):

- the lists are kept by staff and supervisors whose subtree holds the branch (a secretary never);
- a task is marked done by its owner person's login, by users attached to the owner unit or a unit
  above it within their subtree, or by staff of the branch's subtree;
- a case is signed off (and reopened) by a supervisor or staff whose unit is strictly above the
  branch — never its own secretary.
"""
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.choices import Role
from core.uploads import MB
from rectification.choices import CaseEventKind, CaseOrigin, CaseState, TaskState
from rectification.models import (
    CaseEvent,
    CaseProblem,
    CaseResponsibility,
    RectificationCase,
    RectificationTask,
    TaskEvidenceFile,
)
from rectification.services.opening import case_open

ERR_REASON_REQUIRED = _("Give the reason for opening the case.")
ERR_NOT_A_BRANCH = _("A case is opened for a branch.")
ERR_CASE_EXISTS = _("This branch already has a case for {year}.")
ERR_YEAR = _("Enter a valid year.")
ERR_STAFF_ONLY = _("Only staff open a case by hand.")
ERR_NOT_MANAGER = _("Only staff or a supervisor above the branch change a case's lists.")
ERR_CASE_CLOSED = _("The case is closed; reopen it before changing it.")
ERR_PROBLEM_REQUIRED = _("Describe the problem.")
ERR_DUTY_REQUIRED = _("Describe the responsibility.")
ERR_HOLDER_REQUIRED = _("Choose the person or the unit responsible.")
ERR_TITLE_REQUIRED = _("Give the task a title.")
ERR_OWNER_REQUIRED = _("Choose the task's owner: a person or a unit.")
ERR_DEADLINE_REQUIRED = _("Give the task a deadline.")
ERR_NOT_TASK_OWNER = _("Only the task's owner, the owning unit or staff above the branch mark it done.")
ERR_EVIDENCE_REQUIRED = _("Describe the evidence or attach at least one file.")
ERR_TASK_DONE = _("The task is already done.")
ERR_TASK_OPEN = _("The task is not done.")
ERR_REOPEN_REASON = _("Give the reason for reopening.")
ERR_FILE_TOO_LARGE = _("The file “{name}” is larger than {size} MB.")
ERR_FILE_TYPE = _("The file “{name}” is not an allowed type ({allowed}).")
ERR_FILE_EMPTY = _("The file “{name}” is empty.")
ERR_NO_TASKS = _("A case without tasks cannot be closed; add its tasks first.")
ERR_NOT_SUPERVISOR = _("Only a supervisor or staff above the branch signs a case off.")
ERR_SIGN_OFF_NOTE = _("Write the sign-off note.")
ERR_ALREADY_CLOSED = _("The case is already closed.")
ERR_NOT_CLOSED = _("The case is not closed.")

ALLOWED_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "txt")


def evidence_max_bytes() -> int:
    """R-SEC-3: the cap on one evidence file (setting ``ZHISHU_EVIDENCE_MAX_BYTES``, default 10 MB)."""
    return getattr(settings, "ZHISHU_EVIDENCE_MAX_BYTES", 10 * MB)


# --- who may -------------------------------------------------------------------------------------

def _within(user, unit) -> bool:
    return user.unit_id is not None and unit.path.startswith(user.unit.path)


def can_manage(*, user, case) -> bool:
    """Staff or a supervisor whose subtree holds the branch keep its lists."""
    if user.is_superuser:
        return True
    return user.role in (Role.STAFF, Role.SUPERVISOR) and _within(user, case.unit)


def can_sign_off(*, user, case) -> bool:
    """R-RCT-3: a supervisor or staff strictly above the branch; a secretary never."""
    if user.is_superuser:
        return True
    return (user.role in (Role.STAFF, Role.SUPERVISOR) and _within(user, case.unit)
            and user.unit.path != case.unit.path)


def can_mark_done(*, user, task) -> bool:
    """The owner person's login; users of the owner unit or above it within their subtree; staff of the subtree."""
    if user.is_superuser:
        return True
    if task.owner_person_id and task.owner_person.user_id == user.pk:
        return True
    if user.unit_id is None:
        return False
    if task.owner_unit_id and task.owner_unit.path.startswith(user.unit.path) \
            and (user.role != Role.SECRETARY or task.owner_unit_id == user.unit_id):
        return True
    return user.role == Role.STAFF and _within(user, task.case.unit)


def _require_manager(user, case) -> None:
    if not can_manage(user=user, case=case):
        raise PermissionDenied(ERR_NOT_MANAGER)


def _require_open(case) -> None:
    if case.state != CaseState.OPEN:
        raise ValidationError({"state": [ERR_CASE_CLOSED]})


def _locked_case(case) -> RectificationCase:
    return RectificationCase.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)


def _locked_task(task) -> RectificationTask:
    return (RectificationTask.objects.select_for_update(of=("self",))
            .select_related("case__unit", "owner_person", "owner_unit").get(pk=task.pk))


def _event(case, kind, *, by, note="", data=None) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, by=by, note=note, data=data or {})


def _text(value) -> str:
    return (value or "").strip()


# --- opening by hand -----------------------------------------------------------------------------

def case_open_manual(*, unit, year, reason: str, by) -> RectificationCase:
    """R-RCT-1: staff open a case for a branch by hand, with the reason; one case per branch and year."""
    if not (by.is_superuser or (by.role == Role.STAFF and _within(by, unit))):
        raise PermissionDenied(ERR_STAFF_ONLY)
    errors = {}
    if unit is None or not unit.is_branch:
        errors["unit"] = [ERR_NOT_A_BRANCH]
    try:
        year = int(year)
        if not 1949 <= year <= 2200:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = [ERR_YEAR]
    if not _text(reason):
        errors["reason"] = [ERR_REASON_REQUIRED]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if RectificationCase.objects.filter(unit=unit, year=year).exists():
            raise ValidationError({"unit": [ERR_CASE_EXISTS.format(year=year)]})
        case, _opened = case_open(unit=unit, year=year, origin=CaseOrigin.MANUAL, by=by, summary=_text(reason),
                                  explanation={"rule": "R-RCT-1", "reason": _text(reason)})
    return case


# --- the problem list ----------------------------------------------------------------------------

def problem_add(*, case, text: str, by) -> CaseProblem:
    """R-RCT-1: add a problem to the case's problem list."""
    _require_manager(by, case)
    if not _text(text):
        raise ValidationError({"text": [ERR_PROBLEM_REQUIRED]})
    with transaction.atomic():
        case = _locked_case(case)
        _require_open(case)
        position = case.problems.count() + 1
        return CaseProblem.objects.create(case=case, text=_text(text), position=position, created_by=by)


def problem_update(*, problem, text: str, by) -> CaseProblem:
    """R-RCT-1: rewrite a problem."""
    _require_manager(by, problem.case)
    if not _text(text):
        raise ValidationError({"text": [ERR_PROBLEM_REQUIRED]})
    with transaction.atomic():
        _require_open(_locked_case(problem.case))
        problem.text = _text(text)
        problem.save(update_fields=["text"])
    return problem


def problem_delete(*, problem, by) -> None:
    """R-RCT-1: strike a problem off the list."""
    _require_manager(by, problem.case)
    with transaction.atomic():
        _require_open(_locked_case(problem.case))
        problem.delete()


# --- the responsibility list ---------------------------------------------------------------------

def _holder_check(person, unit, duty) -> None:
    errors = {}
    if person is None and unit is None:
        errors["person"] = [ERR_HOLDER_REQUIRED]
    if not _text(duty):
        errors["duty"] = [ERR_DUTY_REQUIRED]
    if errors:
        raise ValidationError(errors)


def responsibility_add(*, case, duty: str, person=None, unit=None, by) -> CaseResponsibility:
    """R-RCT-1: who answers for what — a person or a unit."""
    _require_manager(by, case)
    _holder_check(person, unit, duty)
    with transaction.atomic():
        case = _locked_case(case)
        _require_open(case)
        return CaseResponsibility.objects.create(case=case, duty=_text(duty), person=person, unit=unit,
                                                 position=case.responsibilities.count() + 1)


def responsibility_update(*, responsibility, duty: str, person=None, unit=None, by) -> CaseResponsibility:
    """R-RCT-1: change a responsibility's holder or duty."""
    _require_manager(by, responsibility.case)
    _holder_check(person, unit, duty)
    with transaction.atomic():
        _require_open(_locked_case(responsibility.case))
        responsibility.duty, responsibility.person, responsibility.unit = _text(duty), person, unit
        responsibility.save(update_fields=["duty", "person", "unit"])
    return responsibility


def responsibility_delete(*, responsibility, by) -> None:
    _require_manager(by, responsibility.case)
    with transaction.atomic():
        _require_open(_locked_case(responsibility.case))
        responsibility.delete()


# --- the task list -------------------------------------------------------------------------------

def _task_check(title, owner_person, owner_unit, deadline) -> None:
    errors = {}
    if not _text(title):
        errors["title"] = [ERR_TITLE_REQUIRED]
    if owner_person is None and owner_unit is None:
        errors["owner_person"] = [ERR_OWNER_REQUIRED]
    if deadline is None:
        errors["deadline"] = [ERR_DEADLINE_REQUIRED]
    if errors:
        raise ValidationError(errors)


def task_add(*, case, title: str, owner_person=None, owner_unit=None, deadline, description: str = "",
             by) -> RectificationTask:
    """R-RCT-1: a task with an owner (person or unit) and a deadline; a closed case takes none."""
    _require_manager(by, case)
    _task_check(title, owner_person, owner_unit, deadline)
    with transaction.atomic():
        case = _locked_case(case)
        _require_open(case)
        return RectificationTask.objects.create(
            case=case, title=_text(title)[:300], description=_text(description), owner_person=owner_person,
            owner_unit=owner_unit, deadline=deadline, position=case.tasks.count() + 1, created_by=by)


def task_update(*, task, title: str, owner_person=None, owner_unit=None, deadline, description: str = "",
                by) -> RectificationTask:
    """R-RCT-1: change a task's title, owner, deadline or details (not its state)."""
    _require_manager(by, task.case)
    _task_check(title, owner_person, owner_unit, deadline)
    with transaction.atomic():
        _require_open(_locked_case(task.case))
        task = _locked_task(task)
        task.title, task.description = _text(title)[:300], _text(description)
        task.owner_person, task.owner_unit, task.deadline = owner_person, owner_unit, deadline
        task.save(update_fields=["title", "description", "owner_person", "owner_unit", "deadline"])
    return task


def task_delete(*, task, by) -> None:
    """R-RCT-1: strike an open task off the list (a done one stays, with its evidence)."""
    _require_manager(by, task.case)
    with transaction.atomic():
        _require_open(_locked_case(task.case))
        task = _locked_task(task)
        if task.state == TaskState.DONE:
            raise ValidationError({"state": [ERR_TASK_DONE]})
        task.delete()


def _check_upload(upload) -> None:
    name = getattr(upload, "name", "") or ""
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError({"files": [ERR_FILE_TYPE.format(name=name, allowed=", ".join(ALLOWED_EXTENSIONS))]})
    if upload.size > evidence_max_bytes():
        size = max(1, evidence_max_bytes() // MB)
        raise ValidationError({"files": [ERR_FILE_TOO_LARGE.format(name=name, size=size)]})
    if upload.size == 0:
        raise ValidationError({"files": [ERR_FILE_EMPTY.format(name=name)]})


def _attach(task, upload, by) -> TaskEvidenceFile:
    evidence = TaskEvidenceFile(task=task, name=os.path.basename(upload.name)[:255], size=upload.size,
                                content_type=(getattr(upload, "content_type", "") or "")[:100], uploaded_by=by)
    evidence.file.save(os.path.basename(upload.name), upload, save=False)
    evidence.save()
    return evidence


def evidence_attach(*, task, upload, by) -> TaskEvidenceFile:
    """R-RCT-1: attach a file as evidence to a task (size cap, allowed types)."""
    if not can_mark_done(user=by, task=task):
        raise PermissionDenied(ERR_NOT_TASK_OWNER)
    _check_upload(upload)
    with transaction.atomic():
        _require_open(_locked_case(task.case))
        return _attach(task, upload, by)


def task_mark_done(*, task, evidence: str = "", files=(), by) -> RectificationTask:
    """R-RCT-1/3: the owner marks a task done with evidence — a text or at least one file."""
    if not can_mark_done(user=by, task=task):
        raise PermissionDenied(ERR_NOT_TASK_OWNER)
    files = list(files or [])
    for upload in files:
        _check_upload(upload)
    with transaction.atomic():
        case = _locked_case(task.case)
        _require_open(case)
        task = _locked_task(task)
        if task.state == TaskState.DONE:
            raise ValidationError({"state": [ERR_TASK_DONE]})
        if not _text(evidence) and not files and not task.files.exists():
            raise ValidationError({"evidence": [ERR_EVIDENCE_REQUIRED]})
        for upload in files:
            _attach(task, upload, by)
        task.state, task.evidence = TaskState.DONE, _text(evidence) or task.evidence
        task.done_at, task.done_by = timezone.now(), by
        task.save(update_fields=["state", "evidence", "done_at", "done_by"])
        _event(case, CaseEventKind.TASK_DONE, by=by, note=task.evidence,
               data={"task": task.pk, "title": task.title, "files": [f.name for f in files]})
    return task


def task_reopen(*, task, reason: str, by) -> RectificationTask:
    """R-RCT-3: a done task found wanting is reopened, with the reason; its evidence stays."""
    _require_manager(by, task.case)
    if not _text(reason):
        raise ValidationError({"reason": [ERR_REOPEN_REASON]})
    with transaction.atomic():
        case = _locked_case(task.case)
        _require_open(case)
        task = _locked_task(task)
        if task.state != TaskState.DONE:
            raise ValidationError({"state": [ERR_TASK_OPEN]})
        task.state, task.done_at, task.done_by = TaskState.OPEN, None, None
        task.save(update_fields=["state", "done_at", "done_by"])
        _event(case, CaseEventKind.TASK_REOPENED, by=by, note=_text(reason), data={"task": task.pk,
                                                                                  "title": task.title})
    return task


# --- sign-off and reopening ----------------------------------------------------------------------

def open_tasks_message(count: int) -> str:
    return ngettext("{count} task is still open.", "{count} tasks are still open.", count).format(count=count)


def case_close(*, case, note: str, by) -> RectificationCase:
    """R-RCT-3: 挂账销号 — only when the case has tasks and every one is done, signed off by a supervisor."""
    if not can_sign_off(user=by, case=case):
        raise PermissionDenied(ERR_NOT_SUPERVISOR)
    with transaction.atomic():
        case = _locked_case(case)
        if case.state == CaseState.CLOSED:
            raise ValidationError({"state": [ERR_ALREADY_CLOSED]})
        tasks = list(case.tasks.values_list("state", flat=True))
        if not tasks:
            raise ValidationError({"tasks": [ERR_NO_TASKS]})
        still_open = sum(1 for s in tasks if s != TaskState.DONE)
        if still_open:
            raise ValidationError({"tasks": [open_tasks_message(still_open)]})
        if not _text(note):
            raise ValidationError({"note": [ERR_SIGN_OFF_NOTE]})
        case.state, case.closed_at, case.closed_by, case.sign_off_note = (
            CaseState.CLOSED, timezone.now(), by, _text(note))
        case.save(update_fields=["state", "closed_at", "closed_by", "sign_off_note"])
        _event(case, CaseEventKind.CLOSED, by=by, note=case.sign_off_note,
               data={"closed_at": case.closed_at.isoformat(), "closed_by": by.pk, "tasks": len(tasks)})
    return case


def case_reopen(*, case, reason: str, by) -> RectificationCase:
    """R-RCT-3: reopen a closed case; the earlier sign-off stays in the history (its event keeps who and when)."""
    if not can_sign_off(user=by, case=case):
        raise PermissionDenied(ERR_NOT_SUPERVISOR)
    if not _text(reason):
        raise ValidationError({"reason": [ERR_REOPEN_REASON]})
    with transaction.atomic():
        case = _locked_case(case)
        if case.state != CaseState.CLOSED:
            raise ValidationError({"state": [ERR_NOT_CLOSED]})
        earlier = {"closed_at": case.closed_at.isoformat() if case.closed_at else None,
                   "closed_by": case.closed_by_id, "sign_off_note": case.sign_off_note}
        case.state, case.closed_at, case.closed_by, case.sign_off_note = CaseState.OPEN, None, None, ""
        case.save(update_fields=["state", "closed_at", "closed_by", "sign_off_note"])
        _event(case, CaseEventKind.REOPENED, by=by, note=_text(reason), data={"earlier_close": earlier})
    return case
