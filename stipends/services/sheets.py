"""R-STP-4: a stipend sheet's life — built (draft), approved (frozen), corrected by a new version.

A policy change never alters an approved sheet: its lines keep their inputs and the sheet keeps
the policy values it used (R-POL-1). The annual review rebuilds drafts, never approved sheets
(R-JOB-1, ``sheets_refresh_for_cycle``).
"""
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import BRANCH_LEVELS
from core.models import Job, OrgUnit
from core.services.jobs import job_create, job_enqueue
from core.services.policies import policy_validate

from ..choices import SheetState
from ..models import StipendLine, StipendSheet
from .compute import ComputedLine, ComputedSheet, sheet_compute

JOB_KIND_BUILD = "stipends.sheet_build"
BATCH = 2000

MSG_SHEET_BRANCH = _("A stipend sheet is made for a jurisdiction (a committee), not for a single branch.")
MSG_SHEET_APPROVED_EXISTS = _(
    "The {year} sheet of {unit} is approved and frozen; to change it, start a correction (a new version).")
MSG_SHEET_NOT_DRAFT = _("Only a draft sheet can be {action}; this one is {state}.")
MSG_SHEET_NOT_BUILT = _("The sheet has not been computed yet; compute it before approving.")
MSG_CORRECT_NOT_APPROVED = _("Only the approved version of a sheet can be corrected.")
MSG_CORRECT_REASON = _("Give the reason for the correction.")
MSG_CORRECT_DRAFT_EXISTS = _("A draft of this sheet already exists (version {version}); work on it instead.")
MSG_NOT_STAFF = _("Only organisation-department staff may do this.")


def _require_staff(user) -> None:
    if user is not None and not getattr(user, "is_staff_role", False):
        raise PermissionDenied(MSG_NOT_STAFF)


def _check_jurisdiction(unit: OrgUnit) -> None:
    if unit.level in BRANCH_LEVELS:
        raise ValidationError({"unit": MSG_SHEET_BRANCH})


def sheet_draft_get_or_create(*, unit: OrgUnit, year: int, user=None) -> StipendSheet:
    """The draft of ``unit``'s ``year`` sheet, created (as version 1) when there is no sheet yet.

    Refused when the latest version is approved: a change after approval is a correction (R-STP-4).
    """
    _check_jurisdiction(unit)
    draft = StipendSheet.objects.filter(unit=unit, year=year, state=SheetState.DRAFT).first()
    if draft is not None:
        return draft
    if StipendSheet.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(MSG_SHEET_APPROVED_EXISTS.format(year=year, unit=unit.name))
    return StipendSheet.objects.create(unit=unit, year=year, version=1, built_by=user)


def _store(*, sheet: StipendSheet, computed: ComputedSheet, user, job_id: int | None,
           report: Callable[[int, str], None]) -> StipendSheet:
    """Replace the draft's lines with ``computed``; a correction also records each line's previous amount."""
    previous = {}
    if sheet.previous_id:
        previous = {(p, u): a for p, u, a in StipendLine.objects.filter(sheet_id=sheet.previous_id)
                    .values_list("person_id", "unit_id", "amount")}
    StipendLine.objects.filter(sheet=sheet).delete()
    lines = [_line(sheet, line, previous) for line in computed.lines]
    for i in range(0, len(lines), BATCH):
        StipendLine.objects.bulk_create(lines[i:i + BATCH])
        report(40 + int(55 * min(len(lines), i + BATCH) / max(len(lines), 1)), str(_("Saving the lines")))
    sheet.regimes = computed.regimes
    sheet.policies = computed.policies
    sheet.floors = computed.floors
    sheet.total = computed.total
    sheet.line_count = len(lines)
    sheet.provisional_count = computed.provisional_count
    sheet.workload_credit_count = computed.workload_credit_count
    sheet.flagged_count = computed.flagged_count
    sheet.built_at = timezone.now()
    sheet.built_by = user if user is not None else sheet.built_by
    sheet.last_job_id = job_id or sheet.last_job_id
    sheet.save()
    return sheet


