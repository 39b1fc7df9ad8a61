"""R-JOB-1, R-CLS-1/2/4, R-ASM-3/4, R-POL-1/2: the review in parts, its SQL path and its stored policy.

The PostgreSQL review computes in one statement per policy version (``classify_sql``); the Python
path (``classify_python``, SQLite's) is the reference. Both run here over the same branches — every
edge of the rules — and must write the very same rows and tallies.
"""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.utils import timezone

from assessment.choices import ListingKind, Tier
from assessment.models import BranchListing, Classification, ReviewPolicy
from assessment.services.classification import annual_review_run
from assessment.services.review import (
    PathRange,
    classify_python,
    classify_sql,
    policy_content,
    policy_digest,
    review_parts_plan,
)
from core.choices import BRANCH_LEVELS
from core.models import OrgUnit, Policy
from core.services.policies import PolicyResolver

from .helpers import add_ballots, make_branches, make_cycle, make_template, set_previous, set_scores

FIELDS = ("unit_id", "year", "cycle_id", "superior_score", "member_score", "composite_score", "computed_tier",
          "override_tier", "override_reason", "tier", "previous_tier", "movement", "explanation",
          "review_policy_id", "computed_at")


def _edge_world(world):
    """Branches for every edge: thresholds exactly met, half a cent, listings, staff tiers, samples."""
    cycle = make_cycle(unit=world.county_a)
    template = make_template(unit=world.county_a)
    b = make_branches(parent=world.township_a, count=16)
    scores = {0: "90.00", 1: "89.99", 2: "80.00", 3: "79.99", 4: "60.00", 5: "59.99", 6: "90.15", 7: "95",
              8: "95", 9: "70", 10: "99", 12: "88", 13: "88", 14: "75.5"}
    for i, score in scores.items():
        set_scores(units=[b[i]], score=score, template=template)
    # 6: 0.7 × 90.15 + 0.3 × 80 = 87.105 → 87.11 (half up, not half even), with exactly five answers.
    add_ballots(unit=b[6], ratings=["fairly_good"] * 5)
    # 7: four answers, below the minimum of five: superior alone, no counts kept.
    add_ballots(unit=b[7], ratings=["good"] * 4)
    # 8: six 好 and one 差: 600 / 7 = 85.714… → 85.71; 0.7 × 95 + 0.3 × 85.71 = 92.213 → 92.21.
    add_ballots(unit=b[8], ratings=["good"] * 6 + ["poor"])
    # 12: a sample with ballots, but not closed (staff will not close it; the cycle's date is ahead).
    add_ballots(unit=b[12], ratings=["good"] * 6)
    # 11 has no score but a closed sample; 15 has no score, no sample.
    add_ballots(unit=b[11], ratings=["good"] * 7)
    BranchListing.objects.create(unit=b[10], year=2025, kind=ListingKind.NEGATIVE_LIST, reason="通报")
    BranchListing.objects.create(unit=b[9], year=2025, kind=ListingKind.WEAK_AND_LAX, reason="整顿")
    BranchListing.objects.create(unit=b[15], year=2025, kind=ListingKind.WEAK_AND_LAX, reason="无分")
    BranchListing.objects.create(unit=b[13], year=2025, kind=ListingKind.NEGATIVE_LIST, reason="通报")
    BranchListing.objects.create(unit=b[13], year=2025, kind=ListingKind.WEAK_AND_LAX, reason="整顿")
    set_previous(units=[b[0], b[1]], year=2024, tier=Tier.GOOD)
    set_previous(units=[b[2], b[9]], year=2024, tier=Tier.AVERAGE)
    set_previous(units=[b[4]], year=2024, tier=Tier.POOR)
    set_previous(units=[b[14]], year=2024, tier="")
    # 14: a staff tier from an earlier run stands.
    Classification.objects.create(unit=b[14], year=2025, cycle=cycle, tier=Tier.GOOD, override_tier=Tier.GOOD,
                                  override_reason="复核上调", computed_tier=Tier.AVERAGE)
    # Samples of 6, 7, 8 and 11 are closed by staff; 12 stays open.
    from assessment.models import EvaluationSample

    EvaluationSample.objects.filter(unit__in=[b[6], b[7], b[8], b[11]]).update(closed_at=timezone.now())
    return cycle, b


