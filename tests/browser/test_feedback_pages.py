"""Issue 8 items 4, 7, 10 in Chromium: the review asked for and summarised, the duty-report and
classification lists, the ballot form's numbers beside their dropdowns, at 1366 and 390 px.
Screenshots land in ``test-artifacts/``."""
import datetime as dt

import pytest
from django.utils import timezone

from assessment.choices import DutyReportState
from assessment.models import DutyReport, EvaluationSample
from tests.assessment.helpers import add_ballots, make_branches, make_cycle, make_template, set_scores
from tests.factories import PersonFactory

from .test_smoke import ARTIFACTS, log_in
from .test_smoke import pytestmark  # noqa: F401 — Chromium or skip, as the smoke test


WIDTHS = (1366, 390)


@pytest.fixture
def county(world):
    branches = [world.village_a1, world.village_a2, *make_branches(parent=world.township_a, count=58)]
    template = make_template(unit=world.county_a)
    for i, unit in enumerate(branches[:40]):
        set_scores(units=[unit], score=("95", "85", "65", "50")[i % 4], template=template)
    cycle = make_cycle(unit=world.county_a)
    person = PersonFactory(unit=world.village_a1)
    states = list(DutyReportState.values)
    DutyReport.objects.bulk_create([DutyReport(unit=u, person=person, year=2025, state=states[i % 4])
                                    for i, u in enumerate(branches[2:])])
    open_cycle = make_cycle(unit=world.county_a, year=2026)
    type(open_cycle).objects.filter(pk=open_cycle.pk).update(
        evaluations_due=dt.date(2099, 12, 20), classification_date=dt.date(2100, 1, 10),
        publication_date=dt.date(2100, 1, 20))
    sample = EvaluationSample.objects.create(unit=world.village_a2, year=2026, seed=7, member_count=40,
                                             sample_size=12, drawn=list(range(1, 13)))
    closed = add_ballots(unit=branches[50], ratings=["good"] * 6)
    type(closed).objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    return cycle, sample


def test_review_summary_lists_and_ballots_in_the_browser(browser, live_server, transactional_db, world, county):
    cycle, sample = county
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
        log_in(page, live_server.url, "staff_a")
        page.goto(f"{live_server.url}/assessment/cycles/{cycle.pk}/review/")
        assert page.get_by_test_id("review-branches").inner_text() == "60"
        page.get_by_test_id("review-run").click()
        page.wait_for_url("**/jobs/*/")
        summary = page.get_by_test_id("job-summary")
        assert "60 个党支部中已定级 40 个，20 个未定级。" in summary.inner_text()
        assert "fairly_good" not in page.inner_text("body") and "unclassified" not in page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / f"review-job-{width}.png"), full_page=True)

        page.goto(f"{live_server.url}/assessment/")
        assert "已成功" in page.get_by_test_id(f"review-{cycle.pk}").inner_text()
        page.screenshot(path=str(ARTIFACTS / f"assessment-cycles-{width}.png"), full_page=True)

        page.goto(f"{live_server.url}/assessment/duty-reports/")
        assert page.locator("nav.pagination").is_visible()
        page.screenshot(path=str(ARTIFACTS / f"duty-reports-{width}.png"), full_page=True)
        page.select_option("#id_state", "returned")
        page.click(".filters button[type=submit]")
        page.wait_for_load_state()
        assert page.get_by_test_id("row-count").inner_text() == "共 14 份述职报告"

        page.goto(f"{live_server.url}/assessment/classifications/?year=2025")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 3600, height  # was 6,600 px with a star form on every row
        page.screenshot(path=str(ARTIFACTS / f"classifications-{width}.png"), full_page=True)

        page.goto(f"{live_server.url}/assessment/evaluations/{sample.pk}/")
        numbers = page.locator(".ballot-no")
        selects = page.locator(".ballots select")
        assert numbers.count() == 12
        for i in (0, 1, 11):
            n, s = numbers.nth(i).bounding_box(), selects.nth(i).bounding_box()
            overlap_x = min(n["x"] + n["width"], s["x"] + s["width"]) - max(n["x"], s["x"])
            overlap_y = min(n["y"] + n["height"], s["y"] + s["height"]) - max(n["y"], s["y"])
            assert overlap_x <= 0 or overlap_y <= 0, f"ballot {i + 1}: its number overlaps its dropdown"
        page.screenshot(path=str(ARTIFACTS / f"evaluation-ballots-{width}.png"), full_page=True)
        # The page never scrolls sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.close()
