"""R-JOB-1, R-CLS-1/2/4/5/6: the annual review over a cycle, set-based and repeatable."""
import datetime as dt
import math
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.choices import ListingKind, Movement, SanctionReason, Tier
from assessment.models import BranchListing, Classification, ClassificationChange, Sanction
from assessment.selectors import upgrade_targets_for_unit
from assessment.services.bulk import CHUNK_ROWS
from assessment.services.classification import (
    ERR_NEGATIVE_LIST_GOOD,
    ERR_REASON_REQUIRED,
    annual_review_run,
    classification_override,
    classification_set_stars,
)
from assessment.services.cycles import ERR_PUBLISHED, cycle_publish
from cadres.choices import AppointmentRole
from tests.factories import AppointmentFactory

from .helpers import add_ballots, make_branches, make_cycle, make_template, set_previous, set_scores

D = Decimal


def snapshot(year=2025):
    rows = Classification.objects.filter(year=year).order_by("unit_id").values_list(
        "unit_id", "superior_score", "member_score", "composite_score", "computed_tier", "tier", "previous_tier",
        "movement", "explanation")
    sanctions = Sanction.objects.filter(year=year).order_by("person_id").values_list(
        "person_id", "unit_id", "applies_to_year", "reason", "explanation")
    return list(rows), list(sanctions)


def test_review_classifies_every_branch_with_its_explanation(world):
    """R-CLS-1, R-ASM-4, R-POL-2: 0.7 × 95 + 0.3 × 76 = 89.30 → 较好, explained with the policy."""
    cycle = make_cycle(unit=world.county_a)
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1], score="95", template=template)
    add_ballots(unit=world.village_a1, ratings=["good", "good", "good", "fairly_good", "poor"])
    result = annual_review_run(cycle_id=cycle.pk)
    c = Classification.objects.get(unit=world.village_a1, year=2025)
    assert (c.superior_score, c.member_score, c.composite_score, c.tier) == (
        D("95.00"), D("76.00"), D("89.30"), Tier.FAIRLY_GOOD)
    assert c.explained()["policy"]["tier_good_min"]["value"] == "90"
    assert c.explained()["policy"]["superior_score_weight"]["default"] is True
    # village_a2 has no score: it is listed but unclassified; county B is outside the cycle.
    assert Classification.objects.get(unit=world.village_a2, year=2025).tier == ""
    assert not Classification.objects.filter(unit=world.village_b1).exists()
    assert result["branches"] == 2 and result["tiers"] == {"fairly_good": 1, "unclassified": 1}


def test_negative_list_and_weak_and_lax_override_the_score(world):
    """R-CLS-2: a 95-point branch on the negative list is 较好; weak and lax is 较差."""
    cycle = make_cycle(unit=world.county_a)
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1, world.village_a2], score="95", template=template)
    BranchListing.objects.create(unit=world.village_a1, year=2025, kind=ListingKind.NEGATIVE_LIST, reason="违纪")
    BranchListing.objects.create(unit=world.village_a2, year=2025, kind=ListingKind.WEAK_AND_LAX, reason="涣散")
    annual_review_run(cycle_id=cycle.pk)
    a1 = Classification.objects.get(unit=world.village_a1, year=2025)
    a2 = Classification.objects.get(unit=world.village_a2, year=2025)
    assert (a1.tier, a1.explanation["overrides"]) == (Tier.FAIRLY_GOOD, [{"rule": "R-CLS-2",
                                                                          "listing": "negative_list"}])
    assert a2.tier == Tier.POOR
    with pytest.raises(ValidationError) as err:
        classification_override(classification=a1, tier=Tier.GOOD, reason="复核", by=world.staff_a)
    assert str(ERR_NEGATIVE_LIST_GOOD) in err.value.messages


def test_upgrade_targets_worked_example_nine_of_ten_meets_the_target(world):
    """R-CLS-4: 10 branches 较差 last year, 9 moved up → 90% meets the 90% target."""
    branches = make_branches(parent=world.township_a, count=10)
    set_previous(units=branches, year=2024, tier=Tier.POOR)
    template = make_template(unit=world.county_a)
    set_scores(units=branches[:9], score="65", template=template)
    set_scores(units=branches[9:], score="50", template=template)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    poor = next(g for g in upgrade_targets_for_unit(unit=world.county_a, year=2025)["groups"]
                if g["previous_tier"] == "poor")
    assert (poor["count"], poor["achieved"], poor["actual"], poor["target"], poor["met"]) == (
        10, 9, D("0.9000"), D("0.90"), True)
    assert [b["unit_id"] for b in poor["behind"]] == [branches[9].pk]


