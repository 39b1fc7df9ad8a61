"""R-ORG-1: building the organisation tree."""
from collections import defaultdict, deque

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.choices import LEVEL_ALIASES, SECTOR_ALIASES, Level, Sector
from simple_history.utils import bulk_create_with_history
from treebeard.exceptions import PathOverflow

from core.models import OrgUnit

ERR_UNKNOWN_PARENT = _("Unknown parent unit code {code}.")
ERR_UNKNOWN_LEVEL = _("Unknown level {value}.")
ERR_UNKNOWN_SECTOR = _("Unknown sector {value}.")
ERR_DUPLICATE_CODE = _("Unit code {code} is used twice.")
ERR_CODE_EXISTS = _("Unit code {code} exists already.")
ERR_REQUIRED = _("{field} is required.")

BATCH_SIZE = 1000


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

    with transaction.atomic():
        created = _build_units(seen, known_parents)
    return [created[code] for code in seen], []


def _db_order(codes) -> dict[str, int]:
    """Each code's rank in the database's own collation: treebeard keeps siblings in ``ORDER BY code``
    (node_order_by), and the bulk build must lay them out exactly as its sorted inserts would."""
    codes = sorted(set(codes))
    if connection.vendor != "postgresql" or not codes:
        return {c: i for i, c in enumerate(codes)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT c FROM unnest(%s::varchar[]) AS c ORDER BY c", [codes])
        return {row[0]: i for i, row in enumerate(cursor.fetchall())}


def _children_of(parents: list[OrgUnit | None]) -> dict[str | None, list[tuple[str, str]]]:
    """The units directly under each parent (None: the roots) as (path, code), in one query."""
    if not parents:
        return {}
    condition = Q()
    for parent in parents:
        condition |= Q(depth=1) if parent is None else Q(depth=parent.depth + 1, path__startswith=parent.path)
    out: dict[str | None, list[tuple[str, str]]] = {(p.code if p else None): [] for p in parents}
    by_path = {p.path: p.code for p in parents if p is not None}
    for path, code in OrgUnit.objects.filter(condition).order_by().values_list("path", "code"):
        parent_path = path[:-OrgUnit.steplen]
        key = by_path.get(parent_path) if parent_path else None
        if key in out:
            out[key].append((path, code))
    return out


def _step(path: str) -> int:
    return OrgUnit._str2int(path[-OrgUnit.steplen:])


def _child_path(parent_path: str, step: int) -> str:
    key = OrgUnit._int2str(step)
    if len(key) > OrgUnit.steplen:
        raise PathOverflow(f"Path Overflow under: '{parent_path}'")
    path = f"{parent_path}{OrgUnit.alphabet[0] * (OrgUnit.steplen - len(key))}{key}"
    if len(path) > OrgUnit._meta.get_field("path").max_length:
        raise PathOverflow("The new node is too deep in the tree.")
    return path


def _build_units(seen: dict[str, dict], known_parents: dict[str, OrgUnit]) -> dict[str, OrgUnit]:
    """R-ORG-1: the file's units written in one pass, the tree's materialised paths computed here.

    The file's parent codes give a dict of children; walking it from the units whose parent is on file
    (or who are roots) lays every unit out under its parent in code order — the layout treebeard's
    sorted inserts (org_unit_add, node_order_by = code) produce — and the units are bulk-inserted with
    their history (R-SEC-2), the existing parents' ``numchild`` raised in a few UPDATEs. Only where a new
    unit sorts before a unit already under the same parent (treebeard then shifts the existing subtrees)
    are those few inserted by treebeard itself, first. A unit never reached is in a cycle: ValueError.
    """
    children: dict[str, list[str]] = defaultdict(list)
    for code, row in seen.items():
        children[(row.get("parent_code") or "").strip()].append(code)
    anchors = [pc for pc in children if pc == "" or pc in known_parents]
    reached, queue = 0, deque(anchors)
    while queue:
        for code in children.get(queue.popleft(), ()):
            reached += 1
            queue.append(code)
    if reached < len(seen):  # a cycle within the file: parents refer to each other
        raise ValueError("cycle in parent codes")

    # Lock the parents on file (treebeard's add_child does, R-ORG-1 concurrency) and read their fresh paths.
    parents = {u.code: u for u in OrgUnit.objects.select_for_update().filter(
        pk__in=[u.pk for u in known_parents.values()]).order_by()}
    groups: list[OrgUnit | None] = [parents[pc] if pc else None for pc in anchors]
    siblings = _children_of(groups)
    rank = _db_order([*seen, *(c for group in siblings.values() for _p, c in group)])

    def fields(code):
        row = seen[code]
        return {"code": code, "name": row["name"].strip(), "level": row["level"], "sector": row["sector"]}

    created: dict[str, OrgUnit] = {}
    # A new unit sorting before an existing sibling: treebeard moves the siblings' subtrees to make room.
    shifted = [pc for pc in anchors if siblings[pc or None]
               and min(rank[c] for c in children[pc]) < max(rank[c] for _p, c in siblings[pc or None])]
    for pc in shifted:
        for code in children[pc]:
            parent = parents.get(pc)
            if parent is not None:
                parent.refresh_from_db()
            created[code] = org_unit_add(parent=parent, **fields(code))
    if shifted:  # paths may have moved: read them again
        parents = {u.code: u for u in OrgUnit.objects.filter(pk__in=[u.pk for u in parents.values()]).order_by()}
        for unit in OrgUnit.objects.filter(pk__in=[u.pk for u in created.values()]).order_by():
            created[unit.code] = unit
        groups = [parents[pc] if pc else None for pc in anchors if pc not in shifted]
        siblings = _children_of(groups)

    new: list[OrgUnit] = []
    raised: dict[int, list[int]] = defaultdict(list)  # numchild increment → the existing parents' pks
    # (parent code, the parent or None for the roots, whether it has no children yet, whether it is on file)
    queue = deque((pc, parents.get(pc), False, True) for pc in anchors if pc not in shifted)
    queue.extend((code, created[code], True, True) for pc in shifted for code in children[pc])
    while queue:
        pc, parent, fresh, on_file = queue.popleft()
        kids = sorted(children.get(pc, ()), key=rank.__getitem__)
        if not kids:
            continue
        last = 0 if fresh else max((_step(p) for p, _c in siblings.get(pc or None, ())), default=0)
        if on_file and parent is not None:
            raised[len(kids)].append(parent.pk)
        base, depth = (parent.path, parent.depth + 1) if parent is not None else ("", 1)
        for i, code in enumerate(kids, start=last + 1):
            unit = OrgUnit(path=_child_path(base, i), depth=depth, numchild=len(children.get(code, ())),
                           **fields(code))
            created[code] = unit
            new.append(unit)
            queue.append((code, unit, True, False))
    bulk_create_with_history(new, OrgUnit, batch_size=BATCH_SIZE)
    for step, pks in raised.items():
        OrgUnit.objects.filter(pk__in=pks).update(numchild=F("numchild") + step)
    return created
