"""R-ORG-1: the demo seeder writes treebeard's materialised paths itself; the tree must be one treebeard
would have built, and keep working with treebeard's own inserts afterwards."""
import datetime as dt

import pytest

from cadres.demo import demo_seed
from cadres.models import Person
from core.choices import Level, Sector
from core.models import OrgUnit
from core.services.orgunits import org_unit_add

AS_OF = dt.date(2026, 11, 23)
NO_PROBLEMS = ([], [], [], [], [])


@pytest.fixture
def seeded(db):
    return demo_seed(branches=300, seed=3, history=False, as_of=AS_OF)


def test_treebeard_finds_no_problems(seeded):
    assert OrgUnit.objects.find_problems() == NO_PROBLEMS
    assert seeded.counts["units"] == OrgUnit.objects.count()


def test_paths_follow_the_code_order_of_siblings(seeded):
    """node_order_by is the code: children numbered in code order keep sorted inserts correct."""
    for parent in OrgUnit.objects.filter(numchild__gt=1)[:20]:
        children = list(OrgUnit.objects.get_children(parent))
        assert [c.code for c in children] == sorted(c.code for c in children)
        assert [c.path for c in children] == [parent.path + OrgUnit._int2str(k).rjust(4, "0")
                                              for k in range(1, len(children) + 1)]


def test_descendants_agree_with_the_path_prefix(seeded):
    for county in OrgUnit.objects.filter(level=Level.COUNTY):
        by_prefix = OrgUnit.objects.filter(path__startswith=county.path).exclude(pk=county.pk).count()
        assert OrgUnit.objects.get_descendants(county).count() == by_prefix > 0


def test_org_unit_add_works_on_the_seeded_tree(seeded):
    township = OrgUnit.objects.filter(level=Level.TOWNSHIP).first()
    before = township.numchild
    last = org_unit_add(parent=township, code=township.code + "999", name="新建村党支部", level=Level.BRANCH,
                        sector=Sector.VILLAGE)
    # A code that sorts between existing siblings: treebeard shifts the later ones.
    middle = org_unit_add(parent=OrgUnit.objects.get(pk=township.pk), code=township.code + "0015",
                          name="插入村党支部", level=Level.BRANCH, sector=Sector.VILLAGE)
    township.refresh_from_db()
    assert township.numchild == before + 2
    assert OrgUnit.objects.get(pk=last.pk).path.startswith(township.path)
    children = list(OrgUnit.objects.get_children(township))
    assert [c.code for c in children] == sorted(c.code for c in children)
    assert middle.pk in [c.pk for c in children]
    assert OrgUnit.objects.find_problems() == NO_PROBLEMS
    # The people of the shifted units still hang on them.
    assert Person.objects.filter(unit__path__startswith=township.path).exists()


def test_a_root_added_afterwards_gets_the_next_path(seeded):
    root = org_unit_add(parent=None, code="4308", name="张家界市委", level=Level.CITY, sector=Sector.ORGAN)
    assert root.path == "0002"


def test_the_chunk_size_changes_nothing(db):
    """Chunks bound the memory; the data depends only on the seed (joint branches may cross chunks)."""
    demo_seed(branches=120, seed=5, history=False, as_of=AS_OF, chunk=37)
    small = list(OrgUnit.objects.values_list("path", "code", "name", "numchild", "joint_branch__code"))
    people = list(Person.objects.order_by("unit__path", "id").values_list("name", "id_number"))
    assert OrgUnit.objects.find_problems() == NO_PROBLEMS
    demo_seed(branches=120, seed=5, history=False, as_of=AS_OF, reset=True)
    assert list(OrgUnit.objects.values_list("path", "code", "name", "numchild", "joint_branch__code")) == small
    assert list(Person.objects.order_by("unit__path", "id").values_list("name", "id_number")) == people
