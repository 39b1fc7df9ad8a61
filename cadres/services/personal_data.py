"""R-SEC-1: ID numbers and phones are shown masked; staff of the record's subtree may reveal them on request,
and every reveal or unmasked export is written to the access log (core.AccessLog)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from cadres.models import Person
from core.models import AccessLog
from core.services.access_log import PURPOSE_MAX, access_log_write

REVEALABLE = ("id_number", "phone")
ERR_REVEAL_UNKNOWN = _("Only these fields can be revealed: {fields}.")
ERR_REVEAL_FORBIDDEN = _("Only staff of the record's jurisdiction can reveal ID numbers and phones.")
ERR_PURPOSE_TOO_LONG = _("Keep the purpose under {n} characters.")


def reveal_fields_parse(value) -> set[str]:
    """``"id_number,phone"`` → the fields asked for; anything else is a 400 naming ``reveal``."""
    fields = {part.strip() for part in str(value or "").split(",") if part.strip()}
    if not fields or not fields <= set(REVEALABLE):
        raise ValidationError({"reveal": [ERR_REVEAL_UNKNOWN.format(fields=", ".join(REVEALABLE))]})
    return fields


def _purpose(purpose) -> str:
    text = str(purpose or "").strip()
    if len(text) > PURPOSE_MAX or "\x00" in text:
        raise ValidationError({"purpose": [ERR_PURPOSE_TOO_LONG.format(n=PURPOSE_MAX)]})
    return text


def person_can_reveal(*, user, person: Person) -> bool:
    """Staff (or a superuser) whose subtree holds the person; supervisors and secretaries never."""
    if not getattr(user, "is_staff_role", False):
        return False
    return Person.objects.visible_to(user).filter(pk=person.pk).exists()


def person_reveal(*, user, person: Person, fields, purpose: str = "", ip: str | None = None) -> dict[str, str]:
    """The unmasked values of ``fields``, after writing the access-log row; PermissionDenied for anyone else."""
    purpose = _purpose(purpose)
    if not person_can_reveal(user=user, person=person):
        raise PermissionDenied(ERR_REVEAL_FORBIDDEN)
    access_log_write(user=user, action=AccessLog.ACTION_REVEAL, object_type=Person._meta.label_lower,
                     object_id=person.pk, fields=fields, ip=ip, purpose=purpose)
    return {name: getattr(person, name) for name in fields}


def export_reveal_check(*, user, fields, purpose: str = "") -> tuple[set[str], str]:
    """Before an unmasked export: only staff (the export already holds only their subtree)."""
    purpose = _purpose(purpose)
    if not getattr(user, "is_staff_role", False):
        raise PermissionDenied(ERR_REVEAL_FORBIDDEN)
    return set(fields), purpose


def export_reveal_log(*, user, object_type: str, fields, rows: int, purpose: str = "", ip: str | None = None):
    return access_log_write(user=user, action=AccessLog.ACTION_EXPORT, object_type=object_type, fields=fields,
                            rows=rows, ip=ip, purpose=purpose)
