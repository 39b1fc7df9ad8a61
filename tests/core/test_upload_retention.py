"""R-SEC-1: uploads never confirmed are deleted after ZHISHU_UPLOAD_RETENTION_HOURS by a beat task."""
import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from core.choices import JobState
from core.models import Job
from core.services.jobs import job_create
from core.services.uploads import ERR_UPLOAD_EXPIRED, uploads_expire
from core.tasks import expire_unconfirmed_uploads


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_upload(user, *, hours_ago: float, state=JobState.PENDING, name="a") -> Job:
    path = default_storage.save(f"imports/{name}/roster.xlsx", ContentFile(b"430721198005172951 13812345678"))
    job = job_create(kind="import_roster", user=user, params={"kind": "roster", "filename": "r.xlsx", "path": path})
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours_ago), state=state)
    return Job.objects.get(pk=job.pk)


def test_the_sweep_is_scheduled_by_beat_with_a_24_hour_default():
    entry = django_settings.CELERY_BEAT_SCHEDULE["core-expire-unconfirmed-uploads"]
    assert entry["task"] == "core.tasks.expire_unconfirmed_uploads"
    assert django_settings.ZHISHU_UPLOAD_RETENTION_HOURS == 24


@pytest.mark.django_db
def test_an_unconfirmed_upload_past_the_retention_time_is_deleted_and_its_job_failed(world, settings):
    settings.ZHISHU_UPLOAD_RETENTION_HOURS = 6
    old = stored_upload(world.staff_a, hours_ago=7, name="old")
    fresh = stored_upload(world.staff_a, hours_ago=5, name="fresh")
    running = stored_upload(world.staff_a, hours_ago=30, state=JobState.RUNNING, name="running")
    result = expire_unconfirmed_uploads.delay().get()
    assert result == {"files_deleted": 1, "jobs_expired": 1}
    old.refresh_from_db()
    assert old.state == JobState.FAILED and old.finished_at is not None
    assert old.error == str(ERR_UPLOAD_EXPIRED.format(hours=6))
    assert not default_storage.exists(old.params["path"])
    for job in (fresh, running):
        job.refresh_from_db()
        assert default_storage.exists(job.params["path"]) and job.state != JobState.FAILED


@pytest.mark.django_db
def test_a_file_no_job_names_is_deleted_by_age(world, media):
    path = default_storage.save("imports/orphan/roster.xlsx", ContentFile(b"x"))
    assert uploads_expire(now=timezone.now() + dt.timedelta(hours=25))["files_deleted"] == 1
    assert not default_storage.exists(path)


@pytest.mark.django_db
def test_the_preview_page_of_an_expired_upload_says_why(world, client):
    job = stored_upload(world.staff_a, hours_ago=48)
    uploads_expire()
    client.force_login(world.staff_a)
    page = client.get(reverse("cadres:import-preview", args=[job.pk]))
    assert page.status_code == 200 and page.context["can_confirm"] is False
    assert str(ERR_UPLOAD_EXPIRED.format(hours=24)) in page.content.decode()