def test_upgrade_targets_eight_of_ten_fails_and_lists_the_two(world):
    """R-CLS-4: 8 of 10 moved up → 80% < 90%: missed, gap of 1, the two branches behind listed."""
    branches = make_branches(parent=world.township_a, count=10)
    set_previous(units=branches, year=2024, tier=Tier.POOR)
    template = make_template(unit=world.county_a)
    set_scores(units=branches[:8], score="81", template=template)
    set_scores(units=branches[8:], score="59.99", template=template)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    poor = next(g for g in upgrade_targets_for_unit(unit=world.county_a, year=2025)["groups"]
                if g["previous_tier"] == "poor")
    assert (poor["actual"], poor["met"], poor["needed"], poor["gap"]) == (D("0.8000"), False, 9, 1)
    assert sorted(b["unit_id"] for b in poor["behind"]) == sorted(b.pk for b in branches[8:])
    assert poor["policy"]["upgrade_poor_share"]["value"] == "0.90"


def test_sanctions_for_a_branch_that_stays_average_and_one_that_drops(world):
    """R-CLS-5: 一般 → 一般 flags the secretary for 2026; 好 → 较好 too; 较差 → 一般 does not."""
    first_secretary = AppointmentFactory(unit=world.village_a1, role=AppointmentRole.FIRST_SECRETARY,
                                         start_date=dt.date(2025, 2, 1))
    set_previous(units=[world.village_a1], year=2024, tier=Tier.AVERAGE)
    set_previous(units=[world.village_a2], year=2024, tier=Tier.GOOD)
    village_a3 = make_branches(parent=world.township_a, count=1)[0]
    set_previous(units=[village_a3], year=2024, tier=Tier.POOR)
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1], score="70", template=template)
    set_scores(units=[world.village_a2], score="85", template=template)
    set_scores(units=[village_a3], score="61", template=template)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)

    flags = {(s.person_id, s.reason, s.applies_to_year) for s in Sanction.objects.all()}
    assert flags == {
        (world.secretary_a1.pk, SanctionReason.NOT_MOVED_UP, 2026),
        (first_secretary.person_id, SanctionReason.NOT_MOVED_UP, 2026),
        (world.person_a2.pk, SanctionReason.MOVED_DOWN, 2026),
    }
    a2 = Classification.objects.get(unit=world.village_a2, year=2025)
    assert a2.movement == Movement.DOWN
    s = Sanction.objects.get(person=world.person_a2)
    assert s.explanation == {**s.explanation, "rule": "R-CLS-5", "previous_tier": "good", "tier": "fairly_good"}

    # Staff raise village_a1 to 较好 with a reason: its flags go away, the change is kept.
    c = Classification.objects.get(unit=world.village_a1, year=2025)
    with pytest.raises(ValidationError) as err:
        classification_override(classification=c, tier=Tier.FAIRLY_GOOD, reason=" ", by=world.staff_a)
    assert str(ERR_REASON_REQUIRED) in err.value.messages
    classification_override(classification=c, tier=Tier.FAIRLY_GOOD, reason="实地复核后上调", by=world.staff_a)
    assert not Sanction.objects.filter(unit=world.village_a1).exists()
    change = ClassificationChange.objects.get(classification=c)
    assert (change.old_value, change.new_value, change.reason, change.by) == (
        "average", "fairly_good", "实地复核后上调", world.staff_a)
    # A re-run keeps the staff tier.
    annual_review_run(cycle_id=c.cycle_id)
    c.refresh_from_db()
    assert (c.tier, c.computed_tier, c.override_reason) == (Tier.FAIRLY_GOOD, Tier.AVERAGE, "实地复核后上调")
    assert not Sanction.objects.filter(unit=world.village_a1).exists()


