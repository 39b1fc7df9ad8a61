"""R-STP-3 (004 第八条): the form each secretary receives for a year — the stipend, or a workload credit.

Southeast University's rule reads: serving-staff branch secretaries get at least 300 yuan a month *or*
10% of the year's workload quota credited instead (计算工作量); retired-staff branch secretaries get
500 yuan a year. Which of the two a secretary receives is recorded here, per person, branch and year;
a secretary without a record is paid (``StipendForm.MONEY``, the sheet's default). A workload credit is
not money: the sheet keeps the line, shows the credit and leaves it out of the total (``compute.py``).

Where a workload credit may be recorded — decided here, and why:

* only in a **university-and-industry branch** (``Sector.UNIVERSITY``): a workload quota (工作量) exists
  only where the secretary is a teacher or staff member of the institution whose quota is credited; a
  village, community, organ or enterprise secretary has none, and 001 (Changde) gives them money only;
* only for a **serving** secretary: 004 gives the credit as the alternative to the serving-staff
  stipend, and a retired-staff branch secretary (``Person.is_retired``, the same test ``base_group``
  makes for the sheet) has no quota to credit — they receive the 500 yuan a year;
* only for someone who **held the branch's secretary post in that year** (an appointment overlapping
  the year), so a form never hangs on a person the sheet will not list.

Recording ``money`` is allowed for every secretary of a branch (it is the default made explicit).
Every change is kept with who and when (``StipendElection.history``, R-SEC-2); a bulk change is
validated whole before anything is written (R-SEC-3: nothing half-written). A sheet already built keeps
the form it was built with: rebuilding the draft, or correcting an approved sheet, applies a change.
"""
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cadres.choices import AppointmentRole
from cadres.models import Appointment, Person
from core.choices import BRANCH_LEVELS, Sector
from core.models import OrgUnit

from ..choices import BaseGroup, StipendForm
from ..models import StipendElection
from .amounts import base_group

MIN_YEAR, MAX_YEAR = 2000, 2200
NOTE_MAX = StipendElection._meta.get_field("note").max_length

MSG_NOT_STAFF = _("Only organisation-department staff may record the form a secretary receives.")
MSG_OUTSIDE = _("{unit} is outside your jurisdiction.")
MSG_UNKNOWN_FORM = _("Unknown form “{form}”: choose paid as a stipend or credited as workload.")
MSG_YEAR = _("Give a year between {low} and {high}.")
MSG_NOTE_LONG = _("The note is at most {limit} characters.")
MSG_NOT_BRANCH = _("{unit} is not a branch: the form is recorded for a branch secretary.")
MSG_NOT_SECRETARY = _("{person} did not hold the secretary post of {unit} in {year}.")
MSG_CREDIT_SECTOR = _("A workload credit replaces the stipend only in university and industry branches "
                      "(004 第八条); {unit} is a {sector} branch.")
MSG_CREDIT_RETIRED = _("{person} is retired: a retired-staff branch secretary has no workload quota and "
                       "receives the stipend (004 第八条).")
MSG_NOTHING_SELECTED = _("Select at least one secretary.")


@dataclass(frozen=True)
class SecretaryPost:
    """What the checks need of one (person, branch) secretary post held in the year."""

    person_id: int
    person_name: str
    is_retired: bool
    unit_id: int
    unit_name: str
    unit_path: str
    sector: str


def _require_staff(user) -> None:
    if user is None or not getattr(user, "is_staff_role", False):
        raise PermissionDenied(MSG_NOT_STAFF)


def _check_values(*, year, form: str, note: str) -> None:
    errors = {}
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = [MSG_YEAR.format(low=MIN_YEAR, high=MAX_YEAR)]
    if form not in StipendForm.values:
        errors["form"] = [MSG_UNKNOWN_FORM.format(form=form)]
    if len(note or "") > NOTE_MAX:
        errors["note"] = [MSG_NOTE_LONG.format(limit=NOTE_MAX)]
    if errors:
        raise ValidationError(errors)


def secretary_posts(*, pairs: list[tuple[int, int]], year: int) -> dict[tuple[int, int], SecretaryPost]:
    """The (person, branch) pairs among ``pairs`` whose person held the branch's secretary post in ``year``
    (an appointment overlapping the year): one query, whatever the number of pairs."""
    if not pairs:
        return {}
    wanted = set(pairs)
    jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = (Appointment.objects.filter(role=AppointmentRole.SECRETARY, start_date__lte=dec31,
                                       person_id__in={p for p, _u in wanted}, unit_id__in={u for _p, u in wanted})
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=jan1))
            .values_list("person_id", "person__name", "person__is_retired", "unit_id", "unit__name", "unit__path",
                         "unit__sector", "unit__level"))
    posts = {}
    for person_id, name, retired, unit_id, unit_name, path, sector, level in rows:
        if (person_id, unit_id) in wanted and level in BRANCH_LEVELS:
            posts[(person_id, unit_id)] = SecretaryPost(person_id, name, retired, unit_id, unit_name, path, sector)
    return posts


