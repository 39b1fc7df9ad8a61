"""R-RCT-4: deadline correction (限期整改) of a secretary, and the adjustment it may propose.

An order is given to the holder of a secretary's appointment, with what must be corrected and a
deadline. It is met (with a note) or, once the deadline has passed unmet, the daily sweep proposes
adjustment of the secretary (cause ``deadline_passed``); the annual review does so too when the
branch is 较差 again the next year (``poor_again``, ``services/review.py``). Staff accept — the
appointment ends with end reason ``adjustment`` through cadres' appointment service — or decline,
each with a reason.
"""
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from cadres.choices import AppointmentRole, EndReason
from cadres.models import Appointment
from cadres.services.appointments import appointment_end
from core.choices import Role
from core.formatting import date_text
from core.models import Notice, OrgUnit, User
from core.services.notices import notices_send_bulk
from core.services.policies import PolicyResolver
from rectification.choices import AdjustmentCause, CaseEventKind, CorrectionState
from rectification.models import CaseEvent, CorrectionOrder

ERR_REQUIREMENT = _("Say what must be corrected.")
ERR_DEADLINE = _("Give the deadline of the correction.")
ERR_DEADLINE_PAST = _("The deadline cannot be before the day the order is given.")
ERR_NOT_SECRETARY = _("A correction is ordered to a branch's secretary: choose a current secretary's appointment.")
ERR_CASE_UNIT = _("The case is of another branch than the secretary's.")
ERR_NOTE = _("Say how it was corrected.")
ERR_REASON = _("Give a reason for the decision.")
ERR_STATE = _("This order is {state}: it cannot be changed this way.")
ERR_END_DATE = _("Give the date the secretary's appointment ends.")

NOTICE_DUE = "rectification.correction_due"
NOTICE_PROPOSED = "rectification.adjustment_proposed"


def _event(order, kind, *, by=None, note="", **data):
    if order.case_id:
        CaseEvent.objects.create(case_id=order.case_id, kind=kind, by=by, note=note,
                                 data={"rule": "R-RCT-4", "order_id": order.pk, **data})


def correction_order(*, appointment: Appointment, requirement: str, deadline: dt.date | None, by, case=None,
                     year: int | None = None) -> CorrectionOrder:
    """R-RCT-4: tell the current secretary of a branch to correct ``requirement`` by ``deadline``.

    ``year`` is the assessment year the order answers for: the case's, else the year before the order.
    """
    requirement = (requirement or "").strip()
    errors = {}
    if not requirement:
        errors["requirement"] = [ERR_REQUIREMENT]
    today = timezone.localdate()
    if deadline is None:
        errors["deadline"] = [ERR_DEADLINE]
    elif deadline < today:
        errors["deadline"] = [ERR_DEADLINE_PAST]
    if appointment.role != AppointmentRole.SECRETARY or (appointment.end_date and appointment.end_date <= today):
        errors["appointment"] = [ERR_NOT_SECRETARY]
    if case is not None and case.unit_id != appointment.unit_id:
        errors["case"] = [ERR_CASE_UNIT]
    if errors:
        raise ValidationError(errors)
    year = case.year if case is not None else (year or today.year - 1)
    with transaction.atomic():
        order = CorrectionOrder.objects.create(case=case, appointment=appointment, unit_id=appointment.unit_id,
                                               person_id=appointment.person_id, year=year, requirement=requirement,
                                               deadline=deadline, created_by=by)
        _event(order, CaseEventKind.CORRECTION_ORDERED, by=by, deadline=deadline.isoformat())
    return order


def _locked(order: CorrectionOrder, *states) -> CorrectionOrder:
    row = CorrectionOrder.objects.select_for_update(of=("self",)).select_related("appointment").get(pk=order.pk)
    if row.state not in states:
        raise ValidationError({"state": [ERR_STATE.format(state=row.get_state_display())]})
    return row


