"""Issue 8 items 3 and 6: the upgrade-targets and calibration charts draw their report endpoints, whose numbers
are the selector's and the fallback tables'; the branches behind a target are a count linking to their list."""
from assessment.choices import Tier
from assessment.selectors import calibration, upgrade_targets
from assessment.services.classification import annual_review_run
from tests.assessment.helpers import make_branches, make_cycle, make_template, set_previous, set_scores
from tests.chart_tables import charts, table_rows


def _review(world, *, up: int, behind: int):
    """``up + behind`` branches under township A that were 较差 in 2024; ``up`` of them move up in 2025."""
    branches = make_branches(parent=world.township_a, count=up + behind)
    set_previous(units=branches, year=2024, tier=Tier.POOR)
    template = make_template(unit=world.county_a)
    set_scores(units=branches[:up], score="70", template=template)
    set_scores(units=branches[up:], score="50", template=template)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    return branches


def test_upgrade_targets_chart_api_selector_and_table_agree(world, login, api):
    _review(world, up=8, behind=2)
    page = login(world.staff_a).get("/assessment/upgrade-targets/?year=2025").content.decode()
    [chart] = charts(page)
    assert chart["url"] == "/api/v1/reports/upgrade-targets/?year=2025"
    assert [s["name"] for s in chart["config"]["series"]] == ["实际", "目标"]
    answer = api(world.staff_a).get(chart["url"]).json()
    selector = upgrade_targets(user=world.staff_a, year=2025)
    rows = table_rows(page, "upgrade-table")[1:]
    assert [r[:5] for r in rows] == [
        [g["label"], str(g["count"]), str(g["achieved"]),
         f"{g['actual_pct']}%" if g["actual_pct"] is not None else "—", f"{g['target_pct']}%"]
        for g in answer["groups"]]
    assert [(g["label"], g["count"], g["actual_pct"], g["target_pct"]) for g in answer["groups"]] == [
        (g["label"], g["count"], g["actual_pct"], g["target_pct"]) for g in selector["groups"]]
    poor = next(g for g in answer["groups"] if g["previous_tier"] == "poor")
    # Real numbers: 10 branches were 较差, 8 moved up, 2 did not.
    assert (poor["label"], poor["count"], poor["achieved"], poor["actual_pct"], poor["behind_count"]) == (
        "较差", 10, 8, 80.0, 2)
    # Chinese tier labels, never codes, on the page and in what the chart draws.
    assert [r[0] for r in rows] == ["较差", "一般", "较好", "好"]
    poor_row = next(r for r in rows if r[0] == "较差")
    assert poor_row[6] == "2 个党支部 ›"  # a count with a link, not the names on one line


def test_branches_behind_are_a_paginated_list(world, login):
    branches = _review(world, up=1, behind=60)
    staff = login(world.staff_a)
    page = staff.get("/assessment/upgrade-targets/?year=2025").content.decode()
    assert 'href="/assessment/upgrade-targets/behind/?year=2025&amp;tier=poor"' in page
    assert branches[30].name not in page
    first = staff.get("/assessment/upgrade-targets/behind/?year=2025&tier=poor").content.decode()
    rows = table_rows(first, "behind-table")[1:]
    assert len(rows) == 50 and rows[0] == [branches[1].name, "较差", "较差"]
    assert "60 个党支部" in first and "page=2" in first
    second = staff.get("/assessment/upgrade-targets/behind/?year=2025&tier=poor&page=2").content.decode()
    assert len(table_rows(second, "behind-table")) == 11
    assert staff.get("/assessment/upgrade-targets/behind/?year=2025&tier=nonsense").status_code == 404


def test_branches_behind_are_scoped(world, login, client):
    _review(world, up=0, behind=3)
    outsider = login(world.outsider).get("/assessment/upgrade-targets/behind/?year=2025&tier=poor").content.decode()
    assert table_rows(outsider, "behind-table")[1:] == [["没有未达标的党支部。"]]
    client.logout()
    assert login(world.secretary_user).get("/assessment/upgrade-targets/behind/?year=2025&tier=poor").status_code == 403


def test_calibration_charts_api_selector_and_tables_agree(world, login, api):
    _review(world, up=3, behind=2)
    page = login(world.staff_a).get("/assessment/calibration/?year=2025").content.decode()
    found = charts(page)
    assert [c["url"] for c in found] == ["/api/v1/reports/calibration/?year=2025"] * 2
    assert [c["config"]["rows"] for c in found] == ["by_township", "by_sector"]
    assert [s["name"] for s in found[0]["config"]["series"]] == ["好", "较好", "一般", "较差", "未定级"]
    answer = api(world.staff_a).get(found[0]["url"]).json()
    selector = calibration(user=world.staff_a, year=2025)
    for key in ("by_township", "by_sector"):
        table = table_rows(page, f"dist-{key}")
        assert table[0][1:] == ["好", "较好", "一般", "较差", "未定级", "合计"]
        assert [[r[0], *(cell.split(" ")[0] for cell in r[1:])] for r in table[1:]] == [
            [row["label"], *(str(row["counts"][s["field"].split(".")[1]]) for s in found[0]["config"]["series"]),
             str(row["total"])] for row in answer[key]]
        assert [row["counts"] for row in answer[key]] == [row["counts"] for row in selector[key]]
    # Real numbers: township A has 5 classified branches from the review plus the world's two villages.
    township = answer["by_township"][0]
    assert township["label"] == "甲镇党委" and township["total"] == 7
    assert township["counts"]["poor"] == 2
