"""R-JOB-2 with R-ASM-2/3: the assessment's parts of the daily sweep, on real dates.

The world's county cycle of 2025 has its duty reports due on 2025-12-10 and its evaluations due on
2025-12-20 (tests.assessment.helpers.make_cycle); the policy's default reminder is 7 days.
"""
import datetime as dt

import pytest
from django.utils import timezone

from assessment.choices import DutyReportState
from assessment.models import DutyReport, EvaluationSample
from assessment.sweeps import (
    NOTICE_KIND_EVALUATIONS_DUE,
    NOTICE_KIND_EVALUATIONS_OVERDUE,
    NOTICE_KIND_REPORT_DUE,
    NOTICE_KIND_REPORT_OVERDUE,
    NOTICE_KIND_REPORTS_MISSING,
    duty_reports_due_sweep,
    evaluations_due_sweep,
)
from cadres.choices import AppointmentRole
from core.choices import Level, Role, Sector
from core.models import Notice, Policy
from core.notice_kinds import notice_kind_label
from tests.assessment.helpers import make_branches, make_cycle
from tests.factories import AppointmentFactory, PersonFactory, make_unit, make_user

REPORTS_DUE = dt.date(2025, 12, 10)
EVALUATIONS_DUE = dt.date(2025, 12, 20)


def _kinds(user) -> list[str]:
    return sorted(Notice.objects.filter(recipient=user).values_list("kind", flat=True))


def _report(world, state):
    return DutyReport.objects.create(unit=world.village_a1, person=world.secretary_a1, year=2025, state=state,
                                     work_done="做了很多工作")


# ---------------------------------------------------------------- duty reports (R-ASM-2)

@pytest.mark.parametrize(("as_of", "reminded"), [
    (REPORTS_DUE - dt.timedelta(days=8), False),  # N+1 days before: not yet
    (REPORTS_DUE - dt.timedelta(days=7), True),  # exactly N days before
    (REPORTS_DUE, True),  # the due date itself
])
def test_a_secretary_is_reminded_exactly_the_policys_days_before_the_due_date(world, as_of, reminded):
    make_cycle(unit=world.county_a)
    assert duty_reports_due_sweep(as_of=as_of) == (1 if reminded else 0)
    assert _kinds(world.secretary_user) == ([NOTICE_KIND_REPORT_DUE] if reminded else [])
    assert not Notice.objects.filter(recipient=world.staff_a).exists()  # no summary before the date


def test_the_window_is_the_jurisdictions_policy_value(world):
    make_cycle(unit=world.county_a)
    Policy.objects.create(unit=world.county_a, year=2025, report_reminder_days=3)
    assert duty_reports_due_sweep(as_of=REPORTS_DUE - dt.timedelta(days=4)) == 0
    assert duty_reports_due_sweep(as_of=REPORTS_DUE - dt.timedelta(days=3)) == 1


def test_after_the_due_date_the_secretary_is_told_once_and_the_staff_get_one_count(world):
    cycle = make_cycle(unit=world.county_a)
    world.person_a2.user = make_user(unit=world.village_a2, role=Role.SECRETARY, username="secretary_a2")
    world.person_a2.save()
    _report(world, DutyReportState.DRAFT)  # a draft is still missing
    day = REPORTS_DUE + dt.timedelta(days=1)
    # two secretaries overdue, one summary to each of the county's staff (staff_a; not the supervisor)
    assert duty_reports_due_sweep(as_of=day) == 3
    assert _kinds(world.secretary_user) == [NOTICE_KIND_REPORT_OVERDUE]
    assert _kinds(world.staff_a) == [NOTICE_KIND_REPORTS_MISSING]
    assert _kinds(world.supervisor_a) == [] and _kinds(world.outsider) == []
    summary = Notice.objects.get(recipient=world.staff_a)
    assert summary.key == f"assessment.reports_missing:{cycle.pk}:2025-12-10"
    assert "2" in summary.title and "2025年12月10日" in summary.title
    assert summary.url == "/assessment/duty-reports/?year=2025"
    # each notice once: the next days add nothing
    assert duty_reports_due_sweep(as_of=day) == 0
    assert duty_reports_due_sweep(as_of=day + dt.timedelta(days=5)) == 0
    assert Notice.objects.count() == 3


def test_the_reminder_and_the_overdue_notice_are_two_notices(world):
    cycle = make_cycle(unit=world.county_a)
    assert duty_reports_due_sweep(as_of=REPORTS_DUE - dt.timedelta(days=2)) == 1
    assert duty_reports_due_sweep(as_of=REPORTS_DUE - dt.timedelta(days=1)) == 0
    assert duty_reports_due_sweep(as_of=REPORTS_DUE + dt.timedelta(days=1)) == 2  # overdue + the staff count
    keys = sorted(Notice.objects.filter(recipient=world.secretary_user).values_list("key", flat=True))
    person = world.secretary_a1.pk
    assert keys == [f"assessment.report_due:{cycle.pk}:{person}:2025-12-10",
                    f"assessment.report_overdue:{cycle.pk}:{person}:2025-12-10"]
    # a moved deadline is a new deadline: reminded again
    cycle.reports_due = dt.date(2025, 12, 31)
    cycle.save()
    assert duty_reports_due_sweep(as_of=dt.date(2025, 12, 30)) == 1


