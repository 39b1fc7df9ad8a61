"""The assessment API: scoping (R-ORG-2), anonymity (R-ASM-3), duty reports (R-ASM-2), honours (R-HON)."""
import io

from openpyxl import Workbook

from assessment.choices import DutyReportState, HonourKind, HonourStage, Tier
from assessment.models import DutyReport, EvaluationRating, Honour, Sanction
from assessment.services.classification import annual_review_run
from assessment.services.duty_reports import ERR_RETURN_REASON
from assessment.services.evaluations import evaluation_draw_numbers
from assessment.services.honours import ERR_NOT_DIFFERENTIAL, ERR_NOT_GOOD, ERR_QUOTA, ERR_SANCTIONED
from core.choices import JobState, Role
from core.models import OrgUnit, Policy
from tests.factories import make_user

from .helpers import make_branches, make_cycle, make_template, set_previous, set_scores

REPORT_TEXT = {"commitments": "完成村集体经济增收目标", "work_done": "修建村道2公里", "problems": "党员老龄化",
               "plans": "发展年轻党员"}


def test_duty_report_round_trip_keeps_every_state_change(world, api):
    """R-ASM-2: draft → submitted → returned (reason, text kept) → submitted → accepted, each with who."""
    sec, sup = api(world.secretary_user), api(world.supervisor_a)
    r = sec.post("/api/v1/duty-reports/", {"year": 2025, **REPORT_TEXT}, format="json")
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert sec.post(f"/api/v1/duty-reports/{rid}/submit/", {}, format="json").json()["state"] == "submitted"
    bad = sup.post(f"/api/v1/duty-reports/{rid}/return/", {"reason": ""}, format="json")
    assert bad.status_code == 400 and str(ERR_RETURN_REASON) in bad.json()["reason"]
    returned = sup.post(f"/api/v1/duty-reports/{rid}/return/", {"reason": "补充具体数据"}, format="json").json()
    assert (returned["state"], returned["return_reason"], returned["work_done"]) == (
        "returned", "补充具体数据", "修建村道2公里")
    assert sec.patch(f"/api/v1/duty-reports/{rid}/", {"work_done": "修建村道2.3公里，投资40万元"},
                     format="json").status_code == 200
    sec.post(f"/api/v1/duty-reports/{rid}/submit/", {}, format="json")
    done = sup.post(f"/api/v1/duty-reports/{rid}/accept/", format="json").json()
    assert done["state"] == "accepted"
    assert [(e["from_state"], e["to_state"], e["by_name"]) for e in done["events"]] == [
        ("", "draft", "secretary_a1"), ("draft", "submitted", "secretary_a1"),
        ("submitted", "returned", "supervisor_a"), ("returned", "submitted", "secretary_a1"),
        ("submitted", "accepted", "supervisor_a")]
    assert done["events"][2]["snapshot"]["work_done"] == "修建村道2公里"
    # An accepted report cannot be edited any more.
    assert sec.patch(f"/api/v1/duty-reports/{rid}/", {"work_done": "x"}, format="json").status_code == 400


def test_reports_are_scoped(world, api):
    """R-ORG-2: another secretary and county B see nothing and cannot act; a supervisor sees their subtree."""
    other_user = make_user(unit=world.village_a2, role=Role.SECRETARY)
    world.person_a2.user = other_user
    world.person_a2.save()
    rid = api(world.secretary_user).post("/api/v1/duty-reports/", {"year": 2025, **REPORT_TEXT},
                                         format="json").json()["id"]
    api(world.secretary_user).post(f"/api/v1/duty-reports/{rid}/submit/", {}, format="json")
    for user in (other_user, world.outsider):
        client = api(user)
        assert client.get(f"/api/v1/duty-reports/{rid}/").status_code == 404
        assert client.get("/api/v1/duty-reports/").json()["count"] == 0
        assert client.post(f"/api/v1/duty-reports/{rid}/accept/").status_code in (403, 404)
        assert client.patch(f"/api/v1/duty-reports/{rid}/", {"work_done": "x"}, format="json").status_code in (
            403, 404)
    assert api(world.township_staff).get("/api/v1/duty-reports/").json()["count"] == 1
    b_supervisor = make_user(unit=world.township_b, role=Role.SUPERVISOR)
    assert api(b_supervisor).post(f"/api/v1/duty-reports/{rid}/return/", {"reason": "x"}).status_code == 404
    assert DutyReport.objects.get(pk=rid).state == DutyReportState.SUBMITTED


