"""R-DOS-2, R-JOB-3: a jurisdiction's dossiers as one ZIP, rendered in chunks by as many workers as run.

``export_start`` takes the current secretaries of the unit's subtree that the user can see, makes a
core Job (kind ``dossiers.export``) and one ``DossierExportPart`` per ``ZHISHU_DOSSIER_CHUNK_SIZE``
people, and sends a Celery chord: a group of ``render part`` tasks, then one ``finish`` task.

Why not ``core.services.jobs.job_run``: that claims a job once for one run (pending → running) and
finishes it when its one function returns, while here many tasks share the job and none of them
ends it but the last. So the parts claim themselves: a part's row records its own ``done`` count
(set, never added to), its files and its failures; the job's progress is the sum over its parts,
written under the job's row lock, so two workers finishing people at once give the right total and
a redelivered part (``acks_late``: its worker died) starts again from 0 instead of counting twice.
A part already finished is not rendered again; a finished job is not written again.

Each part writes its PDFs into a folder of its own (``MEDIA_ROOT/dossier-exports/<job>/part-<n>/``,
shared by the workers); the finish task writes the ZIP once (with ``失败清单.txt`` when someone
failed), sets the job's file, result and state, and removes the parts. A person who fails is listed
by name with the error; the others are kept (the job succeeds unless nothing rendered). The download
is only for the user who asked (core Job rows are owned). ``exports_expire`` deletes the files after
``ZHISHU_DOSSIER_EXPORT_RETENTION_HOURS`` (beat task ``dossiers.tasks.expire_dossier_exports``).
"""
import datetime as dt
import logging
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.choices import AppointmentRole
from cadres.models import Appointment, Person
from core.choices import JobState
from core.models import Job, OrgUnit
from dossiers.models import DossierExportPart
from dossiers.services.access import dossier_reader_check

logger = logging.getLogger(__name__)

KIND = "dossiers.export"
EXPORT_FOLDER = "dossier-exports"
FAILURES_NAME = "失败清单.txt"

ERR_EMPTY = _("{unit} and the units under it have no current secretary you can see: there is no dossier to export.")
ERR_NOTHING_RENDERED = _("No dossier could be rendered; the failures are listed below.")
ERR_PERSON_GONE = _("The person's record no longer exists.")
ERR_PART_STOPPED = _("Not rendered: the worker stopped ({error}).")
ERR_NOT_READY = _("The export is not finished yet.")
ERR_FORCED = "forced failure (ZHISHU_TEST_DOSSIER_EXPORT_FAIL, test settings only)"
MSG_PROGRESS = _("{done} of {total} dossiers rendered")
MSG_WRITING = _("Writing the ZIP")
MSG_DONE = _("{files} dossiers in the ZIP")
MSG_DONE_FAILED = _("{files} dossiers in the ZIP, {failed} failed")
MSG_EXPIRED = _("The file was deleted after {hours} hours.")


# --- who is in it -------------------------------------------------------------------------------

def export_people(*, user, unit: OrgUnit):
    """R-DOS-2: the people of a jurisdiction export — the current secretaries of ``unit`` and the units
    under it that ``user`` can see (R-ORG-2), each once, in the tree's order."""
    ids = (Appointment.objects.visible_to(user)
           .filter(role=AppointmentRole.SECRETARY, end_date__isnull=True, unit__path__startswith=unit.path)
           .values("person_id"))
    return (Person.objects.visible_to(user).filter(pk__in=ids)
            .select_related("unit").order_by("unit__path", "name", "pk"))


def export_count(*, user, unit: OrgUnit) -> int:
    return export_people(user=user, unit=unit).count()


