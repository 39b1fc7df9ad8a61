"""R-ORG-1 (issue 12): org_units_import builds the file's tree in one pass and bulk-inserts it; the tree
must be exactly the one treebeard's sorted inserts (org_unit_add, one unit at a time) would have built,
in a number of queries that does not grow with the file."""
import pytest
from django.db import transaction

from core.choices import Level, Sector
from core.models import OrgUnit
from core.services.orgunits import org_unit_add, org_units_import

NO_PROBLEMS = ([], [], [], [], [])


def row(n, code, parent="", level="branch", name=None):
    return {"row": n, "code": code, "name": name or f"单位{code}", "level": level, "parent_code": parent,
            "sector": "农村"}


def tree_rows(prefix: str, parent: str, townships: int, branches: int, start: int = 2) -> list[dict]:
    """Townships under ``parent`` and branches under each, children listed BEFORE their parents and out
    of code order — the one-pass build must not depend on the file's order."""
    rows, n = [], start
    for t in reversed(range(townships)):
        tcode = f"{prefix}{t:03d}"
        for b in (*range(1, branches, 2), *range(0, branches, 2)):
            rows.append(row(n, f"{tcode}{b:03d}", tcode))
            n += 1
        rows.append(row(n, tcode, parent, level="township"))
        n += 1
    return rows


def one_by_one(rows):
    """The former import: treebeard's add_child per unit, a parent before its children."""
    parse = {"branch": Level.BRANCH, "township": Level.TOWNSHIP, "county": Level.COUNTY}
    pending, made = list(rows), {}
    while pending:
        for r in list(pending):
            pc = r["parent_code"]
            parent = made.get(pc) or OrgUnit.objects.filter(code=pc).first() if pc else None
            if pc and parent is None:
                continue
            if parent is not None:
                parent.refresh_from_db()
            made[r["code"]] = org_unit_add(parent=parent, code=r["code"], name=r["name"], level=parse[r["level"]],
                                           sector=Sector.VILLAGE)
            pending.remove(r)


def layout():
    return sorted(OrgUnit.objects.values_list("code", "path", "depth", "numchild"))


def reference_layout(rows):
    with transaction.atomic():
        one_by_one(rows)
        expected = layout()
        transaction.set_rollback(True)
    return expected


@pytest.fixture
def county(db):
    city = org_unit_add(parent=None, code="4307", name="市委", level=Level.CITY, sector=Sector.ORGAN)
    county = org_unit_add(parent=city, code="430721", name="县委", level=Level.COUNTY, sector=Sector.ORGAN)
    for code in ("430721500", "430721600"):  # townships already on file
        org_unit_add(parent=county, code=code, name=code, level=Level.TOWNSHIP, sector=Sector.ORGAN)
    return county


def test_a_new_subtree_gets_the_paths_treebeard_gives_it(county):
    """R-ORG-1: appended after the county's existing townships, each level in code order."""
    rows = tree_rows("4307219", "430721", townships=4, branches=5)
    rows += [row(99, "430721500900", "430721500")]  # under an existing township without children
    expected = reference_layout(rows)
    created, errors = org_units_import(rows=rows)
    assert errors == []
    assert [u.code for u in created] == [r["code"] for r in rows]  # in the file's order
    assert layout() == expected
    assert OrgUnit.objects.find_problems() == NO_PROBLEMS


def test_a_unit_sorting_before_an_existing_sibling_moves_them_as_treebeard_does(county):
    """R-ORG-1: 430721100 sorts before the existing 430721500: treebeard shifts the siblings' subtrees."""
    org_unit_add(parent=OrgUnit.objects.get(code="430721500"), code="430721500001", name="村",
                 level=Level.BRANCH, sector=Sector.VILLAGE)
    rows = [row(2, "430721100001", "430721100"), row(3, "430721100", "430721", level="township"),
            row(4, "430721700", "430721", level="township"), row(5, "430721500002", "430721500")]
    expected = reference_layout(rows)
    created, errors = org_units_import(rows=rows)
    assert errors == [] and len(created) == 4
    assert layout() == expected
    assert OrgUnit.objects.find_problems() == NO_PROBLEMS


def test_new_roots_take_their_place_among_the_existing_roots(county):
    rows = [row(2, "4308", "", level="county"), row(3, "4308001", "4308"), row(4, "4306", "", level="county")]
    expected = reference_layout(rows)
    assert org_units_import(rows=rows)[1] == []
    assert layout() == expected


def test_a_cycle_of_parent_codes_is_refused(county):
    rows = [row(2, "A1", "A2"), row(3, "A2", "A1"), row(4, "430721900", "430721", level="township")]
    with pytest.raises(ValueError), transaction.atomic():
        org_units_import(rows=rows)
    assert not OrgUnit.objects.filter(code="430721900").exists()


def test_the_import_keeps_the_history_of_every_unit(county):
    """R-SEC-2: the bulk insert writes one history row per unit, as save() did."""
    rows = tree_rows("430721", "430721", townships=2, branches=3)
    before = OrgUnit.history.count()
    org_units_import(rows=rows)
    assert OrgUnit.history.count() - before == len(rows)
    assert OrgUnit.objects.get(code="430721000001").name_initials  # the pickers' initials filled in bulk


def test_the_number_of_queries_does_not_grow_with_the_file(county, django_assert_num_queries):
    """Issue 12: a file of 2 units and one of 60 units run the same statements."""
    small = tree_rows("4307218", "430721", townships=1, branches=1)
    large = tree_rows("4307219", "430721", townships=6, branches=9)
    with transaction.atomic():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert org_units_import(rows=small)[1] == []
        transaction.set_rollback(True)
    with django_assert_num_queries(len(ctx)):
        created, errors = org_units_import(rows=large)
    assert errors == [] and len(created) == 60
