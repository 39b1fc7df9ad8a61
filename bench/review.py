"""``python -m bench review``: the annual review (R-JOB-1) of the whole city at scale — every branch's
composite score, tier, movement and sanctions in one ``annual_review_run`` — then the reports read from
its result: upgrade targets (R-CLS-4) and calibration (R-CLS-6).

In the seeded tree of N branches the benchmark makes (or reuses) an unpublished cycle of the city root
for the previous year, an indicator template, a superior score for every branch, a few branches on the
negative list or listed weak and lax, and last year's tiers. The year's classifications and sanctions
are cleared before the first timed run, so every invocation times the same work: a first run that
inserts every classification, then an identical re-run that updates them all. The cycle stays
unpublished so the benchmark can run again.
"""
import datetime as dt
import gc
import random
import statistics
import sys
import time
from decimal import Decimal

from .db import bench_url
from .sizes import (
    open_seeded,
    analyze,
    job_on_workers,
    count_queries,
    database_size,
    peak_rss_mb,
    peak_rss_now_mb,
    reset_peak_rss,
    run_children,
    staff_users,
    timing_dict,
    write_json,
)
from .stats import measure, table

SEED_OFFSET = 5_100_029  # a random stream of its own, apart from the tree's
INDICATORS = (("组织建设", 30, 30), ("党员管理", 25, 25), ("服务群众", 25, 25), ("作风建设", 20, 20))
NEGATIVE_LIST_SHARE = 0.01
WEAK_AND_LAX_SHARE = 0.005
ASSESSMENT_TABLES = ("assessment_branchscore", "assessment_branchlisting", "assessment_classification",
                     "assessment_sanction")


def _year_free(root, year: int) -> bool:
    """The city's review of ``year`` may run here without touching anyone else's assessment:
    no cycle of another jurisdiction in the city that year, and the city's own not published."""
    from assessment.models import AssessmentCycle

    cycles = AssessmentCycle.objects.filter(unit__path__startswith=root.path, year=year)
    return not cycles.exclude(unit=root).exists() and not cycles.filter(published_at__isnull=False).exists()


def pick_year(root, wanted: int) -> int:
    for year in range(wanted, wanted - 20, -1):
        if _year_free(root, year):
            if year != wanted:
                print(f"{wanted} has cycles of other jurisdictions (or is published) in this database: "
                      f"reviewing {year} instead")
            return year
    raise SystemExit(f"No year from {wanted - 19} to {wanted} is free for a benchmark review of the whole city.")


