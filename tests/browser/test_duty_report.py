"""R-ASM-2 in a real browser on a phone-sized screen: a secretary submits the duty report, the
supervisor returns it with a reason, the secretary edits and resubmits, the supervisor accepts.
Screenshots go to test-artifacts/."""
import os
from pathlib import Path

import pytest

from assessment.choices import DutyReportState
from assessment.models import DutyReport

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian Chromium not installed at {CHROMIUM}"),
]


@pytest.fixture
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    p = sync_api.sync_playwright().start()
    browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    yield browser
    browser.close()
    p.stop()


def log_in(browser, base_url, username, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-123456-zhishu")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def test_secretary_submits_supervisor_returns_secretary_resubmits_supervisor_accepts(
        browser, live_server, transactional_db, world):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    sec = log_in(browser, base, "secretary_a1", PHONE)
    sec.goto(f"{base}/assessment/duty-reports/")
    sec.fill("#id_year", "2025")
    sec.click("[data-testid=write-report]")
    sec.wait_for_url("**/assessment/duty-reports/*/")
    report_url = sec.url
    sec.fill("#id_commitments", "村集体经济收入达到20万元的承诺已完成八成")
    sec.fill("#id_work_done", "修建村道2公里")
    sec.click("button[value=save]")
    sec.wait_for_load_state()
    assert sec.locator("#id_work_done").input_value() == "修建村道2公里"  # the draft is kept
    sec.click("button[value=submit]")
    sec.wait_for_load_state()
    assert sec.locator("[data-testid=state]").inner_text() != ""
    assert DutyReport.objects.get().state == DutyReportState.SUBMITTED
    sec.screenshot(path=str(ARTIFACTS / "duty-report-submitted-phone.png"), full_page=True)

    sup = log_in(browser, base, "supervisor_a", {"width": 1280, "height": 900})
    sup.goto(report_url)
    sup.fill("#id_reason", "请补充投资金额和受益户数")
    sup.click("button[value=return]")
    sup.wait_for_load_state()
    assert DutyReport.objects.get().state == DutyReportState.RETURNED

    sec.goto(report_url)
    assert "请补充投资金额和受益户数" in sec.locator("[data-testid=return-reason]").inner_text()
    assert sec.locator("#id_work_done").input_value() == "修建村道2公里"  # returned text kept
    sec.screenshot(path=str(ARTIFACTS / "duty-report-returned-phone.png"), full_page=True)
    sec.fill("#id_work_done", "修建村道2公里，投资40万元，受益农户312户")
    sec.click("button[value=submit]")
    sec.wait_for_load_state()
    assert DutyReport.objects.get().state == DutyReportState.SUBMITTED

    sup.goto(report_url)
    assert "受益农户312户" in sup.locator("[data-testid=work_done]").inner_text()
    sup.click("button[value=accept]")
    sup.wait_for_load_state()
    report = DutyReport.objects.get()
    assert report.state == DutyReportState.ACCEPTED
    assert sup.locator("[data-testid=history] li").count() == 5
    sup.screenshot(path=str(ARTIFACTS / "duty-report-accepted.png"), full_page=True)
    assert list(report.events.values_list("to_state", "by__username")) == [
        ("draft", "secretary_a1"), ("submitted", "secretary_a1"), ("returned", "supervisor_a"),
        ("submitted", "secretary_a1"), ("accepted", "supervisor_a")]
