"""Browser smoke test: Debian's Chromium through Playwright against the live server.

Run with ``DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest tests/browser -q``; screenshots land in
``test-artifacts/``.
"""
import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian Chromium not installed at {CHROMIUM}"),
]


def log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-123456-zhishu")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_staff_log_in_search_a_person_and_open_their_record(browser, live_server, transactional_db, world):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, live_server.url, "staff_a")
    # the chart is drawn after its endpoint answers: wait for it rather than look once (a flake under load)
    page.wait_for_selector("#panel-sector-chart svg", state="visible", timeout=15000)
    assert page.locator("#panel-sector-chart svg").first.is_visible()
    assert page.locator("#panel-reserve-coverage").get_by_text("新华村党支部").is_visible()
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    page.click("nav >> a[href='/cadres/people/']")
    page.fill("#q", "秀英")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    rows = page.locator("#people-table tbody tr")
    assert rows.count() == 1
    page.screenshot(path=str(ARTIFACTS / "people.png"), full_page=True)
    rows.first.get_by_role("link", name="秦秀英").click()
    page.wait_for_url("**/cadres/people/*/")
    assert page.locator("h1").inner_text() == "秦秀英"
    # R-SEC-1: masked until staff press 显示; then in full (and logged).
    assert page.locator("#id-number").inner_text() == world.secretary_a1.masked_id_number
    page.fill("#id_purpose", "核对")
    page.click("#reveal-form button")
    page.wait_for_load_state()
    assert page.locator("#id-number").inner_text() == world.secretary_a1.id_number
    page.screenshot(path=str(ARTIFACTS / "person.png"), full_page=True)
    page.close()


def test_a_secretary_on_a_phone(browser, live_server, transactional_db, world):
    """375 px wide: the navigation collapses behind a button and tables scroll sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                            has_touch=True, locale="zh-CN")
    log_in(page, live_server.url, "secretary_a1")
    assert page.locator("#panel-my-record").get_by_text("秦秀英").is_visible()
    assert not page.locator("#site-nav").is_visible()
    page.screenshot(path=str(ARTIFACTS / "secretary-phone.png"), full_page=True)
    page.click("[data-nav-toggle]")
    assert page.locator("#site-nav").is_visible()
    page.screenshot(path=str(ARTIFACTS / "secretary-phone-nav.png"))
    # The page itself never scrolls sideways; wide tables scroll inside their own box.
    page.goto(f"{live_server.url}/cadres/people/{world.secretary_a1.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "secretary-phone-record.png"), full_page=True)
    page.close()


def test_the_job_page_follows_progress_from_the_api(browser, live_server, transactional_db, world):
    """R-JOB-3: the job page polls /api/v1/jobs/<id>/ every 2 s and moves its bar."""
    from core.choices import JobState
    from core.models import Job

    job = Job.objects.create(kind="import_people", created_by=world.staff_a, state=JobState.RUNNING, progress=10)
    page = browser.new_page(viewport={"width": 1280, "height": 700}, locale="zh-CN")
    log_in(page, live_server.url, "staff_a")
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    assert page.locator("[data-job-percent]").inner_text() == "10%"
    Job.objects.filter(pk=job.pk).update(progress=70, message="第 700 行")
    page.wait_for_function("document.querySelector('[data-job-percent]').textContent === '70%'", timeout=8000)
    assert page.locator("[data-job-message]").inner_text() == "第 700 行"
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, error="第 3 行：身份证号码校验位错误")
    page.wait_for_function("document.querySelector('[data-job-error]').hidden === false", timeout=8000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "job.png"))
    page.close()
