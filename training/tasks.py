import datetime as dt

from celery import shared_task


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def sweep_initial_training_deadlines(as_of: str | None = None) -> int:
    """R-JOB-2: the daily R-TRN-1 sweep; safe to run twice (each notice is keyed and sent once)."""
    from django.utils import timezone

    from training.services.deadlines import initial_training_sweep

    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return initial_training_sweep(as_of=day)
