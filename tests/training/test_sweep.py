"""R-TRN-1 / R-JOB-2: the daily sweep stores each deadline notice once."""
import datetime as dt

from core.choices import Role
from core.models import Notice
from tests.factories import AppointmentFactory, PersonFactory, make_unit, make_user
from tests.training.factories import AttendanceFactory, CourseFactory
from training.choices import CourseKind
from training.services.deadlines import initial_training_sweep
from training.tasks import sweep_initial_training_deadlines


def _new_secretary(world, *, start, trained_on=None):
    unit = make_unit(parent=world.township_a, name="新村党支部")
    login = make_user(unit=unit, role=Role.SECRETARY)
    person = PersonFactory(unit=unit, user=login, name="新书记")
    AppointmentFactory(person=person, unit=unit, start_date=start)
    if trained_on:
        AttendanceFactory(person=person, completed_on=trained_on, course=CourseFactory(
            organiser=world.county_a, kind=CourseKind.INITIAL, start_date=trained_on, end_date=trained_on))
    return person, login


def test_it_notifies_the_person_and_the_parent_units_staff_of_a_deadline_within_30_days(world):
    person, login = _new_secretary(world, start=dt.date(2026, 5, 20))  # deadline 2026-11-20
    created = initial_training_sweep(as_of=dt.date(2026, 11, 1))
    due = Notice.objects.filter(kind="training.initial_due")
    assert {n.recipient for n in due} == {login, world.township_staff}
    assert all("2026年11月20日" in n.title and "新书记" in n.title for n in due)  # issue 8 item 9
    # world.person_a2 (appointed 2024-11-01, deadline 2025-05-01) is overdue; their parent is township A too.
    overdue = Notice.objects.filter(kind="training.initial_overdue")
    assert {n.recipient for n in overdue} == {world.township_staff}
    assert created == due.count() + overdue.count() == 3


def test_running_the_sweep_twice_sends_nothing_new(world):
    _new_secretary(world, start=dt.date(2026, 5, 20))
    first = initial_training_sweep(as_of=dt.date(2026, 11, 1))
    assert first > 0
    assert initial_training_sweep(as_of=dt.date(2026, 11, 1)) == 0
    assert initial_training_sweep(as_of=dt.date(2026, 11, 2)) == 0
    assert Notice.objects.count() == first


def test_deadlines_further_than_30_days_and_trained_people_get_nothing(world):
    _new_secretary(world, start=dt.date(2026, 9, 1))  # deadline 2027-03-01
    person, login = _new_secretary(world, start=dt.date(2026, 5, 20), trained_on=dt.date(2026, 6, 1))
    initial_training_sweep(as_of=dt.date(2026, 11, 1))
    assert not Notice.objects.filter(kind="training.initial_due").exists()
    assert not Notice.objects.filter(recipient=login).exists()


def test_the_overdue_notice_follows_the_due_one(world):
    person, login = _new_secretary(world, start=dt.date(2026, 5, 20))
    initial_training_sweep(as_of=dt.date(2026, 11, 1))
    initial_training_sweep(as_of=dt.date(2026, 11, 21))
    kinds = set(Notice.objects.filter(recipient=login).values_list("kind", flat=True))
    assert kinds == {"training.initial_due", "training.initial_overdue"}


def test_the_task_calls_the_sweep_and_is_registered_daily(world, settings):
    _new_secretary(world, start=dt.date(2026, 5, 20))
    assert sweep_initial_training_deadlines.delay("2026-11-01").get() == 3
    assert sweep_initial_training_deadlines.delay("2026-11-01").get() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["core-daily-deadline-sweep"]
    assert entry["task"] == "core.tasks.daily_deadline_sweep"
    assert entry["schedule"].hour == {6}
