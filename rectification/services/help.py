"""R-RCT-2: help for a branch under rectification, by tier (001 item 9), and R-CLS-5's linked people.

A work-team leader or a first secretary is also an ``Appointment`` as first secretary
(``AppointmentRole.FIRST_SECRETARY``) at the branch, created first and linked, so the person's
record (their appointments) shows it and R-CLS-5 sanctions reach them through the appointment;
the other links (liaison, committee member's 包保, work-team member) reach R-CLS-5 through the
``rectification.help`` linked-people provider (``help_linked_people``).
"""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessment.choices import HonourKind, Tier
from assessment.models import Honour
from cadres.choices import AppointmentRole, EndReason
from cadres.services.appointments import appointment_create, appointment_end
from core.choices import BRANCH_LEVELS
from rectification.choices import CaseEventKind, HelpKind
from rectification.models import CaseEvent, HelpAssignment

ERR_KIND = _("Choose the kind of help.")
ERR_PERSON = _("Choose the person who helps.")
ERR_PARTNER = _("Choose the red-flag branch that pairs with this one.")
ERR_PARTNER_RED_FLAG = _("{unit} holds no red-flag honour in force: only a red-flag branch pairs (帮带).")
ERR_PARTNER_SELF = _("A branch cannot pair with itself.")
ERR_START = _("Give the start date.")
ERR_END = _("The end date cannot be before the start date ({start}).")
ERR_ENDED = _("This help has ended already.")

# Kinds whose person serves as first secretary of the branch (an appointment).
APPOINTED_KINDS = (HelpKind.WORK_TEAM_LEADER, HelpKind.FIRST_SECRETARY)
PERSON_KINDS = (HelpKind.WORK_TEAM_LEADER, HelpKind.WORK_TEAM_MEMBER, HelpKind.FIRST_SECRETARY, HelpKind.LIAISON,
                HelpKind.COMMITTEE_MEMBER)

# R-RCT-2 (001 item 9): 较差 → a work team from county-level organs whose leader is first secretary;
# 一般 → a first secretary from county-level organs; 较好 → a township leader as liaison.
SUGGESTED = {
    Tier.POOR: [HelpKind.WORK_TEAM_LEADER, HelpKind.WORK_TEAM_MEMBER],
    Tier.AVERAGE: [HelpKind.FIRST_SECRETARY],
    Tier.FAIRLY_GOOD: [HelpKind.LIAISON],
}


def help_suggested_kinds(tier: str | None) -> list[str]:
    """R-RCT-2: the help a branch of ``tier`` gets (none suggested for 好 or no tier)."""
    return [k.value for k in SUGGESTED.get(tier, [])]


def _red_flag_in_force(unit, on: dt.date) -> bool:
    """A red-flag honour of the unit, of this year or the last, not withdrawn."""
    return Honour.objects.filter(kind=HonourKind.RED_FLAG, unit=unit, withdrawn_at__isnull=True,
                                 year__gte=on.year - 1).exists()


def help_assign(*, case, kind: str, person=None, partner_unit=None, from_unit=None, start_date: dt.date | None,
                by, note: str = "") -> HelpAssignment:
    """R-RCT-2: assign help to a case; a work-team leader or first secretary is appointed first secretary first."""
    errors = {}
    if kind not in HelpKind.values:
        errors["kind"] = [ERR_KIND]
    if start_date is None:
        errors["start_date"] = [ERR_START]
    if kind in PERSON_KINDS and person is None:
        errors["person"] = [ERR_PERSON]
    if kind == HelpKind.RED_FLAG_PAIRING:
        if partner_unit is None or partner_unit.level not in BRANCH_LEVELS:
            errors["partner_unit"] = [ERR_PARTNER]
        elif partner_unit.pk == case.unit_id:
            errors["partner_unit"] = [ERR_PARTNER_SELF]
        elif start_date and not _red_flag_in_force(partner_unit, start_date):
            errors["partner_unit"] = [ERR_PARTNER_RED_FLAG.format(unit=partner_unit.name)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        appointment = None
        if kind in APPOINTED_KINDS:
            appointment = appointment_create(data={"person": person, "unit": case.unit,
                                                   "role": AppointmentRole.FIRST_SECRETARY, "start_date": start_date,
                                                   "notes": str(HelpKind(kind).label)})
        assignment = HelpAssignment.objects.create(
            case=case, kind=kind, person=person if kind != HelpKind.RED_FLAG_PAIRING else None,
            partner_unit=partner_unit if kind == HelpKind.RED_FLAG_PAIRING else None, from_unit=from_unit,
            appointment=appointment, start_date=start_date, note=(note or "").strip(), created_by=by)
        CaseEvent.objects.create(case=case, kind=CaseEventKind.HELP_ASSIGNED, by=by,
                                 data={"rule": "R-RCT-2", "help_id": assignment.pk, "kind": kind,
                                       "person_id": getattr(person, "pk", None),
                                       "partner_unit_id": getattr(partner_unit, "pk", None)})
    return assignment


def help_end(*, assignment: HelpAssignment, end_date: dt.date | None, by) -> HelpAssignment:
    """R-RCT-2: the help ends; a first secretary's appointment ends the same day (term change)."""
    with transaction.atomic():
        assignment = HelpAssignment.objects.select_for_update(of=("self",)).select_related("appointment").get(
            pk=assignment.pk)
        if assignment.end_date is not None:
            raise ValidationError({"end_date": [ERR_ENDED]})
        if end_date is None:
            raise ValidationError({"end_date": [_("Give the end date.")]})
        if end_date < assignment.start_date:
            raise ValidationError({"end_date": [ERR_END.format(start=assignment.start_date.isoformat())]})
        assignment.end_date = end_date
        assignment.save(update_fields=["end_date"])
        if assignment.appointment is not None and assignment.appointment.end_date is None:
            appointment_end(appointment=assignment.appointment, end_date=end_date, end_reason=EndReason.TERM_CHANGE)
        CaseEvent.objects.create(case_id=assignment.case_id, kind=CaseEventKind.HELP_ENDED, by=by,
                                 data={"rule": "R-RCT-2", "help_id": assignment.pk, "end_date": end_date.isoformat()})
    return assignment


def help_linked_people(*, scope_path: str, year: int, unit_ids: set[int]):
    """R-CLS-5: (unit id, person id, role label, start, end) of the people-links in force during ``year``
    at the branches ``unit_ids`` — one query. A first secretary's appointment is counted by the
    review itself; yielding it too is harmless (the review keeps one sanction per person and branch)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = (HelpAssignment.objects.filter(case__unit_id__in=unit_ids, case__unit__path__startswith=scope_path,
                                          person__isnull=False, start_date__lte=last)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
            .values_list("case__unit_id", "person_id", "kind", "start_date", "end_date"))
    for unit_id, person_id, kind, start, end in rows:
        yield unit_id, person_id, kind, start, end