def _tally(rows) -> dict:
    out = {}
    for tier, reason, staff, n in rows:
        s, m = out.get((str(tier), str(reason)), (0, 0))
        out[(str(tier), str(reason))] = (s + staff, m + n)
    return out


def _rows(unit_ids):
    return {r["unit_id"]: r for r in Classification.objects.filter(unit_id__in=unit_ids, year=2025).values(*FIELDS)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path runs on PostgreSQL only")
def test_sql_and_python_paths_write_the_same_rows_and_tallies_on_every_edge(world, monkeypatch):
    """R-CLS-1/2/4, R-ASM-3/4: the SQL review agrees with the reference on all 16 edge branches."""
    import assessment.models

    # Before the cycle's evaluations-due date: a sample staff did not close is still open (R-ASM-3).
    monkeypatch.setattr(assessment.models.timezone, "localdate", lambda *a: dt.date(2025, 12, 1))
    cycle, b = _edge_world(world)
    ids = [u.pk for u in b]
    resolver = PolicyResolver(year=2025)
    policy = resolver.for_unit(unit_id=b[0].pk, path=b[0].path)
    rp = ReviewPolicy.objects.create(cycle=cycle, key=policy_digest(policy_content(policy)),
                                     content=policy_content(policy))
    stamp = timezone.now()
    python_tally = _tally(classify_python(cycle=cycle, unit_ids=ids, policy=policy, policy_id=rp.pk, stamp=stamp))
    python_rows = _rows(ids)
    sql_tally = _tally(classify_sql(cycle=cycle, unit_ids=ids, policy=policy, policy_id=rp.pk, stamp=stamp))
    sql_rows = _rows(ids)
    assert sql_tally == python_tally
    for uid in ids:
        assert sql_rows[uid] == python_rows[uid], (ids.index(uid), sql_rows[uid], python_rows[uid])
    by = {i: sql_rows[u.pk] for i, u in enumerate(b)}
    assert [by[i]["tier"] for i in range(6)] == ["good", "fairly_good", "fairly_good", "average", "average", "poor"]
    assert (by[6]["member_score"], by[6]["composite_score"]) == (D("80.00"), D("87.11"))
    assert by[7]["member_score"] is None and "rating_counts" not in by[7]["explanation"]["member_evaluation"]
    assert (by[8]["member_score"], by[8]["composite_score"]) == (D("85.71"), D("92.21"))
    assert (by[9]["tier"], by[10]["tier"], by[13]["tier"], by[15]["tier"]) == ("poor", "fairly_good", "poor", "poor")
    assert by[14]["tier"] == "good" and by[14]["computed_tier"] == "average"
    assert [by[i]["movement"] for i in (0, 1, 2, 4, 9, 14, 3)] == ["same", "down", "up", "up", "down", "new", "new"]
    assert by[11]["tier"] == "" and by[12]["explanation"]["member_evaluation"]["reason"] == "not_closed"
    reasons = {r for t, r in sql_tally if not t}
    assert reasons == {"no_score"}  # 11: closed sample, no score (15 is poor by its listing)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path runs on PostgreSQL only")
def test_sql_path_applies_zero_weights_and_a_county_policy(world):
    """R-POL-1, R-ASM-4: weights 0/0 leave the superior score alone; another county's thresholds apply there."""
    cycle = make_cycle(unit=world.city)
    template = make_template(unit=world.city)
    Policy.objects.create(unit=world.county_b, year=2025, tier_good_min=D("96"), superior_score_weight=D("0"),
                          member_score_weight=D("0"))
    set_scores(units=[world.village_a1, world.village_b1], score="95", template=template)
    add_ballots(unit=world.village_b1, ratings=["poor"] * 6)
    from assessment.models import EvaluationSample

    EvaluationSample.objects.update(closed_at=timezone.now())
    result = annual_review_run(cycle_id=cycle.pk)
    a1 = Classification.objects.get(unit=world.village_a1, year=2025)
    b1 = Classification.objects.get(unit=world.village_b1, year=2025)
    assert (a1.tier, b1.tier, b1.composite_score) == (Tier.GOOD, Tier.FAIRLY_GOOD, D("95.00"))
    assert a1.review_policy_id != b1.review_policy_id
    assert b1.explained()["policy"]["tier_good_min"]["value"] == "96.00"
    assert result["tiers"]["good"] == 1 and result["tiers"]["fairly_good"] == 1


def test_the_policy_is_stored_once_per_review_and_each_row_refers_to_it(world):
    """R-POL-2: 40 branches under one policy share one ReviewPolicy row; no row copies the policy; a re-run
    adds none; the row's explanation is the same as when it was written."""
    cycle = make_cycle(unit=world.county_a)
    branches = make_branches(parent=world.township_a, count=40)
    set_scores(units=branches, score="91", template=make_template(unit=world.county_a))
    annual_review_run(cycle_id=cycle.pk)
    rows = Classification.objects.filter(year=2025, unit__in=branches)
    assert rows.count() == 40 and ReviewPolicy.objects.filter(cycle=cycle).count() == 1
    assert not any("policy" in r.explanation or "rating_points" in r.explanation for r in rows)
    first = rows.select_related("review_policy").first().explained()
    assert first["policy"]["tier_good_min"]["value"] == "90" and first["rating_points"]["good"] == "100"
    annual_review_run(cycle_id=cycle.pk)
    assert ReviewPolicy.objects.filter(cycle=cycle).count() == 1
    assert rows.select_related("review_policy").first().explained() == first


def test_a_policy_change_before_publication_gives_a_new_version_and_the_old_one_is_left_as_it_was(world):
    """R-POL-1: changing a threshold and reviewing again refers the rows to a second version."""
    cycle = make_cycle(unit=world.county_a)
    set_scores(units=[world.village_a1], score="91", template=make_template(unit=world.county_a))
    annual_review_run(cycle_id=cycle.pk)
    old = ReviewPolicy.objects.get(cycle=cycle)
    Policy.objects.create(unit=world.county_a, year=2025, tier_good_min=D("92"))
    annual_review_run(cycle_id=cycle.pk)
    row = Classification.objects.select_related("review_policy").get(unit=world.village_a1, year=2025)
    assert row.tier == Tier.FAIRLY_GOOD and row.review_policy_id != old.pk
    assert row.explained()["policy"]["tier_good_min"]["value"] == "92.00"
    old.refresh_from_db()
    assert old.content["policy"]["tier_good_min"]["value"] == "90"


def test_parts_are_the_scopes_children_packed_up_to_the_target(world):
    """R-JOB-1: a city's parts are its counties; small neighbours share a part; every branch is in one part."""
    make_branches(parent=world.township_a, count=30)
    make_branches(parent=world.township_b, count=5)
    parts = review_parts_plan(scope=world.city, target=20)
    assert [p["branches"] for p in parts] == [32, 6]  # county A (30 + 2 villages) alone, county B
    assert parts[0]["path_from"] == "" and parts[-1]["path_to"] == ""
    assert parts[1]["path_from"] == world.county_b.path
    assert review_parts_plan(scope=world.city, target=100) == [
        {"path_from": "", "path_to": "", "branches": 38}]
    branches = list(OrgUnit.objects.filter(path__startswith=world.city.path, level__in=BRANCH_LEVELS))
    inside = [sum(OrgUnit.objects.filter(PathRange(world.city.path, p["path_from"], p["path_to"]).q(),
                                         level__in=BRANCH_LEVELS).count() for p in parts)]
    assert inside == [len(branches)] == [38]


def test_a_review_in_several_parts_gives_the_same_result_as_in_one(world, settings):
    """R-JOB-1: parts of 1 branch each (county A, county B) classify and sanction exactly as one part."""
    cycle = make_cycle(unit=world.city)
    template = make_template(unit=world.city)
    set_scores(units=[world.village_a1, world.village_b1], score="70", template=template)
    set_previous(units=[world.village_a1, world.village_b1], year=2024, tier=Tier.GOOD)
    settings.ZHISHU_REVIEW_PART_BRANCHES = 1
    split = annual_review_run(cycle_id=cycle.pk)
    rows_split = sorted(Classification.objects.filter(year=2025).values_list("unit_id", "tier", "movement"))
    settings.ZHISHU_REVIEW_PART_BRANCHES = 100_000
    whole = annual_review_run(cycle_id=cycle.pk)
    assert split["parts"] == 2 and whole["parts"] == 1
    assert {k: v for k, v in split.items() if k != "parts"} == {k: v for k, v in whole.items() if k != "parts"}
    assert rows_split == sorted(Classification.objects.filter(year=2025).values_list("unit_id", "tier", "movement"))
    assert whole["tiers"] == {"average": 2, "unclassified": 1}


def test_the_review_query_count_does_not_grow_with_the_branches(world):
    """R-JOB-1: set-based — the same statements for 2 and for 200 branches."""
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    cycle = make_cycle(unit=world.county_a)
    template = make_template(unit=world.county_a)
    annual_review_run(cycle_id=cycle.pk)  # the first run creates what later runs update (sheets, policy row)
    counts = []
    for n in (2, 200):
        branches = make_branches(parent=world.township_a, count=n, prefix=f"Q{n}")
        set_scores(units=branches, score="85", template=template)
        with CaptureQueriesContext(conn) as ctx:
            annual_review_run(cycle_id=cycle.pk)
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts


def test_a_big_review_fans_out_county_by_county_and_adds_the_parts_up(world, settings,
                                                                       django_capture_on_commit_callbacks):
    """R-JOB-1: above the fan-out size the review is a chord of one task per county (eager here), one
    transaction each; the job's result is the sum of the parts' and equals the one-task review's."""
    from assessment.models import ReviewPart
    from assessment.services.classification import KIND_PARTS, annual_review_start
    from core.choices import JobState

    cycle = make_cycle(unit=world.city)
    template = make_template(unit=world.city)
    a = make_branches(parent=world.township_a, count=6)
    bb = make_branches(parent=world.township_b, count=4)
    set_scores(units=[*a, *bb, world.village_b1], score="93", template=template)
    set_previous(units=[a[0]], year=2024, tier=Tier.GOOD)
    whole = annual_review_run(cycle_id=cycle.pk)
    settings.ZHISHU_REVIEW_FAN_OUT_BRANCHES, settings.ZHISHU_REVIEW_PART_BRANCHES = 5, 5
    with django_capture_on_commit_callbacks(execute=True):
        job = annual_review_start(cycle=cycle, by=None)
    job.refresh_from_db()
    assert job.kind == KIND_PARTS and job.state == JobState.SUCCEEDED, job.error
    parts = list(ReviewPart.objects.filter(job=job).order_by("number"))
    assert [p.branches for p in parts] == [8, 5] and all(p.finished_at and p.done == p.branches for p in parts)
    assert job.progress == 100 and job.result["parts"] == 2
    assert {k: v for k, v in job.result.items() if k != "parts"} == {
        k: v for k, v in whole.items() if k != "parts"}
    cycle.refresh_from_db()
    assert cycle.last_review_job_id == job.pk


def test_a_failing_part_fails_the_fanned_out_review_with_its_message(world, settings, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    """R-JOB-3: a part that raises fails the job with the reason; the finish does not run."""
    from assessment.services import classification as svc
    from core.choices import JobState

    cycle = make_cycle(unit=world.city)
    settings.ZHISHU_REVIEW_FAN_OUT_BRANCHES, settings.ZHISHU_REVIEW_PART_BRANCHES = 0, 1

    def broken(**kwargs):
        raise RuntimeError("county database unreachable")

    monkeypatch.setattr(svc, "review_part_run", broken)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        job = svc.annual_review_start(cycle=cycle, by=None)
    from core.models import Job

    job = Job.objects.get(kind=svc.KIND_PARTS)
    assert job.state == JobState.FAILED and "county database unreachable" in job.error
    assert job.result is None
