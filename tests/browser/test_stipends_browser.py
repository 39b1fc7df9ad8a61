"""R-STP-2..4 in a real browser (issue 10, "A browser test"): staff preview a draft policy and adopt it, build the
sheet, see a flagged floor (R-STP-3), approve it, export it, and the downloaded file's total equals the page's.
Screenshots of the what-if and the sheet go to test-artifacts/."""
import os
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessment.choices import Tier
from core.models import Policy
from stipends.choices import SheetState
from stipends.exports import GRAND_TOTAL
from stipends.models import StipendSheet
from tests.browser.test_duty_report import ARTIFACTS, CHROMIUM, log_in
from tests.stipends.helpers import classify, set_policy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian Chromium not installed at {CHROMIUM}"),
]
DESKTOP = {"width": 1366, "height": 900}


def test_staff_preview_build_approve_and_export_a_sheet(browser, live_server, transactional_db, world, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    # County A pays its village secretaries 20,000 a year; the rural average income is 21,000 (R-STP-3).
    set_policy(unit=world.county_a, stipend_base_village=Decimal("20000"), rural_average_income=Decimal("21000"))
    classify(unit=world.village_a1, tier=Tier.GOOD)
    classify(unit=world.village_a2, tier=Tier.FAIRLY_GOOD)
    base = live_server.url
    staff = log_in(browser, base, "staff_a", DESKTOP)
    staff.on("dialog", lambda dialog: dialog.accept())

    # The what-if: 20,500 instead of 20,000 — 秦秀英 (好, 12 months) 20,500.00, 杨志强 (较好) 18,450.00.
    staff.goto(f"{base}/stipends/preview/?unit={world.county_a.pk}&year=2025")
    staff.fill("#id_stipend_base_village", "20500")
    staff.select_option("#id_stipend_base_village_period", "year")  # a base comes with its period (R-STP-1)
    staff.click("[data-testid=run-preview]")
    staff.wait_for_selector("[data-testid=preview-result]")
    assert staff.inner_text("[data-testid=current-total]") == "38000.00"
    assert staff.inner_text("[data-testid=draft-total]") == "38950.00"
    assert staff.inner_text("[data-testid=difference-total]") == "950.00"
    assert staff.locator("[data-testid=draft-floor-flag]").count() == 1  # still below 21,000
    staff.evaluate("window.scrollTo(0, 0)")
    staff.screenshot(path=str(ARTIFACTS / "stipends-what-if.png"), full_page=True)
    assert Policy.objects.get(unit=world.county_a, year=2025).stipend_base_village == Decimal("20000")

    # Adopt it (a confirmation first), then compute the sheet from the offer that follows.
    staff.click("[data-testid=adopt]")
    staff.wait_for_selector("[data-testid=adopted]")
    assert Policy.objects.get(unit=world.county_a, year=2025).stipend_base_village == Decimal("20500")
    staff.click("[data-testid=recompute-after-adopt]")
    staff.wait_for_url("**/jobs/*/")
    staff.wait_for_selector("[data-testid=open-sheet]")
    staff.click("[data-testid=open-sheet]")
    staff.wait_for_url("**/stipends/sheets/*/")

    # The floor is flagged: the county's village average 19,475.00 is below 21,000.
    floor = staff.locator("[data-testid=floor-row][data-flagged='1']")
    assert floor.count() == 1
    assert "19475.00" in floor.inner_text() and "21000.00" in floor.inner_text()
    assert "未达标" in floor.inner_text()
    page_total = staff.inner_text("[data-testid=sheet-total]")
    assert page_total == "38950.00"
    staff.locator("[data-testid=line-explain] summary").first.click()
    staff.evaluate("window.scrollTo(0, 0)")  # the header is sticky: a full-page shot taken scrolled repeats it
    staff.screenshot(path=str(ARTIFACTS / "stipends-sheet-draft.png"), full_page=True)

    staff.click("[data-testid=approve]")
    staff.wait_for_selector("[data-testid=correct-form]", state="attached")
    assert "已审定" in staff.inner_text("[data-testid=sheet-state]")
    assert staff.locator("[data-testid=approve]").count() == 0
    sheet = StipendSheet.objects.get(unit=world.county_a, year=2025)
    assert sheet.state == SheetState.APPROVED
    staff.evaluate("window.scrollTo(0, 0)")
    staff.screenshot(path=str(ARTIFACTS / "stipends-sheet-approved.png"), full_page=True)

    with staff.expect_download() as download:
        staff.click("[data-testid=export-sheet]")
    path = tmp_path / "sheet.xlsx"
    download.value.save_as(str(path))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    (total_row,) = [r for r in rows if r[0] == GRAND_TOTAL]
    assert f"{Decimal(str(total_row[11])):.2f}" == page_total
    staff.context.close()