def prepare(*, root, year: int, seed: int, chunk: int) -> dict:
    """The cycle, template, scores, listings and last year's tiers; what exists already is kept."""
    from assessment.choices import ListingKind, Tier
    from assessment.models import AssessmentCycle, BranchListing, BranchScore, Classification, IndicatorTemplate
    from assessment.services.cycles import cycle_create
    from assessment.services.scores import superior_score_compute, tier_for_score
    from assessment.services.scoring import indicator_template_save
    from core.choices import BRANCH_LEVELS
    from core.models import OrgUnit
    from core.services.policies import policy_effective

    started = time.monotonic()
    made = {}
    cycle = AssessmentCycle.objects.filter(unit=root, year=year).first()
    if cycle is None:
        cycle = cycle_create(unit=root, year=year, reports_due=dt.date(year, 12, 10),
                             evaluations_due=dt.date(year, 12, 20), classification_date=dt.date(year + 1, 1, 10),
                             publication_date=dt.date(year + 1, 1, 20))
        made["cycle"] = 1
    template = IndicatorTemplate.objects.filter(unit=root, year=year).first()
    if template is None:
        template = indicator_template_save(
            unit=root, year=year, name=f"{year}年基层党组织量化考核（基准测试）",
            indicators=[{"name": n, "weight": Decimal(w), "max_score": Decimal(m)} for n, w, m in INDICATORS])
        made["template"] = 1
    indicators = list(template.indicators.all())

    branches = OrgUnit.objects.filter(path__startswith=root.path, level__in=BRANCH_LEVELS, is_active=True)
    n_branches = branches.count()
    in_scope = {"unit__path__startswith": root.path}
    need_scores = BranchScore.objects.filter(**in_scope, year=year).count() < n_branches
    need_listings = not BranchListing.objects.filter(**in_scope, year=year).exists()
    need_previous = Classification.objects.filter(**in_scope, year=year - 1).count() < n_branches
    last_year = policy_effective(unit=root, year=year - 1)

    if need_scores or need_listings or need_previous:
        # One pass in path order with one random stream: the same plan for the same tree and seed.
        # Rows go in a chunk at a time; ignore_conflicts keeps what an earlier, interrupted run wrote.
        rng = random.Random(seed + SEED_OFFSET + year)
        scores, listings, previous = [], [], []
        counts = {"scores": 0, "listings": 0, "previous tiers": 0}

        def flush():
            if need_scores and scores:
                counts["scores"] += len(BranchScore.objects.bulk_create(scores, ignore_conflicts=True))
            if need_listings and listings:
                counts["listings"] += len(BranchListing.objects.bulk_create(listings, ignore_conflicts=True))
            if need_previous and previous:
                counts["previous tiers"] += len(Classification.objects.bulk_create(previous, ignore_conflicts=True))
            for rows in (scores, listings, previous):
                rows.clear()

        for unit_id in branches.order_by("path").values_list("id", flat=True).iterator(chunk_size=chunk):
            quality = min(99.0, max(35.0, rng.gauss(84, 8)))
            points = {}
            for ind in indicators:
                share = min(100.0, max(0.0, quality + rng.gauss(0, 5))) / 100
                points[str(ind.pk)] = (Decimal(ind.max_score) * Decimal(str(round(share, 3)))).quantize(
                    Decimal("0.1"))
            scores.append(BranchScore(unit_id=unit_id, year=year, template=template,
                                      points={k: str(v) for k, v in points.items()},
                                      superior_score=superior_score_compute(indicators=indicators, points=points)))
            if rng.random() < NEGATIVE_LIST_SHARE:
                listings.append(BranchListing(unit_id=unit_id, year=year, kind=ListingKind.NEGATIVE_LIST,
                                              reason="基准测试：财务管理不规范，被通报批评"))
            if rng.random() < WEAK_AND_LAX_SHARE:
                listings.append(BranchListing(unit_id=unit_id, year=year, kind=ListingKind.WEAK_AND_LAX,
                                              reason="基准测试：经排查认定为软弱涣散基层党组织"))
            before = Decimal(str(round(min(99.0, max(30.0, quality + rng.gauss(-3, 8))), 2)))
            tier = Tier(tier_for_score(score=before, policy=last_year)).value
            previous.append(Classification(unit_id=unit_id, year=year - 1, tier=tier, computed_tier=tier))
            if len(scores) >= chunk:
                flush()
        flush()
        made.update({k: v for k, v in counts.items() if v})
        analyze(*ASSESSMENT_TABLES)
    return {"cycle": cycle, "made": made, "branches": n_branches, "seconds": round(time.monotonic() - started, 1),
            "scores": BranchScore.objects.filter(**in_scope, year=year).count(),
            "listings": BranchListing.objects.filter(**in_scope, year=year).count(),
            "previous": Classification.objects.filter(**in_scope, year=year - 1).count()}


def clear_year(cycle) -> int:
    """The year's classifications and sanctions in the cycle's jurisdiction, so the first run starts empty.

    Plain DELETE statements: the ORM's delete would load every row to cascade to ClassificationChange.
    """
    from django.db import connection

    from assessment.models import Classification, ClassificationChange, Sanction
    from core.models import OrgUnit

    qn = connection.ops.quote_name
    cls, changes, sanctions, units = (qn(m._meta.db_table) for m in (Classification, ClassificationChange,
                                                                       Sanction, OrgUnit))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {changes} WHERE classification_id IN "
                       f"(SELECT id FROM {cls} WHERE unit_id IN (SELECT id FROM {units} WHERE path LIKE %s) "
                       f"AND year = %s)", [cycle.unit.path + "%", cycle.year])
        cursor.execute(f"DELETE FROM {cls} WHERE unit_id IN (SELECT id FROM {units} WHERE path LIKE %s) "
                       f"AND year = %s", [cycle.unit.path + "%", cycle.year])
        removed = cursor.rowcount
        cursor.execute(f"DELETE FROM {sanctions} WHERE unit_id IN (SELECT id FROM {units} WHERE path LIKE %s) "
                       f"AND year = %s", [cycle.unit.path + "%", cycle.year])
    analyze("assessment_classification", "assessment_sanction", "assessment_classificationchange")
    return removed


