"""R-JOB-3: background jobs report progress and end with a result or a clear error."""
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from core.choices import JobState
from core.models import Job

logger = logging.getLogger(__name__)


def job_create(*, kind: str, user, unit=None, params: dict | None = None) -> Job:
    return Job.objects.create(kind=kind, created_by=user, unit=unit or getattr(user, "unit", None), params=params or {})


def job_progress(*, job_id: int, progress: int, message: str = "") -> None:
    """Progress is written with UPDATE outside any surrounding transaction's rows, so pages see it."""
    Job.objects.filter(pk=job_id).update(progress=max(0, min(100, int(progress))), message=message[:500])


def job_run(*, job_id: int, work: Callable[[Callable[[int, str], None]], dict | None],
            reopen_on: tuple[type[Exception], ...] = ()) -> Job | None:
    """Run ``work(report)`` for a pending job: mark it running, store its result, or its error.

    The job is claimed with one conditional UPDATE, so a job runs at most once however often
    its task is delivered or its button pressed; returns None when it was not pending.
    ``work`` must leave the data as it was when it raises (its writes are atomic); the job
    row then records the error for the user to read. An exception in ``reopen_on`` (the
    user's own mistake, such as a file that no longer validates) puts the job back to
    pending, so it can be confirmed again once corrected.
    """
    claimed = Job.objects.filter(pk=job_id, state=JobState.PENDING).update(
        state=JobState.RUNNING, started_at=timezone.now(), error="")
    if not claimed:
        return None

    def report(progress: int, message: str = "") -> None:
        job_progress(job_id=job_id, progress=progress, message=message)

    try:
        result = work(report)
    except reopen_on as exc:
        Job.objects.filter(pk=job_id).update(state=JobState.PENDING, error=" ".join(_messages(exc)))
        raise
    except Exception as exc:  # noqa: BLE001 — any failure ends the job with a readable error
        logger.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            state=JobState.FAILED, error=str(exc) or exc.__class__.__name__, finished_at=timezone.now()
        )
        raise
    Job.objects.filter(pk=job_id).update(
        state=JobState.SUCCEEDED, progress=100, result=result, finished_at=timezone.now()
    )
    return Job.objects.get(pk=job_id)


def _messages(exc: Exception) -> list[str]:
    return list(getattr(exc, "messages", None) or [str(exc)])


def job_enqueue(*, job: Job, task, **kwargs) -> None:
    """Send the task only once the job row is committed, so the worker can see it."""
    transaction.on_commit(lambda: task.delay(job_id=job.pk, **kwargs))
