"""seed_demo's training data (training.demo): courses of every kind and a realistic R-TRN-1..3 mix."""
import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cadres.demo import DEFAULT_PASSWORD, JOB_KIND
from core.choices import Level
from core.models import Job, User
from training.choices import ComplianceRule, ComplianceStatus, CourseKind
from training.demo import training_plan
from training.models import Attendance, Course
from training.selectors import training_compliance_report

AS_OF = dt.date(2026, 11, 23)
R1, R2, R3 = ComplianceRule.INITIAL.value, ComplianceRule.ANNUAL.value, ComplianceRule.ROTATION.value


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("seed_demo", "--branches", "60", "--as-of", AS_OF.isoformat(), stdout=out)
    return out.getvalue()


def city_staff():
    return User.objects.get(username="city_staff")


def test_courses_of_every_kind_by_city_counties_and_townships(demo):
    assert set(Course.objects.values_list("kind", flat=True)) == set(CourseKind.values)
    levels = set(Course.objects.values_list("organiser__level", flat=True))
    assert {Level.CITY, Level.COUNTY, Level.TOWNSHIP} <= levels
    assert set(Course.objects.values_list("organiser_level", flat=True)) == levels
    years = set(Course.objects.exclude(kind__in=(CourseKind.INITIAL, CourseKind.DEGREE))
                .values_list("start_date__year", flat=True))
    assert years == {AS_OF.year - 1, AS_OF.year}
    names = list(Course.objects.values_list("name", flat=True))
    assert any(f"{AS_OF.year}年" in n and "党组织书记初任培训班" in n for n in names)
    assert any("党校" in n and "期" in n and "轮训班" in n for n in names)
    for course in Course.objects.all():
        assert course.end_date >= course.start_date and course.hours > 0 and course.content_categories


def test_attendances_are_valid(demo):
    assert Attendance.objects.count() > 200
    assert not Attendance.objects.filter(completed=True, completed_on__isnull=True).exists()
    assert not Attendance.objects.filter(completed=False, completed_on__isnull=False).exists()
    for a in Attendance.objects.filter(completed=True).select_related("course"):
        assert a.course.start_date <= a.completed_on <= AS_OF, a
    # Some credited by days (a half day's leave), most by the course's hours, self-study by hours.
    assert Attendance.objects.filter(days__isnull=False).exists()
    assert Attendance.objects.filter(course__kind=CourseKind.SELF_STUDY, hours__isnull=False).exists()


def test_the_current_year_shows_every_initial_training_outcome(demo):
    """R-TRN-1: most done on time, some late, a few overdue; due for the newly appointed."""
    report = training_compliance_report(user=city_staff(), year=AS_OF.year, as_of=AS_OF)
    initial = report["counts"][R1]
    assert len([s for s, n in initial.items() if n]) >= 3, initial
    assert initial[ComplianceStatus.DONE_LATE] and initial[ComplianceStatus.OVERDUE]
    late_or_overdue = initial[ComplianceStatus.DONE_LATE] + initial[ComplianceStatus.OVERDUE]
    assert initial[ComplianceStatus.DONE_ON_TIME] > late_or_overdue
    annual = report["counts"][R2]
    assert annual[ComplianceStatus.MET] > annual[ComplianceStatus.IN_PROGRESS]
    rotation = report["counts"][R3]
    assert rotation[ComplianceStatus.MET] > rotation[ComplianceStatus.PENDING] + rotation[ComplianceStatus.FLAGGED]
    assert rotation[ComplianceStatus.FLAGGED] >= 1
    assert 0 < report["failing"] < report["secretaries"] / 2


def test_last_year_has_days_around_the_threshold_met_and_not_met(demo):
    """R-TRN-2: judged on 31 December, some just on the seven days, some just under."""
    last = AS_OF.year - 1
    report = training_compliance_report(user=city_staff(), year=last, as_of=dt.date(last, 12, 31))
    annual = report["counts"][R2]
    assert annual[ComplianceStatus.MET] > annual[ComplianceStatus.NOT_MET] > 0
    measured = [r.days for r in report["rows"] if r.annual.status != ComplianceStatus.NOT_MEASURED]
    assert any(d == Decimal("7") for d in measured)
    assert any(Decimal("6.5") <= d < Decimal("7") for d in measured)


def test_the_summary_and_the_job_count_the_training_rows(demo):
    job = Job.objects.get(kind=JOB_KIND)
    assert job.result["training.Course"] == Course.objects.count()
    assert job.result["training.Attendance"] == Attendance.objects.count()
    summary = next(line for line in demo.splitlines() if " · " in line)
    assert f"{Course.objects.count():,}" in summary and f"{Attendance.objects.count():,}" in summary


def test_the_plan_is_deterministic_and_is_what_was_written(demo):
    courses, attendances = training_plan(seed=1, as_of=AS_OF)
    again_courses, again_attendances = training_plan(seed=1, as_of=AS_OF)
    assert [c.name for c in courses] == [c.name for c in again_courses]
    assert attendances == again_attendances
    assert sorted(c.code for c in courses) == sorted(Course.objects.values_list("code", flat=True))
    written = {(a.person_id, a.course.code, a.completed_on, a.hours, a.days)
               for a in Attendance.objects.select_related("course")}
    assert written == {(a.person_id, a.course_code, a.completed_on, a.hours, a.days) for a in attendances}
    other_courses, other_attendances = training_plan(seed=2, as_of=AS_OF)
    assert [(c.name, c.start) for c in other_courses] != [(c.name, c.start) for c in courses]
    assert other_attendances != attendances


def test_the_pages_show_the_data(demo):
    client = Client()
    assert client.login(username="city_staff", password=DEFAULT_PASSWORD)
    page = client.get(reverse("training:compliance"), {"year": AS_OF.year})
    assert page.status_code == 200
    assert client.login(username="secretary_demo", password=DEFAULT_PASSWORD)
    assert client.get(reverse("training:my-training")).status_code == 200
