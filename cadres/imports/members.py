"""R-MEM-1, R-SEC-3: import new members per branch and year (组织名称 or 组织代码, 年度, 新发展党员数).

``members_import_preview`` checks every row without writing: the branch is found by its code
(组织代码/单位代码) or, failing a code column, by its full name among the units the user may see
(a name two units share asks for the code); the year and the count pass the same checks as the
page (``member_development_check``); a branch and year twice in the file names the earlier row.
``members_import_apply`` writes a preview without errors in one transaction — all rows or none.
"""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cadres.choices import MemberDevelopmentSource
from cadres.imports import normalise as n
from cadres.imports.readers import MEMBER_COUNT_HEADERS, MEMBER_YEAR_HEADERS, Table
from cadres.imports.roster import ERR_HAS_ERRORS, ERR_NO_ROWS, ERR_UNKNOWN_UNIT, ERR_WRITE_CONFLICT
from cadres.models import MemberDevelopment
from cadres.services.members import member_development_check
from core.models import OrgUnit

ERR_UNKNOWN_UNIT_NAME = _("No organisation named “{name}” in your jurisdiction; give its full name or its code.")
ERR_AMBIGUOUS_NAME = _("{count} organisations in your jurisdiction are named “{name}”; give the code instead.")
ERR_DUPLICATE_YEAR = _("{unit} and {year} appear already in row {row}.")
ERR_MISSING_UNIT_COLUMN = _("The header row needs a column 组织名称 or 组织代码.")
ERR_NOT_A_NUMBER = _("“{value}” is not a whole number.")

CODE_HEADERS = ("组织代码", "单位代码", "党组织代码", "代码")
NAME_HEADERS = ("组织名称", "单位名称", "党组织名称", "党支部名称", "支部名称", "名称", "村名")
NOTE_HEADERS = ("备注", "说明")
CHANGE_REASON = "Excel import (R-MEM-1)"


@dataclass
class MemberPlan:
    number: int
    unit: OrgUnit
    year: int
    new_members: int
    note: str
    row: MemberDevelopment | None  # the row on record, if any

    @property
    def action(self) -> str:
        if self.row is None:
            return "create"
        if self.row.new_members != self.new_members or (self.note and self.row.note != self.note):
            return "update"
        return "unchanged"


@dataclass
class MembersPreview:
    table: Table | None
    plans: list[MemberPlan] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "members_created": sum(p.action == "create" for p in self.plans),
            "members_updated": sum(p.action == "update" for p in self.plans),
            "unchanged": sum(p.action == "unchanged" for p in self.plans),
            "errors": len(self.errors),
        }


def _first(headers, candidates) -> str | None:
    return next((h for h in candidates if h in headers), None)


def _year_cell(raw):
    """2025, 2025.0, “2025年”, “２０２５” → 2025."""
    if isinstance(raw, str):
        raw = n.fold(raw).removesuffix("年度").removesuffix("年")
    return n.parse_int(raw)


