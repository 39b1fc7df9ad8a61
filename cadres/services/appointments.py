"""R-SEL-2, R-RES-1: appointments, the one-current-secretary rule, closing reserve entries."""
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from cadres.choices import ELECTED_METHODS, AppointmentRole, ReserveStatus
from cadres.models import Appointment, ReserveCandidate
from core.formatting import date_text

ERR_SECOND_SECRETARY = _("{unit} already has a current secretary ({person}, since {start}); end that appointment first.")
ERR_END_BEFORE_START = _("The end date must not be before the start date.")
ERR_PLANNED_END = _("The planned term end must be after the start date.")
ERR_END_REASON = _("Give the reason the appointment ended.")
ERR_VOTES_FOR = _("Votes for cannot exceed votes cast.")
ERR_VOTES_CAST = _("Votes cast cannot exceed eligible voters.")
ERR_VOTES_NOT_ELECTION = _("Vote counts are kept only for elections.")
ERR_ALREADY_ENDED = _("This appointment has ended already.")
ERR_NOMINATION_BLOCKED = _(
    "{block} To record the appointment all the same, give the reason for the exception in “{field}”."
)
OVERRIDE_NOTE = "【R-MEM-1 例外】{reason}"

APPOINTMENT_FIELDS = (
    "person", "unit", "role", "start_date", "planned_end_date", "end_date", "end_reason", "selection_method",
    "source_channel", "eligible_voters", "votes_cast", "votes_for", "is_full_time", "is_dual_leader",
    "concurrent_posts", "notes",
)


def _current_secretary_conflict(appointment: Appointment) -> Appointment | None:
    if appointment.role != AppointmentRole.SECRETARY or appointment.end_date is not None or not appointment.unit_id:
        return None
    return (
        Appointment.objects.filter(unit_id=appointment.unit_id, role=AppointmentRole.SECRETARY, end_date__isnull=True)
        .exclude(pk=appointment.pk)
        .select_related("person", "unit")
        .first()
    )


def _second_secretary_error(existing: Appointment) -> ValidationError:
    return ValidationError({"unit": [ERR_SECOND_SECRETARY.format(
        unit=existing.unit.name, person=existing.person.name, start=date_text(existing.start_date))]})


def appointment_validate(appointment: Appointment) -> None:
    errors: dict[str, list] = {}
    a = appointment
    if a.end_date and a.start_date and a.end_date < a.start_date:
        errors.setdefault("end_date", []).append(str(ERR_END_BEFORE_START))
    if a.end_date and not a.end_reason:
        errors.setdefault("end_reason", []).append(str(ERR_END_REASON))
    if a.planned_end_date and a.start_date and a.planned_end_date <= a.start_date:
        errors.setdefault("planned_end_date", []).append(str(ERR_PLANNED_END))
    if a.votes_for is not None and a.votes_cast is not None and a.votes_for > a.votes_cast:
        errors.setdefault("votes_for", []).append(str(ERR_VOTES_FOR))
    if a.votes_cast is not None and a.eligible_voters is not None and a.votes_cast > a.eligible_voters:
        errors.setdefault("votes_cast", []).append(str(ERR_VOTES_CAST))
    has_votes = any(v is not None for v in (a.eligible_voters, a.votes_cast, a.votes_for))
    if has_votes and a.selection_method and a.selection_method not in ELECTED_METHODS:
        errors.setdefault("selection_method", []).append(str(ERR_VOTES_NOT_ELECTION))
    try:
        a.full_clean(exclude=list(errors), validate_constraints=False)
    except ValidationError as exc:
        for field, msgs in exc.message_dict.items():
            errors.setdefault(field, []).extend(msgs)
    existing = _current_secretary_conflict(a)
    if existing is not None:
        errors.setdefault("unit", []).extend(_second_secretary_error(existing).message_dict["unit"])
    if errors:
        raise ValidationError(errors)


def _save(appointment: Appointment) -> None:
    """Save; a concurrent second current secretary hits the database constraint and gets the same message."""
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError:
        existing = _current_secretary_conflict(appointment)
        if existing is None:
            raise
        raise _second_secretary_error(existing) from None


def _close_reserve_entries(appointment: Appointment) -> int:
    """R-RES-1: appointing a reserve candidate as secretary closes their open entries for
    that unit or for a pool kept by one of its ancestors."""
    if appointment.role != AppointmentRole.SECRETARY:
        return 0
    return ReserveCandidate.objects.filter(
        person_id=appointment.person_id,
        status=ReserveStatus.CULTIVATING,
        unit__path__in=appointment.unit.ancestor_paths(),
    ).update(status=ReserveStatus.APPOINTED, closed_on=appointment.start_date)


def appointment_secretary_blocks(*, appointment: Appointment) -> list:
    """R-MEM-1: the nomination blocks that refuse making the person secretary of the appointment's unit."""
    from cadres.nominations import person_nomination_blocks

    if appointment.role != AppointmentRole.SECRETARY or not appointment.person_id or not appointment.unit_id:
        return []
    as_of = appointment.start_date or dt.date.today()
    return [b for b in person_nomination_blocks(person=appointment.person, as_of=as_of)
            if b.refuses_secretary_at == appointment.unit_id]


def appointment_create(*, data: dict, override_reason: str = "") -> Appointment:
    """R-SEL-2, R-MEM-1: a new post; a secretary of a branch flagged under R-MEM-1 is not nominated there
    again unless staff record the reason for the exception (kept in the notes and the history)."""
    appointment = Appointment(**{k: v for k, v in data.items() if k in APPOINTMENT_FIELDS})
    appointment_validate(appointment)
    override_reason = (override_reason or "").strip()
    blocks = appointment_secretary_blocks(appointment=appointment)
    if blocks and not override_reason:
        from django.utils.translation import gettext

        raise ValidationError({"override_reason": [
            ERR_NOMINATION_BLOCKED.format(block=b.message, field=gettext("Reason for the exception"))
            for b in blocks]})
    if blocks:
        note = OVERRIDE_NOTE.format(reason=override_reason)
        appointment.notes = f"{appointment.notes}\n{note}".strip() if appointment.notes else note
        appointment._change_reason = f"R-MEM-1 override: {override_reason}"[:100]
    with transaction.atomic():
        _save(appointment)
        _close_reserve_entries(appointment)
    return appointment


def appointment_update(*, appointment: Appointment, data: dict) -> Appointment:
    for key, value in data.items():
        if key in APPOINTMENT_FIELDS:
            setattr(appointment, key, value)
    appointment_validate(appointment)
    _save(appointment)
    return appointment


def appointment_end(*, appointment: Appointment, end_date: dt.date, end_reason: str) -> Appointment:
    if appointment.end_date is not None:
        raise ValidationError({"end_date": [str(ERR_ALREADY_ENDED)]})
    return appointment_update(appointment=appointment, data={"end_date": end_date, "end_reason": end_reason})
