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
