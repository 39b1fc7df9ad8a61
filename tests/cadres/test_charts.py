"""Issue 8 item 3: the dashboard's sector chart draws /api/v1/reports/units-by-sector/, whose numbers are the
selector's and the fallback table's (R-ORG-1, R-ORG-2 scoping)."""
from cadres.selectors import units_by_sector
from tests.chart_tables import charts, table_rows


def _by_sector(answer):
    return {r["sector"]: (r["label"], r["units"], r["secretaries"]) for r in answer["results"]}


def test_units_by_sector_real_numbers_and_scope(world, api):
    staff = api(world.staff_a).get("/api/v1/reports/units-by-sector/").json()
    # County A: the county and township committees (organs), two village branches with their two secretaries.
    assert staff["units"] == 4 and staff["secretaries"] == 2
    assert _by_sector(staff)["organ"][1:] == (2, 0)
    assert _by_sector(staff)["village"][1:] == (2, 2)
    assert _by_sector(staff)["village"][0] == "农村"  # the choice's label, never its code
    outsider = api(world.outsider).get("/api/v1/reports/units-by-sector/").json()
    assert outsider["units"] == 3 and outsider["secretaries"] == 1  # county B only
    assert _by_sector(outsider)["village"][1:] == (1, 1)
    # A secretary: their own branch and their own post (the matrix: 200, own rows only).
    sec = api(world.secretary_user).get("/api/v1/reports/units-by-sector/").json()
    assert sec["units"] == 1 and sec["secretaries"] == 1
    assert api(None).get("/api/v1/reports/units-by-sector/").status_code == 401


def test_units_by_sector_is_two_queries(world, api, django_assert_num_queries):
    client = api(world.staff_a)
    client.get("/api/v1/reports/units-by-sector/")  # warm the session/user
    with django_assert_num_queries(3):  # the user's unit, units per sector, secretaries per sector
        client.get("/api/v1/reports/units-by-sector/")


def test_dashboard_chart_points_at_the_endpoint_whose_numbers_the_table_shows(world, login, api):
    page = login(world.staff_a).get("/").content.decode()
    [chart] = [c for c in charts(page) if "units-by-sector" in c["url"]]
    assert chart["url"] == "/api/v1/reports/units-by-sector/"
    assert [s["name"] for s in chart["config"]["series"]] == ["党组织", "现任书记"]
    answer = api(world.staff_a).get(chart["url"]).json()
    selector = units_by_sector(user=world.staff_a)
    table = [row for row in table_rows(page, "sector-table")[1:]]
    assert table == [[r["label"], str(r["units"]), str(r["secretaries"])] for r in answer["results"]]
    assert answer["results"] == selector["results"]
    assert ["农村", "2", "2"] in table
