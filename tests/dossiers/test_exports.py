"""R-DOS-2 in eager mode: who is in a jurisdiction export, its progress over chunks, a failure kept by name,
the ZIP only for whoever asked, and its files deleted after the retention time."""
import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cadres.choices import AppointmentRole
from core.choices import JobState
from core.models import Job
from dossiers.models import DossierExportPart
from dossiers.services import exports
from dossiers.services.exports import (
    ERR_EMPTY,
    FAILURES_NAME,
    KIND,
    export_dir,
    export_finish,
    export_people,
    export_render_part,
    export_start,
    exports_expire,
    part_dir,
)
from tests.dossiers.pdfcheck import pdf_text
from tests.factories import AppointmentFactory, PersonFactory, make_unit

pytestmark = pytest.mark.django_db


def _zip(job: Job) -> zipfile.ZipFile:
    job.refresh_from_db()
    with job.file.open("rb") as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read()))


@pytest.fixture
def three_secretaries(world):
    """county A: 秦秀英 and 杨志强 (the world's) and 韩喆昇 — plus people who must not be in it."""
    village = make_unit(parent=world.township_a, code="430721001003", name="红星村党支部")
    extra = PersonFactory(name="韩喆昇", unit=village)
    AppointmentFactory(person=extra, unit=village, role=AppointmentRole.SECRETARY)
    deputy = PersonFactory(name="副书记甲", unit=world.village_a1)
    AppointmentFactory(person=deputy, unit=world.village_a1, role=AppointmentRole.DEPUTY_SECRETARY)
    former = PersonFactory(name="前书记乙", unit=village)
    AppointmentFactory(person=former, unit=village, role=AppointmentRole.SECRETARY, start_date=dt.date(2018, 1, 1),
                       end_date=dt.date(2020, 1, 1))
    return [world.secretary_a1, world.person_a2, extra]


def test_the_export_holds_the_current_secretaries_of_the_visible_subtree(world, three_secretaries):
    names = list(export_people(user=world.supervisor_a, unit=world.county_a).values_list("name", flat=True))
    assert sorted(names) == sorted(p.name for p in three_secretaries)  # no deputy, no former, not county B's
    assert list(export_people(user=world.supervisor_a, unit=world.village_a2).values_list("name", flat=True)) == [
        "杨志强"]
    # the township's staff: only what they see, and a unit above theirs is not theirs to export (404)
    assert export_people(user=world.township_staff, unit=world.township_a).count() == 3
    assert export_people(user=world.outsider, unit=world.county_a).count() == 0
    with pytest.raises(Http404):
        export_start(user=world.township_staff, unit=world.city)


def test_it_renders_every_secretary_into_one_zip_with_progress_to_100(world, three_secretaries,
                                                                         django_capture_on_commit_callbacks):
    with override_settings(ZHISHU_DOSSIER_CHUNK_SIZE=2), django_capture_on_commit_callbacks(execute=True):
        job = export_start(user=world.supervisor_a, unit=world.county_a)
    job.refresh_from_db()
    assert (job.kind, job.state, job.progress, job.unit_id) == (KIND, JobState.SUCCEEDED, 100, world.county_a.pk)
    assert job.params["total"] == 3 and job.params["parts"] == 2
    assert job.result["files"] == 3 and job.result["failed"] == []
    archive = _zip(job)
    names = sorted(archive.namelist())
    assert names == sorted(f"{p.unit.name}-{p.name}-任期履职档案.pdf" for p in three_secretaries)
    assert "韩喆昇" in pdf_text(archive.read("红星村党支部-韩喆昇-任期履职档案.pdf"))
    assert not part_dir(job.pk, 1).exists() and not part_dir(job.pk, 2).exists()  # the parts are removed
    assert job.params["filename"].startswith("甲县委-任期履职档案-")


def test_a_failure_is_listed_by_name_and_keeps_the_others(world, three_secretaries,
                                                           django_capture_on_commit_callbacks):
    with override_settings(ZHISHU_DOSSIER_CHUNK_SIZE=1, ZHISHU_TEST_DOSSIER_EXPORT_FAIL=[world.person_a2.pk]), \
            django_capture_on_commit_callbacks(execute=True):
        job = export_start(user=world.supervisor_a, unit=world.county_a)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.result["files"] == 2
    [failed] = job.result["failed"]
    assert (failed["person_id"], failed["name"], failed["unit"]) == (world.person_a2.pk, "杨志强", "新华村党支部")
    assert "forced failure" in failed["error"]
    archive = _zip(job)
    assert len([n for n in archive.namelist() if n.endswith(".pdf")]) == 2
    assert "杨志强" in archive.read(FAILURES_NAME).decode("utf-8")