def _visible_unit(*, user, unit) -> OrgUnit:
    pk = unit.pk if isinstance(unit, OrgUnit) else unit
    found = OrgUnit.objects.visible_to(user).filter(pk=pk).first() if pk not in (None, "") else None
    if found is None:
        raise Http404
    return found


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    size = max(1, int(size))
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def export_start(*, user, unit) -> Job:
    """R-DOS-2: ask for every dossier under ``unit``; staff and supervisors only (403), the unit in the
    user's subtree (404); an empty jurisdiction is refused. The chord is sent once the rows commit."""
    dossier_reader_check(user)
    unit = _visible_unit(user=user, unit=unit)
    ids = list(export_people(user=user, unit=unit).values_list("pk", flat=True))
    if not ids:
        raise ValidationError(str(ERR_EMPTY).format(unit=unit.name), code="empty")
    chunks = _chunks(ids, settings.ZHISHU_DOSSIER_CHUNK_SIZE)
    with transaction.atomic():
        job = Job.objects.create(kind=KIND, created_by=user, unit=unit, params={
            "unit": unit.pk, "unit_name": unit.name, "total": len(ids), "parts": len(chunks),
            "filename": export_zip_name(unit=unit)})
        DossierExportPart.objects.bulk_create(
            DossierExportPart(job=job, number=n, person_ids=chunk) for n, chunk in enumerate(chunks, 1))

        def send():
            from dossiers.tasks import export_chord

            Job.objects.filter(pk=job.pk).update(enqueued_at=timezone.now())
            export_chord(job_id=job.pk, numbers=list(range(1, len(chunks) + 1))).apply_async()

        transaction.on_commit(send)
    return job


def export_zip_name(*, unit: OrgUnit) -> str:
    return f"{unit.name}-任期履职档案-{timezone.localdate():%Y%m%d}.zip"


# --- where the files go -------------------------------------------------------------------------

def export_dir(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / EXPORT_FOLDER / str(job_id)


def part_dir(job_id: int, number: int) -> Path:
    return export_dir(job_id) / f"part-{number}"


def _write_atomically(path: Path, content: bytes) -> None:
    """Whole or not at all: a redelivered part overwrites, a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- a part, on a worker ------------------------------------------------------------------------

def _finished(job: Job) -> bool:
    return job.state in (JobState.SUCCEEDED, JobState.FAILED)


def _claim_part(*, job_id: int, number: int) -> tuple[Job | None, DossierExportPart | None]:
    """(job, part) when this run should render the part; (None, None) when it is done or the job ended."""
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, kind=KIND).first()
        part = DossierExportPart.objects.filter(job_id=job_id, number=number).first() if job else None
        if job is None or part is None or _finished(job) or part.finished_at is not None:
            return None, None
        # A new run of this part (first, or redelivered after its worker died) starts from nothing.
        DossierExportPart.objects.filter(pk=part.pk).update(
            done=0, files=[], failures=[], started_at=now, attempts=part.attempts + 1)
        values = {"heartbeat_at": now}
        if job.state == JobState.PENDING:
            values.update(state=JobState.RUNNING, started_at=now)
        Job.objects.filter(pk=job_id).update(**values)
        _job_progress(job_id=job_id, total=job.params.get("total") or 0)
    part.refresh_from_db()
    return job, part


def _job_progress(*, job_id: int, total: int) -> int:
    """The job's progress from the sum of its parts (the caller holds the job's row lock)."""
    done = DossierExportPart.objects.filter(job_id=job_id).aggregate(n=Sum("done"))["n"] or 0
    # 100 is the finished ZIP's, not the last PDF's.
    progress = min(99, done * 100 // total) if total else 0
    Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        progress=progress, heartbeat_at=timezone.now(),
        message=str(MSG_PROGRESS).format(done=done, total=total)[:500])
    return done


def _part_write(*, job_id: int, part_pk: int, total: int, **values) -> bool:
    """Record a part's count (and, at its end, its files and failures) and the job's sum, atomically.
    False when the job has ended meanwhile (failed by the stale sweep): the part stops."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).only("state").first()
        if job is None or _finished(job):
            return False
        DossierExportPart.objects.filter(pk=part_pk).update(**values)
        _job_progress(job_id=job_id, total=total)
    return True


def _forced_failures() -> set[int]:
    """Test-only hook: ``ZHISHU_TEST_DOSSIER_EXPORT_FAIL`` (defined only in the test settings) lists
    person ids whose rendering raises, so the worker test can prove a failure keeps the others."""
    return {int(pk) for pk in getattr(settings, "ZHISHU_TEST_DOSSIER_EXPORT_FAIL", ()) or ()}


