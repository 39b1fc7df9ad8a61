from celery import shared_task


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def apply_import(self, *, job_id: int) -> int:
    """R-SEC-3, R-JOB-3: write a confirmed import (roster or units) on its job row."""
    from cadres.imports.jobs import import_job_apply

    import_job_apply(job_id=job_id, task=self)
    return job_id
