"""R-JOB-3 under faults: a real Celery worker in a separate process is SIGKILLed in the middle of a job.

The worker (``celery -A config worker --pool=solo`` on a queue of its own) uses this test's
PostgreSQL test database and media folder. A test-only hook (``ZHISHU_TEST_JOB_PAUSE``) makes the
run write a marker file and sleep at a known point *inside* the job's transaction; the test then
kills the worker with SIGKILL (no cleanup, no ack), waits for the dead run's lease to expire and
starts a second worker. The broker redelivers the unacknowledged task (acks_late, short visibility
timeout) and the job either finishes (annual review) or — past ``ZHISHU_JOB_MAX_ATTEMPTS`` — is
marked failed with a clear message (roster import); the data is wholly before or wholly after.

PostgreSQL and Redis only: skipped with the reason elsewhere; in CI (CI=true) a missing one fails.
"""
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from assessment.models import Classification, Sanction
from cadres.models import Appointment, Person
from config.celery import app
from core.choices import JobState
from core.models import Job
from core.services.jobs import ERR_TIMED_OUT, ERR_WORKER_LOST, job_create

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
LEASE_SECONDS = 2
# The fault tests use a Redis database of their own, so that restoring unacknowledged messages
# (which Redis does for every queue at once) never touches another run's tasks.
FAULT_REDIS_DB = os.environ.get("ZHISHU_FAULT_REDIS_DB", "14")


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the worker fault tests")
    pytest.skip(reason)


def _broker_url() -> str:
    base = settings.CELERY_BROKER_URL.rsplit("/", 1)[0]
    return f"{base}/{FAULT_REDIS_DB}"