def _line(sheet: StipendSheet, line: ComputedLine, previous: dict) -> StipendLine:
    return StipendLine(
        sheet=sheet, person_id=line.person_id, unit_id=line.unit_id, township_id=line.township_id,
        county_id=line.county_id, sector=line.sector, group=line.group, regime=line.regime, form=line.form,
        base_amount=line.base_amount, base_period=line.base_period, pool_amount=line.pool_amount, tier=line.tier,
        coefficient=line.coefficient, months=line.months, in_office_from=line.in_office_from,
        in_office_until=line.in_office_until, amount=line.amount, provisional=line.provisional,
        policy_key=line.policy_key, explanation=line.explanation, flags=[str(f) for f in line.flags],
        previous_amount=previous.get(line.key) if sheet.previous_id else None,
    )


def _no_report(progress: int, message: str = "") -> None:
    pass


@transaction.atomic
def sheet_build(*, unit: OrgUnit, year: int, user=None, job_id: int | None = None,
                report: Callable[[int, str], None] = _no_report) -> StipendSheet:
    """R-STP-2..4: compute the draft of ``unit``'s ``year`` sheet and store its lines (replacing the draft's).

    Safe to run twice (the draft is locked, its lines replaced). An approved sheet is never touched.
    """
    _require_staff(user)
    sheet = sheet_draft_get_or_create(unit=unit, year=year, user=user)
    sheet = StipendSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.state != SheetState.DRAFT:  # approved between the two reads
        raise ValidationError(MSG_SHEET_APPROVED_EXISTS.format(year=year, unit=unit.name))
    report(5, str(_("Reading secretaries, tiers and policies")))
    computed = sheet_compute(unit=unit, year=year)
    report(40, str(_("Saving the lines")))
    return _store(sheet=sheet, computed=computed, user=user, job_id=job_id, report=report)


def sheet_build_start(*, unit: OrgUnit, year: int, user) -> Job:
    """Start building the sheet in the background (a Celery task on a job row, with progress)."""
    from stipends.tasks import build_stipend_sheet

    _require_staff(user)
    sheet_draft_get_or_create(unit=unit, year=year, user=user)  # refuses now, not in the worker
    job = job_create(kind=JOB_KIND_BUILD, user=user, unit=unit, params={"unit_id": unit.pk, "year": year})
    job_enqueue(job=job, task=build_stipend_sheet, unit_id=unit.pk, year=year)
    return job


@transaction.atomic
def sheet_approve(*, sheet: StipendSheet, user) -> StipendSheet:
    """R-STP-4: freeze a computed draft; the version it corrects is marked superseded."""
    _require_staff(user)
    sheet = StipendSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.state != SheetState.DRAFT:
        raise ValidationError(MSG_SHEET_NOT_DRAFT.format(action=_("approved"), state=sheet.get_state_display()))
    if sheet.built_at is None:
        raise ValidationError(MSG_SHEET_NOT_BUILT)
    if sheet.previous_id:
        StipendSheet.objects.filter(pk=sheet.previous_id).update(state=SheetState.SUPERSEDED)
    sheet.state = SheetState.APPROVED
    sheet.approved_at = timezone.now()
    sheet.approved_by = user
    sheet.save(update_fields=["state", "approved_at", "approved_by"])
    return sheet


