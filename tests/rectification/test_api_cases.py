"""R-RCT-1/3, R-POL-2: /api/v1/rectification-cases/, /api/v1/rectification-tasks/ and the ledger report."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.choices import Role
from rectification.choices import CaseOrigin, CaseState, TaskState
from rectification.services import cases as svc
from rectification.services.opening import case_open
from tests.factories import make_user

CASES = "/api/v1/rectification-cases/"
TASKS = "/api/v1/rectification-tasks/"
LEDGER = "/api/v1/reports/rectification-ledger/"
EXPLANATION = {"rule": "R-RCT-1", "tier": "poor", "composite_score": "52.50", "listing_reason": None,
               "policy": {"weak_candidate_share": {"value": "0.05", "rule": "R-RCT-1", "seed": "002", "unit_id": 1,
                                                   "unit": "甲县委", "year": 2025, "default": False}}}


@pytest.fixture
def case(world):
    return case_open(unit=world.village_a1, year=2025, origin=CaseOrigin.POOR_TIER, explanation=EXPLANATION)[0]


def _task(world, case, deadline, owner=None):
    return svc.task_add(case=case, title=f"任务{deadline}", owner_person=owner or world.secretary_a1,
                        deadline=deadline, by=world.staff_a)


def test_list_is_scoped_and_counts_tasks_in_one_query(world, case, api, django_assert_num_queries):
    today = dt.date.today()
    _task(world, case, today - dt.timedelta(days=1))
    _task(world, case, today)
    done = _task(world, case, today + dt.timedelta(days=5))
    svc.task_mark_done(task=done, evidence="e", by=world.secretary_user)
    for unit in (world.village_a2, world.village_b1):
        case_open(unit=unit, year=2025, origin=CaseOrigin.WEAK_AND_LAX)
    client = api(world.staff_a)
    # session/auth are forced: 1 count + 1 page of annotated cases
    with django_assert_num_queries(2):
        data = client.get(CASES).json()
    assert data["count"] == 2
    row = next(r for r in data["results"] if r["id"] == case.pk)
    assert (row["tasks_total"], row["tasks_done"], row["tasks_overdue"]) == (3, 1, 1)
    assert row["origin_labels"] == [str(CaseOrigin.POOR_TIER.label)] and row["age_days"] == 0
    assert api(world.outsider).get(CASES).json()["count"] == 1
    assert api(world.outsider).get(f"{CASES}{case.pk}/").status_code == 404
    assert api(world.secretary_user).get(CASES).json()["count"] == 1


def test_detail_explains_why_it_opened(world, case, api):
    svc.problem_add(case=case, text="软弱", by=world.staff_a)
    data = api(world.staff_a).get(f"{CASES}{case.pk}/").json()
    assert data["explanation"]["poor_tier"]["composite_score"] == "52.50"
    why = data["why"][0]
    assert why["rule"] == "R-RCT-1" and why["tier"] == "poor" and why["label"] == str(CaseOrigin.POOR_TIER.label)
    assert why["policy_values"][0]["value"] == "0.05" and why["policy_values"][0]["unit"] == "甲县委"
    assert [p["text"] for p in data["problems"]] == ["软弱"]
    assert data["events"][0]["kind"] == "opened" and data["help"] == [] and data["corrections"] == []


def test_create_is_manual_open_for_staff_only(world, api):
    body = {"unit": world.village_a2.pk, "year": 2025, "reason": "群众反映"}
    assert api(world.supervisor_a).post(CASES, body, format="json").status_code == 403
    assert api(world.secretary_user).post(CASES, body, format="json").status_code == 403
    r = api(world.outsider).post(CASES, body, format="json")
    assert r.status_code == 400 and "unit" in r.json()  # another county's unit is as unknown
    r = api(world.staff_a).post(CASES, {**body, "reason": ""}, format="json")
    assert r.status_code == 400 and r.json()["reason"] == [str(svc.ERR_REASON_REQUIRED)]
    r = api(world.staff_a).post(CASES, body, format="json")
    assert r.status_code == 201 and r.json()["origins"] == ["manual"]


def test_tasks_create_done_and_close(world, case, api):
    staff = api(world.staff_a)
    r = staff.post(TASKS, {"case": case.pk, "title": "整改"}, format="json")
    assert r.status_code == 400 and set(r.json()) >= {"owner_person", "deadline"}
    r = staff.post(TASKS, {"case": case.pk, "title": "整改", "deadline": "2026-06-30",
                           "owner_person": world.secretary_a1.pk}, format="json")
    assert r.status_code == 201, r.json()
    task_id = r.json()["id"]
    r = staff.patch(f"{TASKS}{task_id}/", {"deadline": "2026-07-31"}, format="json")
    assert r.status_code == 200 and r.json()["deadline"] == "2026-07-31" and r.json()["title"] == "整改"
    r = api(world.supervisor_a).post(f"{CASES}{case.pk}/close/", {"note": "ok"}, format="json")
    assert r.status_code == 400 and r.json()["tasks"] == [svc.open_tasks_message(1)]
    sec = api(world.secretary_user)
    assert sec.post(f"{TASKS}{task_id}/done/", {"evidence": ""}, format="json").status_code == 400
    upload = SimpleUploadedFile("记录.pdf", b"%PDF x", content_type="application/pdf")
    r = sec.post(f"{TASKS}{task_id}/done/", {"evidence": "已召开会议", "files": [upload]}, format="multipart")
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == TaskState.DONE and r.json()["files"][0]["url"].startswith("/rectification/evidence/")
    assert api(world.secretary_user).post(f"{CASES}{case.pk}/close/", {"note": "x"}, format="json").status_code \
        == 403
    r = api(world.supervisor_a).post(f"{CASES}{case.pk}/close/", {"note": "验收合格"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == CaseState.CLOSED
    r = api(world.supervisor_a).post(f"{CASES}{case.pk}/reopen/", {"reason": "反弹"}, format="json")
    assert r.status_code == 200 and [e["kind"] for e in r.json()["events"]][-2:] == ["closed", "reopened"]


def test_secretary_cannot_add_a_task_nor_mark_anothers(world, case, api):
    other = make_user(unit=world.village_a1, role=Role.SECRETARY)
    task = _task(world, case, dt.date(2026, 6, 30))
    r = api(world.secretary_user).post(TASKS, {"case": case.pk, "title": "t", "deadline": "2026-06-30",
                                               "owner_person": world.secretary_a1.pk}, format="json")
    assert r.status_code == 403
    assert api(other).post(f"{TASKS}{task.pk}/done/", {"evidence": "e"}, format="json").status_code == 403
    assert api(world.outsider).post(f"{TASKS}{task.pk}/done/", {"evidence": "e"}, format="json").status_code == 404


def test_task_list_is_one_page_query(world, case, api, django_assert_num_queries):
    for i in range(5):
        _task(world, case, dt.date(2026, 6, 1 + i))
    with django_assert_num_queries(3):  # count, page, files
        data = api(world.staff_a).get(TASKS).json()
    assert data["count"] == 5


def test_ledger_report_filters_and_summary(world, case, api):
    today = dt.date.today()
    _task(world, case, today - dt.timedelta(days=1))
    other, _ = case_open(unit=world.village_a2, year=2024, origin=CaseOrigin.WEAK_AND_LAX)
    t = _task(world, other, today, owner=world.person_a2)
    svc.task_mark_done(task=t, evidence="e", by=world.staff_a)
    svc.case_close(case=other, note="ok", by=world.supervisor_a)
    data = api(world.staff_a).get(LEDGER).json()
    assert data["summary"] == {"total": 2, "open": 1, "closed": 1, "with_overdue": 1}
    data = api(world.staff_a).get(LEDGER, {"year": 2024}).json()
    assert [r["id"] for r in data["results"]] == [other.pk] and data["results"][0]["state_label"]
    data = api(world.staff_a).get(LEDGER, {"state": "open", "unit": world.village_a1.pk}).json()
    assert [r["id"] for r in data["results"]] == [case.pk]
    assert api(world.staff_a).get(LEDGER, {"state": "bogus"}).status_code == 400
    assert api(world.outsider).get(LEDGER, {"unit": world.village_a1.pk}).status_code == 400
    assert api(world.outsider).get(LEDGER).json()["summary"]["total"] == 0
