"""Issue 8 items 4, 7, 10: feedback that says what happened — the review's Chinese summary with the
unclassified reasons, its confirmation, the duty-report and classification lists' filters and pages."""
import datetime as dt
import re

import pytest
from django.utils import timezone

from assessment.choices import DutyReportState, Tier, UnclassifiedReason
from assessment.job_summaries import MSG_NONE_CLASSIFIED, review_headline, review_level
from assessment.models import Classification, DutyReport
from assessment.services.classification import annual_review_run
from assessment.views import ERR_CONFIRM
from core.choices import JobState
from core.models import Job
from tests.factories import PersonFactory

from .helpers import add_ballots, make_branches, make_cycle, make_template, set_scores
from .test_pages import client_for


def page_text(response) -> str:
    """The text a reader sees: tags, scripts and attribute values (links, classes) left out."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _mixed_county(world):
    """Ten branches in county A: four scored (one per tier), six without a superior score whose
    evaluations are in each state — none drawn (2), open (2), closed with 3 answers (1), closed with 6 (1)."""
    extra = make_branches(parent=world.township_a, count=8)
    branches = [world.village_a1, world.village_a2, *extra]
    template = make_template(unit=world.county_a)
    for unit, score in zip(branches[:4], ("95", "85", "65", "50"), strict=True):
        set_scores(units=[unit], score=score, template=template)
    cycle = make_cycle(unit=world.county_a)
    # The cycle's evaluations are still open (due far ahead); two samples are closed by staff.
    type(cycle).objects.filter(pk=cycle.pk).update(evaluations_due=dt.date(2099, 12, 20),
                                                   classification_date=dt.date(2100, 1, 10),
                                                   publication_date=dt.date(2100, 1, 20))
    no_sample = branches[4:6]
    for unit in branches[6:8]:
        add_ballots(unit=unit, ratings=["good", "good"])
    few = add_ballots(unit=branches[8], ratings=["good", "average", "poor"])
    enough = add_ballots(unit=branches[9], ratings=["good"] * 6)
    type(few).objects.filter(pk__in=[few.pk, enough.pk]).update(closed_at=timezone.now())
    return cycle, branches, no_sample


def test_review_result_counts_tiers_and_the_reasons_branches_were_left_unclassified(world):
    """R-CLS-1, R-ASM-3/4: 95/85/65/50 give one branch per tier; the six unscored are told apart."""
    cycle, branches, _ = _mixed_county(world)
    result = annual_review_run(cycle_id=cycle.pk)
    assert result["branches"] == 10
    assert result["tiers"] == {"average": 1, "fairly_good": 1, "good": 1, "poor": 1, "unclassified": 6}
    assert result["unclassified_reasons"] == {
        UnclassifiedReason.NO_SCORE: 1,
        UnclassifiedReason.NO_SCORE_FEW_ANSWERS: 1,
        UnclassifiedReason.NO_SCORE_NO_SAMPLE: 2,
        UnclassifiedReason.NO_SCORE_SAMPLE_OPEN: 2,
    }
    assert sum(result["unclassified_reasons"].values()) == result["tiers"]["unclassified"]
    assert result["staff_tiers"] == 0
    assert review_level(result) == "ok"
    assert review_headline(result) == "10 个党支部中已定级 4 个，6 个未定级。"


def test_a_review_that_classified_nothing_is_a_warning_with_its_reasons(world):
    """88 of 88 unclassified in the demo city read as success; here 2 of 2 must read as a warning."""
    cycle = make_cycle(unit=world.county_a)
    result = annual_review_run(cycle_id=cycle.pk)
    assert result["tiers"] == {"unclassified": 2}
    assert result["unclassified_reasons"] == {UnclassifiedReason.NO_SCORE_NO_SAMPLE: 2}
    assert review_level(result) == "warning"
    assert review_headline(result) == MSG_NONE_CLASSIFIED.format(branches=2)


def test_the_review_asks_for_confirmation_and_only_a_confirmed_post_runs_it(world,
                                                                          django_capture_on_commit_callbacks):
    cycle, _branches, _ = _mixed_county(world)
    staff = client_for(world.staff_a)
    r = staff.get(f"/assessment/cycles/{cycle.pk}/review/")
    text = page_text(r)
    assert r.status_code == 200 and "请确认" in text and "甲县委" in text and "2025" in text
    assert re.search(r"将定级的党支部\s+10\b", text)
    assert not Job.objects.filter(kind="annual_review").exists()

    r = staff.post(f"/assessment/cycles/{cycle.pk}/review/")
    assert r.status_code == 400 and str(ERR_CONFIRM) in r.content.decode()
    assert not Job.objects.filter(kind="annual_review").exists()
    assert not Classification.objects.filter(year=2025).exists()

    with django_capture_on_commit_callbacks(execute=True):
        r = staff.post(f"/assessment/cycles/{cycle.pk}/review/", {"confirm": "yes"})
    job = Job.objects.get(kind="annual_review")
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    assert job.state == JobState.SUCCEEDED and Classification.objects.filter(year=2025).count() == 10
    # Sent to the workers when the request ended: the banner says it waits, not that it finished.
    assert "2025年度评定已开始，正在等待后台处理" in page_text(staff.get(r["Location"]))
    assert client_for(world.supervisor_a).get(f"/assessment/cycles/{cycle.pk}/review/").status_code == 403
    assert client_for(world.outsider).get(f"/assessment/cycles/{cycle.pk}/review/").status_code == 404


def test_the_banner_says_the_review_finished_when_it_ran_in_the_request(world, transactional_db):
    """Eager mode (the first run on SQLite): the job is over when the banner is written, and it says so."""
    cycle, _branches, _ = _mixed_county(world)
    staff = client_for(world.staff_a)
    r = staff.post(f"/assessment/cycles/{cycle.pk}/review/", {"confirm": "yes"})
    job = Job.objects.get(kind="annual_review")
    assert job.state == JobState.SUCCEEDED and r["Location"] == f"/jobs/{job.pk}/"
    assert "2025年度评定已完成：10 个党支部中已定级 4 个，6 个未定级。" in page_text(staff.get(r["Location"]))


def test_the_review_job_page_is_a_chinese_summary_without_raw_keys(world, django_capture_on_commit_callbacks):
    cycle, _branches, _ = _mixed_county(world)
    staff = client_for(world.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/assessment/cycles/{cycle.pk}/review/", {"confirm": "yes"})
    job = Job.objects.get(kind="annual_review")
    r = staff.get(f"/jobs/{job.pk}/")
    text = page_text(r)
    for label in ("好", "较好", "一般", "较差", "未定级", "未定级原因", "无上级评分，民主评议尚未结束",
                  "无上级评分，也未抽取民主评议样本", "录入上级评分", "2025年度定级结果"):
        assert label in text, label
    tiers = r.content.decode()
    assert re.search(r"未定级</span></td><td class=\"num\">6<", tiers)
    for raw in ("fairly_good", "unclassified", "no_score", "upgrade_targets", "{", "R-JOB-1\""):
        assert raw not in text, raw
    # The links lead to the result: the year's classifications, tier by tier, in the cycle's jurisdiction.
    assert f"/assessment/classifications/?year=2025&amp;tier=fairly_good&amp;unit={world.county_a.pk}" in tiers
    listed = staff.get(f"/assessment/classifications/?year=2025&tier=none&unit={world.county_a.pk}")
    assert listed.context["page_obj"].paginator.count == 6


def test_an_all_unclassified_review_shows_a_warning_state_on_its_job_and_the_cycles_page(
        world, django_capture_on_commit_callbacks):
    cycle = make_cycle(unit=world.county_a)
    staff = client_for(world.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        r = staff.post(f"/assessment/cycles/{cycle.pk}/review/", {"confirm": "yes"})
    r = staff.get(r["Location"])
    text = page_text(r)
    assert "已完成（有警告）" in text and "已成功" not in text
    assert "2 个党支部全部未定级" in text
    assert 'class="progress progress-lg job-warning"' in r.content.decode()
    cycles = page_text(staff.get("/assessment/"))
    assert "已完成（有警告）" in cycles and "2 个党支部全部未定级" in cycles and "succeeded" not in cycles


def test_the_generic_summary_labels_every_key_of_an_export_and_an_import(world):
    """Kinds without a template of their own fall back to a labelled table, never JSON."""
    export = Job.objects.create(kind="enterprise_coverage_export", created_by=world.staff_a, state=JobState.SUCCEEDED,
                                progress=100, result={"rows": 12, "year": 2025})
    roster = Job.objects.create(kind="import_roster", created_by=world.staff_a, state=JobState.SUCCEEDED,
                                progress=100, result={"rows": 3, "people_created": 2, "people_updated": 1,
                                                      "appointments_created": 2, "appointments_updated": 0,
                                                      "unchanged": 0, "errors": 0, "reserves_closed": 1})
    staff = client_for(world.staff_a)
    text = page_text(staff.get(f"/jobs/{export.pk}/"))
    assert "行数" in text and "12" in text and "年度" in text and "rows" not in text
    text = page_text(staff.get(f"/jobs/{roster.pk}/"))
    for label in ("新增人员", "更新人员", "新增任职", "结束的后备人选"):
        assert label in text, label
    assert "people_created" not in text and "reserves_closed" not in text


# --- /assessment/duty-reports/ (item 7) ---

@pytest.fixture
def many_reports(world):
    """60 reports in county A (40 of 2025, 20 of 2024, states in turn) and one of 2023 in county B."""
    branches = make_branches(parent=world.township_a, count=60)
    person = PersonFactory(unit=world.village_a1)
    states = list(DutyReportState.values)
    DutyReport.objects.bulk_create([
        DutyReport(unit=u, person=person, year=2025 if i < 40 else 2024, state=states[i % 4])
        for i, u in enumerate(branches)])
    DutyReport.objects.create(unit=world.village_b1, person=world.person_b1, year=2023,
                              state=DutyReportState.ACCEPTED)
    return branches


def test_duty_reports_page_by_page_with_links(world, many_reports):
    staff = client_for(world.staff_a)
    first = staff.get("/assessment/duty-reports/")
    html = first.content.decode()
    assert first.context["page_obj"].paginator.count == 60 and len(first.context["object_list"]) == 50
    assert 'class="pagination"' in html and "?page=2" in html
    second = staff.get("/assessment/duty-reports/?page=2")
    assert second.status_code == 200 and len(second.context["object_list"]) == 10
    assert not {r.pk for r in first.context["object_list"]} & {r.pk for r in second.context["object_list"]}


def test_duty_reports_filter_by_year_and_state_with_scoped_choices(world, many_reports):
    staff = client_for(world.staff_a)
    r = staff.get("/assessment/duty-reports/?year=2024")
    assert r.context["page_obj"].paginator.count == 20
    assert {x.year for x in r.context["object_list"]} == {2024}
    r = staff.get("/assessment/duty-reports/?year=2025&state=accepted")
    assert r.context["page_obj"].paginator.count == 10
    assert {x.state for x in r.context["object_list"]} == {DutyReportState.ACCEPTED}
    # Filter links keep the filter on page 2.
    r = staff.get("/assessment/duty-reports/?state=draft")
    assert r.context["page_obj"].paginator.count == 15
    form = r.context["filter_form"]
    assert [c for c, _label in form.fields["year"].choices if c] == [2025, 2024]  # county B's 2023 is not offered
    assert [str(label) for c, label in form.fields["state"].choices if c] == ["草稿", "已提交", "已退回", "已通过"]
    text = page_text(r)
    assert "年度" in text and "状态" in text and "全部年度" in text
    assert "2023" not in page_text(client_for(world.staff_a).get("/assessment/duty-reports/"))


def test_duty_report_states_each_have_their_colour(world, many_reports):
    html = client_for(world.staff_a).get("/assessment/duty-reports/").content.decode()
    for tone, label in (("grey", "草稿"), ("blue", "已提交"), ("orange", "已退回"), ("green", "已通过")):
        assert f'<span class="tag tag-{tone}">{label}</span>' in html


def test_the_duty_report_list_costs_fixed_queries(world, many_reports, django_assert_num_queries):
    staff = client_for(world.staff_a)
    staff.get("/assessment/duty-reports/")  # warm the session and the user's unit
    # session, user with its unit (issue 12), the filter's years, the count, the page (unit and person joined),
    # the notices badge; whatever the number of rows.
    with django_assert_num_queries(6):
        staff.get("/assessment/duty-reports/?year=2025")
    with django_assert_num_queries(6):
        staff.get("/assessment/duty-reports/?page=2")


# --- /assessment/classifications/ (item 10) ---

def test_classifications_show_stars_as_a_value_with_one_link_per_row(world):
    template = make_template(unit=world.county_a)
    extra = make_branches(parent=world.township_a, count=58)
    set_scores(units=[world.village_a1, world.village_a2, *extra], score="91", template=template)
    cycle = make_cycle(unit=world.county_a)
    annual_review_run(cycle_id=cycle.pk)
    Classification.objects.filter(unit=world.village_a1).update(stars=3)
    staff = client_for(world.staff_a)
    r = staff.get("/assessment/classifications/?year=2025")
    html = r.content.decode()
    assert 'name="stars"' not in html and 'name="reason"' not in html  # no star form on the rows
    assert html.count("评星</a>") == 50 and "★★★" in html
    assert "page=2" in html and 'class="pagination"' in html
    row = Classification.objects.get(unit=world.village_a1)
    form = staff.get(f"/assessment/classifications/{row.pk}/stars/?year=2025&page=2&tier=good")
    assert form.status_code == 200 and "东风村党支部" in page_text(form)
    r = staff.post(f"/assessment/classifications/{row.pk}/stars/", {"stars": "4", "reason": "评星挂牌",
                                                                    "page": "2", "tier": "good"})
    assert r.status_code == 302 and r["Location"] == "/assessment/classifications/?year=2025&page=2&tier=good"
    row.refresh_from_db()
    assert row.stars == 4
    # Filters: tier and the jurisdiction narrow the rows.
    assert staff.get("/assessment/classifications/?year=2025&tier=good").context["page_obj"].paginator.count == 60
    assert staff.get("/assessment/classifications/?year=2025&tier=poor").context["page_obj"].paginator.count == 0
    assert staff.get(f"/assessment/classifications/?year=2025&unit={world.township_a.pk}"
                     ).context["page_obj"].paginator.count == 60


def test_the_classification_list_costs_fixed_queries(world, django_assert_num_queries):
    template = make_template(unit=world.county_a)
    extra = make_branches(parent=world.township_a, count=58)
    set_scores(units=[world.village_a1, world.village_a2, *extra], score="91", template=template)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    staff = client_for(world.staff_a)
    staff.get("/assessment/classifications/?year=2025")
    # session, user with its unit (issue 12), the years offered, the count, the page
    # (unit and cycle joined), the notices badge.
    with django_assert_num_queries(6):
        staff.get("/assessment/classifications/?year=2025")
    with django_assert_num_queries(6):
        staff.get(f"/assessment/classifications/?year=2025&tier={Tier.GOOD}&page=2")


def test_the_job_list_says_what_a_finished_review_did_not_its_last_progress_step(world,
                                                                                django_capture_on_commit_callbacks):
    cycle = make_cycle(unit=world.county_a)
    staff = client_for(world.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/assessment/cycles/{cycle.pk}/review/", {"confirm": "yes"})
    text = page_text(staff.get("/jobs/"))
    assert "2 个党支部全部未定级" in text and "已完成（有警告）" in text
    assert "正在核对晋位升级目标" not in text and "upgrade targets" not in text