def fingerprint(cycle) -> str:
    """A digest of every classification and sanction of the year, stamps left out: equal after a true re-run."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(concat_ws('|', unit_id, superior_score, member_score, composite_score, "
            "computed_tier, override_tier, tier, previous_tier, movement, explanation::text), ',' ORDER BY unit_id)) "
            "FROM assessment_classification WHERE cycle_id = %s", [cycle.pk])
        rows = cursor.fetchone()[0]
        cursor.execute(
            "SELECT md5(string_agg(concat_ws('|', s.person_id, s.unit_id, s.reason, s.applies_to_year, "
            "s.explanation::text), ',' ORDER BY s.person_id, s.unit_id)) FROM assessment_sanction s "
            "JOIN core_orgunit u ON u.id = s.unit_id WHERE s.year = %s AND u.path LIKE %s",
            [cycle.year, cycle.unit.path + "%"])
        return f"{rows}/{cursor.fetchone()[0]}"


def _vacuum() -> None:
    analyze("assessment_classification", "assessment_sanction")


def raw_update_case(cycle) -> int:
    """The limit: one raw ``UPDATE … SET tier = CASE …`` over the same rows (the city's classifications of
    the year, thresholds of the built-in policy) — what the database itself needs to rewrite them."""
    from django.db import connection, transaction

    from core.services.policies import policy_effective

    policy = policy_effective(unit=cycle.unit, year=cycle.year)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assessment_classification c SET tier = CASE WHEN c.composite_score >= %s THEN 'good' "
            "WHEN c.composite_score >= %s THEN 'fairly_good' WHEN c.composite_score >= %s THEN 'average' "
            "WHEN c.composite_score IS NOT NULL THEN 'poor' ELSE '' END "
            "FROM core_orgunit u WHERE u.id = c.unit_id AND u.path LIKE %s AND c.year = %s",
            [policy.tier_good_min, policy.tier_fairly_good_min, policy.tier_average_min, cycle.unit.path + "%",
             cycle.year])
        return cursor.rowcount


def classification_step(cycle) -> int:
    """The project's classification as the review runs it — every part (scores, tiers, R-CLS-2, movements,
    sanctions) in one transaction, then the upgrade targets (R-CLS-4) — without the apps' steps."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from assessment.selectors import upgrade_targets_for_unit
    from assessment.services.classification import review_check, review_part_run
    from assessment.services.review import PathRange, review_parts_plan
    from core.services.policies import PolicyResolver

    review_check(cycle=cycle)
    parts = review_parts_plan(scope=cycle.unit, target=settings.ZHISHU_REVIEW_PART_BRANCHES)
    resolver, stamp = PolicyResolver(year=cycle.year), timezone.now()
    with transaction.atomic():
        done = sum(review_part_run(cycle=cycle, part=PathRange(cycle.unit.path, p["path_from"], p["path_to"]),
                                   resolver=resolver, stamp=stamp)["branches"] for p in parts)
    upgrade_targets_for_unit(unit=cycle.unit, year=cycle.year)
    return done


def whole_job(cycle) -> int:
    from assessment.services.classification import annual_review_run

    return annual_review_run(cycle_id=cycle.pk)["branches"]


def timed(fn, cycle) -> dict:
    """One timed call after a VACUUM ANALYZE (not timed): seconds, and the process's peak RSS during it."""
    _vacuum()
    gc.collect()
    reset_peak_rss()
    started = time.perf_counter()
    rows = fn(cycle)
    return {"seconds": time.perf_counter() - started, "rows": rows, "peak_mb": peak_rss_now_mb()}


