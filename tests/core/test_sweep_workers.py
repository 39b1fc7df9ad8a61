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
import email
import email.policy
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from cadres.choices import AppointmentRole
from core.choices import Role
from core.models import Notice
from core.tasks import daily_deadline_sweep, mail_pending_notices
from tests.assessment.helpers import make_branches, make_cycle
from tests.factories import AppointmentFactory, PersonFactory, make_user
from tests.workers import wait_for, worker_services, workers

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent
AS_OF = "2025-12-13"  # the 2025 cycle's reports were due on 12-10, its evaluations are due on 12-20
SECRETARIES = 40


@pytest.fixture
def services():
    with worker_services("the sweep worker test"):
        yield


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
        wait_for(lambda: not Notice.objects.filter(emailed_at__isnull=True).exclude(recipient__email="").exists()
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
        wait_for(lambda: _queue_empty(queue), timeout=30, what="the queue to drain", logs=logs)
        time.sleep(1)  # a mailer that took a message finishes its (empty) run
        assert Notice.objects.count() == stored
        assert _mails(folder) == mailed
