"""Pages: duty report flow, calibration, upgrade targets, a person's sanctions — scoped (R-ORG-2)."""
from django.test import Client

from assessment.choices import DutyReportState, Tier
from assessment.models import Classification, DutyReport, EvaluationRating
from assessment.services.classification import annual_review_run
from core.choices import Role
from tests.factories import make_user

from .helpers import add_ballots, make_cycle, make_template, set_previous, set_scores


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_duty_report_pages_flow_and_scoping(world):
    sec = client_for(world.secretary_user)
    r = sec.post("/assessment/duty-reports/new/", {"year": 2025})
    report = DutyReport.objects.get()
    assert r.url == f"/assessment/duty-reports/{report.pk}/"
    r = sec.post(r.url, {"action": "submit", "commitments": "承诺", "work_done": "", "problems": "", "plans": ""})
    assert r.status_code == 200 and "承诺" in r.content.decode()  # refused, text kept on the form
    sec.post(f"/assessment/duty-reports/{report.pk}/", {"action": "submit", "commitments": "承诺",
                                                         "work_done": "修路", "problems": "", "plans": ""})
    sup = client_for(world.supervisor_a)
    sup.post(f"/assessment/duty-reports/{report.pk}/", {"action": "return", "reason": "请补充数据"})
    report.refresh_from_db()
    assert (report.state, report.return_reason, report.work_done) == (DutyReportState.RETURNED, "请补充数据", "修路")
    page = sec.get(f"/assessment/duty-reports/{report.pk}/").content.decode()
    assert "请补充数据" in page and "修路" in page
    other = make_user(unit=world.village_a2, role=Role.SECRETARY)
    assert client_for(other).get(f"/assessment/duty-reports/{report.pk}/").status_code == 404
    assert client_for(world.outsider).get(f"/assessment/duty-reports/{report.pk}/").status_code == 404
    assert client_for(world.outsider).post(f"/assessment/duty-reports/{report.pk}/",
                                           {"action": "accept"}).status_code == 404
    assert "东风村" not in client_for(world.outsider).get("/assessment/duty-reports/").content.decode()


def test_calibration_upgrade_and_person_pages(world):
    template = make_template(unit=world.county_a)
    set_previous(units=[world.village_a1], year=2024, tier=Tier.GOOD)
    set_scores(units=[world.village_a1], score="85", template=template)
    set_scores(units=[world.village_a2], score="95", template=template)
    cycle = make_cycle(unit=world.county_a)
    annual_review_run(cycle_id=cycle.pk)
    staff = client_for(world.staff_a)
    page = staff.get("/assessment/calibration/?year=2025").content.decode()
    assert "甲镇党委" in page and "<svg" in page
    assert "甲镇党委" not in client_for(world.outsider).get("/assessment/calibration/?year=2025").content.decode()
    assert client_for(world.secretary_user).get("/assessment/calibration/?year=2025").status_code == 403
    # Issue 8 item 6: the branches behind the gap are a count linking to their list, not one endless line.
    upgrade_page = staff.get("/assessment/upgrade-targets/?year=2025").content.decode()
    assert "东风村党支部" not in upgrade_page
    assert 'href="/assessment/upgrade-targets/behind/?year=2025&amp;tier=good"' in upgrade_page
    assert "东风村党支部" in staff.get("/assessment/upgrade-targets/behind/?year=2025&tier=good").content.decode()
    person_page = staff.get(f"/assessment/people/{world.secretary_a1.pk}/").content.decode()
    assert 'data-testid="sanction"' in person_page
    assert client_for(world.outsider).get(f"/assessment/people/{world.secretary_a1.pk}/").status_code == 404
    staff.post("/assessment/calibration/", {"action": "override", "year": 2025, "code": world.village_a1.code,
                                            "tier": "good", "reason": "年终复核"})
    assert "年终复核" in staff.get("/assessment/calibration/?year=2025").content.decode()
    assert Classification.objects.get(unit=world.village_a1, year=2025).tier == Tier.GOOD
    client_for(world.outsider).post("/assessment/calibration/", {"action": "override", "year": 2025,
                                                                 "code": world.village_a2.code, "tier": "poor",
                                                                 "reason": "x"})
    assert Classification.objects.get(unit=world.village_a2, year=2025).tier == Tier.GOOD
    staff.post("/assessment/calibration/", {"action": "publish", "cycle": cycle.pk, "year": 2025, "confirm": "yes"})
    cycle.refresh_from_db()
    assert cycle.is_published
    assert client_for(world.outsider).post("/assessment/calibration/", {
        "action": "publish", "cycle": cycle.pk, "confirm": "yes"}).status_code == 404


def test_secretary_pages_never_show_ballots(world):
    """R-ASM-3: no page a secretary reaches names an evaluator or lists ballots."""
    add_ballots(unit=world.village_a1, ratings=["good"] * 4)
    assert EvaluationRating.objects.count() == 4
    sec = client_for(world.secretary_user)
    for url in ("/assessment/", "/assessment/duty-reports/", f"/assessment/people/{world.secretary_a1.pk}/"):
        r = sec.get(url)
        assert r.status_code == 200, url
        assert "ballot" not in r.content.decode().lower()
