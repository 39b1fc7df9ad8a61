from celery import shared_task


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def export_enterprise_coverage(self, *, job_id: int):
    """R-ORG-3 export as a background job: loads the job id, calls the service."""
    from core.models import Job
    from core.services.exports import enterprise_coverage_export
    from core.services.jobs import job_run_task

    job = Job.objects.get(pk=job_id)
    job_run_task(self, job_id=job_id, work=lambda report: enterprise_coverage_export(job=job, report=report))
    return job_id


@shared_task
def fail_stale_jobs() -> dict:
    """R-JOB-3: every few minutes, fail the jobs no worker took and those whose worker was lost."""
    from core.services.jobs import jobs_fail_stale

    return jobs_fail_stale()


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def mail_pending_notices():
    """R-JOB-2: mail the notices not mailed yet (after each sweep, and every 10 minutes for retries)."""
    from core.services.notices import notices_mail_pending

    return notices_mail_pending()


@shared_task
def expire_unconfirmed_uploads():
    """R-SEC-1: delete uploads never confirmed within ZHISHU_UPLOAD_RETENTION_HOURS (hourly, from beat)."""
    from core.services.uploads import uploads_expire

    return uploads_expire()


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def export_table(self, *, job_id: int):
    """A page's table export above ZHISHU_EXPORT_SYNC_MAX_ROWS rows (issue 8 item 4, R-JOB-3)."""
    from core.models import Job
    from core.services.exports import table_export_job
    from core.services.jobs import job_run_task

    job = Job.objects.get(pk=job_id)
    job_run_task(self, job_id=job_id, work=lambda report: table_export_job(job=job, report=report))
    return job_id


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def daily_deadline_sweep(as_of: str | None = None) -> dict:
    """R-JOB-2: every registered part of the daily sweep; safe to run twice and on two workers at once."""
    import datetime as dt

    from django.utils import timezone

    from core.sweeps import daily_sweep_run

    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return daily_sweep_run(as_of=day)