def _review_queries(world, count):
    branches = make_branches(parent=world.township_a, count=count)
    set_previous(units=branches[::2], year=2024, tier=Tier.AVERAGE)
    template = make_template(unit=world.county_a)
    set_scores(units=branches[: count // 2], score="91", template=template)
    set_scores(units=branches[count // 2:], score="70", template=template)
    add_ballots(unit=branches[0], ratings=["good"] * 6)
    cycle = make_cycle(unit=world.county_a)
    with CaptureQueriesContext(connection) as ctx:
        annual_review_run(cycle_id=cycle.pk)
    return cycle, len(ctx.captured_queries)


def test_review_of_50_branches_costs_the_same_queries_as_5000(world):
    """R-JOB-1: set-based — the same statements for 50 and for 5,000 branches, except one more
    upsert statement per CHUNK_ROWS rows (5,052 classifications: two chunks instead of one)."""
    _cycle, small = _review_queries(world, 50)
    Classification.objects.all().delete()
    Sanction.objects.all().delete()
    from assessment.models import BranchScore, EvaluationSample
    BranchScore.objects.all().delete()
    EvaluationSample.objects.all().delete()
    from assessment.models import AssessmentCycle
    AssessmentCycle.objects.all().delete()
    from stipends.models import StipendSheet
    StipendSheet.objects.all().delete()  # the stipends step's draft, so the second run creates it again
    cycle, large = _review_queries(world, 5000)
    # cycle, branches, scores, ballots, listings, last year, this year, policies, 2 × sanctions
    # (posts, stale delete), 1 classification upsert + 1 sanction upsert, upgrade targets (2), savepoints.
    # On PostgreSQL one INSERT … SELECT per policy version whatever the rows; the Python path (SQLite)
    # sends one upsert per CHUNK_ROWS rows.
    extra_chunks = 0 if connection.vendor == "postgresql" else math.ceil(5052 / CHUNK_ROWS) - 1
    assert large == small + extra_chunks
    # + rectification's reads: its review step's poor tiers and weak-and-lax listings, its R-CLS-5 linked people
    # + stipends' step (R-JOB-1): the cycle's draft sheet (2 lookups, its insert and history row, the lock, the five
    # reads of sheet_compute, the lines replaced, the sheet saved with its history row), the other drafts, savepoints
    # + stipends' health step (R-STP-5/6): appointments, good tiers, policies, entitlements, its savepoint and release
    # The review's own statements: the cycle, the published check, the parts, the policies, per part its branches,
    # its policy version (insert, ids), SET LOCAL jit = off and one INSERT … SELECT (PostgreSQL; the Python
    # path reads seven inputs and upserts), the sanction candidates, posts, upsert and stale delete; then the
    # steps above.
    assert small <= (43 if connection.vendor == "postgresql" else 48)
    assert Classification.objects.filter(year=2025, unit__path__startswith=world.township_a.path).count() == 5052
    assert Classification.objects.filter(year=2025, tier=Tier.GOOD).count() == 2500


def test_review_twice_gives_identical_results(world):
    """R-JOB-1: running twice gives the same result."""
    branches = make_branches(parent=world.township_a, count=300)
    set_previous(units=branches[::3], year=2024, tier=Tier.GOOD)
    template = make_template(unit=world.county_a)
    set_scores(units=branches[:150], score="89.99", template=template)
    set_scores(units=branches[150:], score="90", template=template)
    for b in branches[140:160]:
        AppointmentFactory(unit=b)
    cycle = make_cycle(unit=world.county_a)
    first_result = annual_review_run(cycle_id=cycle.pk)
    first = snapshot()
    second_result = annual_review_run(cycle_id=cycle.pk)
    assert snapshot() == first
    assert first_result == second_result
    assert Sanction.objects.count() > 0


def test_a_failure_halfway_leaves_the_previous_state(world):
    """R-JOB-3: the sanctions step fails after the classifications were written: all is rolled back."""
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1], score="95", template=template)
    cycle = make_cycle(unit=world.county_a)
    annual_review_run(cycle_id=cycle.pk)
    before = snapshot()
    from assessment.models import BranchScore
    BranchScore.objects.filter(unit=world.village_a1).update(superior_score=D("50"))
    with mock.patch("assessment.services.classification.sanctions_sync", side_effect=RuntimeError("boom")):
        with pytest.raises(RuntimeError):
            annual_review_run(cycle_id=cycle.pk)
    assert snapshot() == before


def test_publication_freezes_the_year(world):
    """R-CLS-6: after publication the review, tier changes and stars are refused."""
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1, world.village_a2], score="95", template=template)
    cycle = make_cycle(unit=world.county_a)
    annual_review_run(cycle_id=cycle.pk)
    c = Classification.objects.get(unit=world.village_a1, year=2025)
    classification_set_stars(classification=c, stars=5, reason="五星支部", by=world.staff_a)
    cycle_publish(cycle=cycle, by=world.staff_a)
    message = str(ERR_PUBLISHED.format(year=2025))
    for attempt in (
        lambda: annual_review_run(cycle_id=cycle.pk),
        lambda: classification_override(classification=c, tier=Tier.AVERAGE, reason="改", by=world.staff_a),
        lambda: classification_set_stars(classification=c, stars=4, reason="改", by=world.staff_a),
    ):
        with pytest.raises(ValidationError) as err:
            attempt()
        assert message in err.value.messages
    c.refresh_from_db()
    assert (c.tier, c.stars) == (Tier.GOOD, 5)


def test_the_schedule_starts_the_review_on_the_classification_date(world, django_capture_on_commit_callbacks):
    """R-JOB-1: the beat task starts every open cycle whose classification date has come, once per day."""
    from assessment.tasks import start_due_annual_reviews
    from core.choices import JobState
    from core.models import Job

    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1], score="90", template=template)
    cycle = make_cycle(unit=world.county_a)
    assert start_due_annual_reviews(as_of="2026-01-09") == []
    with django_capture_on_commit_callbacks(execute=True):
        jobs = start_due_annual_reviews(as_of=cycle.classification_date.isoformat())
    job = Job.objects.get(pk=jobs[0])
    assert (job.kind, job.state, job.result["tiers"]["good"]) == ("annual_review", JobState.SUCCEEDED, 1)
    cycle.refresh_from_db()
    assert cycle.last_review_job_id == job.pk