def test_an_export_where_nothing_renders_fails_with_the_list(world, django_capture_on_commit_callbacks):
    ids = [world.secretary_a1.pk, world.person_a2.pk]
    with override_settings(ZHISHU_TEST_DOSSIER_EXPORT_FAIL=ids), django_capture_on_commit_callbacks(execute=True):
        job = export_start(user=world.supervisor_a, unit=world.county_a)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and not job.file
    assert str(exports.ERR_NOTHING_RENDERED) == job.error
    assert {f["name"] for f in job.result["failed"]} == {"秦秀英", "杨志强"}


def test_progress_is_the_sum_of_the_parts_and_a_redelivered_part_counts_once(world, three_secretaries):
    with override_settings(ZHISHU_DOSSIER_CHUNK_SIZE=2):
        job = export_start(user=world.supervisor_a, unit=world.county_a)  # on_commit not run: nothing sent
    assert Job.objects.get(pk=job.pk).state == JobState.PENDING
    export_render_part(job_id=job.pk, number=2)  # one person
    job.refresh_from_db()
    assert (job.state, job.progress) == (JobState.RUNNING, 33)
    assert export_render_part(job_id=job.pk, number=2) == {"skipped": True}  # delivered again: done already
    assert Job.objects.get(pk=job.pk).progress == 33
    # part 1's worker died after one of its two: the redelivery starts it again from 0, not from 1 + 2
    DossierExportPart.objects.filter(job=job, number=1).update(done=1, attempts=1)
    export_render_part(job_id=job.pk, number=1)
    part = DossierExportPart.objects.get(job=job, number=1)
    assert (part.done, part.attempts, len(part.files)) == (2, 2, 2)
    job.refresh_from_db()
    assert job.progress == 99 and job.message == "已生成 3 / 3 份档案"  # 100 is the ZIP's
    export_finish(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.progress, job.result["files"]) == (JobState.SUCCEEDED, 100, 3)
    finished_at = job.finished_at
    assert export_finish(job_id=job.pk).finished_at == finished_at  # a second finish writes nothing


def test_only_staff_and_supervisors_export_and_only_their_own_units(world):
    with pytest.raises(PermissionDenied):
        export_start(user=world.secretary_user, unit=world.village_a1)
    with pytest.raises(Http404):
        export_start(user=world.outsider, unit=world.county_a)
    assert not Job.objects.filter(kind=KIND).exists()


def test_an_empty_jurisdiction_is_refused_with_the_reason(world, login):
    empty = make_unit(parent=world.township_a, code="430721001009", name="空村党支部")
    with pytest.raises(ValidationError) as caught:
        export_start(user=world.supervisor_a, unit=empty)
    assert caught.value.messages == [str(ERR_EMPTY).format(unit="空村党支部")]
    client = login(world.supervisor_a)
    response = client.post(reverse("dossiers:export_start", args=[empty.pk]), follow=True)
    assert "空村党支部及其下级单位没有您可见的现任书记" in response.content.decode()
    assert not Job.objects.filter(kind=KIND).exists()


def test_the_unit_page_offers_the_export_naming_how_many(world, login):
    client = login(world.supervisor_a)
    html = client.get(reverse("cadres:unit_detail", args=[world.county_a.pk])).content.decode()
    assert reverse("dossiers:export_start", args=[world.county_a.pk]) in html
    assert "导出甲县委及其下级单位的 2 份档案" in html  # the confirmation names the count
    html = login(world.secretary_user).get(reverse("cadres:unit_detail", args=[world.village_a1.pk])).content
    assert reverse("dossiers:export_start", args=[world.village_a1.pk]).encode() not in html


