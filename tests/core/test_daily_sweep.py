"""R-JOB-2: the one daily sweep (core.sweeps), its command, and each notice stored and counted once."""
import datetime as dt
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test import RequestFactory

from core.context_processors import navigation
from core.models import Notice
from core.notice_kinds import notice_kind_label
from core.services.notices import notices_send_bulk
from core.sweeps import daily_sweep_run, registered_sweeps
from core.tasks import daily_deadline_sweep
from tests.assessment.helpers import make_cycle

DAY = dt.date(2025, 12, 9)  # the world's 2025 county cycle has its duty reports due the next day


def _notice(user, key, kind="assessment.report_due"):
    return Notice(recipient=user, kind=kind, key=key, title="述职报告即将截止")


def test_every_assessment_part_is_registered_in_the_one_sweep():
    names = [s.name for s in registered_sweeps()]
    assert {"training.initial", "assessment.duty_reports", "assessment.evaluations"} <= set(names)
    assert names.index("training.initial") < names.index("assessment.duty_reports")


def test_the_beat_task_runs_every_part_for_the_day_given(world):
    make_cycle(unit=world.county_a)
    result = daily_deadline_sweep.delay(as_of=DAY.isoformat()).get()
    assert result["assessment.duty_reports"] == 1 and result["assessment.evaluations"] == 0
    assert daily_deadline_sweep.delay(as_of=DAY.isoformat()).get()["assessment.duty_reports"] == 0
    assert daily_sweep_run(as_of=DAY, only=["assessment.evaluations"]) == {"assessment.evaluations": 0}


