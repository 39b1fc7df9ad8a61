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


def test_a_users_mistake_reopens_the_job_and_a_crash_ends_it(world):
    import pytest
    from django.core.exceptions import ValidationError

    from core.services.jobs import job_create, job_run

    def invalid(report):
        raise ValidationError("第7行公民身份号码校验码错误")

    job = job_create(kind="x", user=world.staff_a)
    with pytest.raises(ValidationError):
        job_run(job_id=job.pk, work=invalid, reopen_on=(ValidationError,))
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.PENDING, "第7行公民身份号码校验码错误")
    with pytest.raises(ValidationError):
        job_run(job_id=job.pk, work=invalid)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished_at is not None
