"""R-TRN-5: the compliance report — set-based, scoped, each status explained."""
import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.choices import EndReason
from cadres.models import Appointment
from tests.factories import AppointmentFactory, PersonFactory, make_unit
from tests.training.factories import AttendanceFactory, CourseFactory, bulk_secretaries
from training.choices import CourseKind
from training.selectors import compliance_rows, training_compliance_report

URL = "/api/v1/reports/training-compliance/"
AS_OF = dt.date(2026, 11, 23)


def _report(user, **kw):
    kw.setdefault("year", 2026)
    kw.setdefault("as_of", AS_OF)
    return training_compliance_report(user=user, **kw)


def _row(report, person):
    return next(r for r in report["rows"] if r.person == person)


def test_a_second_appointment_as_secretary_does_not_reopen_r_trn_1(world):
    person = PersonFactory(unit=world.village_a2)
    world.appointment_a2.end_date, world.appointment_a2.end_reason = dt.date(2025, 12, 31), EndReason.ADJUSTMENT
    world.appointment_a2.save()
    initial = CourseFactory(organiser=world.county_a, kind=CourseKind.INITIAL, start_date=dt.date(2025, 3, 1),
                            end_date=dt.date(2025, 3, 5))
    # First appointment 2025-01-31, trained 2025-03-05; ends; appointed again elsewhere 2026-05-01.
    AppointmentFactory(person=person, unit=world.village_b1, start_date=dt.date(2025, 1, 31),
                       end_date=dt.date(2025, 12, 1), end_reason=EndReason.ADJUSTMENT)
    AttendanceFactory(person=person, course=initial)
    AppointmentFactory(person=person, unit=world.village_a2, start_date=dt.date(2026, 5, 1))
    st = _row(_report(world.staff_a), person).statuses["R-TRN-1"]
    # The window closed in 2025 and the training was done then: nothing is due in 2026.
    assert st is None
    rows = compliance_rows(appointments=Appointment.objects.filter(person=person), year=2025,
                           as_of=dt.date(2025, 11, 30))
    assert rows[0].statuses["R-TRN-1"].status == "done_on_time"
    assert rows[0].statuses["R-TRN-1"].deadline == dt.date(2025, 7, 31)


def test_a_second_appointment_never_trained_stays_measured_from_the_first(world):
    person = PersonFactory(unit=world.village_a2)
    world.appointment_a2.end_date, world.appointment_a2.end_reason = dt.date(2026, 4, 30), EndReason.ADJUSTMENT
    world.appointment_a2.save()
    AppointmentFactory(person=person, unit=world.village_b1, start_date=dt.date(2026, 1, 31),
                       end_date=dt.date(2026, 4, 1), end_reason=EndReason.ADJUSTMENT)
    AppointmentFactory(person=person, unit=world.village_a2, start_date=dt.date(2026, 5, 1))
    st = _row(_report(world.staff_a), person).statuses["R-TRN-1"]
    assert st.deadline == dt.date(2026, 7, 31)  # not 2026-11-01: the second appointment does not reopen it
    assert st.status == "overdue"


def test_report_counts_days_from_hours_and_judges_r_trn_2(world):
    course = CourseFactory(organiser=world.county_a, hours=Decimal("55.2"))
    AttendanceFactory(person=world.secretary_a1, course=course)
    report = _report(world.staff_a, as_of=dt.date(2026, 12, 31))
    row = _row(report, world.secretary_a1)
    assert row.days == Decimal("6.9")
    assert row.annual.status == "not_met"
    extra = CourseFactory(organiser=world.county_a, hours=Decimal("0.8"))
    AttendanceFactory(person=world.secretary_a1, course=extra)
    row = _row(_report(world.staff_a, as_of=dt.date(2026, 12, 31)), world.secretary_a1)
    assert row.days == Decimal("7") and row.annual.status == "met"


def test_attendances_of_another_year_or_not_completed_do_not_count(world):
    AttendanceFactory(person=world.secretary_a1, course=CourseFactory(organiser=world.county_a,
                      start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 3, 7)))
    AttendanceFactory(person=world.secretary_a1, course=CourseFactory(organiser=world.county_a), completed=False,
                      completed_on=None)
    assert _row(_report(world.staff_a), world.secretary_a1).days == 0


