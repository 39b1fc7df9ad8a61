import datetime as dt

from celery import chord, group, shared_task


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def run_annual_review(self, *, job_id: int, cycle_id: int) -> int:
    """R-JOB-1, R-JOB-3: the annual review of one cycle on its job row; safe to run twice (upserts)."""
    from assessment.services.classification import annual_review_run
    from core.services.jobs import job_run_task

    job_run_task(self, job_id=job_id, work=lambda report: annual_review_run(cycle_id=cycle_id, report=report))
    return job_id


@shared_task
def start_due_annual_reviews(as_of: str | None = None) -> list[int]:
    """R-JOB-1: by schedule, start the review of each open cycle whose classification date has come."""
    from django.utils import timezone

    from assessment.services.classification import annual_reviews_start_due

    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return annual_reviews_start_due(as_of=day)


@shared_task(bind=True)
def run_review_part(self, *, job_id: int, number: int):
    """R-JOB-1: one county of a fanned-out review (``review_part_job``); a redelivery of a done part is a no-op."""
    from assessment.services.classification import review_part_job

    return review_part_job(job_id=job_id, number=number)


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def finish_review(self, *, job_id: int) -> int:
    """R-JOB-1: the steps over the whole jurisdiction and the result, once every part has returned."""
    from assessment.services.classification import review_finish_job

    review_finish_job(job_id=job_id)
    return job_id


def review_chord(*, job_id: int, numbers: list[int]):
    """The chord of a fanned-out review (immutable signatures: the finish reads the parts' rows)."""
    return chord(group(run_review_part.si(job_id=job_id, number=n) for n in numbers), finish_review.si(job_id=job_id))
