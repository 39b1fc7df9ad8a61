"""Pages: courses, attendance, compliance with its export, deadlines panels — all scoped (R-ORG-2)."""
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.training.factories import AttendanceFactory, CourseFactory
from training.models import Attendance, Course


@pytest.fixture
def courses(world):
    return {
        "county_a": CourseFactory(organiser=world.county_a, name="甲县年训", code="A-1"),
        "county_b": CourseFactory(organiser=world.county_b, name="乙县年训", code="B-1"),
    }


def test_course_list_and_detail_are_scoped(world, courses, client):
    client.force_login(world.outsider)
    page = client.get("/training/courses/").content.decode()
    assert "乙县年训" in page and "甲县年训" not in page
    assert client.get(f"/training/courses/{courses['county_a'].pk}/").status_code == 404
    client.force_login(world.staff_a)
    assert client.get(f"/training/courses/{courses['county_a'].pk}/").status_code == 200
    assert client.get("/training/courses/?kind=initial").status_code == 200


def test_course_detail_lists_only_attendances_in_the_jurisdiction(world, client):
    city_course = CourseFactory(organiser=world.city, name="全市轮训")
    AttendanceFactory(person=world.secretary_a1, course=city_course)
    AttendanceFactory(person=world.person_b1, course=city_course)
    client.force_login(world.outsider)
    page = client.get(f"/training/courses/{city_course.pk}/").content.decode()
    assert "吴国庆" in page and "秦秀英" not in page


def test_staff_create_a_course_but_only_for_their_own_subtree(world, client):
    client.force_login(world.outsider)
    data = {"code": "X-1", "name": "越权班", "kind": "annual", "organiser": world.county_a.pk,
            "start_date": "2026-03-01", "end_date": "2026-03-02", "hours": "16"}
    response = client.post("/training/courses/new/", data)
    assert response.status_code == 200 and not Course.objects.filter(code="X-1").exists()
    client.force_login(world.staff_a)
    response = client.post("/training/courses/new/", {**data, "content_categories": ["theory"]})
    assert response.status_code == 302
    assert Course.objects.get(code="X-1").content_categories == ["theory"]


def test_attendance_is_recorded_one_by_one_within_the_subtree(world, courses, client):
    data = {"person": world.secretary_a1.pk, "course": courses["county_a"].pk, "hours": "",
            "completed": "on", "completed_on": "2026-03-07"}
    client.force_login(world.outsider)
    assert client.post("/training/attendances/new/", data).status_code == 200  # person not a valid choice
    assert not Attendance.objects.exists()
    client.force_login(world.secretary_user)
    assert client.post("/training/attendances/new/", data).status_code == 403
    client.force_login(world.staff_a)
    assert client.post("/training/attendances/new/", data).status_code == 302
    assert Attendance.objects.get().person == world.secretary_a1


def test_compliance_page_shows_counts_chart_and_only_the_jurisdiction(world, client):
    client.force_login(world.staff_a)
    page = client.get("/training/compliance/?year=2026").content.decode()
    assert "秦秀英" in page and "杨志强" in page and "吴国庆" not in page
    assert 'class="hbars"' in page and 'data-figure="secretaries">2<' in page
    client.force_login(world.outsider)
    page = client.get("/training/compliance/?year=2026").content.decode()
    assert "吴国庆" in page and "秦秀英" not in page
    page = client.get(f"/training/compliance/?year=2026&unit={world.village_a1.pk}").content.decode()
    assert "秦秀英" not in page  # a unit outside the subtree is not a valid filter


def test_compliance_filters_by_rule_and_status(world, client):
    AttendanceFactory(person=world.secretary_a1, course=CourseFactory(organiser=world.county_a))
    client.force_login(world.staff_a)
    page = client.get("/training/compliance/?year=2026&rule=R-TRN-2&status=met").content.decode()
    assert "秦秀英" in page and "杨志强" not in page


def test_compliance_export_has_chinese_headers_and_is_scoped(world, client):
    client.force_login(world.outsider)
    response = client.get("/training/compliance/export.xlsx?year=2026")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "单位" and ws["C1"].value == "姓名"
    assert [ws.cell(row=r, column=3).value for r in range(2, ws.max_row + 1)] == ["吴国庆"]


def test_secretary_sees_their_own_record_and_next_deadline(world, client):
    world.appointment_a1.planned_end_date = dt.date(2029, 3, 1)
    world.appointment_a1.save()
    AttendanceFactory(person=world.secretary_a1, course=CourseFactory(organiser=world.county_a, name="甲县年训"))
    AttendanceFactory(person=world.person_a2, course=CourseFactory(organiser=world.county_a, name="别人的课"))
    client.force_login(world.secretary_user)
    page = client.get("/training/me/").content.decode()
    assert "甲县年训" in page and "别人的课" not in page
    assert "training-my-deadline" in page
    home = client.get("/").content.decode()
    assert "training-my-deadline" in home


def test_staff_see_who_is_due_in_the_next_30_days(world, client):
    from tests.factories import AppointmentFactory, PersonFactory, make_unit

    from django.utils import timezone

    today = timezone.localdate()
    unit = make_unit(parent=world.township_a, name="新村党支部")
    AppointmentFactory(person=PersonFactory(unit=unit, name="新书记"), unit=unit,
                       start_date=today - dt.timedelta(days=170))
    far = make_unit(parent=world.township_a, name="远村党支部")
    AppointmentFactory(person=PersonFactory(unit=far, name="远书记"), unit=far, start_date=today)
    client.force_login(world.staff_a)
    page = client.get("/training/due/").content.decode()
    assert "新书记" in page and "远书记" not in page
    assert "training-due-soon" in client.get("/").content.decode()
    client.force_login(world.outsider)
    assert "新书记" not in client.get("/training/due/").content.decode()
    client.force_login(world.secretary_user)
    assert client.get("/training/due/").status_code == 403


def test_pages_need_a_login(client):
    for url in ("/training/courses/", "/training/compliance/", "/training/me/", "/training/import/"):
        assert client.get(url).status_code == 302


def test_the_compliance_page_shows_the_year_it_reports(world, client):
    from django.utils import timezone

    client.force_login(world.staff_a)
    page = client.get("/training/compliance/").content.decode()
    assert f'value="{timezone.localdate().year}"' in page
