"""R-SEC-3, R-JOB-3: confirming an uploaded import, as a job a worker (or, in eager mode, the request) runs.

The stored upload is read again and checked again as its uploader, then written in one
transaction; a file that no longer validates ends the job as failed with the reason (the user
uploads a corrected file as a new import). Once written, the upload is deleted (R-SEC-1).
"""
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from cadres.imports.members import members_import_apply, members_import_preview
from cadres.imports.readers import KIND_MEMBERS, KIND_UNITS, read_table
from cadres.imports.roster import ERR_HAS_ERRORS, roster_import_apply, roster_import_preview
from cadres.imports.units import units_import
from core.models import Job
from core.services.jobs import job_run, job_run_task

ERR_UPLOAD_GONE = _("The uploaded file is no longer stored; upload it again.")


def import_job_read(*, job: Job):
    """The stored upload of an import job as a table; ValidationError when unreadable or gone."""
    path = job.params.get("path")
    if not path or not default_storage.exists(path):
        raise ValidationError({"file": [ERR_UPLOAD_GONE]})
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    return read_table(data, filename=job.params.get("filename", ""), kind=job.params.get("kind"))


def _apply(job: Job, report) -> dict:
    user = job.created_by
    if user is None or not user.is_active:
        raise ValidationError({"file": [ERR_UPLOAD_GONE]})
    table = import_job_read(job=job)
    report(10, "checked")
    if job.params.get("kind") == KIND_UNITS:
        created, errors = units_import(user=user, table=table)
        if errors:
            raise ValidationError({"file": [ERR_HAS_ERRORS]})
        return {"units_created": len(created)}
    if job.params.get("kind") == KIND_MEMBERS:
        return members_import_apply(user=user, preview=members_import_preview(user=user, table=table),
                                    report=report)
    preview = roster_import_preview(user=user, rows=table)
    return roster_import_apply(user=user, preview=preview, report=report)


def import_job_apply(*, job_id: int, task=None) -> Job | None:
    """Write a pending import job's file: all rows or none; None when it was not pending (confirmed already).

    ``task``: the Celery task running it, if any (a redelivered task may take over a lost run)."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    def work(report):
        return _apply(job, report)

    if task is not None:
        done = job_run_task(task, job_id=job_id, work=work, refused_on=(ValidationError,))
    else:
        done = job_run(job_id=job_id, work=work, refused_on=(ValidationError,))
    if done is not None and done.state == "succeeded":
        default_storage.delete(job.params["path"])
    return done
