import datetime as dt

from celery import shared_task


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