@pytest.mark.parametrize("state", [DutyReportState.SUBMITTED, DutyReportState.ACCEPTED])
def test_a_submitted_or_accepted_report_gets_nothing(world, state):
    make_cycle(unit=world.county_a)
    _report(world, state)
    assert duty_reports_due_sweep(as_of=REPORTS_DUE - dt.timedelta(days=1)) == 0
    # after the date only the other branch's secretary (no account) is missing: the staff still hear of it
    assert duty_reports_due_sweep(as_of=REPORTS_DUE + dt.timedelta(days=1)) == 1
    assert _kinds(world.secretary_user) == []
    assert "1" in Notice.objects.get(recipient=world.staff_a).title


def test_a_returned_report_is_reminded(world):
    make_cycle(unit=world.county_a)
    _report(world, DutyReportState.RETURNED)
    assert duty_reports_due_sweep(as_of=REPORTS_DUE) == 1


def test_published_cycles_and_old_years_are_skipped(world):
    cycle = make_cycle(unit=world.county_a)
    cycle.published_at = timezone.now()
    cycle.save()
    assert duty_reports_due_sweep(as_of=REPORTS_DUE) == 0
    assert evaluations_due_sweep(as_of=EVALUATIONS_DUE) == 0
    make_cycle(unit=world.county_a, year=2023)  # unpublished, but two years back
    assert duty_reports_due_sweep(as_of=dt.date(2025, 12, 1)) == 0


def test_former_secretaries_and_other_counties_get_nothing(world):
    make_cycle(unit=world.county_a)
    world.appointment_a1.end_date = dt.date(2025, 6, 30)
    world.appointment_a1.save()
    b_user = make_user(unit=world.village_b1, role=Role.SECRETARY, username="secretary_b1")
    world.person_b1.user = b_user
    world.person_b1.save()
    assert duty_reports_due_sweep(as_of=REPORTS_DUE) == 0
    assert _kinds(world.secretary_user) == [] and _kinds(b_user) == []


def _secretaries(parent, count, *, prefix):
    for i, branch in enumerate(make_branches(parent=parent, count=count, prefix=prefix)):
        user = make_user(unit=branch, role=Role.SECRETARY, username=f"{prefix}{i}")
        AppointmentFactory(person=PersonFactory(unit=branch, user=user), unit=branch,
                           role=AppointmentRole.SECRETARY)


def test_the_duty_report_sweep_is_set_based(world, django_assert_max_num_queries, django_assert_num_queries):
    make_cycle(unit=world.county_a)
    make_cycle(unit=world.township_a)  # two cycles over the same branches: both remind
    _secretaries(world.township_a, 3, prefix="S")
    with django_assert_num_queries(6) as small:  # cycles, policies, secretaries, reports, staff, insert
        assert duty_reports_due_sweep(as_of=REPORTS_DUE + dt.timedelta(days=1)) == 2 * 4 + 2  # 4 secretaries, staff
    _secretaries(world.township_a, 30, prefix="L")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert duty_reports_due_sweep(as_of=REPORTS_DUE + dt.timedelta(days=1)) == 2 * 30
    # the staff summary was sent on the first day: not again with the new count
    assert Notice.objects.filter(kind=NOTICE_KIND_REPORTS_MISSING).count() == 2


# ---------------------------------------------------------------- evaluations (R-ASM-3)

def _sample(unit, *, closed=False):
    return EvaluationSample.objects.create(unit=unit, year=2025, seed=1, member_count=20, sample_size=6,
                                           drawn=list(range(1, 7)), closed_at=timezone.now() if closed else None)


@pytest.mark.parametrize(("as_of", "reminded"), [
    (EVALUATIONS_DUE - dt.timedelta(days=8), False),
    (EVALUATIONS_DUE - dt.timedelta(days=7), True),
    (EVALUATIONS_DUE, True),
])
def test_the_township_is_reminded_of_open_evaluations_the_policys_days_before(world, as_of, reminded):
    make_cycle(unit=world.county_a)
    _sample(world.village_a1)  # open
    _sample(world.village_a2, closed=True)
    assert evaluations_due_sweep(as_of=as_of) == (1 if reminded else 0)  # township_staff only
    assert _kinds(world.township_staff) == ([NOTICE_KIND_EVALUATIONS_DUE] if reminded else [])
    if reminded:
        notice = Notice.objects.get(recipient=world.township_staff)
        assert notice.body.startswith("R-ASM-3：甲镇党委有1个支部") and "甲镇党委" in notice.title


