"""Issue 8 item 3 in the browser: the charts are ECharts SVGs drawn from the report API with Chinese labels that
fit at 1366 px and 390 px, and the organisation tree expands in place from /api/v1/org-units/?parent=.

Screenshots land in ``test-artifacts/`` (charts-*.png, tree-*.png)."""
import pytest

from assessment.choices import Tier
from assessment.services.classification import annual_review_run
from tests.assessment.helpers import make_branches, make_cycle, make_template, set_previous, set_scores
from tests.factories import make_unit
from core.choices import Level, Sector
from tests.browser.test_smoke import ARTIFACTS, log_in, pytestmark  # noqa: F401 — the marks

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def _svg_texts(page, selector):
    page.wait_for_selector(f"{selector} svg text")
    return page.eval_on_selector_all(f"{selector} svg text", "els => els.map(e => e.textContent)")


def _label_boxes(page, selector):
    """The bounding boxes of the chart's row labels (the y axis), to check none overlaps another."""
    return page.eval_on_selector_all(
        f"{selector} svg text",
        """els => els.map(e => ({t: e.textContent, b: e.getBoundingClientRect().toJSON()}))""")


def _overlaps(boxes):
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            x = min(a["b"]["right"], b["b"]["right"]) - max(a["b"]["left"], b["b"]["left"])
            y = min(a["b"]["bottom"], b["b"]["bottom"]) - max(a["b"]["top"], b["b"]["top"])
            if x > 1 and y > 1 and a["t"] and b["t"]:
                out.append((a["t"], b["t"]))
    return out


def _inside(page, selector):
    """Every text of the chart lies within the chart's box (value labels are not cut)."""
    box = page.locator(selector).bounding_box()
    return [b["t"] for b in _label_boxes(page, selector)
            if b["b"]["right"] > box["x"] + box["width"] + 1 or b["b"]["left"] < box["x"] - 1]


LONG_TOWNSHIP = "经济技术开发区城东街道社区联合党工委员会"


@pytest.fixture
def reviewed(world):
    long_township = make_unit(parent=world.county_a, code="430721099", name=LONG_TOWNSHIP, level=Level.TOWNSHIP,
                              sector=Sector.ORGAN)
    set_previous(units=make_branches(parent=long_township, count=3), year=2024, tier=Tier.AVERAGE)
    branches = make_branches(parent=world.township_a, count=12, prefix="很长名字的农村社区党支部")
    set_previous(units=branches[:8], year=2024, tier=Tier.POOR)
    set_previous(units=branches[8:], year=2024, tier=Tier.AVERAGE)
    template = make_template(unit=world.county_a)
    set_scores(units=branches[:5], score="70", template=template)
    set_scores(units=branches[5:], score="50", template=template)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    return world


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_dashboard_and_upgrade_target_charts(browser, live_server, transactional_db, reviewed, size):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=VIEWPORTS[size], locale="zh-CN")
    log_in(page, live_server.url, "staff_a")
    chart = "#panel-sector-chart .echart"
    texts = _svg_texts(page, chart)
    assert page.locator("#panel-sector-chart svg").first.is_visible()
    assert {"农村", "党组织", "现任书记"} <= set(texts)
    assert not _overlaps(_label_boxes(page, chart)), "row labels overlap"
    assert not _inside(page, chart), "labels cut at the chart's edge"
    # The table of the same numbers stays for screen readers, visually hidden once the chart is drawn.
    assert page.locator("[data-testid=sector-table]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    page.screenshot(path=str(ARTIFACTS / f"charts-dashboard-{size}.png"), full_page=True)

    page.goto(f"{live_server.url}/assessment/upgrade-targets/?year=2025")
    chart = ".card .echart"
    texts = _svg_texts(page, chart)
    assert {"较差", "一般", "较好", "好", "实际", "目标"} <= set(texts)
    assert "poor" not in texts and "average" not in texts
    assert "62.5%" in texts  # 5 of the 8 branches that were 较差 moved up
    assert not _overlaps(_label_boxes(page, chart)), "row labels overlap"
    assert not _inside(page, chart), "value labels cut"
    # Item 6: the table fits its card, the branches behind are a count with a link.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("[data-testid=behind-poor]").inner_text() == "3 个党支部 ›"
    page.screenshot(path=str(ARTIFACTS / f"charts-upgrade-targets-{size}.png"), full_page=True)

    page.goto(f"{live_server.url}/assessment/calibration/?year=2025")
    chart = ".echart[data-chart-config*='by_township']"
    texts = _svg_texts(page, chart)
    assert {"甲镇党委", "好", "较差"} <= set(texts)
    assert page.locator(chart).get_attribute("aria-label") == "按乡镇"
    # A long township name is cut with an ellipsis (the tooltip shows it whole), never over the bars.
    assert LONG_TOWNSHIP not in texts and any(t.endswith("…") and t[:4] == LONG_TOWNSHIP[:4] for t in texts)
    assert not _overlaps(_label_boxes(page, chart)), "row labels overlap"
    assert not _inside(page, chart), "labels cut at the chart's edge"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    page.screenshot(path=str(ARTIFACTS / f"charts-calibration-{size}.png"), full_page=True)
    page.close()


def test_tree_expands_in_place(browser, live_server, transactional_db, world):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=VIEWPORTS["desktop"], locale="zh-CN")
    log_in(page, live_server.url, "staff_a")
    page.goto(f"{live_server.url}/cadres/units/{world.county_a.pk}/")
    toggle = page.locator(f"#unit-tree tr[data-unit-id='{world.township_a.pk}'] .tree-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("#unit-tree").get_by_text("东风村党支部").count() == 0
    with page.expect_response(lambda r: f"/api/v1/org-units/?parent={world.township_a.pk}" in r.url):
        toggle.click()
    child = page.locator(f"#unit-tree tr[data-unit-id='{world.village_a1.pk}']")
    child.wait_for()
    assert child.get_attribute("data-depth") == "1"
    assert child.locator("td").nth(4).inner_text() == "1"  # branches, from the API
    assert child.locator("td").nth(5).inner_text() == "1"  # current secretaries
    assert page.locator("#unit-tree").get_by_text("新华村党支部").is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.screenshot(path=str(ARTIFACTS / "tree-expanded.png"), full_page=True)
    toggle.click()
    assert not child.is_visible()
    toggle.click()
    assert child.is_visible()
    page.close()