def fan_out(cycle, *, workers: int, timeout: int) -> dict:
    """One review fanned out county by county (``annual_review_start`` above the fan-out size) over
    ``workers`` real Celery worker processes: seconds to the finished job."""
    from django.test import override_settings

    from assessment.services.classification import annual_review_start
    from core.choices import JobState
    from core.models import Job

    _vacuum()

    def start():
        # A part per county (child of the city), whatever their size.
        with override_settings(ZHISHU_REVIEW_FAN_OUT_BRANCHES=0, ZHISHU_REVIEW_PART_BRANCHES=1):
            return annual_review_start(cycle=cycle, by=None)

    job, seconds = job_on_workers(start, workers=workers, prefix="bench-review", timeout=timeout,
                                  what="the fanned-out review")
    if job.state != JobState.SUCCEEDED:
        sys.exit(f"the fanned-out review failed: {job.error}")
    parts = job.params["parts"]
    Job.objects.filter(pk=job.pk).delete()
    return {"workers": workers, "seconds": seconds, "parts": parts, "branches": job.result["branches"]}


def run(*, units: int, seed: int, runs: int, chunk: int, database: str | None, year: int | None,
        workers: list[int], fan_runs: int) -> dict:
    seeding = open_seeded(units=units, seed=seed, chunk=chunk, database=database)

    from django.utils import timezone

    from assessment.selectors import calibration, upgrade_targets
    from core.models import OrgUnit

    root, county_staff, city_staff = staff_users()
    year = pick_year(root, year or timezone.localdate().year - 1)
    prep = prepare(root=root, year=year, seed=seed, chunk=chunk)
    cycle = prep["cycle"]
    made = ", ".join(f"{v:,} {k}" for k, v in prep["made"].items()) or "nothing (all reused)"
    print(f"cycle {cycle.pk} ({root.name}, {year}, unpublished): made {made} in {prep['seconds']} s; "
          f"{prep['scores']:,} scores, {prep['listings']:,} listings, {prep['previous']:,} tiers of {year - 1}")
    cleared = clear_year(cycle)
    if cleared:
        print(f"cleared {cleared:,} classifications of {year} left by an earlier run")

    # The first run inserts every row; the timed runs that follow update them, as the limit does.
    first = timed(whole_job, cycle)
    print(f"  first run (inserts every classification)   {first['seconds']:8.2f} s")
    fp_first = fingerprint(cycle)
    paths = {"raw UPDATE … CASE (the limit)": raw_update_case, "classification step": classification_step,
             "whole job (annual_review_run)": whole_job}
    queries = {name: count_queries(lambda fn=fn: fn(cycle))[0] for name, fn in paths.items()}
    samples = {name: [] for name in paths}
    for n in range(runs):
        for name, fn in paths.items():
            samples[name].append(timed(fn, cycle))
        print(f"  run {n + 1}: " + ", ".join(f"{name.split(' (')[0]} {samples[name][-1]['seconds']:.2f} s"
                                             for name in paths))
    same = fingerprint(cycle) == fp_first
    fans = []
    for count in workers:
        for _ in range(fan_runs):
            fans.append(fan_out(cycle, workers=count, timeout=3600))
            print(f"  fanned out: {count} worker(s), {fans[-1]['parts']} parts: {fans[-1]['seconds']:.2f} s")
    same = same and fingerprint(cycle) == fp_first

    selectors = [
        ("upgrade_targets(city staff)", lambda: upgrade_targets(user=city_staff, year=year)),
        ("upgrade_targets(county staff)", lambda: upgrade_targets(user=county_staff, year=year)),
        ("calibration(city staff)", lambda: calibration(user=city_staff, year=year)),
        ("calibration(county staff)", lambda: calibration(user=county_staff, year=year)),
    ]
    timings = []
    for name, call in selectors:
        rows_of = ((lambda d: sum(g["count"] for g in d["groups"])) if name.startswith("upgrade")
                   else (lambda d: sum(r["total"] for r in d["by_township"])))
        q, _ = count_queries(call)
        heavy = "city" in name and units >= 500_000  # as bench tree: fewer runs of the city-wide reports
        t = measure(name, units, lambda call=call, rows_of=rows_of: rows_of(call()),
                    runs=min(max(runs, 3), 5) if heavy else max(runs, 3))
        timings.append(timing_dict(t, queries=q))
    review_figures = []
    for name in paths:
        secs = [s["seconds"] for s in samples[name]]
        review_figures.append({"name": name, "median_s": statistics.median(secs), "runs": len(secs),
                               "queries": queries[name], "rows": samples[name][-1]["rows"],
                               "peak_mb": max(s["peak_mb"] for s in samples[name])})
    fan_figures = []
    for count in workers:
        secs = [f["seconds"] for f in fans if f["workers"] == count]
        if secs:
            fan_figures.append({"workers": count, "median_s": statistics.median(secs), "runs": len(secs),
                                "parts": fans[0]["parts"]})
    return {
        "branches": units, "units": OrgUnit.objects.count(), "database_size": database_size(), "seeding": seeding,
        "year": year, "cycle": cycle.pk, "prepare": {k: v for k, v in prep.items() if k != "cycle"},
        "first_run_s": first["seconds"], "review": review_figures, "fan_out": fan_figures, "idempotent": same,
        "timings": timings, "peak_rss_mb": round(peak_rss_mb()),
    }


