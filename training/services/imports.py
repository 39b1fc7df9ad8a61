"""R-TRN-5 / R-SEC-3: attendance import from Excel — preview, errors by row and column, all or nothing.

People are matched by resident ID number only (cadres.selectors.people_by_id_numbers) and
must lie in the importing user's jurisdiction; courses by code or by name among the
courses the user can see. The whole file is checked with a fixed number of queries; the
confirmed import writes every row in one transaction or none.
"""
import datetime as dt
import io
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from simple_history.utils import bulk_create_with_history

from cadres.models import Person
from cadres.selectors import people_by_id_numbers
from cadres.services.id_numbers import validate_id_number
from core.services.exports import safe_row
from core.uploads import rows_bounded, upload_read, workbook_check
from training.models import Attendance, Course
from training.services.attendances import ERR_ATT_DUPLICATE, attendance_validate

H_NAME, H_ID, H_CODE, H_COURSE, H_HOURS, H_DAYS, H_DATE, H_CERT = (
    "姓名", "公民身份号码", "课程编号", "培训班名称", "学时", "天数", "完成日期", "证书编号",
)
TEMPLATE_HEADERS = [H_NAME, H_ID, H_CODE, H_COURSE, H_HOURS, H_DATE, H_CERT]
KNOWN_HEADERS = {H_NAME, H_ID, H_CODE, H_COURSE, H_HOURS, H_DAYS, H_DATE, H_CERT}
# Which column an error on a model field belongs to.
FIELD_COLUMNS = {
    "person": H_ID, "course": H_CODE, "hours": H_HOURS, "days": H_DAYS, "completed_on": H_DATE,
    "certificate_number": H_CERT, "notes": H_CERT,
}