def _failure(person_id: int, person: Person | None, error) -> dict:
    return {"person_id": person_id, "name": person.name if person else "",
            "unit": person.unit.name if person else "", "error": str(error)[:500]}


def export_render_part(*, job_id: int, number: int) -> dict:
    """R-DOS-2: render one part's dossiers into its folder; a person who fails is recorded and skipped."""
    from celery.exceptions import SoftTimeLimitExceeded

    from dossiers.services.person import dossier_pdf

    job, part = _claim_part(job_id=job_id, number=number)
    if part is None:
        return {"skipped": True}
    total = job.params.get("total") or 0
    folder = part_dir(job_id, number)
    folder.mkdir(parents=True, exist_ok=True)
    people = Person.objects.select_related("unit").in_bulk(part.person_ids)
    user = job.created_by
    forced = _forced_failures()
    files, failures = [], []
    stopped = None
    for i, person_id in enumerate(part.person_ids, 1):
        person = people.get(person_id)
        if stopped is not None:
            failures.append(_failure(person_id, person, ERR_PART_STOPPED.format(error=stopped)))
            continue
        try:
            if person is None:
                raise LookupError(ERR_PERSON_GONE)
            if person_id in forced:
                raise RuntimeError(ERR_FORCED)
            rendered = dossier_pdf(person=person, user=user)
            _write_atomically(folder / f"{person_id}.pdf", rendered.content)
            files.append({"person_id": person_id, "filename": rendered.filename})
        except SoftTimeLimitExceeded:
            # The rest of the part is listed as failed; the chord goes on to the ZIP of what rendered.
            stopped = "timed out"
            failures.append(_failure(person_id, person, ERR_PART_STOPPED.format(error=stopped)))
        except Exception as exc:  # noqa: BLE001 — one dossier's failure must not lose the others
            logger.exception("dossier export %s: person %s failed", job_id, person_id)
            failures.append(_failure(person_id, person, exc))
        if i < len(part.person_ids) and not _part_write(job_id=job_id, part_pk=part.pk, total=total, done=i):
            return {"stopped": True}
    _part_write(job_id=job_id, part_pk=part.pk, total=total, done=len(part.person_ids), files=files,
                failures=failures, finished_at=timezone.now())
    logger.info("dossier export %s: part %s rendered %s, failed %s", job_id, number, len(files), len(failures))
    return {"part": number, "files": len(files), "failed": len(failures)}


def export_abandon_part(*, job_id: int, number: int, error: str) -> None:
    """A part whose task broke outside a dossier (the database, the disk): its people not rendered yet
    are listed as failed so the finish task still writes the ZIP of the others."""
    part = DossierExportPart.objects.filter(job_id=job_id, number=number, finished_at__isnull=True).first()
    job = Job.objects.filter(pk=job_id).first()
    if part is None or job is None:
        return
    people = Person.objects.select_related("unit").in_bulk(part.person_ids)
    kept = {f["person_id"] for f in part.files}
    failures = [_failure(pk, people.get(pk), ERR_PART_STOPPED.format(error=error))
                for pk in part.person_ids if pk not in kept]
    _part_write(job_id=job_id, part_pk=part.pk, total=job.params.get("total") or 0, done=len(part.person_ids),
                failures=failures, finished_at=timezone.now())


# --- the ZIP, once ------------------------------------------------------------------------------

def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}（{n}）{dot}{ext}"
    taken.add(candidate)
    return candidate


def _failures_text(failures: list[dict]) -> str:
    lines = ["以下人员的任期履职档案未能生成：", ""]
    lines += [f"{f['unit']}\t{f['name'] or '（人员 ' + str(f['person_id']) + '）'}\t{f['error']}" for f in failures]
    return "\n".join(lines) + "\n"


class PartsPending(Exception):
    """Some part has not finished yet (a redelivered part's duplicate return may fire the chord early)."""


