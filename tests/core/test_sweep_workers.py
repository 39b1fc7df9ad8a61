"""R-JOB-2 with real workers: two Celery worker processes run the one daily sweep at the same moment.

Two ``celery -A config worker --pool=solo`` processes on a queue of their own share this test's
PostgreSQL test database, the real Redis broker and one mail folder (Django's file-based mail
backend, ``ZHISHU_TEST_EMAIL_DIR``). ``core.tasks.daily_deadline_sweep`` is sent twice for the same
day at once — each worker takes one (prefetch 1) — and the mail tasks the sweeps send stay on that
queue too (``CELERY_TASK_DEFAULT_QUEUE``), so both workers mail concurrently. Each notice must be
stored once, counted once by the two runs together, and mailed once; a second round the same day
adds nothing.

PostgreSQL and Redis only: skipped with the reason elsewhere; in CI (CI=true) a missing one fails.
"""
import contextlib
import email
import email.policy
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from cadres.choices import AppointmentRole
from config.celery import app
from core.choices import Role
from core.models import Notice
from core.tasks import daily_deadline_sweep, mail_pending_notices
from tests.assessment.helpers import make_branches, make_cycle
from tests.factories import AppointmentFactory, PersonFactory, make_user

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
AS_OF = "2025-12-13"  # the 2025 cycle's reports were due on 12-10, its evaluations are due on 12-20
SECRETARIES = 40


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the sweep worker test")
    pytest.skip(reason)


@pytest.fixture
def services():
    if connection.vendor != "postgresql":
        _unavailable("the sweep worker test needs PostgreSQL (set DATABASE_URL): the worker processes "
                     "must share the test database, which SQLite's in-memory test database cannot")
    import redis

    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        _unavailable(f"Redis is not reachable at {settings.CELERY_BROKER_URL}")
    old = app.conf.task_always_eager
    app.conf.task_always_eager = False  # this process sends the tasks to the broker
    try:
        yield
    finally:
        app.conf.task_always_eager = old


def _database_url() -> str:
    db = settings.DATABASES["default"]  # the test database, e.g. test_zhishu_sweep
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def workers(queue: str, folder: Path, count: int = 2):
    """``count`` worker processes on ``queue``, ready when this yields; stopped in ``finally``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "ZHISHU_TEST_EMAIL_DIR": str(folder / "mail"),
        "ZHISHU_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ZHISHU_JOB_HEARTBEAT_SECONDS": "0",
        "PYTHONUNBUFFERED": "1",
    }
    procs, logs = [], []
    try:
        for i in range(count):
            log = folder / f"worker{i}.log"
            logs.append(log)
            with open(log, "ab") as out:
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
                     "-Q", queue, "-n", f"sweep{i}-{uuid.uuid4().hex[:6]}@%h", "--without-gossip",
                     "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
        for log in logs:
            _wait(lambda log=log: log.exists() and " ready." in log.read_text(errors="replace"),
                  timeout=60, what=f"{log.name} to be ready", logs=logs)
        yield logs
    finally:
        for proc in procs:  # a warm shutdown first, so nothing is left unacknowledged
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _tail(logs) -> str:
    return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}" for log in logs if log.exists())


def _wait(condition, *, timeout: float, what: str, logs):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker logs:\n{_tail(logs)}")


def _mails(folder: Path) -> Counter:
    """(to, subject) of every message the workers wrote (the file backend separates them by 79 dashes)."""
    out: Counter = Counter()
    for path in sorted((folder / "mail").glob("*.log")) if (folder / "mail").exists() else []:
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                out[(str(message["To"]).strip(), str(message["Subject"]).strip())] += 1
    return out


def _stored() -> Counter:
    return Counter((email_, title) for email_, title in
                   Notice.objects.exclude(recipient__email="").values_list("recipient__email", "title"))


def _queue_empty(queue: str) -> bool:
    import redis

    return redis.Redis.from_url(settings.CELERY_BROKER_URL).llen(queue) == 0


def _send_at_once(task, queue: str, n: int = 2, **kwargs):
    return [task.apply_async(kwargs=kwargs, queue=queue) for _ in range(n)]


@pytest.fixture
def folder():
    with tempfile.TemporaryDirectory(prefix="zhishu-sweep-") as path:
        yield Path(path)


def test_two_workers_sweeping_the_same_day_store_and_mail_each_notice_once(world, services, folder):
    make_cycle(unit=world.county_a)
    for user in (world.secretary_user, world.staff_a, world.township_staff):
        user.email = f"{user.username}@example.org"
        user.save()
    for i, branch in enumerate(make_branches(parent=world.township_a, count=SECRETARIES, prefix="W")):
        user = make_user(unit=branch, role=Role.SECRETARY, username=f"w{i}", email=f"w{i}@example.org")
        AppointmentFactory(person=PersonFactory(unit=branch, user=user), unit=branch, role=AppointmentRole.SECRETARY)
    queue = f"zhishu-sweep-{uuid.uuid4().hex}"

    with workers(queue, folder) as logs:
        first = _send_at_once(daily_deadline_sweep, queue, as_of=AS_OF)
        counts = [r.get(timeout=120) for r in first]
        _send_at_once(mail_pending_notices, queue)  # two mailers at once besides those the sweeps sent
        _wait(lambda: not Notice.objects.filter(emailed_at__isnull=True).exclude(recipient__email="").exists()
              and _queue_empty(queue), timeout=60, what="every notice to be mailed", logs=logs)

        stored = Notice.objects.count()
        # the two runs together counted each stored notice once (neither counted the other's rows)
        assert sum(sum(c.values()) for c in counts) == stored
        duty = sum(c["assessment.duty_reports"] for c in counts)
        assert duty == SECRETARIES + 1 + 1  # every secretary overdue, and the county's staff summary
        assert sum(c["assessment.evaluations"] for c in counts) == 1  # the township's staff
        keys = list(Notice.objects.values_list("recipient_id", "key"))
        assert len(keys) == len(set(keys))
        mailed = _mails(folder)
        # one mail per stored notice with an address: the same (to, subject) pairs, as often
        assert mailed == _stored() and sum(mailed.values()) == Notice.objects.exclude(recipient__email="").count()

        # the same day again, on both workers at once: nothing new stored, nothing mailed again
        again = [r.get(timeout=120) for r in _send_at_once(daily_deadline_sweep, queue, as_of=AS_OF)]
        assert all(sum(c.values()) == 0 for c in again), again
        _send_at_once(mail_pending_notices, queue)
        _wait(lambda: _queue_empty(queue), timeout=30, what="the queue to drain", logs=logs)
        time.sleep(1)  # a mailer that took a message finishes its (empty) run
        assert Notice.objects.count() == stored
        assert _mails(folder) == mailed
