"""R-RCT-1/3: the ledger page, a case's page with its lists edited in place, manual opening, the sign-off's
confirmation, and the evidence download that never leaves the subtree."""
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from core.choices import Role
from rectification.choices import CaseEventKind, CaseOrigin, CaseState, TaskState
from rectification.models import RectificationCase
from rectification.services import cases as svc
from rectification.services.opening import case_open
from tests.factories import make_user

LEDGER = "/rectification/"
EXPLANATION = {"rule": "R-RCT-1", "tier": "poor", "composite_score": "52.50",
               "policy": {"weak_candidate_share": {"value": "0.05", "rule": "R-RCT-1", "seed": "002",
                                                   "unit_id": 1, "unit": "甲县委", "year": 2025, "default": False}}}


def _e(message) -> str:
    return str(escape(str(message)))


@pytest.fixture
def case(world):
    return case_open(unit=world.village_a1, year=2025, origin=CaseOrigin.POOR_TIER, explanation=EXPLANATION)[0]


def _url(case):
    return f"/rectification/cases/{case.pk}/"


def test_ledger_lists_the_subtree_with_summary_and_links(world, case, login):
    case_open(unit=world.village_b1, year=2025, origin=CaseOrigin.WEAK_AND_LAX)
    svc.task_add(case=case, title="t", owner_person=world.secretary_a1, deadline=dt.date.today() - dt.timedelta(1),
                 by=world.staff_a)
    r = login(world.staff_a).get(LEDGER)
    html = r.content.decode()
    assert r.status_code == 200
    assert world.village_a1.name in html and world.village_b1.name not in html
    assert _url(case) in html and "/rectification/ranking/" in html and "/rectification/cases/new/" in html
    assert r.context["summary"] == {"total": 1, "open": 1, "closed": 0, "with_overdue": 1}
    assert "poor_tier" not in html  # labels, never codes
    r = login(world.supervisor_a).get(LEDGER)
    assert "/rectification/cases/new/" not in r.content.decode()


def test_ledger_filters_by_year_and_state_and_exports_them(world, case, login):
    case_open(unit=world.village_a2, year=2024, origin=CaseOrigin.WEAK_AND_LAX)
    client = login(world.staff_a)
    r = client.get(LEDGER, {"year": 2024})
    assert [c.year for c in r.context["object_list"]] == [2024]
    r = client.get(LEDGER, {"state": "closed"})
    assert list(r.context["object_list"]) == []
    r = client.get(reverse("export_rectification-ledger_xlsx") + "?year=2025")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("年度", "党支部", "组织代码", "立案原因", "状态") and len(rows) == 2
    assert rows[1][1] == world.village_a1.name and rows[1][3] == str(CaseOrigin.POOR_TIER.label)


def test_manual_open_page_for_staff_only(world, login):
    assert login(world.supervisor_a).get("/rectification/cases/new/").status_code == 403
    client = login(world.staff_a)
    assert client.get("/rectification/cases/new/").status_code == 200
    r = client.post("/rectification/cases/new/", {"unit": world.village_a2.pk, "year": 2025, "reason": ""})
    assert r.status_code == 400 and _e(svc.ERR_REASON_REQUIRED) in r.content.decode()
    r = client.post("/rectification/cases/new/", {"unit": world.village_b1.pk, "year": 2025, "reason": "x"})
    assert r.status_code == 400  # another county's branch is not on offer
    r = client.post("/rectification/cases/new/", {"unit": world.village_a2.pk, "year": 2025, "reason": "群众反映"})
    created = RectificationCase.objects.get(unit=world.village_a2)
    assert r.status_code == 302 and r.url == _url(created)


def test_case_page_explains_why_and_edits_lists_in_place(world, case, login):
    client = login(world.staff_a)
    r = client.get(_url(case))
    html = r.content.decode()
    assert r.status_code == 200 and "52.50" in html and "甲县委" in html and "R-RCT-1" in html
    r = client.post(_url(case), {"action": "problem_add", "problem_add-text": "三会一课不规范"})
    assert r.status_code == 302 and r.url == _url(case)
    r = client.post(_url(case), {"action": "task_add", "task_add-title": "整改", "task_add-deadline": ""})
    html = r.content.decode()
    assert r.status_code == 400 and _e(svc.ERR_OWNER_REQUIRED) in html and _e(svc.ERR_DEADLINE_REQUIRED) in html
    assert 'id="field-owner_person"' in html or "task_add-owner_person" in html
    r = client.post(_url(case), {"action": "task_add", "task_add-title": "整改", "task_add-deadline": "2026-06-30",
                                 "task_add-owner_person": world.secretary_a1.pk})
    assert r.status_code == 302
    task = case.tasks.get()
    r = client.post(_url(case), {"action": "task_update", "id": task.pk, f"task-{task.pk}-title": "整改（修订）",
                                 f"task-{task.pk}-deadline": "2026-07-31",
                                 f"task-{task.pk}-owner_unit": world.village_a1.pk})
    task.refresh_from_db()
    assert r.status_code == 302 and (task.title, task.deadline, task.owner_unit_id, task.owner_person_id) == (
        "整改（修订）", dt.date(2026, 7, 31), world.village_a1.pk, None)
    r = client.post(_url(case), {"action": "responsibility_add", "responsibility_add-duty": "包村",
                                 "responsibility_add-person": world.person_a2.pk})
    assert r.status_code == 302 and case.responsibilities.count() == 1
    problem = case.problems.get()
    client.post(_url(case), {"action": "problem_delete", "id": problem.pk})
    assert not case.problems.exists()