def test_sample_draw_is_reproducible_and_respects_share_and_minimum(world, api):
    """R-ASM-3: 30% of 40 members = 12; 30% of 10 = 3 → the minimum of 5; 4 members → all 4."""
    OrgUnit.objects.filter(pk=world.village_a1.pk).update(members=40)
    OrgUnit.objects.filter(pk=world.village_a2.pk).update(members=10)
    staff = api(world.staff_a)
    s1 = staff.post("/api/v1/evaluations/", {"unit": world.village_a1.pk, "year": 2025, "seed": 20251201},
                    format="json").json()
    assert (s1["sample_size"], len(s1["drawn"]), s1["seed"]) == (12, 12, 20251201)
    assert s1["drawn"] == evaluation_draw_numbers(seed=20251201, members=40, size=12)
    assert staff.get(f"/api/v1/evaluations/{s1['id']}/verify/").json()["reproduced"] is True
    s2 = staff.post("/api/v1/evaluations/", {"unit": world.village_a2.pk, "year": 2025}, format="json").json()
    assert s2["sample_size"] == 5 and len(set(s2["drawn"])) == 5 and all(1 <= n <= 10 for n in s2["drawn"])
    few = make_branches(parent=world.township_a, count=1)[0]
    OrgUnit.objects.filter(pk=few.pk).update(members=4)
    assert staff.post("/api/v1/evaluations/", {"unit": few.pk, "year": 2025}, format="json").json()[
        "sample_size"] == 4
    assert api(world.outsider).post("/api/v1/evaluations/", {"unit": world.village_a1.pk, "year": 2024},
                                    format="json").status_code == 400


