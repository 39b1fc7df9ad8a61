"""R-JOB-3 with R-DOS-2: an export whose parts wait in the queue is not a lost worker after the usual 90 s."""
import datetime as dt

import pytest
from django.utils import timezone

from core.choices import JobState
from core.models import Job
from core.services.jobs import jobs_fail_stale
from dossiers.services.exports import KIND

pytestmark = pytest.mark.django_db


def _running(kind, *, silent_for: dt.timedelta, now, user):
    return Job.objects.create(kind=kind, state=JobState.RUNNING, created_by=user, heartbeat_at=now - silent_for)


def test_an_export_waiting_behind_other_work_keeps_its_own_lease(world, settings):
    settings.ZHISHU_JOB_HEARTBEAT_SECONDS = 15
    settings.ZHISHU_JOB_LEASE_SECONDS = 90
    assert Job.KIND_LEASES[KIND] == settings.ZHISHU_DOSSIER_EXPORT_LEASE_SECONDS == 3600
    now = timezone.now()
    waiting = _running(KIND, silent_for=dt.timedelta(minutes=10), now=now, user=world.supervisor_a)
    other = _running("stipends.sheet_build", silent_for=dt.timedelta(minutes=10), now=now, user=world.staff_a)
    dead = _running(KIND, silent_for=dt.timedelta(seconds=3601), now=now, user=world.supervisor_a)
    assert jobs_fail_stale(now=now)["lost"] == 2
    states = dict(Job.objects.values_list("pk", "state"))
    assert (states[waiting.pk], states[other.pk], states[dead.pk]) == (
        JobState.RUNNING, JobState.FAILED, JobState.FAILED)
    assert "3600" in Job.objects.get(pk=dead.pk).error
