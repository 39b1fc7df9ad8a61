from celery import shared_task


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def build_stipend_sheet(self, *, job_id: int, unit_id: int, year: int) -> int:
    """R-STP-4, R-JOB-3: compute a jurisdiction's draft stipend sheet on its job row; safe to run twice."""
    from django.core.exceptions import ValidationError

    from core.models import Job, OrgUnit
    from core.services.jobs import job_run_task
    from stipends.services.sheets import sheet_build

    def work(report):
        job = Job.objects.select_related("created_by").get(pk=job_id)
        sheet = sheet_build(unit=OrgUnit.objects.get(pk=unit_id), year=year, user=job.created_by, job_id=job_id,
                            report=report)
        return {"sheet_id": sheet.pk, "lines": sheet.line_count, "total": str(sheet.total),
                "provisional": sheet.provisional_count, "floors_not_met": sheet.flagged_count}

    job_run_task(self, job_id=job_id, work=work, refused_on=(ValidationError,))
    return job_id
