"""R-JOB-3 through a real Celery worker and a real Redis broker (not eager mode).

Skipped with a reason on a machine without Redis; in CI (CI=true) a missing Redis fails.
"""
import os
import uuid

import pytest
from django.conf import settings

from config.celery import app
from core.choices import JobState, Level, Sector
from core.services.jobs import job_create
from core.tasks import export_enterprise_coverage
from tests.factories import make_unit

pytestmark = pytest.mark.worker


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


@pytest.fixture
def real_worker(transactional_db):
    if not _redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {settings.CELERY_BROKER_URL}; CI must run the worker test")
        pytest.skip(f"Redis is not reachable at {settings.CELERY_BROKER_URL}")
    from celery.contrib.testing.worker import start_worker

    # A queue of its own, so that another test run or a dev worker on the same Redis
    # cannot take this run's tasks (nor this worker theirs).
    queue = f"zhishu-test-{uuid.uuid4().hex}"
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]):
            yield queue
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def test_an_export_job_runs_in_a_worker_and_reports_its_result(world, real_worker):
    make_unit(parent=world.township_a, name="大厂", level=Level.ENTERPRISE, sector=Sector.NON_PUBLIC, employees=120)
    job = job_create(kind="enterprise_coverage_export", user=world.staff_a, params={"year": 2026})
    result = export_enterprise_coverage.apply_async(kwargs={"job_id": job.pk}, queue=real_worker)
    assert result.get(timeout=30) == job.pk
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.progress == 100
    assert job.result == {"rows": 1, "year": 2026}
    assert job.file.name.endswith(".xlsx")


def test_a_failing_job_ends_with_a_readable_error(world, real_worker):
    job = job_create(kind="enterprise_coverage_export", user=world.staff_a, params={"year": "not-a-year"})
    result = export_enterprise_coverage.apply_async(kwargs={"job_id": job.pk}, queue=real_worker)
    with pytest.raises(ValueError):
        result.get(timeout=30)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "not-a-year" in job.error
    assert not job.file

