"""Jobs started from pages: the task runs once the job row is committed; its file is its owner's."""
from django.utils import translation

from core.choices import JobState, Level, Sector
from core.models import Job
from tests.factories import make_unit


def test_only_the_job_owner_downloads_its_file(world, client, django_capture_on_commit_callbacks):
    """R-DOS-2 / R-JOB-3, in eager mode: the export page starts a job; its file is the owner's alone."""
    make_unit(parent=world.township_a, name="大厂", level=Level.ENTERPRISE, sector=Sector.NON_PUBLIC, employees=120)
    client.force_login(world.supervisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/enterprise-coverage/export/?year=2026")
    job = Job.objects.get(created_by=world.supervisor_a)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == JobState.SUCCEEDED
    assert job.started_at is not None and job.started_at <= job.finished_at  # the export kept the run's stamps
    with translation.override("en"):
        assert str(job) == f"Enterprise coverage export #{job.pk}"
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    client.force_login(world.staff_a)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404
    client.force_login(world.secretary_user)
    assert client.post("/reports/enterprise-coverage/export/?year=2026").status_code == 403


def test_a_job_runs_once_however_often_it_is_started(world):
    """R-JOB-3 / R-JOB-1: a redelivered task or a second click does not run the work again."""
    from core.services.jobs import job_create, job_run

    job = job_create(kind="x", user=world.staff_a)
    calls = []
    assert job_run(job_id=job.pk, work=lambda report: calls.append(1) or {"n": 1}).result == {"n": 1}
    assert job_run(job_id=job.pk, work=lambda report: calls.append(1) or {"n": 2}) is None
    assert calls == [1]


def test_a_users_mistake_ends_the_job_as_failed_with_its_message_and_a_crash_too(world):
    """R-JOB-3: a refused job is failed (not put back to pending "0%" forever); a crash is failed and raised."""
    import pytest
    from django.core.exceptions import ValidationError

    from core.services.jobs import job_create, job_run

    def invalid(report):
        raise ValidationError("第7行公民身份号码校验码错误")

    job = job_create(kind="x", user=world.staff_a)
    done = job_run(job_id=job.pk, work=invalid, refused_on=(ValidationError,))
    assert (done.state, done.error) == (JobState.FAILED, "第7行公民身份号码校验码错误")
    assert done.finished_at is not None
    assert job_run(job_id=job.pk, work=invalid, refused_on=(ValidationError,)) is None  # ended: not run again

    crashed = job_create(kind="x", user=world.staff_a)
    with pytest.raises(ZeroDivisionError):
        job_run(job_id=crashed.pk, work=lambda report: 1 / 0)
    crashed.refresh_from_db()
    assert crashed.state == JobState.FAILED and crashed.finished_at is not None and "division" in crashed.error


def _lost_run(job, *, task_id, seconds_ago):
    """The job as a worker killed mid-run leaves it: running, its heartbeat stopped ``seconds_ago``."""
    import datetime as dt

    from django.utils import timezone

    stamp = timezone.now() - dt.timedelta(seconds=seconds_ago)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, task_id=task_id, attempts=1,
                                         started_at=stamp, heartbeat_at=stamp)


def test_the_same_task_delivered_again_takes_over_a_run_whose_worker_was_lost(world, settings):
    """R-JOB-3: acks_late redelivers the task of a killed worker; the job is run again, not left running."""
    from core.services.jobs import job_create, job_run

    settings.ZHISHU_JOB_LEASE_SECONDS = 60
    job = job_create(kind="x", user=world.staff_a)
    _lost_run(job, task_id="task-1", seconds_ago=120)
    assert job_run(job_id=job.pk, task_id="task-2", work=lambda report: {"n": 1}) is None  # another task: no
    done = job_run(job_id=job.pk, task_id="task-1", work=lambda report: {"n": 1})
    assert (done.state, done.result, done.attempts) == (JobState.SUCCEEDED, {"n": 1}, 2)


