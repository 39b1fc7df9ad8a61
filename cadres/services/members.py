"""R-MEM-1: new party members per branch and year — entered on the page, through the API or from Excel."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.choices import MemberDevelopmentSource
from cadres.models import MemberDevelopment
from core.choices import BRANCH_LEVELS

ERR_NOT_BRANCH = _("{unit} is not a party branch: new members are recorded per branch (R-MEM-1).")
ERR_YEAR = _("Enter a year from {min} to {max}.")
ERR_NEW_MEMBERS = _("Enter the number of new members as a whole number, 0 or more.")
ERR_NOTE_LONG = _("The note is at most {max} characters.")
# Records before this year are not kept by the registry; the present year is the last one.
FIRST_YEAR = 2000
NOTE_MAX = MemberDevelopment._meta.get_field("note").max_length


def member_development_check(*, unit, year, new_members, note: str = "") -> dict:
    """R-MEM-1: the errors of one year's record, keyed by the field they are about (empty when it is valid)."""
    errors: dict[str, list] = {}
    if unit is None or unit.level not in BRANCH_LEVELS:
        errors["unit"] = [ERR_NOT_BRANCH.format(unit=getattr(unit, "name", "—"))]
    last = timezone.localdate().year
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= last:
        errors["year"] = [ERR_YEAR.format(min=FIRST_YEAR, max=last)]
    if not isinstance(new_members, int) or isinstance(new_members, bool) or new_members < 0:
        errors["new_members"] = [ERR_NEW_MEMBERS]
    if len(note or "") > NOTE_MAX:
        errors["note"] = [ERR_NOTE_LONG.format(max=NOTE_MAX)]
    return errors


def member_development_set(*, unit, year: int, new_members: int, note: str = "", by,
                           source: str = MemberDevelopmentSource.ENTERED) -> MemberDevelopment:
    """R-MEM-1: record (or correct) a branch's new members of a year — one row per branch and year."""
    errors = member_development_check(unit=unit, year=year, new_members=new_members, note=note)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = MemberDevelopment.objects.select_for_update().filter(unit=unit, year=year).first()
        if row is None:
            row = MemberDevelopment(unit=unit, year=year)
        elif row.new_members == new_members and row.note == (note or ""):
            return row  # nothing changed: no new history row
        row.new_members, row.note, row.source = new_members, note or "", source
        row.updated_by = by if getattr(by, "pk", None) else None
        row.save()
    return row
