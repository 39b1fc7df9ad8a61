"""R-TRN-4/5 API: courses and attendances, scoped to the caller's subtree (R-ORG-2)."""
from decimal import Decimal

import pytest

from core.models import Policy
from tests.training.factories import AttendanceFactory, CourseFactory
from training.models import Attendance, Course
from training.services.attendances import ERR_ATT_COMPLETED_ON, ERR_ATT_DUPLICATE
from training.services.courses import ERR_COURSE_DATES

COURSES = "/api/v1/courses/"
ATTENDANCES = "/api/v1/attendances/"


@pytest.fixture
def courses(world):
    return {
        "city": CourseFactory(organiser=world.city, name="全市轮训"),
        "county_a": CourseFactory(organiser=world.county_a, name="甲县年训"),
        "township_a": CourseFactory(organiser=world.township_a, name="甲镇专题"),
        "county_b": CourseFactory(organiser=world.county_b, name="乙县年训"),
    }


def _names(response):
    return {r["name"] for r in response.json()["results"]}


def test_courses_are_seen_down_the_subtree_and_from_the_committees_above(world, courses, api):
    assert _names(api(world.staff_a).get(COURSES)) == {"全市轮训", "甲县年训", "甲镇专题"}
    assert _names(api(world.township_staff).get(COURSES)) == {"全市轮训", "甲县年训", "甲镇专题"}
    assert _names(api(world.secretary_user).get(COURSES)) == {"全市轮训", "甲县年训", "甲镇专题"}
    assert _names(api(world.outsider).get(COURSES)) == {"全市轮训", "乙县年训"}


def test_outsider_gets_404_on_a_county_a_course_and_cannot_change_it(world, courses, api):
    course = courses["county_a"]
    assert api(world.outsider).get(f"{COURSES}{course.pk}/").status_code == 404
    assert api(world.outsider).patch(f"{COURSES}{course.pk}/", {"name": "改"}, format="json").status_code == 404
    course.refresh_from_db()
    assert course.name == "甲县年训"


def test_outsider_cannot_create_a_course_organised_by_county_a(world, api):
    payload = {"code": "X1", "name": "越权", "kind": "annual", "organiser": world.county_a.pk,
               "start_date": "2026-03-01", "end_date": "2026-03-02", "hours": "16"}
    response = api(world.outsider).post(COURSES, payload, format="json")
    assert response.status_code == 400 and "organiser" in response.json()
    assert not Course.objects.filter(code="X1").exists()


def test_township_staff_read_but_cannot_change_the_countys_course(world, courses, api):
    course = courses["county_a"]
    assert api(world.township_staff).get(f"{COURSES}{course.pk}/").status_code == 200
    response = api(world.township_staff).patch(f"{COURSES}{course.pk}/", {"name": "改"}, format="json")
    assert response.status_code == 403


def test_staff_create_a_course_with_categories(world, api):
    payload = {"code": "JX2026-01", "name": "初任培训班", "kind": "initial", "organiser": world.county_a.pk,
               "start_date": "2026-03-01", "end_date": "2026-03-05", "hours": "40",
               "content_categories": ["theory", "branch_practice"], "capacity": 60}
    response = api(world.staff_a).post(COURSES, payload, format="json")
    assert response.status_code == 201, response.json()
    course = Course.objects.get(code="JX2026-01")
    assert course.content_categories == ["theory", "branch_practice"]
    assert course.organiser_level == "county"
    assert course.history.count() == 1


def test_course_end_before_start_is_refused(world, api):
    payload = {"code": "BAD", "name": "x", "kind": "annual", "organiser": world.county_a.pk,
               "start_date": "2026-03-05", "end_date": "2026-03-01", "hours": "8"}
    response = api(world.staff_a).post(COURSES, payload, format="json")
    assert response.status_code == 400
    assert response.json()["end_date"] == [str(ERR_COURSE_DATES)]


def test_secretaries_and_supervisors_cannot_write_courses(world, api):
    payload = {"code": "S1", "name": "x", "kind": "annual", "organiser": world.village_a1.pk,
               "start_date": "2026-03-01", "end_date": "2026-03-01", "hours": "8"}
    assert api(world.secretary_user).post(COURSES, payload, format="json").status_code == 403
    assert api(world.supervisor_a).post(COURSES, payload, format="json").status_code == 403


def test_course_filters_and_search(world, courses, api):
    courses["township_a"].kind = "thematic"
    courses["township_a"].content_categories = ["central_work"]
    courses["township_a"].save()
    client = api(world.staff_a)
    assert _names(client.get(COURSES, {"kind": "thematic"})) == {"甲镇专题"}
    assert _names(client.get(COURSES, {"category": "central_work"})) == {"甲镇专题"}
    assert _names(client.get(COURSES, {"search": "年训"})) == {"甲县年训"}
    assert _names(client.get(COURSES, {"organiser": world.township_a.pk})) == {"甲镇专题"}