ERR_IMPORT_FILE = _("The file is not an Excel workbook (.xlsx).")
ERR_IMPORT_EMPTY = _("The file has no rows to import.")
ERR_IMPORT_HEADER = _("The column {column} is missing.")
ERR_IMPORT_COURSE_COLUMN = _("Give the course in a column 课程编号 or 培训班名称.")
ERR_IMPORT_NAME = _("The name is required.")
ERR_IMPORT_PERSON = _("No person with this ID number in your jurisdiction.")
ERR_IMPORT_NAME_MISMATCH = _("The ID number belongs to {name}, not {given}.")
ERR_IMPORT_COURSE = _("No course {value} that you can see.")
ERR_IMPORT_COURSE_AMBIGUOUS = _("Several courses are called {value}; give the course code.")
ERR_IMPORT_COURSE_REQUIRED = _("Give the course code or name.")
ERR_IMPORT_NUMBER = _("{value} is not a number.")
ERR_IMPORT_DATE = _("{value} is not a date such as 2026-07-31.")
ERR_IMPORT_DATE_REQUIRED = _("The completion date is required.")
ERR_IMPORT_DUPLICATE_ROW = _("The same person and course appear in row {row} already.")
ERR_IMPORT_INVALID = _("The file has errors; nothing was imported.")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportRow:
    row: int
    values: dict
    attendance: Attendance | None = None


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.attendance is not None]

    def errors_by_row(self) -> dict[int, list[RowError]]:
        out: dict[int, list[RowError]] = {}
        for e in self.errors:
            out.setdefault(e.row, []).append(e)
        return out

    def summary(self) -> dict:
        """What the preview page shows, JSON-ready (kept on the import's job row)."""
        return {
            "rows": [
                {
                    "row": r.row,
                    "name": r.attendance.person.name,
                    "id_number": r.attendance.person.masked_id_number,
                    "unit": r.attendance.person.unit.name,
                    "course": str(r.attendance.course),
                    "hours": str(r.attendance.hours) if r.attendance.hours is not None else "",
                    "days": str(r.attendance.days) if r.attendance.days is not None else "",
                    "completed_on": r.attendance.completed_on.isoformat(),
                    "certificate_number": r.attendance.certificate_number,
                }
                for r in self.valid_rows
            ],
            "errors": [e.as_dict() for e in self.errors],
            "total_rows": len(self.rows),
            "valid": self.is_valid,
        }


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decimal(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(str(ERR_IMPORT_NUMBER).format(value=value)) from None


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _date(value) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE_RE.match(str(value).strip())
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise ValueError(str(ERR_IMPORT_DATE).format(value=value))


def _read_sheet(file) -> tuple[list[str], list[tuple[int, list]]]:
    # R-SEC-3: the file's size, its unpacked size and its declared rows before openpyxl opens it.
    name = os.path.basename(getattr(file, "name", "") or "") or "?"
    data = upload_read(file)
    workbook_check(data=data, name=name)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable upload gets the same clear message
        raise ValidationError({"file": [str(ERR_IMPORT_FILE)]}) from None
    ws = wb.worksheets[0]
    ws.reset_dimensions()  # a wrong declared dimension must not cut rows off; the cap applies while reading
    rows = ws.iter_rows(values_only=True)
    try:
        headers = [_text(h) for h in next(rows)]
    except StopIteration:
        raise ValidationError({"file": [str(ERR_IMPORT_EMPTY)]}) from None
    body = []
    for number, values in rows_bounded(enumerate(rows, start=2), name=name, sheet=ws.title):
        values = list(values)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        body.append((number, values))
    wb.close()
    return headers, body


def attendance_import_preview(*, user, file) -> ImportPreview:
    """R-TRN-5: check every row of an attendance workbook without writing anything.

    Queries: people by ID number (1), courses by code and by name (2), existing pairs (1).
    """
    headers, body = _read_sheet(file)
    preview = ImportPreview(headers=headers)
    col = {h: i for i, h in enumerate(headers) if h in KNOWN_HEADERS}
    missing = [h for h in (H_NAME, H_ID, H_DATE) if h not in col]
    for h in missing:
        preview.errors.append(RowError(1, h, str(ERR_IMPORT_HEADER).format(column=h)))
    if H_CODE not in col and H_COURSE not in col:
        preview.errors.append(RowError(1, H_CODE, str(ERR_IMPORT_COURSE_COLUMN)))
    if preview.errors:
        return preview
    if not body:
        raise ValidationError({"file": [str(ERR_IMPORT_EMPTY)]})

    def cell(values, header):
        i = col.get(header)
        return values[i] if i is not None and i < len(values) else None

    parsed = []
    for number, values in body:
        row = ImportRow(row=number, values={h: cell(values, h) for h in col})
        preview.rows.append(row)
        errors = []
        name = _text(row.values.get(H_NAME))
        if not name:
            errors.append(RowError(number, H_NAME, str(ERR_IMPORT_NAME)))
        try:
            id_number = validate_id_number(row.values.get(H_ID))
        except ValidationError as exc:
            id_number = None
            errors.append(RowError(number, H_ID, exc.messages[0]))
        numbers = {}
        for header in (H_HOURS, H_DAYS):
            try:
                numbers[header] = _decimal(row.values.get(header))
            except ValueError as exc:
                errors.append(RowError(number, header, str(exc)))
        try:
            completed_on = _date(row.values.get(H_DATE))
            if completed_on is None:
                errors.append(RowError(number, H_DATE, str(ERR_IMPORT_DATE_REQUIRED)))
        except ValueError as exc:
            completed_on = None
            errors.append(RowError(number, H_DATE, str(exc)))
        code, course_name = _text(row.values.get(H_CODE)), _text(row.values.get(H_COURSE))
        if not code and not course_name:
            errors.append(RowError(number, H_CODE if H_CODE in col else H_COURSE, str(ERR_IMPORT_COURSE_REQUIRED)))
        preview.errors.extend(errors)
        parsed.append((row, name, id_number, code, course_name, numbers, completed_on, not errors))

    people = people_by_id_numbers(
        id_numbers=[p[2] for p in parsed if p[2]],
        queryset=Person.objects.visible_to(user).select_related("unit"),
    )
    courses = Course.objects.visible_to(user)
    by_code = {c.code: c for c in courses.filter(code__in={p[3] for p in parsed if p[3]})}
    by_name: dict[str, list[Course]] = {}
    for c in courses.filter(name__in={p[4] for p in parsed if p[4] and not p[3]}):
        by_name.setdefault(c.name, []).append(c)

    candidates = []
    for row, name, id_number, code, course_name, numbers, completed_on, ok in parsed:
        errors = []
        person = people.get(id_number) if id_number else None
        if id_number and person is None:
            errors.append(RowError(row.row, H_ID, str(ERR_IMPORT_PERSON)))
        elif person is not None and name and person.name != name:
            errors.append(RowError(row.row, H_NAME, str(ERR_IMPORT_NAME_MISMATCH).format(name=person.name, given=name)))
        course = None
        if code:
            course = by_code.get(code)
            if course is None:
                errors.append(RowError(row.row, H_CODE, str(ERR_IMPORT_COURSE).format(value=code)))
        elif course_name:
            found = by_name.get(course_name, [])
            if len(found) == 1:
                course = found[0]
            elif found:
                errors.append(RowError(row.row, H_COURSE, str(ERR_IMPORT_COURSE_AMBIGUOUS).format(value=course_name)))
            else:
                errors.append(RowError(row.row, H_COURSE, str(ERR_IMPORT_COURSE).format(value=course_name)))
        preview.errors.extend(errors)
        if ok and not errors:
            candidates.append((row, person, course, numbers, completed_on))

    existing = set(
        Attendance.objects.filter(
            person_id__in={c[1].pk for c in candidates}, course_id__in={c[2].pk for c in candidates}
        ).values_list("person_id", "course_id")
    )
    seen: dict[tuple[int, int], int] = {}
    for row, person, course, numbers, completed_on in candidates:
        key = (person.pk, course.pk)
        if key in existing:
            preview.errors.append(RowError(row.row, H_ID, str(ERR_ATT_DUPLICATE).format(
                person=person.name, course=course.name)))
            continue
        if key in seen:
            preview.errors.append(RowError(row.row, H_ID, str(ERR_IMPORT_DUPLICATE_ROW).format(row=seen[key])))
            continue
        seen[key] = row.row
        attendance = Attendance(
            person=person, course=course, hours=numbers.get(H_HOURS), days=numbers.get(H_DAYS), completed=True,
            completed_on=completed_on, certificate_number=_text(row.values.get(H_CERT)),
        )
        try:
            attendance_validate(attendance, check_duplicate=False)
        except ValidationError as exc:
            for fname, msgs in exc.message_dict.items():
                for msg in msgs:
                    preview.errors.append(RowError(row.row, FIELD_COLUMNS.get(fname, fname), msg))
            continue
        row.attendance = attendance
    preview.errors.sort(key=lambda e: (e.row, e.column))
    return preview


def attendance_import_commit(*, user, file) -> int:
    """R-TRN-5 / R-SEC-3: check the file again and write every row, or nothing when any row is wrong."""
    preview = attendance_import_preview(user=user, file=file)
    if not preview.is_valid:
        raise ValidationError({"file": [str(ERR_IMPORT_INVALID)]})
    with transaction.atomic():
        created = bulk_create_with_history([r.attendance for r in preview.rows], Attendance, default_user=user)
    return len(created)


def attendance_import_template() -> bytes:
    """The workbook to fill in: Chinese headers, the ID column formatted as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = "培训记录"
    ws.append(TEMPLATE_HEADERS)
    for i, _h in enumerate(TEMPLATE_HEADERS, start=1):
        ws.cell(row=1, column=i).font = Font(bold=True)
    ws.column_dimensions["B"].number_format = "@"
    for r in range(2, 502):
        ws.cell(row=r, column=2).number_format = "@"
    widths = {"A": 12, "B": 22, "C": 14, "D": 28, "E": 8, "F": 14, "G": 18}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def attendance_import_rejected(*, preview: ImportPreview, file) -> bytes:
    """R-SEC-3: the uploaded rows back as a workbook with each row's errors beside it, to fix and upload again."""
    headers, body = _read_sheet(file)
    by_row = preview.errors_by_row()
    wb = Workbook()
    ws = wb.active
    ws.title = "培训记录"
    ws.append([*headers, "错误"])
    red = PatternFill("solid", fgColor="FFE0E0")
    if 1 in by_row:
        ws.cell(row=1, column=len(headers) + 1).value = "；".join(f"{e.column}：{e.message}" for e in by_row[1])
    for number, values in body:
        errs = by_row.get(number, [])
        ws.append(safe_row([*values, "；".join(f"{e.column}：{e.message}" for e in errs)]))
        if errs:
            for c in range(1, len(headers) + 2):
                ws.cell(row=ws.max_row, column=c).fill = red
    if H_ID in headers:
        letter = ws.cell(row=1, column=headers.index(H_ID) + 1).column_letter
        for c in ws[letter]:
            c.number_format = "@"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
