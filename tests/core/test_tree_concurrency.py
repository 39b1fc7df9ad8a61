"""R-ORG-1: two staff adding units under one parent at once both succeed with distinct paths.

treebeard computes a new child's path from the parent's last child; the parent row lock
(taken by treebeard 7 inside org_unit_add's transaction) keeps two inserts apart.
"""
import threading

import pytest
from django.db import connection, connections

from core.choices import Level, Sector
from core.models import OrgUnit
from core.services.orgunits import org_unit_add


@pytest.mark.django_db(transaction=True)
def test_concurrent_children_of_one_parent_get_distinct_paths(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    barrier = threading.Barrier(4)
    errors = []

    def add(n):
        try:
            barrier.wait()
            org_unit_add(parent=world.township_a, code=f"RACE{n}", name=f"并发村{n}", level=Level.BRANCH,
                         sector=Sector.VILLAGE)
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    paths = list(OrgUnit.objects.filter(code__startswith="RACE").values_list("path", flat=True))
    assert len(set(paths)) == 4
    parent = OrgUnit.objects.get(pk=world.township_a.pk)
    assert parent.numchild == 6
    assert OrgUnit.find_problems() == ([], [], [], [], [])
