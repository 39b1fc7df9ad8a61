"""R-TRN-5 in a real browser: staff import an attendance file, see the preview, confirm, and the
compliance figures change. Screenshots go to test-artifacts/."""
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from training.choices import CourseKind
from training.models import Attendance, Course

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        yield page
    finally:
        browser.close()
        pw.stop()


def _met_count(page) -> int:
    return int(page.locator('li[data-rule="R-TRN-2"][data-status="met"] .num').inner_text())


@pytest.mark.browser
def test_staff_import_attendances_and_see_compliance_change(world, live_server, transactional_db, browser_page,
                                                              tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    ARTIFACTS.mkdir(exist_ok=True)
    course = Course.objects.create(
        code="JX2026-03", name="2026年甲县村党组织书记年度培训班", kind=CourseKind.ANNUAL, organiser=world.county_a,
        start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 7), hours=Decimal("56"),
    )
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "课程编号", "培训班名称", "学时", "完成日期", "证书编号"])
    for i, person in enumerate((world.secretary_a1, world.person_a2), start=1):
        ws.append([person.name, person.id_number, course.code, "", 56, "2026-03-07", f"JX-{i:03d}"])
    upload = tmp_path / "培训记录.xlsx"
    wb.save(upload)

    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "staff_a")
    page.fill("input[name=password]", "pw-123456-zhishu")
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/training/compliance/?year=2026")
    assert _met_count(page) == 0
    page.screenshot(path=str(ARTIFACTS / "training-compliance-before.png"), full_page=True)

    page.goto(f"{live_server.url}/training/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.locator("#import-form button[type=submit]").click()
    page.wait_for_selector("#import-rows")
    assert page.locator("#import-rows tbody tr").count() == 2
    assert "秦秀英" in page.inner_text("#import-rows")
    assert Attendance.objects.count() == 0  # nothing written before confirming
    page.screenshot(path=str(ARTIFACTS / "training-import-preview.png"), full_page=True)

    page.locator("#import-confirm button[type=submit]").click()
    page.wait_for_url("**/training/compliance/")
    assert Attendance.objects.count() == 2
    page.goto(f"{live_server.url}/training/compliance/?year=2026")
    assert _met_count(page) == 2
    page.screenshot(path=str(ARTIFACTS / "training-compliance-after.png"), full_page=True)
