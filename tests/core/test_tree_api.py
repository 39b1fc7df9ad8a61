"""Issue 8 item 3, R-ORG-1: the tree page expands from /api/v1/org-units/?parent=<id>, whose rows carry the
counts the page's first level shows (units below, branches, current secretaries), scoped and set-based."""
from core.models import OrgUnit
from tests.assessment.helpers import make_branches
from tests.chart_tables import table_rows
from tests.factories import AppointmentFactory


def _rows(answer):
    return {r["name"]: (r["units_below"], r["branches"], r["secretaries"]) for r in answer["results"]}


def test_children_of_a_unit_with_counts(world, api):
    staff = api(world.staff_a)
    below_county = staff.get(f"/api/v1/org-units/?parent={world.county_a.pk}").json()
    assert _rows(below_county) == {"甲镇党委": (2, 2, 2)}
    below_township = staff.get(f"/api/v1/org-units/?parent={world.township_a.pk}").json()
    assert _rows(below_township) == {"东风村党支部": (0, 1, 1), "新华村党支部": (0, 1, 1)}
    assert below_township["count"] == 2 and "next" in below_township  # a page, like every list
    # One unit's own counts on its detail answer too.
    assert staff.get(f"/api/v1/org-units/{world.township_a.pk}/").json()["branches"] == 2


def test_children_are_scoped(world, api):
    # County B's staff ask about county A: refused like an unknown id (400 naming the field), never answered.
    answer = api(world.outsider).get(f"/api/v1/org-units/?parent={world.county_a.pk}")
    assert answer.status_code == 400 and "parent" in answer.json()
    assert _rows(api(world.outsider).get(f"/api/v1/org-units/?parent={world.county_b.pk}").json()) == {
        "乙镇党委": (1, 1, 1)}
    # Staff of county A see nothing above their county.
    assert api(world.staff_a).get(f"/api/v1/org-units/?parent={world.city.pk}").status_code == 400
    # A secretary sees only their own branch, which has nothing below it.
    sec = api(world.secretary_user)
    assert sec.get(f"/api/v1/org-units/?parent={world.village_a1.pk}").json()["count"] == 0
    assert sec.get(f"/api/v1/org-units/?parent={world.township_a.pk}").status_code == 400
    # Counts never include what the caller may not see: county B's secretary is not county A's.
    assert _rows(api(world.staff_a).get(f"/api/v1/org-units/?parent={world.county_a.pk}").json())["甲镇党委"][2] == 2


def test_children_list_is_set_based(world, api, django_assert_num_queries):
    client = api(world.staff_a)
    url = f"/api/v1/org-units/?parent={world.township_a.pk}"
    client.get(url)
    # The parent filter's lookup (scoped), the count, the page, then units below, branches, secretaries.
    with django_assert_num_queries(6):
        assert client.get(url).json()["count"] == 2
    branches = make_branches(parent=world.township_a, count=40)
    for unit in branches[:5]:
        AppointmentFactory(unit=unit)
    with django_assert_num_queries(6):  # 42 rows: the same queries, never one per row
        answer = client.get(url + "&page_size=100").json()
    assert answer["count"] == 42
    assert sum(r["secretaries"] for r in answer["results"]) == 7


def test_unit_page_first_level_equals_the_api(world, login, api):
    page = login(world.staff_a).get(f"/cadres/units/{world.county_a.pk}/").content.decode()
    assert 'id="unit-tree" data-testid="unit-tree" data-tree-url="/api/v1/org-units/"' in page
    assert f'data-unit-id="{world.township_a.pk}" data-depth="0" data-has-children' in page
    rows = table_rows(page, "unit-tree")[1:]
    answer = api(world.staff_a).get(f"/api/v1/org-units/?parent={world.county_a.pk}").json()
    assert [[r[3], r[4], r[5]] for r in rows] == [
        [str(u["units_below"]), str(u["branches"]), str(u["secretaries"])] for u in answer["results"]]
    assert rows[0][3:] == ["2", "2", "2"]
    assert OrgUnit.objects.get(pk=world.township_a.pk).numchild == 2