def election_refusal(*, post: SecretaryPost, form: str) -> tuple[str, str] | None:
    """Why ``form`` may not be recorded for this post, as (field, message), or None when it may."""
    if form != StipendForm.WORKLOAD_CREDIT:
        return None
    if post.sector != Sector.UNIVERSITY:
        return "form", MSG_CREDIT_SECTOR.format(unit=post.unit_name, sector=Sector(post.sector).label)
    if base_group(sector=post.sector, is_retired=post.is_retired) == BaseGroup.RETIRED_BRANCH:
        return "form", MSG_CREDIT_RETIRED.format(person=post.person_name)
    return None


def _apply(*, posts: list[SecretaryPost], year: int, form: str, note: str | None, user) -> dict:
    """Upsert the forms of ``posts`` (already checked) in a fixed number of queries, with history rows."""
    now = timezone.now()
    existing = {(e.person_id, e.unit_id): e for e in StipendElection.objects.select_for_update().filter(
        year=year, person_id__in={p.person_id for p in posts}, unit_id__in={p.unit_id for p in posts})}
    new, changed, unchanged = [], [], 0
    for post in posts:
        row = existing.get((post.person_id, post.unit_id))
        if row is None:
            new.append(StipendElection(person_id=post.person_id, unit_id=post.unit_id, year=year, form=form,
                                       note=note or "", created_by=user, updated_at=now))
        elif row.form != form or (note is not None and row.note != note):
            row.form = form
            if note is not None:
                row.note = note
            row.updated_at = now
            changed.append(row)
        else:
            unchanged += 1
    if new:
        bulk_create_with_history(new, StipendElection, default_user=user, default_date=now)
    if changed:
        bulk_update_with_history(changed, StipendElection, ["form", "note", "updated_at"], default_user=user,
                                 default_date=now)
    return {"created": len(new), "updated": len(changed), "unchanged": unchanged,
            "count": len(posts), "rows": new + changed}


def _check_scope(*, user, units: list[tuple[str, str]]) -> None:
    """Every branch (path, name) inside the user's subtree (R-ORG-2); views 404 before this is reached."""
    if user.is_superuser:
        return
    base = user.unit.path if user.unit_id else None
    for path, name in units:
        if base is None or not path.startswith(base):
            raise PermissionDenied(MSG_OUTSIDE.format(unit=name))


@transaction.atomic
def election_set(*, person: Person, unit: OrgUnit, year: int, form: str, note: str = "",
                 user) -> StipendElection:
    """R-STP-3 (004 第八条): record the form ``person`` receives as secretary of ``unit`` in ``year`` (upsert).

    Refused (ValidationError naming the field) unless the person held the branch's secretary post that
    year, and a workload credit unless the branch is a university-and-industry one and the secretary is
    serving staff (see the module's docstring)."""
    _require_staff(user)
    _check_values(year=year, form=form, note=note)
    _check_scope(user=user, units=[(unit.path, unit.name)])
    if unit.level not in BRANCH_LEVELS:
        raise ValidationError({"unit": [MSG_NOT_BRANCH.format(unit=unit.name)]})
    post = secretary_posts(pairs=[(person.pk, unit.pk)], year=year).get((person.pk, unit.pk))
    if post is None:
        raise ValidationError({"person": [MSG_NOT_SECRETARY.format(person=person.name, unit=unit.name,
                                                                   year=year)]})
    refusal = election_refusal(post=post, form=form)
    if refusal is not None:
        raise ValidationError({refusal[0]: [refusal[1]]})
    _apply(posts=[post], year=year, form=form, note=note or "", user=user)
    return StipendElection.objects.select_related("person", "unit").get(person=person, unit=unit, year=year)


@transaction.atomic
def elections_set(*, pairs: list[tuple[int, int]], year: int, form: str, user, note: str | None = None) -> dict:
    """R-STP-3: one form for many (person id, branch id) pairs at once — all checked first, then written in
    bulk; one refusal refuses the lot, each refusal named (R-SEC-3). ``note`` None keeps existing notes.

    Returns the counts ``created``, ``updated``, ``unchanged`` and ``count``."""
    _require_staff(user)
    _check_values(year=year, form=form, note=note or "")
    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        raise ValidationError({"selected": [MSG_NOTHING_SELECTED]})
    posts = secretary_posts(pairs=pairs, year=year)
    _check_scope(user=user, units=[(p.unit_path, p.unit_name) for p in posts.values()])
    errors = []
    if len(posts) < len(pairs):
        missing = [pair for pair in pairs if pair not in posts]
        # Names only of what the user may see (R-ORG-2); anything else is named by its id.
        people = dict(Person.objects.visible_to(user).filter(pk__in={p for p, _u in missing})
                      .values_list("pk", "name"))
        units = dict(OrgUnit.objects.visible_to(user).filter(pk__in={u for _p, u in missing})
                     .values_list("pk", "name"))
        errors += [MSG_NOT_SECRETARY.format(person=people.get(p, p), unit=units.get(u, u), year=year)
                   for p, u in missing]
    errors += [refusal[1] for post in posts.values() if (refusal := election_refusal(post=post, form=form))]
    if errors:
        raise ValidationError({"selected": errors})
    result = _apply(posts=[posts[pair] for pair in pairs], year=year, form=form, note=note, user=user)
    result.pop("rows")
    return result