@transaction.atomic
def sheet_correct(*, sheet: StipendSheet, user, reason: str) -> StipendSheet:
    """R-STP-4: a correction of an approved sheet — a new draft version, computed now, each line showing the
    amount the approved version paid."""
    _require_staff(user)
    if not (reason or "").strip():
        raise ValidationError({"correction_reason": MSG_CORRECT_REASON})
    sheet = StipendSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.state != SheetState.APPROVED:
        raise ValidationError(MSG_CORRECT_NOT_APPROVED)
    draft = StipendSheet.objects.filter(unit_id=sheet.unit_id, year=sheet.year, state=SheetState.DRAFT).first()
    if draft is not None:
        raise ValidationError(MSG_CORRECT_DRAFT_EXISTS.format(version=draft.version))
    version = (StipendSheet.objects.filter(unit_id=sheet.unit_id, year=sheet.year)
               .aggregate(v=Max("version"))["v"] or 0) + 1
    new = StipendSheet.objects.create(unit_id=sheet.unit_id, year=sheet.year, version=version, previous=sheet,
                                      correction_reason=reason.strip(), built_by=user)
    computed = sheet_compute(unit=sheet.unit, year=sheet.year)
    return _store(sheet=new, computed=computed, user=user, job_id=None, report=_no_report)


@transaction.atomic
def sheet_discard(*, sheet: StipendSheet, user) -> None:
    """Delete a draft (a correction started by mistake); approved versions are kept for ever."""
    _require_staff(user)
    sheet = StipendSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.state != SheetState.DRAFT:
        raise ValidationError(MSG_SHEET_NOT_DRAFT.format(action=_("discarded"), state=sheet.get_state_display()))
    sheet.delete()


# ---------------------------------------------------------------- what-if (R-STP-2 preview)

@dataclass
class PreviewRow:
    current: ComputedLine | None
    draft: ComputedLine | None

    @property
    def line(self) -> ComputedLine:
        return self.draft or self.current

    @property
    def difference(self) -> Decimal:
        return (self.draft.amount if self.draft else Decimal(0)) - (self.current.amount if self.current else Decimal(0))


@dataclass
class SheetPreview:
    unit: OrgUnit
    year: int
    current: ComputedSheet
    draft: ComputedSheet
    rows: list[PreviewRow]

    @property
    def difference(self) -> Decimal:
        return self.draft.total - self.current.total

    @property
    def changed_rows(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.difference]


def sheet_preview(*, unit: OrgUnit, year: int, values: dict, user=None) -> SheetPreview:
    """R-STP-2, R-POL-1: the sheet under the policy in force and under a draft of ``unit``'s own policy,
    side by side, line by line. ``values`` are the draft's fields (None = inherit); nothing is saved."""
    _require_staff(user)
    _check_jurisdiction(unit)
    policy_validate(unit=unit, year=year, values=values)
    current = sheet_compute(unit=unit, year=year)
    draft = sheet_compute(unit=unit, year=year, draft_values=values)
    by_key = {line.key: line for line in current.lines}
    rows = [PreviewRow(current=by_key.pop(line.key, None), draft=line) for line in draft.lines]
    rows += [PreviewRow(current=line, draft=None) for line in by_key.values()]
    return SheetPreview(unit=unit, year=year, current=current, draft=draft, rows=rows)


# ---------------------------------------------------------------- the annual review's step (R-JOB-1)

def sheets_refresh_for_cycle(*, cycle, scope_path: str, stamp) -> dict:
    """R-JOB-1: after the review has classified, build the cycle's jurisdiction's draft sheet (provisional
    until the tiers are published) and rebuild every other draft of that year in scope. Approved sheets
    are left as they are. Idempotent: a rerun recomputes the same lines."""
    built, untouched = [], 0
    if cycle.unit.level not in BRANCH_LEVELS:
        own = StipendSheet.objects.filter(unit_id=cycle.unit_id, year=cycle.year)
        if own.exclude(state=SheetState.DRAFT).exists() and not own.filter(state=SheetState.DRAFT).exists():
            untouched += 1
        else:
            built.append(sheet_build(unit=cycle.unit, year=cycle.year).pk)
    others = (StipendSheet.objects.filter(year=cycle.year, state=SheetState.DRAFT, unit__path__startswith=scope_path)
              .exclude(pk__in=built).select_related("unit"))
    for sheet in others:
        built.append(sheet_build(unit=sheet.unit, year=sheet.year).pk)
    return {"sheets_built": len(built), "approved_left": untouched}
