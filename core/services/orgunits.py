"""R-ORG-1: building the organisation tree."""
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.choices import LEVEL_ALIASES, SECTOR_ALIASES, Level, Sector
from core.models import OrgUnit

ERR_UNKNOWN_PARENT = _("Unknown parent unit code {code}.")
ERR_UNKNOWN_LEVEL = _("Unknown level {value}.")
ERR_UNKNOWN_SECTOR = _("Unknown sector {value}.")
ERR_DUPLICATE_CODE = _("Unit code {code} is used twice.")
ERR_CODE_EXISTS = _("Unit code {code} exists already.")
ERR_REQUIRED = _("{field} is required.")


def parse_level(value: str) -> str | None:
    value = (value or "").strip()
    if value in Level.values:
        return value
    return LEVEL_ALIASES.get(value)


def parse_sector(value: str) -> str | None:
    value = (value or "").strip()
    if value in Sector.values:
        return value
    return SECTOR_ALIASES.get(value)


def org_unit_add(*, parent: OrgUnit | None, **fields) -> OrgUnit:
    """Add a unit under ``parent`` (R-ORG-1).

    treebeard computes the new path from the parent's last child; treebeard 7 locks the
    parent row (SELECT … FOR UPDATE) for that, which needs the transaction opened here.
    tests/core/test_tree_concurrency.py proves concurrent inserts get distinct paths.
    """
    with transaction.atomic():
        if parent is None:
            return OrgUnit.objects.add_root(fields)
        return OrgUnit.objects.add_child(parent, fields)


def org_units_import(*, rows: list[dict]) -> tuple[list[OrgUnit], list[dict]]:
    """Import units (code, name, level, parent_code, sector) — all or nothing.

    Returns (created units, errors); errors are ``{"row": n, "field": name, "message": text}``
    and nothing is written when there is any.
    """
    errors: list[dict] = []
    seen: dict[str, dict] = {}
    existing = set(OrgUnit.objects.filter(code__in=[r.get("code", "").strip() for r in rows]).values_list("code", flat=True))
    for row in rows:
        n = row["row"]
        code = (row.get("code") or "").strip()
        if not code:
            errors.append({"row": n, "field": "code", "message": str(ERR_REQUIRED.format(field=_("code")))})
            continue
        if code in seen:
            errors.append({"row": n, "field": "code", "message": str(ERR_DUPLICATE_CODE.format(code=code))})
        if code in existing:
            errors.append({"row": n, "field": "code", "message": str(ERR_CODE_EXISTS.format(code=code))})
        if not (row.get("name") or "").strip():
            errors.append({"row": n, "field": "name", "message": str(ERR_REQUIRED.format(field=_("name")))})
        level, sector = parse_level(row.get("level")), parse_sector(row.get("sector"))
        if level is None:
            errors.append({"row": n, "field": "level", "message": str(ERR_UNKNOWN_LEVEL.format(value=row.get("level")))})
        if sector is None:
            errors.append({"row": n, "field": "sector", "message": str(ERR_UNKNOWN_SECTOR.format(value=row.get("sector")))})
        seen[code] = {**row, "code": code, "level": level, "sector": sector}
    parent_codes = {(r.get("parent_code") or "").strip() for r in rows} - {""} - set(seen)
    known_parents = {u.code: u for u in OrgUnit.objects.filter(code__in=parent_codes)}
    for row in rows:
        pc = (row.get("parent_code") or "").strip()
        if pc and pc not in seen and pc not in known_parents:
            errors.append({"row": row["row"], "field": "parent_code", "message": str(ERR_UNKNOWN_PARENT.format(code=pc))})
    if errors:
        return [], errors

    created: dict[str, OrgUnit] = {}
    with transaction.atomic():
        pending = list(seen.values())
        while pending:
            progressed = []
            for row in pending:
                pc = (row.get("parent_code") or "").strip()
                parent = created.get(pc) or known_parents.get(pc)
                if pc and parent is None:
                    continue
                if parent is not None:
                    parent.refresh_from_db()
                created[row["code"]] = org_unit_add(
                    parent=parent, code=row["code"], name=row["name"].strip(), level=row["level"], sector=row["sector"]
                )
                progressed.append(row)
            if not progressed:  # a cycle within the file: parents refer to each other
                raise ValueError("cycle in parent codes")
            pending = [r for r in pending if r not in progressed]
    return list(created.values()), []