def test_closed_samples_everywhere_get_nothing_and_an_undrawn_one_is_overdue(world):
    cycle = make_cycle(unit=world.county_a)
    supervisor = make_user(unit=world.township_a, role=Role.SUPERVISOR, username="township_supervisor")
    _sample(world.village_a1, closed=True)
    _sample(world.village_a2, closed=True)
    assert evaluations_due_sweep(as_of=EVALUATIONS_DUE) == 0
    EvaluationSample.objects.filter(unit=world.village_a2).delete()
    # the day after: the open samples are closed by the date; the branch without a sample is overdue
    day = EVALUATIONS_DUE + dt.timedelta(days=1)
    assert evaluations_due_sweep(as_of=day) == 2  # the township's staff and supervisor, one each
    assert _kinds(world.township_staff) == [NOTICE_KIND_EVALUATIONS_OVERDUE] == _kinds(supervisor)
    key = Notice.objects.get(recipient=supervisor).key
    assert key == f"assessment.evaluations_overdue:{cycle.pk}:{world.township_a.pk}:2025-12-20"
    assert evaluations_due_sweep(as_of=day) == 0
    assert _kinds(world.staff_a) == []  # the county is not the branches' parent


def test_the_notices_links_open_for_their_recipients(world, client):
    make_cycle(unit=world.county_a)
    supervisor = make_user(unit=world.township_a, role=Role.SUPERVISOR, username="township_supervisor")
    duty_reports_due_sweep(as_of=REPORTS_DUE + dt.timedelta(days=1))
    evaluations_due_sweep(as_of=EVALUATIONS_DUE)
    for user in (world.secretary_user, world.staff_a, world.township_staff, supervisor):
        client.force_login(user)
        for notice in Notice.objects.filter(recipient=user):
            assert client.get(notice.url).status_code == 200, (user, notice.url)
    assert Notice.objects.filter(recipient=supervisor).exists()


def test_an_open_sample_is_not_overdue_after_the_date(world):
    make_cycle(unit=world.county_a)
    _sample(world.village_a1)
    _sample(world.village_a2)
    assert evaluations_due_sweep(as_of=EVALUATIONS_DUE + dt.timedelta(days=1)) == 0  # closed by the date


def test_the_evaluation_sweep_is_set_based(world, django_assert_max_num_queries, django_assert_num_queries):
    make_cycle(unit=world.county_a)
    with django_assert_num_queries(7) as small:  # cycles, policies, branches, samples, units, readers, insert
        assert evaluations_due_sweep(as_of=EVALUATIONS_DUE) == 1
    for i in range(5):
        township = make_unit(parent=world.county_a, code=f"43072109{i}", name=f"镇{i}", level=Level.TOWNSHIP,
                             sector=Sector.ORGAN)
        make_user(unit=township, role=Role.STAFF, username=f"t{i}")
        make_branches(parent=township, count=10, prefix=f"T{i}-")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert evaluations_due_sweep(as_of=EVALUATIONS_DUE) == 5


def test_the_new_kinds_have_chinese_labels():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(notice_kind_label(NOTICE_KIND_REPORT_DUE)) == "述职报告即将截止"
        assert str(notice_kind_label("nobody.registered")) == "通知"


# ---------------------------------------------------------------- on the demo data

def test_the_sweep_and_the_notices_page_on_the_demo_data(db, client):
    from io import StringIO

    from django.core.management import call_command

    from assessment.models import AssessmentCycle
    from core.models import User
    from core.sweeps import daily_sweep_run

    call_command("seed_demo", "--branches", "60", "--as-of", "2026-11-23", stdout=StringIO())
    cycle = AssessmentCycle.objects.get(year=2026, published_at__isnull=True)
    before = daily_sweep_run(as_of=cycle.reports_due - dt.timedelta(days=1))
    after = daily_sweep_run(as_of=max(cycle.reports_due, cycle.evaluations_due) + dt.timedelta(days=1))
    assert before["assessment.duty_reports"] > 0 and after["assessment.duty_reports"] > 0
    assert daily_sweep_run(as_of=max(cycle.reports_due, cycle.evaluations_due) + dt.timedelta(days=1)) == {
        name: 0 for name in after}
    kinds = set(Notice.objects.values_list("kind", flat=True))
    assert {NOTICE_KIND_REPORT_DUE, NOTICE_KIND_REPORT_OVERDUE, NOTICE_KIND_REPORTS_MISSING} <= kinds
    for kind in (NOTICE_KIND_REPORTS_MISSING, NOTICE_KIND_REPORT_OVERDUE):
        user = User.objects.get(pk=Notice.objects.filter(kind=kind).values("recipient_id")[:1])
        client.force_login(user)
        page = client.get("/notices/")
        assert page.status_code == 200 and str(notice_kind_label(kind)) in page.content.decode()
        assert client.get(f"/notices/?kind={kind}&unread=1&page=1").status_code == 200
        notice = Notice.objects.filter(recipient=user, kind=kind).first()
        assert client.get(notice.url).status_code == 200  # the notice's link opens for its recipient
