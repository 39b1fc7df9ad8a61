"""R-SEC-3, R-SEL-1..5: import a roster of secretaries (花名册) — every row checked first, then all or nothing.

``roster_import_preview`` reads every row and checks it against the rules and the database
without writing: the unit code must be one the user may see, the person passes the same
validation as a form (``person_validate``, birth month against the ID number), a unit gets
at most one current secretary (within the file and against the database), and a person
already registered — found by ID number through the selector — is updated, not duplicated.

``roster_import_apply`` writes a preview without errors in one transaction, with bulk
inserts that keep the audit trail (R-SEC-2).
"""
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, DateField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cadres.choices import AppointmentRole, ReserveStatus
from cadres.imports import normalise as n
from cadres.imports.readers import SourceRow, Table
from cadres.models import Appointment, Person, ReserveCandidate
from cadres.selectors import people_by_id_numbers
from cadres.services.appointments import ERR_PLANNED_END, ERR_SECOND_SECRETARY
from cadres.services.id_numbers import id_number_birth_date, id_number_caches_clear, id_number_gender
from cadres.services.people import person_validate
from core.formatting import date_text
from core.fields import InitialsField
from core.models import OrgUnit

ERR_MISSING_COLUMN = _("The column {column} is missing from the header row.")
ERR_UNKNOWN_UNIT = _("Unknown unit code {code}: no such unit in your jurisdiction.")
ERR_PERSON_ELSEWHERE = _(
    "A person with this ID number is registered outside your jurisdiction; ask the organization department "
    "that keeps the record."
)
ERR_DUPLICATE_PERSON = _("This ID number appears already in row {row}.")
ERR_SECOND_SECRETARY_IN_FILE = _("{unit} gets a second current secretary: row {row} names one already.")
ERR_HAS_ERRORS = _("The file has errors; nothing was written. Correct the rows and upload it again.")
ERR_WRITE_CONFLICT = _(
    "Someone changed the same records while the import ran; nothing was written. Upload the file again."
)
ERR_NO_ROWS = _("The file has a header row but no data rows.")

CHANGE_REASON = "Excel import (R-SEC-3)"
BATCH_SIZE = 500


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[Any], Any] | None
    aliases: tuple[str, ...] = ()
    required: bool = False


# The 花名册 layout; the export writes exactly these headers (cadres.resources.RosterResource).
ROSTER_COLUMNS = (
    Column("序号", "seq", None),
    Column("姓名", "name", n.clean_name, required=True),
    Column("性别", "gender", n.parse_gender),
    Column("民族", "ethnicity", n.clean_text),
    Column("出生年月", "birth_date", n.parse_date, aliases=("出生日期",)),
    Column("公民身份号码", "id_number", n.parse_id_number, aliases=("身份证号码", "身份证号"), required=True),
    Column("学历", "education", n.parse_education),
    Column("入党时间", "party_join_date", n.parse_date),
    Column("所在党组织", "unit_name", n.clean_text),
    Column("组织代码", "unit_code", n.parse_code, required=True),
    Column("职务", "role", n.parse_role),
    Column("任职时间", "start_date", n.parse_date, required=True),
    Column("任期届满时间", "planned_end_date", n.parse_date, aliases=("计划任期届满",)),
    Column("产生方式", "selection_method", n.parse_selection),
    Column("来源", "source_channel", n.parse_source),
    Column("是否专职", "is_full_time", n.parse_yes_no),
    Column("是否双带头人", "is_dual_leader", n.parse_yes_no),
    Column("兼任行政职务", "concurrent_posts", n.clean_text),
    Column("联系电话", "phone", n.parse_code),
    Column("工作单位", "employer", n.clean_text),
    Column("备注", "notes", n.clean_text),
)
ROSTER_HEADERS = tuple(c.header for c in ROSTER_COLUMNS)
_COLUMN_BY_FIELD = {c.field: c for c in ROSTER_COLUMNS}
# Model fields whose errors belong to another column of the sheet.
_FIELD_COLUMN = {"unit": "unit_code", "person": "id_number", "role": "role"}

PERSON_IMPORT_FIELDS = ("name", "gender", "ethnicity", "birth_date", "phone", "education", "party_join_date",
                        "employer", "notes")
APPOINTMENT_IMPORT_FIELDS = ("start_date", "planned_end_date", "selection_method", "source_channel",
                             "is_full_time", "is_dual_leader", "concurrent_posts")
_DATE_FIELDS = {"birth_date", "party_join_date", "start_date", "planned_end_date"}