# Attendances -----------------------------------------------------------------------------------------

@pytest.fixture
def attendances(world, courses):
    return {
        "a1": AttendanceFactory(person=world.secretary_a1, course=courses["county_a"]),
        "a2": AttendanceFactory(person=world.person_a2, course=courses["county_a"]),
        "b1": AttendanceFactory(person=world.person_b1, course=courses["county_b"]),
    }


def _people(response):
    return {r["person_name"] for r in response.json()["results"]}


def test_attendances_are_scoped_by_the_persons_unit(world, attendances, api):
    assert _people(api(world.staff_a).get(ATTENDANCES)) == {"秦秀英", "杨志强"}
    assert _people(api(world.outsider).get(ATTENDANCES)) == {"吴国庆"}


def test_a_secretary_sees_only_their_own_attendances(world, attendances, api):
    assert _people(api(world.secretary_user).get(ATTENDANCES)) == {"秦秀英"}
    response = api(world.secretary_user).get(f"{ATTENDANCES}{attendances['a2'].pk}/")
    assert response.status_code == 404


def test_outsider_gets_404_and_cannot_write_county_a_attendances(world, attendances, api, courses):
    pk = attendances["a1"].pk
    assert api(world.outsider).get(f"{ATTENDANCES}{pk}/").status_code == 404
    assert api(world.outsider).patch(f"{ATTENDANCES}{pk}/", {"hours": "1"}, format="json").status_code == 404
    payload = {"person": world.secretary_a1.pk, "course": courses["city"].pk, "completed": True,
               "completed_on": "2026-03-07"}
    response = api(world.outsider).post(ATTENDANCES, payload, format="json")
    assert response.status_code == 400 and "person" in response.json()
    assert not Attendance.objects.filter(person=world.secretary_a1, course=courses["city"]).exists()


def test_staff_record_an_attendance_and_days_credited_follow_the_policy(world, courses, api):
    Policy.objects.create(unit=world.county_a, year=2026, hours_per_day=Decimal("6"))
    payload = {"person": world.secretary_a1.pk, "course": courses["city"].pk, "hours": "21", "completed": True,
               "completed_on": "2026-03-07", "certificate_number": "ZS-001"}
    response = api(world.staff_a).post(ATTENDANCES, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["days_credited"] == "3.50"
    a = Attendance.objects.get(pk=response.json()["id"])
    assert a.history.count() == 1


def test_a_completed_attendance_needs_its_date_and_a_person_is_recorded_once(world, attendances, courses, api):
    client = api(world.staff_a)
    response = client.post(ATTENDANCES, {"person": world.person_a2.pk, "course": courses["city"].pk,
                                         "completed": True}, format="json")
    assert response.json()["completed_on"] == [str(ERR_ATT_COMPLETED_ON)]
    response = client.post(ATTENDANCES, {"person": world.person_a2.pk, "course": courses["county_a"].pk,
                                         "completed": True, "completed_on": "2026-03-07"}, format="json")
    assert response.status_code == 400
    assert response.json()["person"] == [str(ERR_ATT_DUPLICATE).format(person="杨志强", course="甲县年训")]


def test_secretary_cannot_record_attendances(world, courses, api):
    payload = {"person": world.secretary_a1.pk, "course": courses["city"].pk, "completed": True,
               "completed_on": "2026-03-07"}
    assert api(world.secretary_user).post(ATTENDANCES, payload, format="json").status_code == 403


def test_attendance_filters(world, attendances, api):
    client = api(world.staff_a)
    assert _people(client.get(ATTENDANCES, {"unit": world.village_a2.pk})) == {"杨志强"}
    assert _people(client.get(ATTENDANCES, {"year": 2025})) == set()
    assert _people(client.get(ATTENDANCES, {"search": "秦"})) == {"秦秀英"}


def test_list_endpoints_make_the_same_queries_for_1_and_20_rows(world, api, django_assert_num_queries, courses):
    from tests.factories import PersonFactory

    client = api(world.staff_a)
    AttendanceFactory(person=world.secretary_a1, course=courses["county_a"])
    with django_assert_num_queries(3):
        # count, rows with person/unit/course, policies of the completion year
        first = client.get(ATTENDANCES)
    for _ in range(19):
        AttendanceFactory(person=PersonFactory(unit=world.village_a2), course=courses["county_a"])
    with django_assert_num_queries(3):
        second = client.get(ATTENDANCES)
    assert first.json()["count"] == 1 and second.json()["count"] == 20
    with django_assert_num_queries(2):
        client.get(COURSES)  # count, rows with the organiser
