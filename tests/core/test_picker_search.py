"""Issue 8 item 3: the org-units API answers a picker's search — name, code, pinyin initials —
within the caller's subtree (R-ORG-2), with a ``branch`` filter and a light form with the parent's name."""
import pytest

from core.choices import Level
from core.models import OrgUnit
from core.pinyin import name_initials
from tests.factories import make_unit

UNITS = "/api/v1/org-units/"


def _labels(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [row["label"] for row in response.json()["results"]]


@pytest.mark.parametrize("text, initials", [
    ("张三一", "zsy"), ("新华村党支部", "xhcdzb"), ("第1党支部", "d1dzb"), ("", ""), ("A组", "az"),
])
def test_pinyin_initials(text, initials):
    assert name_initials(text) == initials


def test_initials_are_stored_when_a_unit_is_added_or_renamed(world):
    assert OrgUnit.objects.get(pk=world.village_a2.pk).name_initials == "xhcdzb"
    unit = OrgUnit.objects.get(pk=world.village_a2.pk)
    unit.name = "东风村党支部"
    unit.save(update_fields=["name"])
    assert OrgUnit.objects.get(pk=unit.pk).name_initials == "dfcdzb"


@pytest.mark.parametrize("q", ["新华", "xhc", "XHC", "430721001002"])
def test_staff_find_a_unit_by_name_code_or_initials(world, api, q):
    labels = _labels(api(world.staff_a).get(UNITS, {"search": q, "view": "picker"}))
    assert labels == ["新华村党支部（430721001002）"]


def test_a_code_prefix_finds_the_units_under_it_in_tree_order(world, api):
    labels = _labels(api(world.staff_a).get(UNITS, {"search": "43072100100", "view": "picker"}))
    assert labels == ["东风村党支部（430721001001）", "新华村党支部（430721001002）"]


def test_initials_match_inside_a_name_that_starts_with_a_place(world, api):
    make_unit(parent=world.township_a, code="430721001009", name="甲镇新华村党支部")
    labels = _labels(api(world.staff_a).get(UNITS, {"q": "xhc", "view": "picker"}))
    assert labels == ["新华村党支部（430721001002）", "甲镇新华村党支部（430721001009）"]


def test_a_picker_row_carries_the_parent_name(world, api):
    [row] = api(world.staff_a).get(UNITS, {"search": "新华", "view": "picker"}).json()["results"]
    assert row == {"id": world.village_a2.pk, "label": "新华村党支部（430721001002）", "name": "新华村党支部",
                   "code": "430721001002", "level": "branch", "level_display": row["level_display"],
                   "parent_name": "甲镇党委"}


def test_the_branch_filter_keeps_party_branches(world, api):
    client = api(world.staff_a)
    assert _labels(client.get(UNITS, {"search": "甲", "view": "picker"})) == ["甲县委（430721000）", "甲镇党委（430721001）"]
    assert _labels(client.get(UNITS, {"search": "甲", "branch": "1", "view": "picker"})) == []
    make_unit(parent=world.township_a, name="甲镇总支", level=Level.GENERAL_BRANCH)
    assert [r.split("（")[0] for r in _labels(client.get(UNITS, {"search": "甲", "branch": "1", "view": "picker"}))] \
        == ["甲镇总支"]


def test_staff_of_another_county_never_get_the_units_of_county_a(world, api):
    make_unit(parent=world.township_b, code="430722001002", name="新华村党支部")
    client = api(world.outsider)
    for q in ("新华", "xhc", "430721"):
        labels = _labels(client.get(UNITS, {"search": q, "view": "picker"}))
        assert all("430721" not in label for label in labels), (q, labels)
    assert _labels(client.get(UNITS, {"search": "xhc", "view": "picker"})) == ["新华村党支部（430722001002）"]


def test_the_unit_search_costs_two_queries(world, api, django_assert_num_queries):
    client = api(world.staff_a)
    for i in range(12):
        make_unit(parent=world.township_a, name=f"新华{i}组党支部")
    # 1 count, 2 the page, each row's parent name a subquery of the same statement.
    with django_assert_num_queries(2):
        assert client.get(UNITS, {"search": "xh", "view": "picker"}).json()["count"] == 13