def test_ballots_are_anonymous_and_hidden_below_the_minimum(world, api):
    """R-ASM-3: 4 answers show no aggregate under the minimum of 5; a secretary never sees ballots or the draw."""
    OrgUnit.objects.filter(pk=world.village_a1.pk).update(members=20)
    staff = api(world.staff_a)
    sample = staff.post("/api/v1/evaluations/", {"unit": world.village_a1.pk, "year": 2025},
                        format="json").json()
    r = staff.post(f"/api/v1/evaluations/{sample['id']}/ratings/", {"ratings": ["好", "好", "较好", "差"]},
                   format="json")
    assert r.status_code == 200, r.content
    assert r.json()["aggregate"] == {**r.json()["aggregate"], "answers": None, "shown": False, "member_score": None,
                                     "rating_counts": None, "satisfaction": None}
    sec = api(world.secretary_user)
    mine = sec.get(f"/api/v1/evaluations/{sample['id']}/").json()
    assert "drawn" not in mine and "seed" not in mine and mine["aggregate"]["shown"] is False
    assert sec.get(f"/api/v1/evaluations/{sample['id']}/verify/").status_code == 403
    # Excel import of a fifth ballot: now the aggregate shows, still with no evaluator anywhere.
    wb = Workbook()
    wb.active.append(["评价"])
    wb.active.append(["一般"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "ballots.xlsx"
    r = staff.post(f"/api/v1/evaluations/{sample['id']}/import/", {"file": buf}, format="multipart")
    assert r.status_code == 200, r.content
    # R-ASM-3: still open — nothing shows until staff close the sample.
    assert sec.get(f"/api/v1/evaluations/{sample['id']}/").json()["aggregate"]["shown"] is False
    assert staff.post(f"/api/v1/evaluations/{sample['id']}/close/").status_code == 200
    agg = sec.get(f"/api/v1/evaluations/{sample['id']}/").json()["aggregate"]
    assert (agg["shown"], agg["answers"], agg["member_score"], agg["satisfaction"]) == (True, 5, "68.00", "60.0")
    assert [f.name for f in EvaluationRating._meta.concrete_fields] == ["id", "sample", "rating"]
    assert EvaluationRating.objects.visible_to(world.secretary_user).count() == 0
    assert api(world.outsider).get(f"/api/v1/evaluations/{sample['id']}/").status_code == 404
    assert api(world.outsider).post(f"/api/v1/evaluations/{sample['id']}/ratings/", {"ratings": ["好"]},
                                    format="json").status_code == 404


def test_classification_list_is_scoped_and_costs_fixed_queries(world, api, django_assert_num_queries):
    """R-ORG-2, R-CLS-1: county B sees none of county A's tiers; a secretary sees theirs only once published."""
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1, world.village_a2, *make_branches(parent=world.township_a, count=20)],
               score="91", template=template)
    cycle = make_cycle(unit=world.county_a)
    annual_review_run(cycle_id=cycle.pk)
    staff = api(world.staff_a)
    with django_assert_num_queries(2):  # the count, then the page with unit and cycle joined
        r = staff.get("/api/v1/classifications/?year=2025")
    assert r.json()["count"] == 22
    assert api(world.outsider).get("/api/v1/classifications/").json()["count"] == 0
    sec = api(world.secretary_user)
    assert sec.get("/api/v1/classifications/").json()["count"] == 0
    assert staff.post(f"/api/v1/cycles/{cycle.pk}/publish/").status_code == 200
    mine = sec.get("/api/v1/classifications/").json()
    assert [c["unit"] for c in mine["results"]] == [world.village_a1.pk]
    c_id = mine["results"][0]["id"]
    assert api(world.outsider).post(f"/api/v1/classifications/{c_id}/override/",
                                    {"tier": "poor", "reason": "x"}).status_code == 404
    assert sec.post(f"/api/v1/classifications/{c_id}/override/", {"tier": "poor", "reason": "x"}).status_code == 403


def test_review_job_via_the_api(world, api, django_capture_on_commit_callbacks):
    """R-JOB-1/3: staff start the review; the job ends with a result readable at /api/v1/jobs/<id>/."""
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1], score="90", template=template)
    cycle = make_cycle(unit=world.county_a)
    with django_capture_on_commit_callbacks(execute=True):
        r = api(world.staff_a).post(f"/api/v1/cycles/{cycle.pk}/review/")
    assert r.status_code == 202
    job = api(world.staff_a).get(f"/api/v1/jobs/{r.json()['id']}/").json()
    assert (job["state"], job["progress"], job["result"]["tiers"]) == (
        JobState.SUCCEEDED, 100, {"good": 1, "unclassified": 1})
    assert api(world.outsider).post(f"/api/v1/cycles/{cycle.pk}/review/").status_code == 404
    assert api(world.supervisor_a).post(f"/api/v1/cycles/{cycle.pk}/review/").status_code == 403


def test_upgrade_target_report_endpoint(world, api):
    branches = make_branches(parent=world.township_a, count=10)
    set_previous(units=branches, year=2024, tier=Tier.POOR)
    template = make_template(unit=world.county_a)
    set_scores(units=branches[:8], score="70", template=template)
    set_scores(units=branches[8:], score="50", template=template)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    data = api(world.staff_a).get("/api/v1/reports/upgrade-targets/?year=2025").json()
    poor = next(g for g in data["groups"] if g["previous_tier"] == "poor")
    assert (poor["met"], len(poor["behind"])) == (False, 2)
    outsider = api(world.outsider).get("/api/v1/reports/upgrade-targets/?year=2025").json()
    assert all(g["count"] == 0 for g in outsider["groups"])
    assert api(world.outsider).get(
        f"/api/v1/reports/upgrade-targets/?year=2025&unit={world.county_a.pk}").status_code == 400