def test_secretary_sees_own_case_read_only_but_marks_own_task_done(world, case, login):
    task = svc.task_add(case=case, title="t", owner_person=world.secretary_a1, deadline=dt.date(2026, 6, 30),
                        by=world.staff_a)
    other = svc.task_add(case=case, title="u", owner_unit=world.township_a, deadline=dt.date(2026, 6, 30),
                         by=world.staff_a)
    client = login(world.secretary_user)
    r = client.get(_url(case))
    html = r.content.decode()
    assert r.status_code == 200 and 'value="problem_add"' not in html and 'value="task_add"' not in html
    assert html.count('data-testid="done-form"') == 1
    assert client.post(_url(case), {"action": "problem_add", "problem_add-text": "x"}).status_code == 403
    assert client.post(_url(case), {"action": "task_done", "id": other.pk, f"done-{other.pk}-evidence": "e"}) \
        .status_code == 403
    r = client.post(_url(case), {"action": "task_done", "id": task.pk, f"done-{task.pk}-evidence": ""})
    assert r.status_code == 400 and _e(svc.ERR_EVIDENCE_REQUIRED) in r.content.decode()
    upload = SimpleUploadedFile("记录.pdf", b"%PDF-1.4 data", content_type="application/pdf")
    r = client.post(_url(case), {"action": "task_done", "id": task.pk, f"done-{task.pk}-evidence": "已整改",
                                 f"done-{task.pk}-files": upload})
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.files.count() == 1
    evidence = task.files.get()
    r = client.get(f"/rectification/evidence/{evidence.pk}/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert b"".join(r.streaming_content) == b"%PDF-1.4 data"
    assert login(world.outsider).get(f"/rectification/evidence/{evidence.pk}/").status_code == 404
    assert login(world.outsider).get(_url(case)).status_code == 404


def test_close_asks_for_confirmation_and_reopen_keeps_history(world, case, login):
    task = svc.task_add(case=case, title="t", owner_person=world.secretary_a1, deadline=dt.date(2026, 6, 30),
                        by=world.staff_a)
    close = f"/rectification/cases/{case.pk}/close/"
    assert login(world.secretary_user).get(close).status_code == 403
    client = login(world.supervisor_a)
    r = client.post(close, {"note": "ok", "confirm": "on"})
    assert r.status_code == 400 and _e(svc.open_tasks_message(1)) in r.content.decode()
    svc.task_mark_done(task=task, evidence="e", by=world.secretary_user)
    r = client.post(close, {"note": "验收合格"})
    assert r.status_code == 400 and str(case.__class__.objects.get(pk=case.pk).state) == CaseState.OPEN
    r = client.post(close, {"note": "验收合格", "confirm": "on"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    r = client.get(_url(case))
    assert 'value="case_reopen"' in r.content.decode() and 'value="task_add"' not in r.content.decode()
    r = client.post(_url(case), {"action": "case_reopen", "case-reopen-reason": ""})
    assert r.status_code == 400 and _e(svc.ERR_REOPEN_REASON) in r.content.decode()
    r = client.post(_url(case), {"action": "case_reopen", "case-reopen-reason": "复查反弹"})
    assert r.status_code == 302
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-2:] == [CaseEventKind.CLOSED, CaseEventKind.REOPENED]
    html = client.get(_url(case)).content.decode()
    assert "验收合格" in html and "复查反弹" in html


def test_case_page_query_count_does_not_grow_with_tasks(world, case, login, django_assert_max_num_queries):
    for i in range(8):
        svc.task_add(case=case, title=f"t{i}", owner_person=world.secretary_a1, deadline=dt.date(2026, 6, 1 + i),
                     by=world.staff_a)
    client = login(world.staff_a)
    client.get(_url(case))
    # session, user, unit, the case, its problems, tasks, files, responsibilities, events, help, corrections, notices
    with django_assert_max_num_queries(12):
        assert client.get(_url(case)).status_code == 200


def test_dashboard_panel_counts(world, case, login):
    svc.task_add(case=case, title="t", owner_person=world.secretary_a1, deadline=dt.date.today() - dt.timedelta(1),
                 by=world.staff_a)
    html = login(world.staff_a).get("/").content.decode()
    assert 'data-testid="panel-open-cases">1<' in html and 'data-testid="panel-overdue-tasks">1<' in html
    assert 'data-testid="panel-open-cases"' not in login(world.outsider).get("/").content.decode()
    assert make_user(unit=world.county_a, role=Role.STAFF)


DEMO_AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def demo(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_demo", "--branches", "60", "--as-of", DEMO_AS_OF.isoformat(), stdout=out)
    return out.getvalue()


def test_demo_cases_have_their_lists_and_the_pages_show_them(demo, client):
    from core.models import User
    from rectification.models import RectificationTask

    cases = RectificationCase.objects.filter(year=DEMO_AS_OF.year - 1)
    assert cases.exists() and "rectification:" in demo
    tasks = RectificationTask.objects.filter(case__in=cases)
    assert tasks.filter(state=TaskState.DONE).exists()
    assert tasks.filter(state=TaskState.OPEN, deadline__lt=DEMO_AS_OF).exists()
    assert all(c.problems.exists() and c.tasks.exists() for c in cases.filter(state=CaseState.OPEN)[:5])
    for username in ("admin", "county_staff", "secretary_demo"):
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        client.force_login(user)
        assert client.get(LEDGER).status_code == 200
        assert client.get(LEDGER, {"state": "closed"}).status_code == 200
        for case in RectificationCase.objects.visible_to(user)[:3]:
            assert client.get(_url(case)).status_code == 200
        for task in RectificationTask.objects.visible_to(user).filter(files__isnull=False)[:1]:
            assert client.get(f"/rectification/evidence/{task.files.first().pk}/").status_code == 200