def test_r_trn_3_counts_rotations_within_the_term(world):
    world.appointment_a1.planned_end_date = dt.date(2027, 3, 1)
    world.appointment_a1.save()
    row = _row(_report(world.staff_a), world.secretary_a1)
    assert row.rotation.status == "flagged"  # 3 months left, no rotation
    AttendanceFactory(person=world.secretary_a1, course=CourseFactory(
        organiser=world.county_a, kind=CourseKind.PARTY_SCHOOL_ROTATION, start_date=dt.date(2025, 5, 1),
        end_date=dt.date(2025, 5, 20)))
    row = _row(_report(world.staff_a), world.secretary_a1)
    assert row.rotation.status == "met"
    assert row.rotation.explanation["rotations_counted"] == 1


def test_report_is_scoped_to_the_jurisdiction(world):
    names = {r.person.name for r in _report(world.staff_a)["rows"]}
    assert names == {"秦秀英", "杨志强"}
    assert {r.person.name for r in _report(world.outsider)["rows"]} == {"吴国庆"}
    assert [r.person for r in _report(world.secretary_user)["rows"]] == [world.secretary_a1]


def test_report_filters_by_unit_sector_rule_and_status(world):
    report = _report(world.staff_a, unit=world.village_a2)
    assert [r.person for r in report["rows"]] == [world.person_a2]
    assert _report(world.staff_a, sector="community")["secretaries"] == 0
    AttendanceFactory(person=world.secretary_a1, course=CourseFactory(organiser=world.county_a))
    met = _report(world.staff_a, rule="R-TRN-2", status="met")
    assert [r.person for r in met["rows"]] == [world.secretary_a1]
    assert met["counts"]["R-TRN-2"] == {"met": 1, "in_progress": 1, "not_met": 0, "not_measured": 0}
    assert met["secretaries"] == 2  # counts cover the jurisdiction, the filter narrows the rows


def _count_queries(user):
    with CaptureQueriesContext(connection) as ctx:
        report = _report(user)
    return len(ctx.captured_queries), report


def test_report_query_count_is_the_same_for_10_and_1000_secretaries(world):
    course = CourseFactory(organiser=world.city, hours=Decimal("56"))
    small_root = make_unit(parent=world.city, code="SMALL", name="小县", level="county", sector="organ")
    big_root = make_unit(parent=world.city, code="BIG", name="大县", level="county", sector="organ")
    from tests.factories import make_user

    small_user = make_user(unit=small_root)
    big_user = make_user(unit=big_root)
    bulk_secretaries(parent=small_root, count=10, with_attendance=course)
    bulk_secretaries(parent=big_root, count=1000, with_attendance=course)
    small_user.refresh_from_db()
    big_user.refresh_from_db()
    assert small_user.unit and big_user.unit  # loaded once per request by the login, not by the report
    small_queries, small = _count_queries(small_user)
    big_queries, big = _count_queries(big_user)
    assert small["secretaries"] == 10 and big["secretaries"] == 1000
    assert big["counts"]["R-TRN-2"]["met"] == 1000
    # PostgreSQL: the inputs in one statement (1), policies (1); elsewhere appointments with first start and
    # rotations (1), attendance sums (1), policies (1)
    assert small_queries == big_queries == (2 if connection.vendor == "postgresql" else 3)


def test_api_report_returns_counts_rows_and_explanations(world, api):
    response = api(world.staff_a).get(URL, {"year": 2026})
    assert response.status_code == 200
    data = response.json()
    assert data["secretaries"] == 2
    assert set(data["counts"]) == {"R-TRN-1", "R-TRN-2", "R-TRN-3"}
    row = next(r for r in data["results"] if r["name"] == "秦秀英")
    annual = row["statuses"]["R-TRN-2"]
    assert annual["explanation"]["policy"]["annual_training_days"]["value"] == "7"
    assert annual["explanation"]["policy"]["hours_per_day"]["default"] is True


def test_api_report_is_scoped_and_refuses_another_countys_unit(world, api):
    data = api(world.outsider).get(URL, {"year": 2026}).json()
    assert {r["name"] for r in data["results"]} == {"吴国庆"}
    response = api(world.outsider).get(URL, {"year": 2026, "unit": world.village_a1.pk})
    assert response.status_code == 400
    assert api(None).get(URL).status_code == 401


def test_api_report_secretary_sees_only_themself(world, api):
    data = api(world.secretary_user).get(URL, {"year": 2026}).json()
    assert [r["name"] for r in data["results"]] == ["秦秀英"]


def test_api_report_rejects_unknown_filters(world, api):
    assert api(world.staff_a).get(URL, {"rule": "R-XXX"}).status_code == 400
    assert api(world.staff_a).get(URL, {"status": "nope"}).status_code == 400
