"""Core API: units, policies, reports, jobs and notices, each scoped (R-ORG-2)."""
import pytest

from core.choices import Level, Sector
from core.models import Job, Notice, OrgUnit, Policy
from core.selectors import ORG3_LARGE_NO_BRANCH, ORG3_NO_INSTRUCTOR, ORG3_NO_JOINT
from core.services.notices import notice_send
from tests.factories import make_unit


def test_org_units_are_the_subtree(world, api):
    names = {u["name"] for u in api(world.township_staff).get("/api/v1/org-units/?page_size=100").json()["results"]}
    assert names == {"甲镇党委", "东风村党支部", "新华村党支部"}
    assert api(world.outsider).get(f"/api/v1/org-units/{world.village_a1.pk}/").status_code == 404


def test_org_unit_filters_children_and_subtree(world, api):
    client = api(world.staff_a)
    children = client.get(f"/api/v1/org-units/?parent={world.township_a.pk}").json()["results"]
    assert {u["name"] for u in children} == {"东风村党支部", "新华村党支部"}
    within = client.get(f"/api/v1/org-units/?within={world.county_a.pk}&level=branch").json()["results"]
    assert len(within) == 2


def test_staff_add_a_unit_only_under_their_subtree(world, api):
    payload = {"code": "430721001003", "name": "红星村党支部", "level": "branch", "sector": "village"}
    denied = api(world.outsider).post("/api/v1/org-units/", {**payload, "parent_id": world.township_a.pk}, format="json")
    assert denied.status_code == 400 and "parent_id" in denied.json()
    created = api(world.staff_a).post("/api/v1/org-units/", {**payload, "parent_id": world.township_a.pk},
                                      format="json")
    assert created.status_code == 201, created.json()
    unit = OrgUnit.objects.get(code="430721001003")
    assert unit.path.startswith(world.township_a.path) and unit.depth == world.township_a.depth + 1


def test_policies_are_scoped_and_effective_explains_each_value(world, api):
    Policy.objects.create(unit=world.county_a, year=2026, annual_training_days=8)
    assert api(world.outsider).get("/api/v1/policies/").json()["count"] == 0
    body = api(world.staff_a).get(f"/api/v1/policies/effective/?unit={world.village_a1.pk}&year=2026").json()
    assert body["values"]["annual_training_days"]["value"] == "8.00"
    assert body["values"]["annual_training_days"]["unit"] == "甲县委"
    assert body["values"]["hours_per_day"]["default"] is True
    refused = api(world.outsider).get(f"/api/v1/policies/effective/?unit={world.village_a1.pk}&year=2026")
    assert refused.status_code == 400 and "unit" in refused.json()


def test_outsider_cannot_set_a_policy_for_county_a(world, api):
    response = api(world.outsider).post("/api/v1/policies/", {"unit": world.county_a.pk, "year": 2026,
                                                             "annual_training_days": "3"}, format="json")
    assert response.status_code == 400
    assert not Policy.objects.exists()


def test_a_secretary_reads_the_policies_over_their_branch(world, api):
    Policy.objects.create(unit=world.county_a, year=2026, annual_training_days=8)
    Policy.objects.create(unit=world.county_b, year=2026, annual_training_days=9)
    rows = api(world.secretary_user).get("/api/v1/policies/").json()["results"]
    assert [r["unit_name"] for r in rows] == ["甲县委"]


@pytest.fixture
def enterprises(world):
    make_unit(parent=world.township_a, name="大厂", level=Level.ENTERPRISE, sector=Sector.NON_PUBLIC,
              employees=50, members=2)
    make_unit(parent=world.township_a, name="小厂", level=Level.ENTERPRISE, sector=Sector.NON_PUBLIC,
              employees=49, members=2)
    make_unit(parent=world.township_a, name="空厂", level=Level.ENTERPRISE, sector=Sector.NON_PUBLIC,
              employees=10, members=0)
    make_unit(parent=world.township_a, name="有指导员", level=Level.ENTERPRISE, sector=Sector.NON_PUBLIC,
              employees=10, members=0, instructor="王指导")
    make_unit(parent=world.township_a, name="自建支部", level=Level.BRANCH, sector=Sector.NON_PUBLIC, employees=300)
    make_unit(parent=world.township_b, name="乙县大厂", level=Level.ENTERPRISE, sector=Sector.NON_PUBLIC,
              employees=80)


def test_enterprise_coverage_lists_the_enterprises_breaking_r_org_3(world, api, enterprises):
    body = api(world.staff_a).get("/api/v1/reports/enterprise-coverage/?year=2026").json()
    problems = {r["name"]: r["problem"] for r in body["results"]}
    # exactly 50 employees needs a branch of its own; 49 with 2 members needs a joint branch.
    assert problems == {"大厂": ORG3_LARGE_NO_BRANCH, "小厂": ORG3_NO_JOINT, "空厂": ORG3_NO_INSTRUCTOR}
    assert body["results"][0]["explanation"]["rule"] == "R-ORG-3"


def test_enterprise_coverage_follows_the_policy(world, api, enterprises):
    Policy.objects.create(unit=world.county_a, year=2026, enterprise_branch_min_employees=60)
    body = api(world.staff_a).get("/api/v1/reports/enterprise-coverage/?year=2026").json()
    assert {r["name"]: r["problem"] for r in body["results"]}["大厂"] == ORG3_NO_JOINT


def test_bad_year_is_a_clear_400(world, api):
    response = api(world.staff_a).get("/api/v1/reports/enterprise-coverage/?year=abc")
    assert response.status_code == 400 and "year" in response.json()


def test_jobs_belong_to_whoever_started_them(world, api):
    job = Job.objects.create(kind="export", created_by=world.supervisor_a, unit=world.county_a)
    assert api(world.supervisor_a).get(f"/api/v1/jobs/{job.pk}/").json()["state"] == "pending"
    assert api(world.staff_a).get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert api(world.outsider).get(f"/api/v1/jobs/{job.pk}/").status_code == 404


def test_notices_are_sent_once_and_read_only_by_their_recipient(world, api):
    first = notice_send(recipient=world.secretary_user, kind="training", key="trn1:42", title="初任培训即将到期")
    again = notice_send(recipient=world.secretary_user, kind="training", key="trn1:42", title="初任培训即将到期")
    assert first is not None and again is None
    assert Notice.objects.count() == 1
    assert api(world.staff_a).get(f"/api/v1/notices/{first.pk}/").status_code == 404
    client = api(world.secretary_user)
    assert client.post(f"/api/v1/notices/{first.pk}/read/").status_code == 204
    first.refresh_from_db()
    assert first.read_at is not None


def test_the_schema_and_docs_are_served(world, client):
    client.force_login(world.staff_a)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_other_systems_use_a_token_and_see_the_same_subtree(world, client):
    response = client.post("/api/v1/auth/token/", {"username": "outsider", "password": "pw-123456-zhishu"})
    token = response.json()["token"]
    from rest_framework.test import APIClient

    system = APIClient()
    system.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    names = {u["name"] for u in system.get("/api/v1/org-units/").json()["results"]}
    assert names == {"乙县委", "乙镇党委", "石桥村党支部"}