def test_the_page_starts_one_and_lists_only_the_users_own(world, login, django_capture_on_commit_callbacks):
    client = login(world.supervisor_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dossiers:export_start", args=[world.county_a.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("dossiers:exports")
    job = Job.objects.get(kind=KIND)
    html = client.get(reverse("dossiers:exports")).content.decode()
    assert reverse("job_download", args=[job.pk]) in html and "甲县委" in html
    detail = client.get(reverse("job_detail", args=[job.pk])).content.decode()  # the core job page reads it too
    assert "档案批量导出" in detail and "压缩包内档案" in detail
    other = login(world.staff_a).get(reverse("dossiers:exports")).content.decode()
    assert reverse("job_download", args=[job.pk]) not in other
    assert login(world.staff_a).get(reverse("job_download", args=[job.pk])).status_code == 404


def test_the_api_starts_follows_and_downloads_for_the_owner_only(world, api, django_capture_on_commit_callbacks):
    owner = api(world.supervisor_a)
    response = owner.post("/api/v1/dossier-exports/", {"unit": world.county_a.pk}, format="json")
    assert response.status_code == 202, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == JobState.PENDING and response.json()["total"] == 2
    assert owner.get(f"/api/v1/dossier-exports/{pk}/download/").status_code == 409  # not built yet
    export_render_part(job_id=pk, number=1)
    export_finish(job_id=pk)
    status = owner.get(f"/api/v1/dossier-exports/{pk}/").json()
    assert (status["status"], status["progress"], status["files"], status["failed"]) == ("succeeded", 100, 2, [])
    download = owner.get(status["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()) == 2
    assert [row["id"] for row in owner.get("/api/v1/dossier-exports/").json()] == [pk]
    for other in (world.staff_a, world.outsider):
        client = api(other)
        assert client.get(f"/api/v1/dossier-exports/{pk}/").status_code == 404
        assert client.get(f"/api/v1/dossier-exports/{pk}/download/").status_code == 404
        assert client.get("/api/v1/dossier-exports/").json() == []
    assert api(world.secretary_user).post("/api/v1/dossier-exports/", {"unit": world.village_a1.pk},
                                          format="json").status_code == 403
    refused = api(world.outsider).post("/api/v1/dossier-exports/", {"unit": world.county_a.pk}, format="json")
    assert refused.status_code == 400 and "unit" in refused.json()


def test_files_are_deleted_after_the_retention_time(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old = export_start(user=world.supervisor_a, unit=world.county_a)
        new = export_start(user=world.supervisor_a, unit=world.village_a1)
    now = timezone.now()
    Job.objects.filter(pk=old.pk).update(finished_at=now - dt.timedelta(hours=24, minutes=1))
    Job.objects.filter(pk=new.pk).update(finished_at=now - dt.timedelta(hours=23, minutes=59))
    assert (export_dir(old.pk) / "export.zip").exists()
    with override_settings(ZHISHU_DOSSIER_EXPORT_RETENTION_HOURS=24):
        assert exports_expire(now=now) == 1
        assert exports_expire(now=now) == 0  # once
    old.refresh_from_db()
    new.refresh_from_db()
    assert not export_dir(old.pk).exists() and not old.file and old.params["expired"] is True
    assert (export_dir(new.pk) / "export.zip").exists() and new.file


def test_starting_an_export_takes_a_fixed_number_of_queries(world, three_secretaries,
                                                            django_assert_max_num_queries):
    # the unit, the people's ids, the job, the parts (one insert), inside one transaction
    with override_settings(ZHISHU_DOSSIER_CHUNK_SIZE=1), django_assert_max_num_queries(8):
        export_start(user=world.supervisor_a, unit=world.county_a)
    assert DossierExportPart.objects.count() == 3


def test_the_finish_waits_for_a_part_still_rendering_then_lists_its_people_as_lost(world):
    job = export_start(user=world.supervisor_a, unit=world.county_a)  # one part of two people, not sent
    with pytest.raises(exports.PartsPending):
        export_finish(job_id=job.pk, force=False)
    assert Job.objects.get(pk=job.pk).state == JobState.PENDING
    export_finish(job_id=job.pk)  # the last try: nothing rendered, both listed
    job.refresh_from_db()
    assert job.state == JobState.FAILED and {f["name"] for f in job.result["failed"]} == {"秦秀英", "杨志强"}
    assert export_render_part(job_id=job.pk, number=1) == {"skipped": True}  # the job has ended
