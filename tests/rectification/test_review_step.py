"""R-RCT-1, R-RCT-4, R-JOB-1: the annual review opens a case for every 较差 and weak-and-lax branch, once."""
import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.choices import ListingKind, Tier
from assessment.models import BranchListing
from assessment.services.classification import annual_review_run
from rectification.choices import AdjustmentCause, CaseEventKind, CaseOrigin, CorrectionState
from rectification.models import CaseEvent, CorrectionOrder, RectificationCase, WeakCandidate
from rectification.services.ranking import candidate_confirm, ranking_propose
from tests.assessment.helpers import make_branches, make_cycle, make_template, set_scores


def poor_and_fine(world, *, poor=3, fine=2):
    """``poor`` branches at 50 points (较差: below the default 60), ``fine`` at 95 (好) in township A."""
    template = make_template(unit=world.county_a)
    low = make_branches(parent=world.township_a, count=poor, prefix="P")
    high = make_branches(parent=world.township_a, count=fine, prefix="G")
    set_scores(units=low, score="50", template=template)
    set_scores(units=high, score="95", template=template)
    return low, high


def test_review_opens_a_case_for_every_poor_branch_with_its_explanation(world):
    low, high = poor_and_fine(world)
    cycle = make_cycle(unit=world.county_a)
    result = annual_review_run(cycle_id=cycle.pk)
    assert result["tiers"]["poor"] == 3
    assert result["steps"]["rectification.cases"]["opened"] == 3
    cases = RectificationCase.objects.filter(year=2025)
    assert set(cases.values_list("unit_id", flat=True)) == {u.pk for u in low}
    case = cases.get(unit=low[0])
    assert case.origins == [CaseOrigin.POOR_TIER]
    exp = case.explanation[CaseOrigin.POOR_TIER]
    assert (exp["tier"], exp["composite_score"], exp["year"], exp["rule"]) == ("poor", "50.00", 2025, "R-RCT-1")
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.OPENED).count() == 1
    assert case.history.count() == 1  # R-SEC-2: the bulk insert keeps its history row


def test_running_the_review_twice_opens_each_case_once(world):
    low, _high = poor_and_fine(world)
    cycle = make_cycle(unit=world.county_a)
    annual_review_run(cycle_id=cycle.pk)
    again = annual_review_run(cycle_id=cycle.pk)
    assert again["steps"]["rectification.cases"]["opened"] == 0
    assert again["steps"]["rectification.cases"]["origins_added"] == 0
    assert RectificationCase.objects.count() == 3 and CaseEvent.objects.count() == 3


def test_a_confirmed_weak_and_lax_branch_gets_its_case_with_the_ranking_and_policy(world):
    """The confirm opened the case already; the review adds the poor tier (weak and lax forces 较差, R-CLS-2)."""
    low, high = poor_and_fine(world, poor=0, fine=40)
    cycle = make_cycle(unit=world.county_a)
    annual_review_run(cycle_id=cycle.pk)
    ranking_propose(committee=world.county_a, year=2025)
    candidate = WeakCandidate.objects.order_by("rank").first()
    candidate_confirm(candidate=candidate, reason="群众反映强烈", by=world.staff_a)
    result = annual_review_run(cycle_id=cycle.pk)
    step = result["steps"]["rectification.cases"]
    assert (step["opened"], step["origins_added"], step["weak_and_lax"], step["poor"]) == (0, 1, 1, 1)
    case = RectificationCase.objects.get(unit=candidate.unit)
    assert case.origins == [CaseOrigin.WEAK_AND_LAX, CaseOrigin.POOR_TIER]
    exp = case.explanation[CaseOrigin.WEAK_AND_LAX]
    assert exp["listing_reason"] == "群众反映强烈" and exp["policy"]["weak_candidate_share"]["value"] == "0.05"
    annual_review_run(cycle_id=cycle.pk)
    assert RectificationCase.objects.count() == 1 and CaseEvent.objects.filter(case=case).count() == 2


