"""R-JOB-3: background jobs report progress and end with a result or a clear error — also under faults.

A job is claimed once (pending → running) by whoever runs it first. While it runs, a heartbeat
thread writes its progress and a time stamp on its row every ``ZHISHU_JOB_HEARTBEAT_SECONDS``
from a connection of its own, so pages see the progress even while the work's transaction is
open, and a run that died (worker killed, machine lost) is recognisable: its heartbeat stops.

* The same task message delivered again (``acks_late``: a worker killed mid-task never acked it)
  takes the job over once the dead run's lease (``ZHISHU_JOB_LEASE_SECONDS`` without heartbeat)
  has expired, up to ``ZHISHU_JOB_MAX_ATTEMPTS`` runs; past that the job is marked failed.
* ``jobs_fail_stale`` (beat task ``core.tasks.fail_stale_jobs``) marks failed a job sent to the
  workers that none took within ``ZHISHU_JOB_PENDING_TIMEOUT`` seconds, and a running job whose
  lease expired.
* A task past its soft time limit ends its job as failed, "timed out".

The work itself is atomic (each service writes in one transaction), so a job that failed or was
killed left the data as it was before.
"""
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import JobState
from core.models import Job

logger = logging.getLogger(__name__)

ERR_TIMED_OUT = _("Stopped: the job ran past its time limit of {seconds} seconds (timed out). "
                  "Nothing was written; start it again.")
ERR_WORKER_LOST = _("Stopped: the worker running this job was lost {attempts} times. "
                    "Nothing was written; start it again.")
ERR_LEASE_EXPIRED = _("Stopped: the worker running this job gave no sign of life for {seconds} seconds "
                      "(worker lost). Nothing was written; start it again.")
ERR_NO_WORKER = _("Not run: no worker took this job within {minutes} minutes. Nothing was written; "
                  "start it again.")


def job_create(*, kind: str, user, unit=None, params: dict | None = None) -> Job:
    return Job.objects.create(kind=kind, created_by=user, unit=unit or getattr(user, "unit", None), params=params or {})


def job_refuse(*, job_id: int, error: str, result: dict | None = None) -> bool:
    """R-JOB-3: end a pending job that will never run (an upload refused at its check) as failed, with the
    reason; False when it was no longer pending. Otherwise it would show "pending 0%" forever (issue 8 item 9)."""
    return bool(Job.objects.filter(pk=job_id, state=JobState.PENDING, enqueued_at__isnull=True).update(
        state=JobState.FAILED, finished_at=timezone.now(), error=error, result=result))


def job_progress(*, job_id: int, progress: int, message: str = "") -> None:
    """Write progress at once (runs without a heartbeat: eager mode and tests)."""
    Job.objects.filter(pk=job_id).update(progress=_clamp(progress), message=message[:500])


def _clamp(progress: int) -> int:
    return max(0, min(100, int(progress)))


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.ZHISHU_JOB_LEASE_SECONDS)


class _Heartbeat(threading.Thread):
    """Writes the latest progress and a heartbeat on the job row, on a database connection of its own."""

    def __init__(self, *, job_id: int, interval: float):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id, self.interval = job_id, interval
        self.latest: tuple[int, str] | None = None
        self._stop_event = threading.Event()
        self._lock = threading.Lock()

    def report(self, progress: int, message: str = "") -> None:
        with self._lock:
            self.latest = (_clamp(progress), message[:500])

    def run(self):
        try:
            while not self._stop_event.wait(self.interval):
                self.beat()
        finally:
            connections.close_all()  # this thread's own connections

    def beat(self) -> None:
        with self._lock:
            latest, self.latest = self.latest, None
        values = {"heartbeat_at": timezone.now()}
        if latest:
            values.update(progress=latest[0], message=latest[1])
        try:
            Job.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(**values)
        except Exception:  # noqa: BLE001 — a lost heartbeat must not stop the work; the lease tells
            logger.warning("job %s: heartbeat not written", self.job_id, exc_info=True)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=max(self.interval, 5))


def _claim(*, job_id: int, task_id: str) -> tuple[Job | None, bool]:
    """Mark the job running for this run; returns (job, claimed)."""
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None, False
        if job.state == JobState.PENDING:
            pass
        elif job.state == JobState.RUNNING and task_id and job.task_id == task_id:
            # The same message again: acks_late redelivers a task whose worker died before acking.
            if job.heartbeat_at and job.heartbeat_at >= now - _lease():
                logger.warning("job %s: task %s delivered again while its run is alive; left to that run",
                               job_id, task_id)
                return job, False
            if job.attempts >= settings.ZHISHU_JOB_MAX_ATTEMPTS:
                logger.error("job %s: worker lost %s times; marked failed", job_id, job.attempts)
                _finish(job_id, state=JobState.FAILED, error=str(ERR_WORKER_LOST.format(attempts=job.attempts)))
                return None, False
            logger.warning("job %s: its worker was lost; task %s takes it over (run %s)",
                           job_id, task_id, job.attempts + 1)
        else:
            return job, False
        Job.objects.filter(pk=job_id).update(
            state=JobState.RUNNING, started_at=now, heartbeat_at=now, error="", progress=0,
            task_id=task_id or "", attempts=F("attempts") + 1)
    job.refresh_from_db()
    return job, True


def _finish(job_id: int, *, state: str, **values) -> None:
    Job.objects.filter(pk=job_id).update(state=state, finished_at=timezone.now(), **values)