@dataclass
class RowPlan:
    number: int
    person: Person
    appointment: Appointment
    person_new: bool
    appointment_new: bool
    person_changes: list[str] = field(default_factory=list)
    appointment_changes: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        if self.person_new or self.appointment_new:
            return "create"
        return "update" if (self.person_changes or self.appointment_changes) else "unchanged"


@dataclass
class Preview:
    table: Table | None
    plans: list[RowPlan] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> set[int]:
        return {e["row"] for e in self.errors}

    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.plans) + len(self.error_rows - {self.table.header_row if self.table else 0}),
            "people_created": sum(p.person_new for p in self.plans),
            "people_updated": sum(bool(not p.person_new and p.person_changes) for p in self.plans),
            "appointments_created": sum(p.appointment_new for p in self.plans),
            "appointments_updated": sum(bool(not p.appointment_new and p.appointment_changes) for p in self.plans),
            "unchanged": sum(p.action == "unchanged" for p in self.plans),
            "errors": len(self.errors),
        }


class _RowErrors:
    def __init__(self, sink: list[dict], number: int):
        self.sink, self.number, self.fields = sink, number, set()

    def add(self, field_name: str, messages: Iterable) -> None:
        """One entry per message; a field that already failed is not reported twice."""
        key = _FIELD_COLUMN.get(field_name, field_name)
        if key in self.fields:
            return
        self.fields.add(key)
        column = _COLUMN_BY_FIELD.get(key)
        for message in messages:
            self.sink.append({"row": self.number, "column": column.header if column else "", "field": key,
                              "message": str(message)})

    def __bool__(self) -> bool:
        return bool(self.fields)


def _column_for_headers(headers: list[str]) -> dict[str, str]:
    """field → the header it is read from in this file."""
    present = {}
    for column in ROSTER_COLUMNS:
        for name in (column.header, *column.aliases):
            if name in headers:
                present[column.field] = name
                break
    return present


# Columns whose cells repeat down a roster (a few genders, educations, months, yes/no): parsed once per
# distinct cell in a preview (issue 12). The parsers are pure and their results immutable.
_CELL_TYPES = (str, int, float, dt.date)
_REPEATING = frozenset(c.field for c in ROSTER_COLUMNS) - {"seq", "name", "id_number", "phone", "notes", "employer"}


def _parse_row(row: SourceRow, present: dict[str, str], errors: _RowErrors, memo: dict) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in ROSTER_COLUMNS:
        if column.parse is None or column.field not in present:
            continue
        raw = row.values.get(present[column.field])
        if n.is_blank(raw):
            if column.required:
                errors.add(column.field, [n.ERR_REQUIRED])
            continue
        key = (column.field, type(raw), raw) if column.field in _REPEATING and isinstance(raw, _CELL_TYPES) else None
        found = memo.get(key) if key is not None else None
        if found is None:
            try:
                found = (True, column.parse(raw))
            except ValidationError as exc:
                found = (False, exc.messages)
            if key is not None:
                memo[key] = found
        if found[0]:
            values[column.field] = found[1]
        else:
            errors.add(column.field, found[1])
    return values


def _same_month(a: dt.date | None, b: dt.date | None) -> bool:
    return a is not None and b is not None and (a.year, a.month) == (b.year, b.month)


def _resolve_date(parsed: n.ParsedDate | None, current: dt.date | None) -> dt.date | None:
    """A year-and-month cell that agrees with the day already on record keeps that day."""
    if parsed is None:
        return current
    if parsed.month_only and _same_month(parsed.date, current):
        return current
    return parsed.date


