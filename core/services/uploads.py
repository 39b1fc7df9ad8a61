"""R-SEC-1: an uploaded file (a roster: ID numbers and phones) that is never confirmed is not kept.

Import pages store the upload under MEDIA_ROOT/imports/ and name it in its job's ``params["path"]``
until the user confirms it (then it is deleted at once). This sweep, run by Celery beat, deletes
what is older than ZHISHU_UPLOAD_RETENTION_HOURS and marks a still pending job failed with a
message that says why; files under imports/ that no job names are deleted by age too.
"""
import datetime as dt

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import JobState
from core.models import Job

UPLOAD_DIR = "imports"
ERR_UPLOAD_EXPIRED = _("The uploaded file was not confirmed within {hours} hours and has been deleted; "
                       "upload it again to import it.")


def _files_under(path: str):
    try:
        dirs, files = default_storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{path}/{name}"
    for name in dirs:
        yield from _files_under(f"{path}/{name}")


def uploads_expire(*, now: dt.datetime | None = None, hours: int | None = None) -> dict[str, int]:
    """Delete unconfirmed uploads older than the retention time; pending jobs become failed, with the reason."""
    now = now or timezone.now()
    hours = settings.ZHISHU_UPLOAD_RETENTION_HOURS if hours is None else hours
    cutoff = now - dt.timedelta(hours=hours)
    message = str(ERR_UPLOAD_EXPIRED.format(hours=hours))
    # A running job is applying its file right now: never pull it from under it.
    in_use = {j.params.get("path") for j in Job.objects.filter(state=JobState.RUNNING, params__has_key="path")}
    stale = (Job.objects.filter(created_at__lt=cutoff, params__has_key="path")
             .exclude(state__in=[JobState.RUNNING, JobState.SUCCEEDED]).only("id", "params", "state"))
    deleted, expired_ids = 0, []
    for job in stale:
        path = job.params.get("path")
        if path and default_storage.exists(path):
            default_storage.delete(path)
            deleted += 1
        if job.state == JobState.PENDING:
            expired_ids.append(job.pk)
    # Conditional on still pending: a confirm that claimed the job meanwhile wins.
    expired = Job.objects.filter(pk__in=expired_ids, state=JobState.PENDING).update(
        state=JobState.FAILED, error=message, message=message[:500], finished_at=now)
    for path in list(_files_under(UPLOAD_DIR)):
        if path in in_use:
            continue
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            deleted += 1
    return {"files_deleted": deleted, "jobs_expired": expired}