@pytest.fixture
def services():
    if connection.vendor != "postgresql":
        _unavailable("the worker fault tests need PostgreSQL (set DATABASE_URL): the worker process "
                     "must share the test database, which SQLite's in-memory test database cannot")
    import redis

    try:
        redis.Redis.from_url(_broker_url(), socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        _unavailable(f"Redis is not reachable at {_broker_url()}")
    old = app.conf.task_always_eager
    app.conf.task_always_eager = False  # this process sends the tasks to the broker
    try:
        yield
    finally:
        app.conf.task_always_eager = old


def _send(task, **kwargs):
    """Send on the fault tests' own Redis database (not the app's default broker)."""
    with app.connection_for_write(_broker_url()) as conn:
        task.apply_async(connection=conn, ignore_result=True, **kwargs)


def _database_url() -> str:
    db = settings.DATABASES["default"]  # the test database, e.g. test_zhishu
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def worker(queue: str, log: Path, pool: str = "solo", **env_extra: str):
    """A Celery worker in its own process (and session); killed in ``finally`` whatever happens."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": _broker_url(),
        "CELERY_RESULT_BACKEND": _broker_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
        "ZHISHU_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ZHISHU_JOB_HEARTBEAT_SECONDS": "1",
        "ZHISHU_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "CELERY_VISIBILITY_TIMEOUT": "1",
        "ZHISHU_TEST_JOB_PAUSE": "",
        **env_extra,
    }
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", "--concurrency=1", "-Q", queue,
             "-n", f"{queue}-{uuid.uuid4().hex[:6]}@%h", "--without-gossip", "--without-mingle",
             "--without-heartbeat", f"--loglevel={os.environ.get('ZHISHU_FAULT_LOGLEVEL', 'INFO')}"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _wait(condition, *, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    pytest.fail(f"timed out waiting for {what}; worker log:\n{tail}")


def _kill_mid_job(*, queue: str, log: Path, marker: Path, job: Job, send) -> None:
    """Start a pausing worker, send the task, wait until the run is inside its transaction, SIGKILL it."""
    with worker(queue, log, ZHISHU_TEST_JOB_PAUSE=f"{job.kind}:{_pause_at(job.kind)}:{marker}") as proc:
        send()
        _wait(marker.exists, timeout=30, what="the job to reach its pause point", log=log)
        # The heartbeat thread shows the progress although the work's transaction is still open.
        _wait(lambda: Job.objects.get(pk=job.pk).progress == _pause_at(job.kind), timeout=5,
              what="the heartbeat to publish the progress", log=log)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.attempts == 1  # what a killed worker leaves behind
    time.sleep(LEASE_SECONDS + 0.5)  # the dead run's lease expires


def _pause_at(kind: str) -> int:
    return {"annual_review": 75, "import_roster": 50}[kind]


@pytest.fixture
def fault_dir():
    with tempfile.TemporaryDirectory(prefix="zhishu-fault-") as path:
        yield Path(path)


def test_a_worker_killed_mid_annual_review_leaves_the_old_data_and_the_redelivered_task_finishes(
        world, services, fault_dir):
    from assessment.tasks import run_annual_review
    from tests.assessment.helpers import make_branches, make_cycle, make_template, set_scores

    branches = make_branches(parent=world.township_a, count=40)
    cycle = make_cycle(unit=world.county_a)
    set_scores(units=branches, score="95", template=make_template(unit=world.county_a))
    job = job_create(kind="annual_review", user=world.staff_a, unit=world.county_a, params={"cycle": cycle.pk})
    queue, log = f"zhishu-fault-{uuid.uuid4().hex}", fault_dir / "worker.log"

    def send():
        _send(run_annual_review, kwargs={"job_id": job.pk, "cycle_id": cycle.pk}, queue=queue)

    _kill_mid_job(queue=queue, log=log, marker=fault_dir / "paused", job=job, send=send)
    # Killed after the classifications were upserted, before the transaction committed: nothing stays.
    assert Classification.objects.filter(year=2025).count() == 0 and Sanction.objects.count() == 0

    with worker(queue, log):
        _wait(lambda: Job.objects.get(pk=job.pk).state not in (JobState.PENDING, JobState.RUNNING),
              timeout=40, what="the redelivered review to end", log=log)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2, job.error
    assert job.result["branches"] == 42  # the 40 and the world's two villages
    assert Classification.objects.filter(year=2025).count() == 42  # wholly after
    assert Classification.objects.filter(year=2025, composite_score__isnull=False).count() == 40
    assert Classification.objects.filter(unit=branches[0], year=2025).get().superior_score == Decimal("95")


def test_a_worker_killed_mid_roster_import_writes_nothing_and_the_job_ends_failed_with_the_reason(
        world, services, fault_dir):
    from cadres.tasks import apply_import
    from tests.cadres.test_import import roster_row, roster_xlsx
    from tests.factories import make_unit

    units = [make_unit(parent=world.township_a, code=f"43072100{i:04d}", name=f"第{i}村党支部")
             for i in range(100, 130)]
    content = roster_xlsx([roster_row(name=f"测试{i}", unit_code=u.code) for i, u in enumerate(units)])
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}/roster.xlsx", ContentFile(content))
    job = job_create(kind="import_roster", user=world.staff_a,
                     params={"kind": "roster", "filename": "roster.xlsx", "path": stored})
    before = (Person.objects.count(), Appointment.objects.count(), Person.history.count())
    queue, log = f"zhishu-fault-{uuid.uuid4().hex}", fault_dir / "worker.log"

    def send():
        _send(apply_import, kwargs={"job_id": job.pk}, queue=queue)

    _kill_mid_job(queue=queue, log=log, marker=fault_dir / "paused", job=job, send=send)
    # Killed after the 30 people were inserted, before their appointments: the transaction is gone.
    assert (Person.objects.count(), Appointment.objects.count(), Person.history.count()) == before

    # This deployment allows one run per job: the redelivery marks the job failed, clearly.
    with worker(queue, log, ZHISHU_JOB_MAX_ATTEMPTS="1"):
        _wait(lambda: Job.objects.get(pk=job.pk).state not in (JobState.PENDING, JobState.RUNNING),
              timeout=40, what="the redelivered import to end", log=log)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished_at is not None
    with_zh = str(ERR_WORKER_LOST.format(attempts=1))
    assert job.error == with_zh and "中断" in job.error
    assert (Person.objects.count(), Appointment.objects.count(), Person.history.count()) == before  # wholly before
    assert default_storage.exists(stored)  # the upload stays for a new import of the same file


def test_a_job_past_its_soft_time_limit_in_a_real_worker_ends_failed_as_timed_out(world, services, fault_dir):
    """R-JOB-3: time limits need the prefork pool (the production one); the job says it timed out."""
    from assessment.tasks import run_annual_review
    from tests.assessment.helpers import make_cycle

    cycle = make_cycle(unit=world.county_a)
    job = job_create(kind="annual_review", user=world.staff_a, unit=world.county_a, params={"cycle": cycle.pk})
    queue, log = f"zhishu-fault-{uuid.uuid4().hex}", fault_dir / "worker.log"
    with worker(queue, log, pool="prefork", ZHISHU_TEST_JOB_PAUSE=f"annual_review:75:{fault_dir / 'paused'}"):
        # The sender stamps the limits on the message (CELERY_TASK_SOFT_TIME_LIMIT by default); 2 s here.
        _send(run_annual_review, kwargs={"job_id": job.pk, "cycle_id": cycle.pk}, queue=queue,
              soft_time_limit=2, time_limit=30)
        _wait(lambda: Job.objects.get(pk=job.pk).state == JobState.FAILED, timeout=30,
              what="the job to time out", log=log)
    job.refresh_from_db()
    assert job.error == str(ERR_TIMED_OUT.format(seconds=2)) and "超时" in job.error
    assert Classification.objects.filter(year=2025).count() == 0  # its transaction rolled back
