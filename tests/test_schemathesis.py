"""R-SEC-3: the API keeps its own schema under generated input — as county staff and as a secretary.

Schemathesis draws requests from ``/api/schema/`` for every operation and sends them to Django's
WSGI app in-process. Bounded and derandomised (a fixed number of examples per operation, the same
every run) so CI stays within about a minute: zero 5xx and zero responses that break the schema.
"""
import datetime as dt
import os

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from knox.models import AuthToken
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from config.wsgi import application
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

EXAMPLES_PER_OPERATION = int(os.environ.get("ZHISHU_SCHEMATHESIS_EXAMPLES", "2"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Downloads answer a file, not JSON; the token endpoint is the login (throttled in another part).
SKIPPED = ("/api/v1/auth/token/",)


def _summary(exc: BaseException) -> str:
    """The failure's title lines and the curl that reproduces it, without the schema dump."""
    lines = [line.strip() for line in str(exc).splitlines()]
    keep = [line for line in lines if line.startswith(("- ST", "- ", "curl", "[")) or "is not" in line]
    if os.environ.get("ZHISHU_SCHEMATHESIS_FULL"):
        return str(exc)
    return " | ".join(keep[:8]) or lines[0]


def _run(schema, token, ids, mode) -> tuple[int, list[str]]:
    headers = {"Authorization": f"Token {token}"}
    failures, count = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith(SKIPPED):
            continue
        pinned = {}
        if "{id}" in operation.path:
            row_id = ids.get(operation.path.split("{id}")[0])
            pinned = {"id": row_id} if row_id is not None else {}

        @settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(mode, path_parameters=pinned or None))
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except Unsatisfiable:
            continue  # negative mode: an operation with only a pinned id has nothing to make invalid
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 — report every failing operation
            failures.append(f"{operation.method.upper()} {operation.path}: {_summary(exc)}")
        count += EXAMPLES_PER_OPERATION
    return count, failures


@pytest.fixture
def records(world):
    """One record of each kind in county A, so that ``{id}`` operations reach real rows."""
    from assessment.choices import DutyReportState, HonourKind
    from assessment.models import DutyReport, Honour
    from assessment.services.classification import annual_review_run
    from core.models import Policy
    from tests.assessment.helpers import add_ballots, make_cycle, make_template, set_scores
    from tests.training.factories import AttendanceFactory, CourseFactory

    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1], score="85", template=template)
    set_scores(units=[world.village_a2], score="95", template=template)
    add_ballots(unit=world.village_a1, ratings=["good", "good", "fairly_good", "average", "good", "poor"])
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    DutyReport.objects.create(unit=world.village_a1, person=world.secretary_a1, year=2025,
                              state=DutyReportState.SUBMITTED, work_done="修建村道")
    Honour.objects.create(kind=HonourKind.RED_FLAG, year=2025, unit=world.village_a2)
    Policy.objects.create(unit=world.county_a, year=2026, annual_training_days=8)
    course = CourseFactory(organiser=world.county_a, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 2))
    AttendanceFactory(person=world.secretary_a1, course=course)
    return world


def _first_ids(client) -> dict[str, int]:
    """The id of the first row each list endpoint gives county staff, by list path."""
    ids = {}
    for path in ["appointments", "attendances", "branch-listings", "classifications", "courses", "cycles",
                 "duty-reports", "evaluations", "honours", "indicator-templates", "jobs", "notices", "org-units",
                 "people", "policies", "reserve-candidates", "sanctions", "scores"]:
        body = client.get(f"/api/v1/{path}/").json()
        rows = body.get("results", body) if isinstance(body, dict) else body
        if rows:
            ids[f"/api/v1/{path}/"] = rows[0]["id"]
    return ids


@pytest.fixture
def first_ids(records):
    staff = APIClient()
    staff.force_authenticate(records.staff_a)
    return _first_ids(staff)


@pytest.fixture
def keep_connection(first_ids):
    """As Django's test client does: the WSGI handler must not close the test's database connection
    (its transaction holds the world) at the end of each request. After ``first_ids``, whose test
    client connects the handlers again when it is done."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def schema(records, keep_connection):
    _, token = AuthToken.objects.create(user=records.staff_a)
    return schemathesis.openapi.from_wsgi("/api/schema/", application,
                                          headers={"Authorization": f"Token {token}"})


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("role,mode", [("staff_a", GenerationMode.POSITIVE), ("secretary_user", GenerationMode.POSITIVE),
                                       ("staff_a", GenerationMode.NEGATIVE)])
def test_generated_requests_get_no_5xx_and_match_the_schema(world, schema, first_ids, role, mode):
    _, token = AuthToken.objects.create(user=getattr(world, role))
    count, failures = _run(schema, token, first_ids, mode)
    print(f"SCHEMATHESIS {role} {mode.value}: {count} examples, {len(failures)} failing operations")  # noqa: T201
    for failure in failures:
        print(f"SCHEMATHESIS {role} {failure}")  # noqa: T201
    assert failures == [], "\n\n".join(failures)
    assert count >= 100