def test_a_redelivery_leaves_a_live_run_alone_and_a_job_lost_too_often_is_failed(world, settings):
    from core.services.jobs import ERR_WORKER_LOST, job_create, job_run

    settings.ZHISHU_JOB_LEASE_SECONDS = 60
    settings.ZHISHU_JOB_MAX_ATTEMPTS = 1
    calls = []
    job = job_create(kind="x", user=world.staff_a)
    _lost_run(job, task_id="task-1", seconds_ago=5)  # heartbeat fresh: the first run is alive
    assert job_run(job_id=job.pk, task_id="task-1", work=lambda report: calls.append(1)) is None
    job.refresh_from_db()
    assert job.state == JobState.RUNNING

    _lost_run(job, task_id="task-1", seconds_ago=120)
    assert job_run(job_id=job.pk, task_id="task-1", work=lambda report: calls.append(1)) is None
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == str(ERR_WORKER_LOST.format(attempts=1))
    assert calls == []


def test_a_job_past_its_soft_time_limit_is_failed_as_timed_out(world, settings):
    """R-JOB-3: Celery raises SoftTimeLimitExceeded in the task; the job says it timed out."""
    from celery.exceptions import SoftTimeLimitExceeded

    from core.services.jobs import ERR_TIMED_OUT, job_create, job_run

    settings.CELERY_TASK_SOFT_TIME_LIMIT = 600

    def slow(report):
        raise SoftTimeLimitExceeded()

    job = job_create(kind="x", user=world.staff_a)
    done = job_run(job_id=job.pk, task_id="t", work=slow)
    assert done.state == JobState.FAILED and done.error == str(ERR_TIMED_OUT.format(seconds=600))
    with translation.override("zh-hans"):
        assert "超时" in str(ERR_TIMED_OUT)
    with translation.override("en"):
        assert "timed out" in str(ERR_TIMED_OUT)


def test_the_sweep_fails_jobs_no_worker_took_and_runs_whose_worker_was_lost(world, settings):
    """R-JOB-3: core.tasks.fail_stale_jobs (beat) — pending too long once sent, or running past the lease."""
    import datetime as dt

    from django.utils import timezone

    from core.services.jobs import ERR_LEASE_EXPIRED, ERR_NO_WORKER, job_create
    from core.tasks import fail_stale_jobs

    settings.ZHISHU_JOB_PENDING_TIMEOUT = 600
    settings.ZHISHU_JOB_LEASE_SECONDS = 60
    settings.ZHISHU_JOB_HEARTBEAT_SECONDS = 10
    old = timezone.now() - dt.timedelta(seconds=900)
    never_taken = job_create(kind="x", user=world.staff_a)
    Job.objects.filter(pk=never_taken.pk).update(enqueued_at=old)
    just_sent = job_create(kind="x", user=world.staff_a)
    Job.objects.filter(pk=just_sent.pk).update(enqueued_at=timezone.now())
    awaiting_confirm = job_create(kind="import_roster", user=world.staff_a)  # never sent: the user decides
    Job.objects.filter(pk=awaiting_confirm.pk).update(created_at=old)
    lost, alive = job_create(kind="x", user=world.staff_a), job_create(kind="x", user=world.staff_a)
    _lost_run(lost, task_id="a", seconds_ago=120)
    _lost_run(alive, task_id="b", seconds_ago=5)

    assert fail_stale_jobs() == {"no_worker": 1, "lost": 1}
    states = dict(Job.objects.values_list("pk", "state"))
    assert states[never_taken.pk] == states[lost.pk] == JobState.FAILED
    assert states[just_sent.pk] == states[awaiting_confirm.pk] == JobState.PENDING
    assert states[alive.pk] == JobState.RUNNING
    assert Job.objects.get(pk=never_taken.pk).error == str(ERR_NO_WORKER.format(minutes=10))
    assert Job.objects.get(pk=lost.pk).error == str(ERR_LEASE_EXPIRED.format(seconds=60))
    assert fail_stale_jobs() == {"no_worker": 0, "lost": 0}


def test_job_tasks_ack_late_and_are_given_back_when_their_worker_dies():
    """R-JOB-3: app-wide acks_late and reject_on_worker_lost, time limits, and the sweep in the beat schedule."""
    from django.conf import settings

    from assessment.tasks import run_annual_review
    from cadres.tasks import apply_import
    from core.tasks import export_enterprise_coverage

    for task in (run_annual_review, apply_import, export_enterprise_coverage):
        assert task.acks_late is True and task.reject_on_worker_lost is True
        assert task.soft_time_limit is None or task.soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    from config.celery import app

    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit
    assert settings.CELERY_BEAT_SCHEDULE["core-fail-stale-jobs"]["task"] == "core.tasks.fail_stale_jobs"