def export_finish(*, job_id: int, force: bool = True) -> Job | None:
    """R-DOS-2: write the ZIP of every rendered part once, record the failures by name, end the job and
    remove the parts. A second call (a redelivered finish) changes nothing. With ``force=False`` it raises
    ``PartsPending`` while a part is unfinished (the task tries again); with ``force`` those parts'
    people are listed as failed ("lost")."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, kind=KIND).first()
        if job is None or _finished(job):
            return job
        parts = list(DossierExportPart.objects.filter(job_id=job_id).order_by("number"))
        people_left = [pk for p in parts if p.finished_at is None for pk in p.person_ids]
        if people_left and not force:
            raise PartsPending(job_id)
        Job.objects.filter(pk=job_id).update(message=str(MSG_WRITING))
        left = Person.objects.select_related("unit").in_bulk(people_left) if people_left else {}
        failures = [f for p in parts for f in p.failures]
        failures += [_failure(pk, left.get(pk), ERR_PART_STOPPED.format(error="lost")) for pk in people_left]
        folder = export_dir(job_id)
        folder.mkdir(parents=True, exist_ok=True)
        zip_path = folder / "export.zip"
        taken: set[str] = set()
        files = 0
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".zip")
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for part in parts:
                    if part.finished_at is None:
                        continue
                    for entry in part.files:
                        source = part_dir(job_id, part.number) / f"{entry['person_id']}.pdf"
                        archive.write(source, arcname=_unique(entry["filename"], taken))
                        files += 1
                if failures:
                    archive.writestr(FAILURES_NAME, _failures_text(failures).encode("utf-8"))
            os.replace(tmp, zip_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        now = timezone.now()
        result = {"unit": job.params.get("unit_name", ""), "total": job.params.get("total", 0), "files": files,
                  "failed": failures}
        values = {"finished_at": now, "result": result, "progress": 100,
                  "message": str(MSG_DONE_FAILED if failures else MSG_DONE).format(files=files, failed=len(failures))[:500]}
        if files:
            values.update(state=JobState.SUCCEEDED, file=f"{EXPORT_FOLDER}/{job_id}/export.zip")
        else:
            zip_path.unlink(missing_ok=True)
            values.update(state=JobState.FAILED, error=str(ERR_NOTHING_RENDERED))
        Job.objects.filter(pk=job_id).update(**values)
    for part in parts:
        shutil.rmtree(part_dir(job_id, part.number), ignore_errors=True)
    return Job.objects.get(pk=job_id)


# --- reading, downloading, expiring -------------------------------------------------------------

def exports_of(*, user):
    """The user's own exports, newest first (another user's never: core Job rows are owned)."""
    return Job.objects.visible_to(user).filter(kind=KIND).select_related("unit").order_by("-created_at")


def export_get(*, user, pk) -> Job:
    """One of the user's exports, or 404 (another supervisor's included, R-DOS-2)."""
    try:
        return exports_of(user=user).get(pk=int(pk))
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def export_ready(job: Job) -> bool:
    return job.state == JobState.SUCCEEDED and bool(job.file)


def exports_expire(*, now: dt.datetime | None = None) -> int:
    """R-DOS-2: delete the files of exports finished more than ZHISHU_DOSSIER_EXPORT_RETENTION_HOURS ago
    (their ZIP and any parts left); the job row stays, saying so. Returns how many were expired."""
    now = now or timezone.now()
    hours = settings.ZHISHU_DOSSIER_EXPORT_RETENTION_HOURS
    cutoff = now - dt.timedelta(hours=hours)
    jobs = list(Job.objects.filter(kind=KIND, finished_at__lt=cutoff)
                .exclude(params__has_key="expired").only("pk", "params"))
    for job in jobs:
        shutil.rmtree(export_dir(job.pk), ignore_errors=True)
        Job.objects.filter(pk=job.pk).update(
            file="", params={**(job.params or {}), "expired": True},
            message=str(MSG_EXPIRED).format(hours=hours)[:500])
    if jobs:
        logger.info("dossier exports expired: %s", len(jobs))
    return len(jobs)
