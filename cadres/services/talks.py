"""R-TLK-1: recording talks (谈心谈话) with secretaries — at appointment, reappointment, departure,
each annual assessment, and at least every policy interval (000 item 14, 004 第九条)."""
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.choices import AppointmentRole, TalkKind
from cadres.models import Appointment, Person, Talk
from core.models import OrgUnit

ERR_TALK_FUTURE = _("A talk is recorded once it has taken place: the date {date} lies in the future.")
ERR_TALK_PERSON = _("No such person in your jurisdiction.")
ERR_TALK_UNIT = _("No such branch in your jurisdiction.")
ERR_TALK_KIND = _("Choose one of the kinds of talk.")
ERR_TALK_TALKER = _("Name who talked with the secretary.")
ERR_TALK_DATE = _("Enter the date of the talk.")
ERR_TALK_APPOINTMENT = _("The appointment must be one of {person}'s own.")
ERR_TALK_BEFORE_APPOINTMENT = _("A talk for an appointment cannot be dated before the appointment started ({date}).")

TALK_FIELDS = ("person", "unit", "date", "kind", "talker_name", "talker_position", "talker_user", "notes",
               "appointment")


@dataclass(frozen=True)
class Talker:
    """Who talked: a name and position as written on the record, and their login if they have one."""

    name: str
    position: str = ""
    user: object = None


def _talker(value) -> Talker:
    if isinstance(value, Talker):
        return value
    if isinstance(value, dict):
        return Talker(name=value.get("name") or "", position=value.get("position") or "", user=value.get("user"))
    return Talker(name=str(value or ""))


def talk_default_unit(*, person: Person) -> OrgUnit:
    """The branch a talk concerns when none is given: the person's current secretary post, else their unit."""
    post = (Appointment.objects.filter(person=person, role=AppointmentRole.SECRETARY, end_date__isnull=True)
            .select_related("unit").order_by("-start_date").first())
    return post.unit if post is not None else person.unit


def _validate(*, talk: Talk, by) -> None:
    errors: dict[str, list] = {}
    if talk.person_id is None or not Person.objects.visible_to(by).filter(pk=talk.person_id).exists():
        errors["person"] = [ERR_TALK_PERSON]
    if talk.unit_id is not None and not OrgUnit.objects.visible_to(by).filter(pk=talk.unit_id).exists():
        errors["unit"] = [ERR_TALK_UNIT]
    if talk.kind not in TalkKind.values:
        errors["kind"] = [ERR_TALK_KIND]
    if not (talk.talker_name or "").strip():
        errors["talker_name"] = [ERR_TALK_TALKER]
    if not isinstance(talk.date, dt.date):
        errors["date"] = [ERR_TALK_DATE]
    elif talk.date > timezone.localdate():
        errors["date"] = [ERR_TALK_FUTURE.format(date=talk.date.isoformat())]
    if talk.appointment_id is not None and "person" not in errors:
        appointment = talk.appointment
        if appointment.person_id != talk.person_id:
            errors["appointment"] = [ERR_TALK_APPOINTMENT.format(person=talk.person.name)]
        elif isinstance(talk.date, dt.date) and talk.date < appointment.start_date:
            errors.setdefault("date", []).append(
                ERR_TALK_BEFORE_APPOINTMENT.format(date=appointment.start_date.isoformat()))
    if errors:
        raise ValidationError(errors)
    talk.full_clean(exclude=["person", "unit", "appointment", "talker_user", "created_by"])


def talk_record(*, person: Person, kind: str, date: dt.date, talker, notes: str = "", by,
                appointment: Appointment | None = None, unit: OrgUnit | None = None) -> Talk:
    """R-TLK-1: record a talk that took place; the person (and branch) must be in ``by``'s jurisdiction."""
    talker = _talker(talker)
    if unit is None and person is not None and Person.objects.visible_to(by).filter(pk=person.pk).exists():
        unit = appointment.unit if appointment is not None and appointment.person_id == person.pk \
            else talk_default_unit(person=person)
    talk = Talk(person=person, unit=unit, kind=kind, date=date, talker_name=(talker.name or "").strip(),
                talker_position=(talker.position or "").strip(), talker_user=talker.user, notes=notes or "",
                appointment=appointment, created_by=by)
    _validate(talk=talk, by=by)
    with transaction.atomic():
        talk.save()
    return talk


def talk_update(*, talk: Talk, data: dict, by) -> Talk:
    """R-TLK-1: correct a recorded talk; the same rules as recording it."""
    for key, value in data.items():
        if key in TALK_FIELDS:
            setattr(talk, key, value)
    if talk.unit_id is None:
        talk.unit = talk_default_unit(person=talk.person)
    _validate(talk=talk, by=by)
    with transaction.atomic():
        talk.save()
    return talk