def test_outstanding_secretary_only_from_a_good_branch(world, api):
    """R-HON-1: a candidate from a 较好 branch is refused with a clear reason; R-CLS-5 refuses the sanctioned."""
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1], score="85", template=template)
    set_scores(units=[world.village_a2], score="95", template=template)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    staff = api(world.staff_a)
    r = staff.post("/api/v1/honours/", {"kind": HonourKind.OUTSTANDING_SECRETARY, "year": 2025,
                                        "unit": world.village_a1.pk, "person": world.secretary_a1.pk},
                   format="json")
    assert r.status_code == 400
    assert r.json()["unit"] == [str(ERR_NOT_GOOD.format(year=2025, unit="东风村党支部", tier=Tier.FAIRLY_GOOD.label))]
    ok = staff.post("/api/v1/honours/", {"kind": HonourKind.OUTSTANDING_WORKER, "year": 2025,
                                         "unit": world.village_a2.pk, "person": world.person_a2.pk}, format="json")
    assert ok.status_code == 201 and ok.json()["recuperation_days"] == 3
    Sanction.objects.create(person=world.person_a2, unit=world.village_a2, year=2024, applies_to_year=2025,
                            reason="moved_down", computed_at="2025-01-10T00:00:00Z")
    r = staff.post("/api/v1/honours/", {"kind": HonourKind.OUTSTANDING_SECRETARY, "year": 2025,
                                        "unit": world.village_a2.pk, "person": world.person_a2.pk}, format="json")
    assert r.json()["person"] == [str(ERR_SANCTIONED.format(person="杨志强", year=2025))]
    assert api(world.outsider).get("/api/v1/honours/").json()["count"] == 0
    assert api(world.outsider).get("/api/v1/sanctions/").json()["count"] == 0
    assert api(world.staff_a).get("/api/v1/sanctions/").json()["count"] == 1


def test_red_flag_differential_stages_quota_and_withdrawal(world, api):
    """R-HON-2: each stage passes on fewer than it holds; named ≤ quota (set to 2 here); negative list withdraws."""
    Policy.objects.create(unit=world.city, year=2025, red_flag_quota=2)
    branches = make_branches(parent=world.township_a, count=6)
    template = make_template(unit=world.county_a)
    set_scores(units=branches, score="96", template=template)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    staff = api(world.staff_a)
    ids = [staff.post("/api/v1/honours/", {"kind": "red_flag", "year": 2025, "unit": b.pk}, format="json").json()["id"]
           for b in branches]
    r = staff.post("/api/v1/honours/advance/", {"ids": ids}, format="json")
    assert r.status_code == 400 and r.json()["honours"] == [str(ERR_NOT_DIFFERENTIAL.format(pool=6))]
    assert staff.post("/api/v1/honours/advance/", {"ids": ids[:5]}, format="json").status_code == 200
    assert staff.post("/api/v1/honours/advance/", {"ids": ids[:4]}, format="json").status_code == 200
    r = staff.post("/api/v1/honours/advance/", {"ids": ids[:3]}, format="json")
    assert r.json()["honours"] == [str(ERR_QUOTA.format(quota=2, year=2025, named=0))]
    assert staff.post("/api/v1/honours/advance/", {"ids": ids[:2]}, format="json").status_code == 200
    assert Honour.objects.filter(stage=HonourStage.NAMED).count() == 2
    listing = staff.post("/api/v1/branch-listings/", {"unit": branches[0].pk, "year": 2025,
                                                     "kind": "negative_list", "reason": "违规"}, format="json")
    assert listing.status_code == 201
    assert Honour.objects.get(pk=ids[0]).is_withdrawn
    assert api(world.outsider).post("/api/v1/honours/advance/", {"ids": ids[2:3]}, format="json").status_code == 400
