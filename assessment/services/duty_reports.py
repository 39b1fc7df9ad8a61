"""R-ASM-2: the secretary's yearly duty report — drafts, submission, return with a reason, acceptance."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.choices import DutyReportState
from assessment.models import DutyReport, DutyReportEvent
from cadres.choices import AppointmentRole
from cadres.models import Appointment
from core.choices import Role

ERR_NOT_A_SECRETARY = _("Only a serving branch secretary writes a duty report.")
ERR_NOT_AUTHOR = _("Only the secretary who writes this report can change it.")
ERR_NOT_REVIEWER = _("Only a supervisor or staff above the branch accepts or returns a report.")
ERR_STATE = _("A report that is {state} cannot be {action}.")
ERR_RETURN_REASON = _("Give the reason for returning the report.")
ERR_WORK_DONE_REQUIRED = _("Describe the work done before submitting.")

TEXT_FIELDS = ("commitments", "work_done", "problems", "plans")
EDITABLE_STATES = (DutyReportState.DRAFT, DutyReportState.RETURNED)


def _snapshot(report: DutyReport) -> dict:
    return {name: getattr(report, name) for name in TEXT_FIELDS}


def _event(*, report: DutyReport, from_state: str, by, reason: str = "") -> DutyReportEvent:
    return DutyReportEvent.objects.create(report=report, from_state=from_state, to_state=report.state,
                                          reason=reason, snapshot=_snapshot(report), by=by)


def _locked(report: DutyReport) -> DutyReport:
    return DutyReport.objects.select_for_update(of=("self",)).select_related("person", "unit").get(pk=report.pk)


def _refuse(report: DutyReport, action) -> None:
    raise ValidationError({"state": [ERR_STATE.format(state=report.get_state_display(), action=action)]})


def duty_report_start(*, user, year: int) -> DutyReport:
    """R-ASM-2: the secretary's report of the year, created as a draft the first time."""
    person = getattr(user, "person", None)
    post = (Appointment.objects.filter(person=person, role=AppointmentRole.SECRETARY, end_date__isnull=True)
            .select_related("unit").first() if person is not None else None)
    if post is None:
        raise ValidationError({"person": [ERR_NOT_A_SECRETARY]})
    with transaction.atomic():
        report, created = DutyReport.objects.get_or_create(unit=post.unit, person=person, year=year)
        if created:
            _event(report=report, from_state="", by=user)
    return report


def duty_report_save(*, report: DutyReport, data: dict, by) -> DutyReport:
    """R-ASM-2: save the text as it stands; a returned report stays returned until resubmitted."""
    with transaction.atomic():
        report = _locked(report)
        if report.person.user_id != by.pk:
            raise ValidationError({"person": [ERR_NOT_AUTHOR]})
        if report.state not in EDITABLE_STATES:
            _refuse(report, _("edited"))
        for name in TEXT_FIELDS:
            if name in data:
                setattr(report, name, data[name] or "")
        report.save()
    return report


def duty_report_submit(*, report: DutyReport, by, data: dict | None = None) -> DutyReport:
    """R-ASM-2: draft or returned → submitted, saving the text given with it."""
    with transaction.atomic():
        if data:
            duty_report_save(report=report, data=data, by=by)
        report = _locked(report)
        if report.person.user_id != by.pk:
            raise ValidationError({"person": [ERR_NOT_AUTHOR]})
        if report.state not in EDITABLE_STATES:
            _refuse(report, _("submitted"))
        if not report.work_done.strip():
            raise ValidationError({"work_done": [ERR_WORK_DONE_REQUIRED]})
        old = report.state
        report.state, report.submitted_at = DutyReportState.SUBMITTED, timezone.now()
        report.save()
        _event(report=report, from_state=old, by=by)
    return report


def _check_reviewer(report: DutyReport, by) -> None:
    if not (by.is_superuser or by.role in (Role.SUPERVISOR, Role.STAFF)) or report.person.user_id == by.pk:
        raise ValidationError({"state": [ERR_NOT_REVIEWER]})


def duty_report_accept(*, report: DutyReport, by) -> DutyReport:
    """R-ASM-2: submitted → accepted by the supervisor."""
    with transaction.atomic():
        report = _locked(report)
        _check_reviewer(report, by)
        if report.state != DutyReportState.SUBMITTED:
            _refuse(report, _("accepted"))
        report.state, report.decided_at = DutyReportState.ACCEPTED, timezone.now()
        report.save()
        _event(report=report, from_state=DutyReportState.SUBMITTED, by=by)
    return report


def duty_report_return(*, report: DutyReport, reason: str, by) -> DutyReport:
    """R-ASM-2: submitted → returned with a reason; the text is kept for the secretary to rework."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [ERR_RETURN_REASON]})
    with transaction.atomic():
        report = _locked(report)
        _check_reviewer(report, by)
        if report.state != DutyReportState.SUBMITTED:
            _refuse(report, _("returned"))
        report.state, report.return_reason, report.decided_at = DutyReportState.RETURNED, reason, timezone.now()
        report.save()
        _event(report=report, from_state=DutyReportState.SUBMITTED, by=by, reason=reason)
    return report
