"""R-DOS-2 with real workers: a jurisdiction of 50 secretaries exported by two Celery worker processes.

Two ``celery -A config worker --pool=solo`` processes (``tests.workers.workers()``)
on a queue of their own share this test's PostgreSQL database, the Redis broker and result backend (the
chord's counter) and the media folder. Chunks of 5 people make 10 render tasks, so both workers take
some; the finish task writes the ZIP once. One person is made to fail (``ZHISHU_TEST_DOSSIER_EXPORT_FAIL``,
read only by the test settings): the export lists that person by name and keeps the other 49.

PostgreSQL and Redis only: skipped with the reason elsewhere; in CI (CI=true) a missing one fails.
"""
import io
import re
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings

from cadres.choices import AppointmentRole
from config.celery import app
from core.choices import JobState, Level, Sector
from core.models import Job
from dossiers.services.exports import FAILURES_NAME, export_start, part_dir
from tests.assessment.helpers import make_branches
from tests.factories import AppointmentFactory, PersonFactory, make_unit
from tests.workers import tail, worker_services, workers

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SECRETARIES = 50
CHUNK = 5


@pytest.fixture
def services():
    with worker_services("the export worker test"):
        yield


@pytest.fixture
def folder():
    with tempfile.TemporaryDirectory(prefix="zhishu-export-") as path:
        yield Path(path)


def _rendered_by(log: Path) -> int:
    return len(re.findall(r"Task dossiers\.tasks\.render_dossier_export_part\[[^\]]+\] succeeded",
                          log.read_text(errors="replace")))


def test_two_workers_export_50_dossiers_and_a_failure_keeps_the_other_49(world, services, folder, monkeypatch):
    township = make_unit(parent=world.county_b, code="430722009", name="丙镇党委", level=Level.TOWNSHIP,
                         sector=Sector.ORGAN)
    people = []
    for branch in make_branches(parent=township, count=SECRETARIES, prefix="E"):
        person = PersonFactory(unit=branch)
        AppointmentFactory(person=person, unit=branch, role=AppointmentRole.SECRETARY)
        people.append(person)
    broken = people[17]
    queue = f"zhishu-export-{uuid.uuid4().hex}"
    monkeypatch.setenv("ZHISHU_TEST_DOSSIER_EXPORT_FAIL", str(broken.pk))  # the workers' settings read it
    monkeypatch.setenv("ZHISHU_DOSSIER_CHUNK_SIZE", str(CHUNK))
    supervisor_b = type(world.supervisor_a).objects.create_user(
        username="supervisor_b", password="pw-123456-zhishu", unit=world.county_b, role="supervisor")

    with workers(queue, folder) as logs:
        app.conf.task_default_queue = queue
        started = time.monotonic()
        with override_settings(ZHISHU_DOSSIER_CHUNK_SIZE=CHUNK):
            job = export_start(user=supervisor_b, unit=township)
        assert job.params["parts"] == SECRETARIES // CHUNK
        seen = set()
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            job.refresh_from_db()
            seen.add(job.progress)
            if job.state in (JobState.SUCCEEDED, JobState.FAILED):
                break
            time.sleep(0.3)
        else:
            pytest.fail(f"the export did not finish: {job.state} {job.progress}%\n{tail(logs)}")
        elapsed = time.monotonic() - started

        assert job.state == JobState.SUCCEEDED, (job.error, tail(logs))
        assert job.progress == 100 and job.result["files"] == SECRETARIES - 1
        assert len(seen - {0, 100}) >= 2, seen  # progress moved in steps while the parts rendered
        [failed] = job.result["failed"]
        assert (failed["person_id"], failed["name"], failed["unit"]) == (broken.pk, broken.name, broken.unit.name)
        with job.file.open("rb") as fh:
            archive = zipfile.ZipFile(io.BytesIO(fh.read()))
        pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
        assert len(pdfs) == SECRETARIES - 1 and len(set(pdfs)) == len(pdfs)
        assert sorted(pdfs) == sorted(f"{p.unit.name}-{p.name}-任期履职档案.pdf" for p in people if p != broken)
        assert all(archive.read(n).startswith(b"%PDF") for n in pdfs[:5])
        assert broken.name in archive.read(FAILURES_NAME).decode("utf-8")
        assert not any(part_dir(job.pk, n).exists() for n in range(1, SECRETARIES // CHUNK + 1))
        # both workers rendered parts, and together each part once
        counts = [_rendered_by(log) for log in logs]
        assert all(c > 0 for c in counts) and sum(counts) == SECRETARIES // CHUNK, (counts, tail(logs))
        assert Job.objects.get(pk=job.pk).file.name == f"dossier-exports/{job.pk}/export.zip"
        print(f"50 dossiers on 2 workers in {elapsed:.1f} s; parts per worker {counts}")