def _apply_values(obj, values: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    """Set the given values on ``obj``; an empty cell leaves the value on record. Returns the changed fields."""
    changed = []
    for name in fields:
        if name not in values or name == "birth_date":
            continue
        value = values[name]
        if name in _DATE_FIELDS:
            value = _resolve_date(value, getattr(obj, name))
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _set_birth_date(person: Person, values: dict, id_number: str | None) -> tuple[str | None, bool]:
    """R-SEL-1: the birth date. A roster's 出生年月 gives only the month: when it agrees with the
    ID number, the ID number's day is stored (the 1st would be a wrong value); when it does not,
    the month is kept for person_validate to report. Returns (changed field or None, month_only)."""
    parsed: n.ParsedDate | None = values.get("birth_date")
    month_only = bool(parsed and parsed.month_only)
    if parsed is None:
        value = person.birth_date or (id_number_birth_date(id_number) if id_number else None)
    elif month_only and id_number and _same_month(parsed.date, id_number_birth_date(id_number)):
        value = id_number_birth_date(id_number)
    else:
        value = _resolve_date(parsed, person.birth_date)
    if value != person.birth_date:
        person.birth_date = value
        return "birth_date", month_only
    return None, month_only


def roster_import_preview(*, user, rows: Table | list[SourceRow], headers: list[str] | None = None) -> Preview:
    """R-SEC-3: validate every row of a roster without writing; errors name the row and the column."""
    try:
        return _roster_import_preview(user=user, rows=rows, headers=headers)
    finally:
        id_number_caches_clear()


def _roster_import_preview(*, user, rows, headers) -> Preview:
    table = rows if isinstance(rows, Table) else None
    source_rows = table.rows if table else list(rows)
    headers = headers or (table.headers if table else sorted({h for r in source_rows for h in r.values}))
    preview = Preview(table=table)
    header_row = table.header_row if table else 1

    present = _column_for_headers(headers)
    missing = [c for c in ROSTER_COLUMNS if c.required and c.field not in present]
    for column in missing:
        preview.errors.append({"row": header_row, "column": column.header, "field": column.field,
                               "message": str(ERR_MISSING_COLUMN.format(column=column.header))})
    if missing:
        return preview
    if not source_rows:
        preview.errors.append({"row": header_row, "column": "", "field": "", "message": str(ERR_NO_ROWS)})
        return preview

    parsed: list[tuple[SourceRow, dict, _RowErrors]] = []
    memo: dict = {}
    for row in source_rows:
        errs = _RowErrors(preview.errors, row.number)
        parsed.append((row, _parse_row(row, present, errs, memo), errs))
    del memo

    # Everything the rows refer to, each in one query: units, people, their current posts, current secretaries.
    # The people found by ID number carry the hashes on file: person_validate's uniqueness check for all rows
    # (a number the cell's check rejected is rejected again there, before any uniqueness check).
    codes = {v["unit_code"] for _r, v, _e in parsed if v.get("unit_code")}
    units = {u.code: u for u in OrgUnit.objects.visible_to(user).filter(code__in=codes)}
    id_numbers = {v["id_number"] for _r, v, _e in parsed if v.get("id_number")}
    people = people_by_id_numbers(id_numbers=id_numbers)
    taken_hashes = {p.id_number_hash: p.pk for p in people.values()}
    visible_people = set(
        Person.objects.visible_to(user).filter(pk__in=[p.pk for p in people.values()]).values_list("pk", flat=True)
    )
    current_posts = {
        (a.person_id, a.unit_id, a.role): a
        for a in Appointment.objects.current().filter(person__in=list(people.values()))
    }
    sitting_secretaries = {
        a.unit_id: a
        for a in Appointment.objects.current().secretaries()
        .filter(unit__in=list(units.values())).select_related("person", "unit")
    }

    seen_people: dict[str, int] = {}
    secretary_rows: dict[int, int] = {}
    for row, values, errs in parsed:
        unit = None
        code = values.get("unit_code")
        if code:
            unit = units.get(code)
            if unit is None:
                errs.add("unit_code", [ERR_UNKNOWN_UNIT.format(code=code)])
        id_number = values.get("id_number")
        existing = people.get(id_number) if id_number else None
        if id_number:
            if id_number in seen_people:
                errs.add("id_number", [ERR_DUPLICATE_PERSON.format(row=seen_people[id_number])])
            else:
                seen_people[id_number] = row.number
            if existing is not None and existing.pk not in visible_people:
                errs.add("id_number", [ERR_PERSON_ELSEWHERE])
                existing = None

        # The person: the record on file, or a new one at the row's unit.
        person = existing if existing is not None else Person(unit=unit, id_number=id_number or "")
        person_changes = _apply_values(person, values, PERSON_IMPORT_FIELDS)
        if id_number and not person.gender:
            person.gender = id_number_gender(id_number)
        birth_change, month_only = _set_birth_date(person, values, id_number)
        if birth_change:
            person_changes.append(birth_change)
        if not id_number:
            # The ID number already failed (or was empty) and is reported; validate the rest.
            person.id_number = str(row.values.get(present["id_number"]) or "")
        try:
            person_validate(person, month_only_birth=month_only, taken_hashes=taken_hashes, unit_checked=True)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errs.add(name, messages)

        # The appointment: the person's current post at this unit in this role, or a new one.
        role = values.get("role") or AppointmentRole.SECRETARY
        post = current_posts.get((existing.pk, unit.pk, role)) if existing is not None and unit else None
        appointment = post or Appointment(person=person, unit=unit, role=role)
        appointment_changes = _apply_values(appointment, values, APPOINTMENT_IMPORT_FIELDS)
        a = appointment
        if a.planned_end_date and a.start_date and a.planned_end_date <= a.start_date:
            errs.add("planned_end_date", [ERR_PLANNED_END])
        try:
            a.clean_fields(exclude=["person", "unit", *errs.fields])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errs.add(name, messages)

        # R-SEL-2: one current secretary per unit, in the file and against the database.
        if unit is not None and role == AppointmentRole.SECRETARY:
            if unit.pk in secretary_rows:
                errs.add("unit_code", [ERR_SECOND_SECRETARY_IN_FILE.format(
                    unit=unit.name, row=secretary_rows[unit.pk])])
            else:
                secretary_rows[unit.pk] = row.number
            sitting = sitting_secretaries.get(unit.pk)
            if post is None and sitting is not None and (existing is None or sitting.person_id != existing.pk):
                errs.add("unit_code", [ERR_SECOND_SECRETARY.format(
                    unit=unit.name, person=sitting.person.name, start=date_text(sitting.start_date))])

        if not errs:
            preview.plans.append(RowPlan(
                number=row.number, person=person, appointment=appointment, person_new=existing is None,
                appointment_new=post is None, person_changes=person_changes, appointment_changes=appointment_changes,
            ))
    preview.errors.sort(key=lambda e: (e["row"], list(ROSTER_HEADERS).index(e["column"])
                                       if e["column"] in ROSTER_HEADERS else 99))
    return preview


def _close_reserve_entries(appointments: list[Appointment]) -> int:
    """R-RES-1: appointing a reserve candidate as secretary closes their open entries for the
    unit or for a pool kept by one of its ancestors — one UPDATE per chunk of appointments."""
    total = 0
    secretaries = [a for a in appointments if a.role == AppointmentRole.SECRETARY]
    for start in range(0, len(secretaries), 200):
        chunk = secretaries[start:start + 200]
        condition, closed_on = Q(), []
        for a in chunk:
            condition |= Q(person_id=a.person_id, unit__path__in=a.unit.ancestor_paths())
            closed_on.append(When(person_id=a.person_id, then=Value(a.start_date)))
        total += ReserveCandidate.objects.filter(condition, status=ReserveStatus.CULTIVATING).update(
            status=ReserveStatus.APPOINTED, closed_on=Case(*closed_on, output_field=DateField()))
    return total


def roster_import_apply(*, user, preview: Preview, report=None) -> dict[str, int]:
    """R-SEC-3: write a checked roster in one transaction — all rows or none — keeping the audit trail (R-SEC-2).

    ``report(progress, message)`` is told when the people are written and the appointments follow (R-JOB-3).
    """
    report = report or (lambda progress, message="": None)
    if not preview.is_valid:
        raise ValidationError({"file": [ERR_HAS_ERRORS]})
    history_user = user if getattr(user, "pk", None) else None
    history = {"default_user": history_user, "default_change_reason": CHANGE_REASON, "batch_size": BATCH_SIZE}
    plans = preview.plans
    now = timezone.now()
    try:
        with transaction.atomic():
            new_people = [p.person for p in plans if p.person_new]
            if new_people:
                created = bulk_create_with_history(new_people, Person, **history)
                # Some databases do not return keys from a bulk insert: match the rows back by ID number.
                if any(p.pk is None for p in created):
                    created = list(people_by_id_numbers(id_numbers=[p.id_number for p in new_people]).values())
                by_number = {p.id_number: p for p in created}
                for plan in plans:
                    if plan.person_new:
                        plan.person = by_number[plan.person.id_number]
            changed_people = [p for p in plans if not p.person_new and p.person_changes]
            if changed_people:
                fields = sorted({f for p in changed_people for f in p.person_changes} | {"updated_at"})
                for plan in changed_people:
                    plan.person.updated_at = now
                if "name" in fields:  # bulk_update does not run pre_save: the pickers' initials follow the name
                    fields.append("name_initials")
                    InitialsField.fill([p.person for p in changed_people])
                bulk_update_with_history([p.person for p in changed_people], Person, fields, **history)
            report(50, "people written")

            new_posts = []
            for plan in plans:
                if plan.appointment_new:
                    plan.appointment.person = plan.person
                    new_posts.append(plan.appointment)
            if new_posts:
                bulk_create_with_history(new_posts, Appointment, **history)
            changed_posts = [p.appointment for p in plans if not p.appointment_new and p.appointment_changes]
            if changed_posts:
                fields = sorted({f for p in plans if not p.appointment_new for f in p.appointment_changes})
                bulk_update_with_history(changed_posts, Appointment, fields, **history)
            closed = _close_reserve_entries(new_posts)
    except IntegrityError:
        # A concurrent write gave a unit its secretary (the database constraint) or took an ID number.
        raise ValidationError({"file": [ERR_WRITE_CONFLICT]}) from None
    counts = preview.counts()
    counts["reserves_closed"] = closed
    return counts
