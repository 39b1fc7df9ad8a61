"""R-ORG-1, R-SEC-3: the unit list (组织代码, 组织名称, 层级, 上级组织代码, 领域) read for org_units_import.

org_units_import checks and writes all or nothing; here the file's columns are mapped to its
fields, its errors are mapped back to the columns, and the user's jurisdiction is enforced
(R-ORG-2): a new unit hangs under a unit the user may see, and only a superuser adds a root.
"""
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cadres.imports import normalise as n
from cadres.imports.readers import Table
from cadres.imports.roster import ERR_MISSING_COLUMN
from core.models import OrgUnit
from core.services.orgunits import ERR_UNKNOWN_PARENT, org_units_import

ERR_ROOT_NOT_ALLOWED = _("Only a superuser may add a unit without a parent; give the parent unit code.")
ERR_CYCLE = _("The parent codes of the file refer to each other in a circle.")

UNIT_COLUMNS = (
    ("组织代码", "code", ("代码", "单位代码")),
    ("组织名称", "name", ("名称", "单位名称")),
    ("层级", "level", ("级别", "组织层级")),
    ("上级组织代码", "parent_code", ("上级代码",)),
    ("领域", "sector", ("所属领域",)),
)
UNIT_HEADER_BY_FIELD = {f: h for h, f, _a in UNIT_COLUMNS}
REQUIRED_UNIT_FIELDS = ("code", "name", "level", "sector")


def units_rows(table: Table) -> tuple[list[dict], list[dict]]:
    """The rows as org_units_import takes them, and the file-level errors (missing columns)."""
    present = {}
    for header, field, aliases in UNIT_COLUMNS:
        for name in (header, *aliases):
            if name in table.headers:
                present[field] = name
                break
    errors = [
        {"row": table.header_row, "column": UNIT_HEADER_BY_FIELD[f], "field": f,
         "message": str(ERR_MISSING_COLUMN.format(column=UNIT_HEADER_BY_FIELD[f]))}
        for f in REQUIRED_UNIT_FIELDS if f not in present
    ]
    rows = []
    for source in table.rows:
        row = {"row": source.number}
        for field, header in present.items():
            raw = source.values.get(header)
            if field in ("code", "parent_code"):
                try:
                    row[field] = n.parse_code(raw)
                except Exception as exc:  # noqa: BLE001 — a rounded code is reported as itself
                    errors.append({"row": source.number, "column": header, "field": field,
                                   "message": " ".join(getattr(exc, "messages", [str(exc)]))})
                    row[field] = ""
            else:
                row[field] = n.clean_text(raw)
        rows.append(row)
    return rows, errors


def _with_columns(errors: list[dict]) -> list[dict]:
    return [{**e, "column": e.get("column") or UNIT_HEADER_BY_FIELD.get(e["field"], "")} for e in errors]


def _scope_errors(*, user, rows: list[dict]) -> list[dict]:
    """R-ORG-2: a parent outside the file must be a unit the user may see."""
    in_file = {r.get("code") for r in rows}
    parent_codes = {r.get("parent_code") for r in rows} - {"", None} - in_file
    visible = set(OrgUnit.objects.visible_to(user).filter(code__in=parent_codes).values_list("code", flat=True))
    errors = []
    for row in rows:
        parent = row.get("parent_code") or ""
        if not parent and not user.is_superuser:
            errors.append({"row": row["row"], "field": "parent_code", "message": str(ERR_ROOT_NOT_ALLOWED)})
        elif parent and parent not in in_file and parent not in visible:
            errors.append({"row": row["row"], "field": "parent_code",
                           "message": str(ERR_UNKNOWN_PARENT.format(code=parent))})
    return errors


def units_import(*, user, table: Table, dry_run: bool = False) -> tuple[list[OrgUnit], list[dict]]:
    """R-ORG-1: import the unit list — all or nothing; ``dry_run`` checks and rolls back."""
    rows, errors = units_rows(table)
    if not errors:
        errors = _scope_errors(user=user, rows=rows)
    if errors:
        return [], _with_columns(errors)
    with transaction.atomic():
        try:
            created, errors = org_units_import(rows=rows)
        except ValueError:
            created, errors = [], [{"row": table.header_row, "field": "parent_code", "message": str(ERR_CYCLE)}]
        if dry_run or errors:
            transaction.set_rollback(True)
    return created, _with_columns(errors)