def members_import_preview(*, user, table: Table) -> MembersPreview:
    """R-MEM-1, R-SEC-3: check every row of the sheet without writing; each error names the row and column."""
    preview = MembersPreview(table=table)
    headers = table.headers
    code_h, name_h = _first(headers, CODE_HEADERS), _first(headers, NAME_HEADERS)
    year_h, count_h = _first(headers, MEMBER_YEAR_HEADERS), _first(headers, MEMBER_COUNT_HEADERS)
    note_h = _first(headers, NOTE_HEADERS)

    def err(number, column, field_name, message):
        preview.errors.append({"row": number, "column": column or "", "field": field_name, "message": str(message)})

    if not (code_h or name_h):
        err(table.header_row, "组织名称", "unit", ERR_MISSING_UNIT_COLUMN)
    for header, wanted, name in ((year_h, "年度", "year"), (count_h, "新发展党员数", "new_members")):
        if header is None:
            err(table.header_row, wanted, name, n.ERR_REQUIRED)
    if preview.errors:
        return preview
    if not table.rows:
        err(table.header_row, "", "", ERR_NO_ROWS)
        return preview

    # The units the rows name, in one query each way (R-ORG-2: only what the user may see).
    visible = OrgUnit.objects.visible_to(user)
    parsed = []
    for row in table.rows:
        values, number = row.values, row.number
        code = name = None
        try:
            code = n.parse_code(values.get(code_h)) if code_h else ""
        except ValidationError as exc:
            err(number, code_h, "unit", " ".join(exc.messages))
            code = None
        name = n.clean_text(values.get(name_h)) if name_h else ""
        parsed.append((row, code, name))
    codes = {c for _r, c, _n in parsed if c}
    names = {nm for _r, c, nm in parsed if not c and nm}
    by_code = {u.code: u for u in visible.filter(code__in=codes)} if codes else {}
    by_name: dict[str, list[OrgUnit]] = {}
    if names:
        for u in visible.filter(name__in=names):
            by_name.setdefault(u.name, []).append(u)

    found = []
    for row, code, name in parsed:
        number, values = row.number, row.values
        unit = None
        if code:
            unit = by_code.get(code)
            if unit is None:
                err(number, code_h, "unit", ERR_UNKNOWN_UNIT.format(code=code))
        elif code is not None:
            if not name:
                err(number, code_h or name_h, "unit", n.ERR_REQUIRED)
            else:
                matches = by_name.get(name, [])
                if len(matches) == 1:
                    unit = matches[0]
                elif matches:
                    err(number, name_h, "unit", ERR_AMBIGUOUS_NAME.format(count=len(matches), name=name))
                else:
                    err(number, name_h, "unit", ERR_UNKNOWN_UNIT_NAME.format(name=name))
        year = count = None
        raw_year, raw_count = values.get(year_h), values.get(count_h)
        if n.is_blank(raw_year):
            err(number, year_h, "year", n.ERR_REQUIRED)
        else:
            try:
                year = _year_cell(raw_year)
            except ValidationError:
                err(number, year_h, "year", ERR_NOT_A_NUMBER.format(value=n.clean_text(raw_year)))
        if n.is_blank(raw_count):
            err(number, count_h, "new_members", n.ERR_REQUIRED)
        else:
            try:
                count = n.parse_int(raw_count)
            except ValidationError:
                err(number, count_h, "new_members", ERR_NOT_A_NUMBER.format(value=n.clean_text(raw_count)))
        note = n.clean_text(values.get(note_h)) if note_h else ""
        checked = member_development_check(unit=unit, year=year if year is not None else 0,
                                           new_members=count if count is not None else 0, note=note)
        columns = {"unit": code_h or name_h, "year": year_h, "new_members": count_h, "note": note_h}
        for field_name, messages in checked.items():
            if field_name == "unit" and unit is None:
                continue  # already reported: not found
            if (field_name == "year" and year is None) or (field_name == "new_members" and count is None):
                continue
            for message in messages:
                err(number, columns[field_name], field_name, message)
        found.append((number, unit, year, count, note))

    ok_rows = {e["row"] for e in preview.errors}
    existing = {
        (r.unit_id, r.year): r
        for r in MemberDevelopment.objects.filter(unit_id__in={u.pk for _n, u, _y, _c, _t in found if u},
                                                  year__in={y for _n, _u, y, _c, _t in found if y})
    }
    seen: dict[tuple[int, int], int] = {}
    for number, unit, year, count, note in found:
        if unit is None or year is None:
            continue
        key = (unit.pk, year)
        if key in seen:
            err(number, code_h or name_h, "unit", ERR_DUPLICATE_YEAR.format(unit=unit.name, year=year, row=seen[key]))
            continue
        seen[key] = number
        if number in ok_rows:
            continue
        preview.plans.append(MemberPlan(number=number, unit=unit, year=year, new_members=count, note=note,
                                        row=existing.get(key)))
    bad = {e["row"] for e in preview.errors}
    preview.plans = [p for p in preview.plans if p.number not in bad]
    preview.errors.sort(key=lambda e: e["row"])
    return preview


def members_import_apply(*, user, preview: MembersPreview, report=None) -> dict[str, int]:
    """R-MEM-1, R-SEC-3: write a checked sheet in one transaction — every row or none — with its history."""
    report = report or (lambda progress, message="": None)
    if not preview.is_valid:
        raise ValidationError({"file": [ERR_HAS_ERRORS]})
    by = user if getattr(user, "pk", None) else None
    history = {"default_user": by, "default_change_reason": CHANGE_REASON, "batch_size": 500}
    now = timezone.now()
    new, changed = [], []
    for plan in preview.plans:
        if plan.action == "create":
            new.append(MemberDevelopment(unit=plan.unit, year=plan.year, new_members=plan.new_members,
                                         note=plan.note, source=MemberDevelopmentSource.IMPORTED,
                                         updated_by=by, updated_at=now))
        elif plan.action == "update":
            row = plan.row
            row.new_members, row.source, row.updated_by, row.updated_at = (
                plan.new_members, MemberDevelopmentSource.IMPORTED, by, now)
            if plan.note:
                row.note = plan.note
            changed.append(row)
    try:
        with transaction.atomic():
            if new:
                bulk_create_with_history(new, MemberDevelopment, **history)
            report(50, "new years written")
            if changed:
                bulk_update_with_history(changed, MemberDevelopment,
                                         ["new_members", "note", "source", "updated_by", "updated_at"], **history)
    except IntegrityError:
        raise ValidationError({"file": [ERR_WRITE_CONFLICT]}) from None
    counts = preview.counts()
    counts.pop("errors", None)
    return counts