def test_the_command_prints_each_parts_count(world, capsys):
    make_cycle(unit=world.county_a)
    call_command("run_daily_sweep", "--date", DAY.isoformat(), "--only", "assessment.duty_reports,training.initial")
    out = capsys.readouterr().out
    assert "Daily sweep for 2025-12-09:" in out
    assert "assessment.duty_reports (述职报告截止): 1 new notice\n" in out
    assert "training.initial" in out and "assessment.evaluations" not in out
    assert out.rstrip().endswith("new notices in all.")
    call_command("run_daily_sweep", "--date", DAY.isoformat())  # every part: the others' notices too
    capsys.readouterr()
    call_command("run_daily_sweep", "--date", DAY.isoformat())  # the same day again: nothing new
    assert "\n0 new notices in all." in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["--date", "2025-13-01"], "--date: '2025-13-01' is not a date"),
    (["--only", "nope"], "--only: no part named nope; the parts are: training.initial"),
])
def test_the_command_names_the_bad_option(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("run_daily_sweep", *args)


def test_the_bulk_send_counts_only_what_it_inserted(world, django_assert_num_queries):
    Notice.objects.create(recipient=world.staff_a, kind="x", key="old", title="t")
    batch = [_notice(world.staff_a, "old"), _notice(world.staff_a, "new"), _notice(world.staff_a, "new"),
             _notice(world.supervisor_a, "old")]
    with django_assert_num_queries(1):  # one INSERT … ON CONFLICT DO NOTHING RETURNING
        assert notices_send_bulk(notices=batch) == 2
    assert sorted(Notice.objects.values_list("recipient__username", "key")) == [
        ("staff_a", "new"), ("staff_a", "old"), ("supervisor_a", "old")]
    assert Notice.objects.get(recipient=world.staff_a, key="new").created_at is not None
    assert notices_send_bulk(notices=batch) == 0


@pytest.mark.django_db(transaction=True)
def test_two_racing_bulk_sends_count_each_notice_once(world):
    """Run B starts while run A's rows are inserted but not committed: B's insert waits on the unique
    index and then skips them. A count from a pre-check (B sees nothing yet) would say 2 × 30."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so the runs cannot overlap")
    users = [world.staff_a, world.supervisor_a, world.township_staff]
    keys = [f"race:{i}" for i in range(10)]
    inserted_a, counts, errors = threading.Event(), {}, []
    go_on = threading.Event()

    def run(name, *, hold):
        try:
            with transaction.atomic():
                counts[name] = notices_send_bulk(notices=[_notice(u, k) for u in users for k in keys])
                if hold:
                    inserted_a.set()
                    go_on.wait(10)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    a = threading.Thread(target=run, args=("a",), kwargs={"hold": True})
    a.start()
    assert inserted_a.wait(10)
    b = threading.Thread(target=run, args=("b",), kwargs={"hold": False})
    b.start()
    b.join(1)  # B blocks on A's uncommitted rows
    assert b.is_alive()
    go_on.set()
    a.join(10)
    b.join(10)
    assert not errors
    assert counts == {"a": 30, "b": 0}
    assert Notice.objects.count() == 30


# ---------------------------------------------------------------- the bell and the notices page

def test_the_bell_count_is_one_query(world, django_assert_num_queries):
    Notice.objects.bulk_create([_notice(world.staff_a, f"k{i}") for i in range(3)])
    request = RequestFactory().get("/")
    request.user = world.staff_a
    with django_assert_num_queries(1):
        assert navigation(request)["unread_notices"] == 3


def test_the_notices_page_shows_kinds_by_label_filters_and_pages(world, client):
    Notice.objects.bulk_create([_notice(world.staff_a, f"r{i}") for i in range(55)]
                               + [_notice(world.staff_a, "m", kind="assessment.reports_missing"),
                                  _notice(world.staff_a, "z", kind="someone.unregistered"),
                                  _notice(world.outsider, "o", kind="assessment.evaluations_due")])
    client.force_login(world.staff_a)
    page = client.get("/notices/").content.decode()
    assert "述职报告即将截止" in page and "述职报告缺交" in page
    # never a raw code on the page (only as the filter's option values)
    assert '<option value="someone.unregistered">通知</option>' in page and ">someone.unregistered<" not in page
    assert '<span class="tag">通知</span>' in page and ">assessment.report_due<" not in page
    assert '<option value="assessment.evaluations_due"' not in page  # another user's kinds are not offered
    assert page.count('class="notice-row"') == 50 and "?page=2" in page
    filtered = client.get("/notices/?kind=assessment.reports_missing").content.decode()
    assert filtered.count('class="notice-row"') == 1
    second = client.get("/notices/?kind=assessment.report_due&page=2").content.decode()
    assert second.count('class="notice-row"') == 5
    notice = Notice.objects.get(recipient=world.staff_a, key="m")
    client.post(f"/notices/{notice.pk}/read/")
    unread = client.get("/notices/?unread=1&kind=assessment.reports_missing").content.decode()
    assert unread.count('class="notice-row"') == 0


def test_unregistered_kinds_read_as_a_notice():
    assert str(notice_kind_label("x.y")) in ("Notice", "通知")


def test_the_api_gives_the_kinds_label(world, api):
    Notice.objects.create(recipient=world.staff_a, kind="assessment.reports_missing", key="m", title="t")
    row = api(world.staff_a).get("/api/v1/notices/").json()["results"][0]
    assert row["kind"] == "assessment.reports_missing" and row["kind_display"] in ("述职报告缺交", "Duty reports missing")


def test_a_failing_part_does_not_stop_the_others_and_the_run_fails(monkeypatch, db):
    """R-JOB-2: one part's error is reported; the parts after it still ran."""
    import datetime as dt

    import pytest

    from core import sweeps

    ran = []

    def broken(*, as_of):
        raise RuntimeError("boom")

    def fine(*, as_of):
        ran.append(as_of)
        return 2

    monkeypatch.setattr(sweeps, "_sweeps", {})
    sweeps.register_sweep("a.broken", broken, label="a", order=1)
    sweeps.register_sweep("b.fine", fine, label="b", order=2)
    with pytest.raises(sweeps.SweepFailed) as failed:
        sweeps.daily_sweep_run(as_of=dt.date(2026, 12, 1))
    assert ran == [dt.date(2026, 12, 1)]
    assert failed.value.counts == {"b.fine": 2}
    assert set(failed.value.errors) == {"a.broken"}