def _pause_for_tests(job: Job, progress: int) -> None:
    """Test-only hook (R-JOB-3 fault tests): ``ZHISHU_TEST_JOB_PAUSE = "kind:progress:marker-file"``
    makes the run write the marker file and sleep when it reports that progress, so a test can kill
    the worker at a known point. Empty (no pause) outside the test settings."""
    spec = getattr(settings, "ZHISHU_TEST_JOB_PAUSE", "")
    if not spec:
        return
    kind, at, marker = spec.split(":", 2)
    if kind == job.kind and progress == int(at):
        Path(marker).write_text(f"{job.pk}\n")
        time.sleep(120)


def job_run(*, job_id: int, work: Callable[[Callable[[int, str], None]], dict | None],
            refused_on: tuple[type[Exception], ...] = (), task_id: str = "",
            soft_time_limit: int | None = None) -> Job | None:
    """Run ``work(report)`` for a pending job: mark it running, store its result, or its error.

    The job is claimed once (a row lock, then pending → running), so a second click or a second
    task for the same job does nothing and gets None. Only the same task message delivered
    again (``task_id``) may take over a run whose worker died (its heartbeat silent for the
    lease); a redelivery while the first run is alive is logged and left to it.
    ``work`` must leave the data as it was when it raises (its writes are atomic). An exception
    in ``refused_on`` (the user's own mistake, such as a file that no longer validates) ends the
    job as failed with its messages and is not raised: the caller reads ``job.error``; the user
    starts a new job. A soft time limit ends it as failed, "timed out"; any other exception
    ends it as failed and is raised again.
    """
    job, claimed = _claim(job_id=job_id, task_id=task_id)
    if not claimed:
        return None

    interval = settings.ZHISHU_JOB_HEARTBEAT_SECONDS
    heartbeat = _Heartbeat(job_id=job_id, interval=interval) if interval > 0 else None

    def report(progress: int, message: str = "") -> None:
        if heartbeat:
            heartbeat.report(progress, message)
        else:
            job_progress(job_id=job_id, progress=progress, message=message)
        _pause_for_tests(job, progress)

    if heartbeat:
        heartbeat.start()
    try:
        result = work(report)
    except refused_on as exc:
        _finish(job_id, state=JobState.FAILED, error=" ".join(_messages(exc)))
        return Job.objects.get(pk=job_id)
    except SoftTimeLimitExceeded:
        logger.error("job %s timed out", job_id)
        _finish(job_id, state=JobState.FAILED,
                error=str(ERR_TIMED_OUT.format(seconds=soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT)))
        return Job.objects.get(pk=job_id)
    except Exception as exc:  # noqa: BLE001 — any failure ends the job with a readable error
        logger.exception("job %s failed", job_id)
        _finish(job_id, state=JobState.FAILED, error=str(exc) or exc.__class__.__name__)
        raise
    finally:
        if heartbeat:
            heartbeat.stop()
    _finish(job_id, state=JobState.SUCCEEDED, progress=100, result=result)
    return Job.objects.get(pk=job_id)


def job_run_task(task, *, job_id: int, work, refused_on: tuple[type[Exception], ...] = ()) -> Job | None:
    """``job_run`` from inside a bound Celery task: its message id (for a redelivery) and its time limit."""
    request = task.request
    limits = getattr(request, "timelimit", None) or (None, None)
    return job_run(job_id=job_id, work=work, refused_on=refused_on, task_id=request.id or "",
                   soft_time_limit=limits[1] or getattr(task, "soft_time_limit", None))


def _messages(exc: Exception) -> list[str]:
    return [str(m) for m in (getattr(exc, "messages", None) or [str(exc)])]


def job_enqueue(*, job: Job, task, on_commit: bool = True, **kwargs) -> None:
    """Send the task (once the job row is committed, so the worker can see it) and stamp the sending.

    ``on_commit=False`` sends at once, for a job row committed earlier (an upload confirmed later).
    """
    def send():
        Job.objects.filter(pk=job.pk).update(enqueued_at=timezone.now())
        task.delay(job_id=job.pk, **kwargs)

    if on_commit:
        transaction.on_commit(send)
    else:
        send()


def jobs_fail_stale(*, now: dt.datetime | None = None) -> dict[str, int]:
    """R-JOB-3: fail the jobs no worker took in time and the running jobs whose worker was lost.

    A pending job counts only once its task was sent (``enqueued_at``): an uploaded import waits
    for its owner's confirmation, not for a worker.
    """
    now = now or timezone.now()
    waited = settings.ZHISHU_JOB_PENDING_TIMEOUT
    no_worker = Job.objects.filter(
        state=JobState.PENDING, enqueued_at__lt=now - dt.timedelta(seconds=waited)
    ).update(state=JobState.FAILED, finished_at=now, error=str(ERR_NO_WORKER.format(minutes=max(1, waited // 60))))
    if settings.ZHISHU_JOB_HEARTBEAT_SECONDS <= 0:  # no heartbeat (first-run SQLite): no lease to judge by
        lost = 0
    else:
        leases = dict(Job.KIND_LEASES)  # kinds with a lease of their own (a few): one update each
        lost = Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=now - _lease()).exclude(
            kind__in=list(leases)).update(
            state=JobState.FAILED, finished_at=now,
            error=str(ERR_LEASE_EXPIRED.format(seconds=settings.ZHISHU_JOB_LEASE_SECONDS)))
        for kind, seconds in leases.items():
            lost += Job.objects.filter(
                state=JobState.RUNNING, kind=kind, heartbeat_at__lt=now - dt.timedelta(seconds=seconds)).update(
                state=JobState.FAILED, finished_at=now, error=str(ERR_LEASE_EXPIRED.format(seconds=seconds)))
    if no_worker or lost:
        logger.warning("stale jobs failed: %s never taken, %s lost", no_worker, lost)
    return {"no_worker": no_worker, "lost": lost}
