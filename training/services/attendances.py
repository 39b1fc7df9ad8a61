"""R-TRN-5: attendances recorded one by one."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from core.formatting import date_text

from training.models import Attendance

ERR_ATT_COMPLETED_ON = _("Give the date the course was completed.")
ERR_ATT_NOT_COMPLETED_DATE = _("A completion date is given only for a completed attendance.")
ERR_ATT_BEFORE_COURSE = _("The completion date {date} is before the course starts ({start}).")
ERR_ATT_NEGATIVE = _("Must not be negative.")
ERR_ATT_DUPLICATE = _("{person} is already recorded for {course}.")

ATTENDANCE_FIELDS = ("person", "course", "hours", "days", "completed", "completed_on", "certificate_number", "notes")


def attendance_validate(attendance: Attendance, *, check_duplicate: bool = True) -> None:
    """The checks of one attendance, shared by the form, the API and the Excel import.

    The import checks duplicates for all its rows in one query and passes ``check_duplicate=False``.
    """
    a = attendance
    errors: dict[str, list[str]] = {}
    if a.completed and not a.completed_on:
        errors.setdefault("completed_on", []).append(str(ERR_ATT_COMPLETED_ON))
    if not a.completed and a.completed_on:
        errors.setdefault("completed_on", []).append(str(ERR_ATT_NOT_COMPLETED_DATE))
    if a.completed_on and a.course_id and a.completed_on < a.course.start_date:
        errors.setdefault("completed_on", []).append(
            str(ERR_ATT_BEFORE_COURSE).format(date=date_text(a.completed_on), start=date_text(a.course.start_date))
        )
    for name in ("hours", "days"):
        value = getattr(a, name)
        if value is not None and value < 0:
            errors.setdefault(name, []).append(str(ERR_ATT_NEGATIVE))
    if check_duplicate and a.person_id and a.course_id and Attendance.objects.filter(
        person_id=a.person_id, course_id=a.course_id
    ).exclude(pk=a.pk).exists():
        errors.setdefault("person", []).append(
            str(ERR_ATT_DUPLICATE).format(person=a.person.name, course=a.course.name)
        )
    try:
        a.full_clean(exclude=[*errors, "person", "course"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for k, msgs in exc.message_dict.items():
            errors.setdefault(k, []).extend(msgs)
    if errors:
        raise ValidationError(errors)


def _save(attendance: Attendance) -> Attendance:
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:
        # Two writers raced past the duplicate check; the constraint decided.
        raise ValidationError({"person": [str(ERR_ATT_DUPLICATE).format(
            person=attendance.person.name, course=attendance.course.name)]}) from None
    return attendance


def attendance_record(*, data: dict) -> Attendance:
    """R-TRN-5: record one attendance (person and course already authorised by the caller)."""
    attendance = Attendance(**{k: v for k, v in data.items() if k in ATTENDANCE_FIELDS})
    attendance_validate(attendance)
    return _save(attendance)


def attendance_update(*, attendance: Attendance, data: dict) -> Attendance:
    """R-TRN-5: correct an attendance."""
    for k, v in data.items():
        if k in ATTENDANCE_FIELDS:
            setattr(attendance, k, v)
    attendance_validate(attendance)
    return _save(attendance)
