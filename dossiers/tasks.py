"""R-DOS-2: the jurisdiction export's tasks. They take ids and call dossiers.services.exports.

A chord: one ``render_dossier_export_part`` per chunk (as many at once as workers run), then
``finish_dossier_export`` once all have returned. A part never raises for one dossier (the failure
is recorded by name), so the finish always runs and writes the ZIP of the others. PDF workers are
recycled (``--max-tasks-per-child`` in docker-compose.yml): WeasyPrint keeps memory per document.
"""
from celery import chord, group, shared_task


@shared_task(bind=True)
def render_dossier_export_part(self, *, job_id: int, number: int) -> dict:
    """Render one chunk of an export into its own folder; safe to run again (a redelivery starts over)."""
    from dossiers.services.exports import export_abandon_part, export_render_part

    try:
        return export_render_part(job_id=job_id, number=number)
    except Exception as exc:  # the chord must reach its finish: the part's people are listed as failed
        export_abandon_part(job_id=job_id, number=number, error=str(exc) or exc.__class__.__name__)
        return {"part": number, "abandoned": True}


FINISH_RETRIES = 30  # × 10 s: how long the finish waits for a part the chord counted too early


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=FINISH_RETRIES)
def finish_dossier_export(self, *, job_id: int) -> int:
    """Write the export's ZIP once every part has rendered; a second delivery changes nothing. A part
    still rendering (its redelivered twin returned first) is waited for, then listed as lost."""
    from dossiers.services.exports import PartsPending, export_finish

    try:
        export_finish(job_id=job_id, force=self.request.retries >= FINISH_RETRIES)
    except PartsPending as exc:
        raise self.retry(exc=exc, countdown=10) from None
    return job_id


def export_chord(*, job_id: int, numbers: list[int]):
    """The chord of one export (immutable signatures: the finish reads the parts' rows, not their results)."""
    return chord(group(render_dossier_export_part.si(job_id=job_id, number=n) for n in numbers),
                 finish_dossier_export.si(job_id=job_id))


@shared_task
def expire_dossier_exports() -> int:
    """R-DOS-2: hourly, delete export files older than ZHISHU_DOSSIER_EXPORT_RETENTION_HOURS."""
    from dossiers.services.exports import exports_expire

    return exports_expire()
