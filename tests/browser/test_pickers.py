"""Issue 8 item 3 in a real browser: staff type two characters of a name into the person picker,
pick the person from what /api/v1/people/ answers, choose the unit through the unit picker (by its
pinyin initials), save an appointment and see it saved. The picker never offers a person of
another county, even one whose name matches (R-ORG-2). Screenshots go to test-artifacts/."""
from cadres.models import Appointment
from tests.browser.test_smoke import ARTIFACTS, log_in, pytestmark  # noqa: F401 — the marks
from tests.factories import PersonFactory, make_unit


def dropdown_texts(page, field: str) -> list[str]:
    return page.locator(f"#field-{field} .ts-dropdown .option").all_inner_texts()


def test_staff_pick_a_person_and_a_unit_and_save_an_appointment(browser, live_server, transactional_db, world):
    ARTIFACTS.mkdir(exist_ok=True)
    zhang = PersonFactory(name="张三一", unit=world.village_a2)
    PersonFactory(name="张三丰", unit=world.village_a1)
    PersonFactory(name="张三二", unit=world.village_b1)  # the sibling county's namesake: never offered
    make_unit(parent=world.township_b, code="430722001009", name="新华村党支部")  # nor its namesake unit
    # The API is asked with the session cookie: count what it answers.
    asked = []
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.on("response", lambda r: asked.append(r) if "/api/v1/people/" in r.url else None)
    log_in(page, live_server.url, "staff_a")
    page.goto(f"{live_server.url}/cadres/appointments/new/")

    person_input = page.locator("#field-person .ts-control input")
    person_input.click()
    # One character is not enough: the picker says so in Chinese and asks nothing.
    person_input.press_sequentially("张")
    page.locator("#field-person .ts-dropdown .no-results").wait_for()
    assert page.locator("#field-person .ts-dropdown .no-results").inner_text() == "输入至少两个字"
    assert not asked
    person_input.press_sequentially("三")
    page.wait_for_function(
        "document.querySelectorAll('#field-person .ts-dropdown .option').length === 2", timeout=8000)
    offered = dropdown_texts(page, "person")
    assert sorted(offered) == sorted(["张三丰 · 东风村党支部", "张三一 · 新华村党支部"])
    assert not any("张三二" in text or "石桥村" in text for text in offered)
    assert asked and all(r.status == 200 for r in asked)
    assert all(r.request.headers.get("accept") == "application/json" for r in asked)
    page.screenshot(path=str(ARTIFACTS / "picker-person-open.png"))
    page.locator("#field-person .ts-dropdown .option", has_text="张三一").click()
    assert page.locator("#id_person").input_value() == str(zhang.pk)

    unit_input = page.locator("#field-unit .ts-control input")
    unit_input.click()
    unit_input.press_sequentially("xhc")
    page.wait_for_function(
        "document.querySelectorAll('#field-unit .ts-dropdown .option').length >= 1", timeout=8000)
    offered = dropdown_texts(page, "unit")
    assert offered == ["新华村党支部（430721001002）\n甲镇党委"]  # the parent's name below the label
    page.screenshot(path=str(ARTIFACTS / "picker-unit-open.png"))
    page.locator("#field-unit .ts-dropdown .option").first.click()
    assert page.locator("#id_unit").input_value() == str(world.village_a2.pk)

    # No match says so in Chinese.
    page.locator("#field-person .ts-control").click()
    person_input.press_sequentially("没有这个人")
    page.locator("#field-person .ts-dropdown .no-results", has_text="无匹配结果").wait_for(timeout=8000)
    assert dropdown_texts(page, "person") == []
    page.keyboard.press("Escape")
    assert page.locator("#id_person").input_value() == str(zhang.pk)

    page.select_option("#id_role", "deputy_secretary")
    page.fill("#id_start_date", "2026-03-01")
    page.select_option("#id_selection_method", "election")
    page.screenshot(path=str(ARTIFACTS / "picker-appointment-form.png"), full_page=True)
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"**/cadres/people/{zhang.pk}/")
    appointment = Appointment.objects.get(person=zhang)
    assert (appointment.unit, appointment.role) == (world.village_a2, "deputy_secretary")
    assert "新华村党支部" in page.locator("main").inner_text()
    page.screenshot(path=str(ARTIFACTS / "picker-appointment-saved.png"), full_page=True)
    page.close()


def test_the_sibling_countys_staff_are_offered_only_their_own_namesake(browser, live_server, transactional_db,
                                                                        world):
    PersonFactory(name="张三一", unit=world.village_a2)
    PersonFactory(name="张三二", unit=world.village_b1)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, live_server.url, "outsider")
    page.goto(f"{live_server.url}/cadres/appointments/new/")
    person_input = page.locator("#field-person .ts-control input")
    person_input.click()
    person_input.press_sequentially("zs")
    page.wait_for_function(
        "document.querySelectorAll('#field-person .ts-dropdown .option').length >= 1", timeout=8000)
    assert dropdown_texts(page, "person") == ["张三二 · 石桥村党支部"]
    page.close()


def test_a_list_filters_by_a_unit_chosen_with_the_picker(browser, live_server, transactional_db, world):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, live_server.url, "staff_a")
    page.goto(f"{live_server.url}/cadres/people/")
    unit_input = page.locator("#field-unit .ts-control input")
    unit_input.click()
    unit_input.press_sequentially("东风")
    page.locator("#field-unit .ts-dropdown .option", has_text="东风村党支部").wait_for(timeout=8000)
    page.screenshot(path=str(ARTIFACTS / "picker-filter-open.png"))
    page.locator("#field-unit .ts-dropdown .option", has_text="东风村党支部").click()
    page.locator(".filters button[type=submit]").click()
    page.wait_for_url(lambda url: f"unit={world.village_a1.pk}" in url)
    assert page.locator("#people-table tbody tr").all_inner_texts()[0].startswith("秦秀英")
    assert page.locator("#people-table tbody tr").count() == 1
    # The chosen unit is shown again in the picker after the page reloads.
    assert "东风村党支部" in page.locator("#field-unit .ts-control").inner_text()
    page.close()