def test_a_branch_listed_by_hand_gets_a_case_explained_with_the_committee_policy(world):
    BranchListing.objects.create(unit=world.village_a2, year=2025, kind=ListingKind.WEAK_AND_LAX, reason="涣散")
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    case = RectificationCase.objects.get(unit=world.village_a2)
    exp = case.explanation[CaseOrigin.WEAK_AND_LAX]
    assert exp["committee"] == "甲县委" and exp["policy"]["weak_candidate_share"]["default"] is True
    assert exp["listing_reason"] == "涣散" and "candidate_id" not in exp


def test_the_step_is_set_based(world):
    """The review with 5 poor branches and with 60 costs the same number of queries."""
    def queries(n):
        RectificationCase.objects.all().delete()
        low = make_branches(parent=world.township_a, count=n, prefix=f"Q{n}-")
        set_scores(units=low, score="40", template=make_template(unit=world.county_a))
        BranchListing.objects.bulk_create([BranchListing(unit=u, year=2025, kind=ListingKind.WEAK_AND_LAX,
                                                         reason="r") for u in low[:2]])
        cycle = make_cycle(unit=world.county_a) if not hasattr(queries, "cycle") else queries.cycle
        queries.cycle = cycle
        with CaptureQueriesContext(connection) as ctx:
            annual_review_run(cycle_id=cycle.pk)
        return len(ctx.captured_queries), RectificationCase.objects.count()

    few, opened_few = queries(5)
    many, opened_many = queries(60)
    assert (opened_few, opened_many) == (5, 65)
    # The review's own bulk writes add a chunk per 500 rows at most; nothing per branch.
    assert many <= few + 2


def test_the_review_proposes_adjustment_when_a_secretary_with_an_order_is_poor_again(world):
    """R-RCT-4: ordered in 2024, 较差 again in 2025 → adjustment proposed (poor_again), once."""
    set_scores(units=[world.village_a1], score="40", template=make_template(unit=world.county_a))
    order = CorrectionOrder.objects.create(appointment=world.appointment_a1, unit=world.village_a1,
                                           person=world.secretary_a1, year=2024, requirement="整改软弱",
                                           deadline=dt.date(2025, 3, 1), state=CorrectionState.MET)
    untouched = CorrectionOrder.objects.create(appointment=world.appointment_a2, unit=world.village_a2,
                                               person=world.person_a2, year=2024, requirement="x",
                                               deadline=dt.date(2025, 3, 1))
    cycle = make_cycle(unit=world.county_a)
    result = annual_review_run(cycle_id=cycle.pk)
    assert result["steps"]["rectification.cases"]["adjustments_proposed"] == 1
    order.refresh_from_db()
    assert (order.state, order.cause) == (CorrectionState.ADJUSTMENT_PROPOSED, AdjustmentCause.POOR_AGAIN)
    untouched.refresh_from_db()
    assert untouched.state == CorrectionState.OPEN  # village A2 has no score: not poor
    assert annual_review_run(cycle_id=cycle.pk)["steps"]["rectification.cases"]["adjustments_proposed"] == 0
    assert Decimal(RectificationCase.objects.get(unit=world.village_a1).explanation["poor_tier"]["composite_score"]) \
        == Decimal("40")
    assert Tier.POOR == "poor"


def test_the_job_summary_shows_the_cases_opened(world, login):
    from core.models import Job
    from assessment.services.classification import annual_review_run as run

    poor_and_fine(world, poor=2, fine=0)
    cycle = make_cycle(unit=world.county_a)
    result = run(cycle_id=cycle.pk)
    job = Job.objects.create(kind="annual_review", created_by=world.staff_a, unit=world.county_a,
                             params={"cycle": cycle.pk}, state="succeeded", result=result, progress=100)
    page = login(world.staff_a).get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "整顿案件" in html and "新立 2 个" in html
