"""R-RCT-1/3 in a real browser: staff open a case by hand and add a task with a deadline and an owner, the
owner (a secretary whose Person owns the task) marks it done with evidence, the supervisor signs the case off
after confirming. Screenshots go to test-artifacts/."""
import os

import pytest

from rectification.choices import CaseState, TaskState
from rectification.models import RectificationCase
from tests.browser.test_duty_report import ARTIFACTS, CHROMIUM, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian Chromium not installed at {CHROMIUM}"),
]
DESKTOP = {"width": 1280, "height": 900}


def _pick(page, scope: str, field: str, typed: str, option: str) -> None:
    box = page.locator(f"{scope} #field-{field} .ts-control input")
    box.click()
    box.press_sequentially(typed)
    page.locator(f"{scope} #field-{field} .ts-dropdown .option", has_text=option).first.wait_for(timeout=8000)
    page.locator(f"{scope} #field-{field} .ts-dropdown .option", has_text=option).first.click()


def test_staff_open_owner_marks_done_supervisor_closes(browser, live_server, transactional_db, world):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    staff = log_in(browser, base, "staff_a", DESKTOP)
    staff.goto(f"{base}/rectification/")
    staff.click("[data-testid=open-case]")
    staff.wait_for_url("**/rectification/cases/new/")
    _pick(staff, "form", "unit", "东风", "东风村党支部")
    staff.fill("#id_year", "2025")
    staff.fill("#id_reason", "群众反映支部软弱，班子不团结")
    staff.click("[data-testid=submit-open]")
    staff.wait_for_url("**/rectification/cases/*/")
    case = RectificationCase.objects.get(unit=world.village_a1, year=2025)
    assert "群众反映支部软弱" in staff.locator("[data-testid=explanation]").inner_text()

    staff.click("#task-add summary")
    staff.fill("#id_task_add-title", "规范“三会一课”")
    _pick(staff, "#task-add", "owner_person", "秦秀", "秦秀英")
    staff.fill("#id_task_add-deadline", "2026-06-30")
    staff.screenshot(path=str(ARTIFACTS / "rectification-add-task.png"), full_page=True)
    staff.click("[data-testid=add-task]")
    staff.wait_for_load_state()
    row = staff.locator("[data-testid=task-row]").first
    assert "秦秀英" in row.inner_text() and "2026年6月30日" in row.inner_text()
    staff.context.close()

    sec = log_in(browser, base, "secretary_a1", DESKTOP)
    sec.goto(f"{base}/rectification/cases/{case.pk}/")
    assert sec.locator("#problem-add").count() == 0  # the secretary reads the lists, changes only their task
    sec.locator("[data-testid=done-form] textarea").fill("已建立会议台账，按月召开支委会")
    sec.click("[data-testid=mark-done]")
    sec.wait_for_load_state()
    assert "已完成" in sec.locator("[data-testid=task-state]").first.inner_text()
    sec.screenshot(path=str(ARTIFACTS / "rectification-task-done.png"), full_page=True)
    sec.context.close()
    assert case.tasks.get().state == TaskState.DONE

    sup = log_in(browser, base, "supervisor_a", DESKTOP)
    sup.goto(f"{base}/rectification/cases/{case.pk}/")
    sup.click("[data-testid=close-link]")
    sup.wait_for_url("**/close/")
    sup.fill("#id_note", "经镇党委验收，整改到位，同意销号")
    sup.click("[data-testid=confirm-close]")  # without the tick it is refused
    sup.wait_for_load_state()
    assert sup.locator("#field-confirm .errorlist").count() == 1
    sup.check("#id_confirm")
    sup.click("[data-testid=confirm-close]")
    sup.wait_for_url(f"**/rectification/cases/{case.pk}/")
    assert "已销号" in sup.locator("[data-testid=case-state]").inner_text()
    assert "经镇党委验收" in sup.locator("[data-testid=history]").inner_text()
    sup.screenshot(path=str(ARTIFACTS / "rectification-closed.png"), full_page=True)
    sup.context.close()
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
