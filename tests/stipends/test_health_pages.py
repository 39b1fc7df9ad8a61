"""R-STP-5/6 pages: the eligible list explains each row, is scoped, exports; records are created and marked done."""
import datetime as dt
import io

from openpyxl import load_workbook

from assessment.choices import Tier
from stipends.choices import HealthCheckBasis, HealthCheckKind
from stipends.models import HealthCheck, HealthCheckEntitlement
from stipends.services.health import MSG_DECISION_REQUIRED, health_eligibility_refresh
from tests.factories import make_unit
from tests.stipends.helpers import classify, secretary

D = dt.date


def eligible(world, *, parent=None, name="老支书", start=D(2019, 1, 1), year=2024):
    unit = make_unit(parent=parent or world.township_a, name=f"{name}村党支部")
    person = secretary(unit=unit, start=start, name=name)
    for y in (2022, 2023):
        classify(unit=unit, year=y, tier=Tier.GOOD)
    health_eligibility_refresh(scope_path=world.city.path, year=year)
    return HealthCheckEntitlement.objects.get(person=person)


def test_the_eligible_list_explains_each_row_and_offers_the_check(world, login):
    ent = eligible(world, name="周德明")
    page = login(world.staff_a).get("/stipends/health/eligible/?year=2024")
    body = page.content.decode()
    assert page.status_code == 200 and "周德明" in body
    assert "2019年1月1日" in body and "6" in body and "2022、2023" in body  # since, years, good years
    assert f"/stipends/health/checks/new/?entitlement={ent.pk}" in body
    assert "health_check_min_years" not in body  # the policy's labels, not its codes


def test_the_eligible_list_is_scoped_and_filtered(world, login):
    eligible(world, name="周德明")
    eligible(world, parent=world.township_b, name="石大山")
    body = login(world.outsider).get("/stipends/health/eligible/?year=2024").content.decode()
    assert "石大山" in body and "周德明" not in body
    body = login(world.staff_a).get("/stipends/health/eligible/?year=2023").content.decode()
    assert "周德明" not in body
    body = login(world.staff_a).get("/stipends/health/eligible/?checked=true").content.decode()
    assert "周德明" not in body


def test_a_secretary_sees_no_one_elses_eligibility(world, login):
    eligible(world, name="周德明")
    body = login(world.secretary_user).get("/stipends/health/eligible/").content.decode()
    assert "周德明" not in body and "/stipends/health/checks/new/" not in body


def test_staff_refresh_the_list_for_a_year(world, login):
    unit = make_unit(parent=world.township_a, name="长寿村党支部")
    secretary(unit=unit, start=D(2019, 1, 1), name="刘长寿")
    for y in (2022, 2023):
        classify(unit=unit, year=y, tier=Tier.GOOD)
    client = login(world.staff_a)
    answer = client.post("/stipends/health/eligible/refresh/", {"year": "2024"})
    assert answer.status_code == 302 and answer["Location"].endswith("?year=2024")
    assert HealthCheckEntitlement.objects.filter(person__name="刘长寿").count() == 1
    assert login(world.supervisor_a).post("/stipends/health/eligible/refresh/", {"year": "2024"}).status_code == 403


def test_the_export_holds_the_rows_with_chinese_headers(world, login):
    eligible(world, name="周德明")
    eligible(world, parent=world.township_b, name="石大山")
    answer = login(world.staff_a).get("/exports/health-eligible.xlsx?year=2024")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content) if answer.streaming else answer.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("姓名", "党支部", "组织代码", "首次符合年度")
    assert [r[0] for r in rows[1:]] == ["周德明"]
    assert rows[1][6] == 6 and rows[1][8] == "2022、2023" and rows[1][9] == "未体检"


def test_record_a_check_from_the_list_and_mark_it_done(world, login):
    ent = eligible(world, name="周德明")
    client = login(world.staff_a)
    assert client.get(f"/stipends/health/checks/new/?entitlement={ent.pk}").status_code == 200
    answer = client.post("/stipends/health/checks/new/", {
        "person": ent.person_id, "kind": HealthCheckKind.CHECK, "basis": HealthCheckBasis.ELIGIBLE,
        "entitlement": ent.pk, "decided_on": "2025-03-01", "paid_by": "县财政"})
    check = HealthCheck.objects.get()
    assert answer.status_code == 302 and check.entitlement == ent
    answer = client.post(f"/stipends/health/checks/{check.pk}/", {"action": "done", "done-done_on": "2025-04-02",
                                                                   "done-place": "县人民医院", "done-cost": "860.50"})
    check.refresh_from_db()
    assert answer.status_code == 302 and check.done_on == D(2025, 4, 2) and check.place == "县人民医院"
    body = client.get("/stipends/health/eligible/?year=2024").content.decode()
    assert "已体检" in body or "Checked" in body
    assert "周德明" in client.get("/stipends/health/checks/").content.decode()


def test_a_decision_without_its_text_is_refused_beside_the_field(world, login):
    retired = secretary(unit=world.village_a1, start=D(2000, 1, 1), end=D(2020, 12, 31), name="退休老李",
                        is_retired=True)
    answer = login(world.staff_a).post("/stipends/health/checks/new/", {
        "person": retired.pk, "kind": HealthCheckKind.RECUPERATION, "basis": HealthCheckBasis.DECISION,
        "decided_on": "2025-03-01"})
    assert answer.status_code == 400
    assert str(MSG_DECISION_REQUIRED) in answer.content.decode()
    assert not HealthCheck.objects.exists()


def test_the_person_page_shows_the_eligibility_and_checks(world, login):
    ent = eligible(world, name="周德明")
    body = login(world.staff_a).get(f"/cadres/people/{ent.person_id}/").content.decode()
    assert 'id="health-checks"' in body and "2019年1月1日" in body
    body = login(world.staff_a).get(f"/cadres/people/{world.person_a2.pk}/").content.decode()
    assert 'id="health-checks"' not in body


def test_the_lists_take_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    for i in range(12):
        eligible(world, name=f"张{i}号")
    client = login(world.staff_a)
    client.get("/stipends/health/eligible/?year=2024")
    with django_assert_max_num_queries(12):
        answer = client.get("/stipends/health/eligible/?year=2024")
    assert answer.content.decode().count('data-testid="why"') == 12