def report(results: list[dict]) -> str:
    out = []
    for r in results:
        p = r["prepare"]
        out.append(f"\n== {r['branches']:,} branches ({r['units']:,} units), review of {r['year']} for the city "
                   f"(cycle {r['cycle']}, unpublished): {p['scores']:,} superior scores, {p['listings']:,} "
                   f"listings, {p['previous']:,} tiers of {r['year'] - 1}; database {r['database_size']} ==")
        limit = r["review"][0]["median_s"]
        rows = [[f["name"], f"{f['rows']:,}", f"{f['median_s']:.2f}", f["runs"], f["queries"],
                 f"{f['peak_mb']:,.0f}", f"{f['median_s'] / max(limit, 1e-9):.2f}x"] for f in r["review"]]
        out.append(table(["R-JOB-1 (same rows, same run)", "rows", "median s", "runs", "queries", "peak RSS MB",
                          "vs limit"], rows))
        out.append(f"first run (inserting every row): {r['first_run_s']:.2f} s; every run gives the same "
                   f"classifications and sanctions: {'yes' if r['idempotent'] else 'NO'}")
        if r["fan_out"]:
            one = r["fan_out"][0]["median_s"]
            out.append(table(["fanned out by county", "parts", "median s", "runs", "speed-up"],
                             [[f"{f['workers']} worker(s)", f["parts"], f"{f['median_s']:.2f}", f["runs"],
                               f"{one / max(f['median_s'], 1e-9):.2f}x"] for f in r["fan_out"]]))
        rows = [[t["name"], f"{t['median']:.2f}", f"{t['p95']:.2f}", t["runs"], t["queries"], f"{t['rows']:,}",
                 f"{t['median'] * 1000 / max(t['rows'], 1):.3f}"] for t in r["timings"]]
        out.append(table(["report", "median ms", "p95 ms", "runs", "queries", "rows", "ms / 1k rows"], rows))
    return "\n".join(out)


def main(args) -> None:
    bench_url("postgres")  # refuse SQLite before anything else
    if len(args.units) == 1:
        result = run(units=args.units[0], seed=args.seed, runs=args.runs, chunk=args.chunk, database=args.database,
                     year=args.year, workers=args.workers, fan_runs=args.fan_runs)
        write_json(args.json, [result])
        if not args.child:
            print(report([result]))
        if not result["idempotent"]:
            sys.exit("the review's runs (one task, fanned out) did not all give the same classifications and sanctions")
        return
    extra = ["--seed", str(args.seed), "--runs", str(args.runs), "--chunk", str(args.chunk),
             "--fan-runs", str(args.fan_runs), "--workers", *[str(w) for w in args.workers]]
    if args.year:
        extra += ["--year", str(args.year)]
    results = run_children("review", args.units, extra)
    print(report(results))
    write_json(args.json, results)