def correction_mark_met(*, order: CorrectionOrder, note: str, by) -> CorrectionOrder:
    """R-RCT-4: the secretary corrected in time (an order already proposing adjustment is decided instead)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [ERR_NOTE]})
    with transaction.atomic():
        order = _locked(order, CorrectionState.OPEN)
        order.state, order.met_note, order.met_at = CorrectionState.MET, note, timezone.now()
        order.save(update_fields=["state", "met_note", "met_at"])
    return order


def corrections_propose_due(*, as_of: dt.date) -> int:
    """R-RCT-4: every open order whose deadline is before ``as_of`` proposes adjustment (deadline_passed).

    Set-based: one read, one bulk update (with its history), one insert of case events; an order
    proposed once is not proposed again.
    """
    orders = list(CorrectionOrder.objects.filter(state=CorrectionState.OPEN, deadline__lt=as_of))
    if not orders:
        return 0
    stamp = timezone.now()
    for o in orders:
        o.state, o.cause, o.proposed_at = CorrectionState.ADJUSTMENT_PROPOSED, AdjustmentCause.DEADLINE_PASSED, stamp
    with transaction.atomic():
        bulk_update_with_history(orders, CorrectionOrder, ["state", "cause", "proposed_at"], batch_size=500)
        CaseEvent.objects.bulk_create([
            CaseEvent(case_id=o.case_id, kind=CaseEventKind.ADJUSTMENT_PROPOSED,
                      data={"rule": "R-RCT-4", "order_id": o.pk, "cause": AdjustmentCause.DEADLINE_PASSED.value,
                            "deadline": o.deadline.isoformat()})
            for o in orders if o.case_id])
    return len(orders)


def correction_accept(*, order: CorrectionOrder, reason: str, by, end_date: dt.date | None) -> CorrectionOrder:
    """R-RCT-4, R-SEL-2: staff accept the proposed adjustment: the secretary's appointment ends (adjustment)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [ERR_REASON]})
    if end_date is None:
        raise ValidationError({"end_date": [ERR_END_DATE]})
    with transaction.atomic():
        order = _locked(order, CorrectionState.ADJUSTMENT_PROPOSED)
        if order.appointment.end_date is None:
            appointment_end(appointment=order.appointment, end_date=end_date, end_reason=EndReason.ADJUSTMENT)
        order.state, order.decision_reason = CorrectionState.ADJUSTED, reason
        order.decided_by, order.decided_at = by, timezone.now()
        order.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
        _event(order, CaseEventKind.ADJUSTMENT_ACCEPTED, by=by, note=reason, end_date=end_date.isoformat())
    return order


def correction_decline(*, order: CorrectionOrder, reason: str, by) -> CorrectionOrder:
    """R-RCT-4: staff decline the proposed adjustment with a reason; the secretary stays."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [ERR_REASON]})
    with transaction.atomic():
        order = _locked(order, CorrectionState.ADJUSTMENT_PROPOSED)
        order.state, order.decision_reason = CorrectionState.DECLINED, reason
        order.decided_by, order.decided_at = by, timezone.now()
        order.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
        _event(order, CaseEventKind.ADJUSTMENT_DECLINED, by=by, note=reason)
    return order


def corrections_sweep(*, as_of: dt.date) -> int:
    """R-RCT-4, R-JOB-2: the daily part — propose adjustment where deadlines passed, then send notices once.

    * ``rectification.correction_due``: to the secretary (the person's login), from the policy's
      ``task_reminder_days`` before the deadline until it passes.
    * ``rectification.adjustment_proposed``: to the staff and supervisors of the units above the
      branch up to its city-managed committee (township and county), for each proposed order.

    Keyed per (kind, order, deadline): a notice is never sent twice, and a new deadline is a new notice.
    A fixed number of queries: the proposals, the orders, the policies, the recipients, the notices.
    """
    corrections_propose_due(as_of=as_of)
    notices = []
    resolver = PolicyResolver(year=as_of.year)
    due = list(CorrectionOrder.objects.filter(state=CorrectionState.OPEN, deadline__gte=as_of,
                                              person__user__isnull=False)
               .select_related("unit", "person"))
    proposed = list(CorrectionOrder.objects.filter(state=CorrectionState.ADJUSTMENT_PROPOSED)
                    .select_related("unit", "person"))
    step = OrgUnit.steplen
    paths = {o.unit.path[:i] for o in proposed for i in range(2 * step, len(o.unit.path), step)}
    staff: dict[str, list[int]] = {}
    for uid, path in User.objects.filter(unit__path__in=paths, role__in=(Role.STAFF, Role.SUPERVISOR),
                                         is_active=True).values_list("id", "unit__path"):
        staff.setdefault(path, []).append(uid)
    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("rectification:corrections")
        for o in due:
            days = resolver.for_unit(unit_id=o.unit_id, path=o.unit.path).task_reminder_days
            if o.deadline > as_of + dt.timedelta(days=days):
                continue
            values = {"person": o.person.name, "unit": o.unit.name, "deadline": date_text(o.deadline)}
            notices.append(Notice(
                recipient_id=o.person.user_id, kind=NOTICE_DUE, key=f"{NOTICE_DUE}:{o.pk}:{o.deadline.isoformat()}",
                title=(_g("Correction due by %(deadline)s: %(unit)s") % values)[:200],
                body=_g("R-RCT-4: %(person)s, the correction ordered at %(unit)s is due by %(deadline)s.") % values,
                url=url))
        for o in proposed:
            values = {"person": o.person.name, "unit": o.unit.name, "cause": o.get_cause_display()}
            key = f"{NOTICE_PROPOSED}:{o.pk}:{o.deadline.isoformat()}"
            recipients = {uid for i in range(2 * step, len(o.unit.path), step)
                          for uid in staff.get(o.unit.path[:i], [])}
            for uid in sorted(recipients):
                notices.append(Notice(
                    recipient_id=uid, kind=NOTICE_PROPOSED, key=key,
                    title=(_g("Adjustment proposed: %(person)s (%(unit)s)") % values)[:200],
                    body=_g("R-RCT-4: adjustment of %(person)s, secretary of %(unit)s, is proposed: %(cause)s. "
                            "Accept or decline it with a reason.") % values,
                    url=f"{url}?state=adjustment_proposed"))
    return notices_send_bulk(notices=notices)
