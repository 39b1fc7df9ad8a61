"""R-JOB-1 with real workers: a review fanned out county by county over two Celery worker processes.

Two ``celery -A config worker --pool=solo`` processes (``tests.workers.workers()``) on a queue of their
own share this test's PostgreSQL database and the Redis broker and result backend (the chord's
counter). Parts of at most 10 branches make five part tasks, so both workers take some; the finish
runs the steps once and the job's result adds the parts up.

PostgreSQL and Redis only: skipped with the reason elsewhere; in CI (CI=true) a missing one fails.
"""
import re
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.test import override_settings

from assessment.models import Classification, ReviewPart
from assessment.services.classification import KIND_PARTS, annual_review_start
from config.celery import app
from core.choices import JobState, Level, Sector
from tests.factories import make_unit
from tests.workers import tail, worker_services, workers

from .helpers import make_branches, make_cycle, make_template, set_scores

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def services():
    with worker_services("the review worker test"):
        yield


def _parts_by(log: Path) -> int:
    return len(re.findall(r"Task assessment\.tasks\.run_review_part\[[^\]]+\] succeeded",
                          log.read_text(errors="replace")))


def test_two_workers_review_a_city_county_by_county(world, services, monkeypatch):
    counties = [world.county_a, world.county_b]
    for n in range(4):
        county = make_unit(parent=world.city, code=f"43073{n}000", name=f"测试{n}县委", level=Level.COUNTY,
                           sector=Sector.ORGAN)
        township = make_unit(parent=county, code=f"43073{n}001", name=f"测试{n}镇党委", level=Level.TOWNSHIP,
                             sector=Sector.ORGAN)
        make_branches(parent=township, count=9, prefix=f"W{n}")
        counties.append(county)
    cycle = make_cycle(unit=world.city)
    template = make_template(unit=world.city)
    branches = [u for c in counties for u in c.get_descendants() if u.level in ("branch", "general_branch")]
    set_scores(units=branches, score="91", template=template)
    queue = f"zhishu-review-{uuid.uuid4().hex}"
    monkeypatch.setenv("ZHISHU_REVIEW_PART_BRANCHES", "10")
    monkeypatch.setenv("ZHISHU_REVIEW_FAN_OUT_BRANCHES", "0")
    with tempfile.TemporaryDirectory(prefix="zhishu-review-") as folder, workers(queue, Path(folder)) as logs:
        app.conf.task_default_queue = queue
        with override_settings(ZHISHU_REVIEW_PART_BRANCHES=10, ZHISHU_REVIEW_FAN_OUT_BRANCHES=0):
            job = annual_review_start(cycle=cycle, by=None)
        assert job.kind == KIND_PARTS and job.params["parts"] == 5  # counties A and B (3 branches) share one
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state in (JobState.SUCCEEDED, JobState.FAILED):
                break
            time.sleep(0.3)
        else:
            pytest.fail(f"the review did not finish: {job.state} {job.progress}%\n{tail(logs)}")
        assert job.state == JobState.SUCCEEDED, (job.error, tail(logs))
        assert job.result["branches"] == len(branches) == 39 and job.result["tiers"] == {"good": 39}
        assert job.result["parts"] == 5 and ReviewPart.objects.filter(job=job, finished_at__isnull=False).count() == 5
        assert Classification.objects.filter(year=2025, tier="good").count() == 39
        counts = [_parts_by(log) for log in logs]
        assert all(c > 0 for c in counts) and sum(counts) == 5, (counts, tail(logs))
