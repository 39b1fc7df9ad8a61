"""``python -m bench tree``: the unit tree at scale — subtree prefix queries, scoped lists, policy
resolution over every branch and the coverage reports, on a seeded jurisdiction of N branches."""
import datetime as dt

from .db import bench_url, ensure_database, use_database
from .stats import Timing, measure, table

PAGE = 50


def seed_or_reuse(*, branches: int, seed: int, fresh: bool, chunk: int) -> dict:
    from cadres.demo import JOB_KIND, demo_seed
    from core.models import Job, OrgUnit

    job = Job.objects.filter(kind=JOB_KIND).first()
    if job and not fresh and job.params.get("branches") == branches and job.params.get("seed") == seed:
        print(f"reusing the seeded tree: {job.result['units']:,} units, {job.result['people']:,} people "
              f"(seeded in {job.result.get('seconds', '?')} s)")
        return {"seeded_now": False, **job.result}
    reset = OrgUnit.objects.exists()
    result = demo_seed(branches=branches, seed=seed, history=False, chunk=chunk, reset=reset, progress=print)
    from django.db import connection

    with connection.cursor() as cursor:  # visibility map for index-only scans, fresh statistics
        cursor.execute("VACUUM ANALYZE")
    return {"seeded_now": True, **result.counts, "seconds": round(result.seconds, 1)}


def plan_line(qs, *, count: bool = False) -> str:
    """The plan line that reads core_orgunit: an index scan on the path is what we want to see."""
    from django.db import connection

    if count:
        sql, params = qs.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN SELECT COUNT(*) FROM ({sql}) AS subtree", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    else:
        plan = qs.explain()
    lines = [ln.strip().removeprefix("->").strip() for ln in plan.splitlines()]
    for wanted in (lambda ln: "Index" in ln and "core_orgunit" in ln, lambda ln: "core_orgunit" in ln):
        for ln in lines:
            if wanted(ln):
                return ln
    return lines[0]


def run(*, units: int, seed: int, runs: int, fresh: bool, chunk: int, database: str | None) -> dict:
    url = bench_url(database or f"zhishu_bench_{units}")
    created = ensure_database(url)
    print(f"database {url.rsplit('/', 1)[-1]}{' (created)' if created else ''}")
    use_database(url)
    seeding = seed_or_reuse(branches=units, seed=seed, fresh=fresh, chunk=chunk)

    from django.db import connection

    from cadres.models import Person
    from cadres.selectors import people_list, reserve_coverage
    from core.choices import BRANCH_LEVELS
    from core.models import OrgUnit, User
    from core.selectors import enterprise_coverage
    from core.services.policies import PolicyResolver

    county_staff = User.objects.get(username="county_staff")
    city_staff = User.objects.get(username="city_staff")
    county = county_staff.unit
    township = User.objects.get(username="township_supervisor").unit
    year = dt.date.today().year
    n_units = OrgUnit.objects.count()

    def subtree_count(unit):
        return lambda: OrgUnit.objects.filter(path__startswith=unit.path).count()

    def subtree_people_page():
        qs = Person.objects.filter(unit__path__startswith=county.path).select_related("unit")
        return len(list(qs.order_by("unit__path", "name")[:PAGE]))

    def visible_list_page():
        qs = people_list(user=county_staff)
        qs.count()
        return len(list(qs[:PAGE]))

    def resolver_all_branches():
        resolver = PolicyResolver(year=year)
        n = 0
        for unit_id, path in (OrgUnit.objects.filter(level__in=BRANCH_LEVELS).values_list("id", "path")
                              .order_by().iterator(chunk_size=20_000)):
            resolver.for_unit(unit_id=unit_id, path=path)
            n += 1
        return n

    def reserves_county():
        return reserve_coverage(user=county_staff, year=year)["villages"]

    def enterprises_city():
        return len(enterprise_coverage(user=city_staff, year=year))

    benchmarks = [
        ("township subtree: count", subtree_count(township)),
        ("county subtree: count", subtree_count(county)),
        ("county subtree: first page of people", subtree_people_page),
        ("people_list(county staff): count + page", visible_list_page),
        ("PolicyResolver over all branches", resolver_all_branches),
        ("reserve_coverage(county staff)", reserves_county),
        ("enterprise_coverage(city staff)", enterprises_city),
    ]
    timings: list[Timing] = []
    for name, fn in benchmarks:
        heavy = name.startswith(("PolicyResolver", "enterprise_coverage")) and units >= 500_000
        t = measure(name, n_units, fn, runs=min(runs, 5) if heavy else runs)
        timings.append(t)
        print(f"  {name:<42} median {t.median:9.2f} ms  p95 {t.p95:9.2f} ms  rows {t.rows:,}  ({len(t.runs)} runs)")

    plans = {
        "township subtree: count": plan_line(OrgUnit.objects.filter(path__startswith=township.path), count=True),
        "county subtree: count": plan_line(OrgUnit.objects.filter(path__startswith=county.path), count=True),
        "county subtree: first page of people": plan_line(
            Person.objects.filter(unit__path__startswith=county.path).order_by("unit__path", "name")[:PAGE]),
        "people_list(county staff): first page": plan_line(people_list(user=county_staff)[:PAGE]),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    return {
        "branches": units, "units": n_units, "people": Person.objects.count(), "database_size": size,
        "seeding": seeding, "plans": plans,
        "timings": [{"name": t.name, "median": t.median, "p95": t.p95, "rows": t.rows, "runs": len(t.runs)}
                    for t in timings],
    }


def report(results: list[dict]) -> str:
    out = []
    for r in results:
        s = r["seeding"]
        out.append(f"\n== {r['branches']:,} branches: {r['units']:,} units, {r['people']:,} people, "
                   f"database {r['database_size']}; seeding {'took' if s.get('seeded_now') else 'had taken'} "
                   f"{s.get('seconds', '?')} s ==")
        rows = [[t["name"], f"{r['units']:,}", f"{t['median']:.2f}", f"{t['p95']:.2f}", f"{t['rows']:,}",
                 f"{t['median'] * 1000 / max(t['rows'], 1):.3f}"] for t in r["timings"]]
        out.append(table(["benchmark", "n units", "median ms", "p95 ms", "rows", "ms / 1k rows"], rows))
        out.append("EXPLAIN (the line reading core_orgunit):")
        for name, line in r["plans"].items():
            out.append(f"  {name:<40} {line}")
    if len(results) > 1:
        from .sizes import ratio_table

        out.append(ratio_table(results))
    return "\n".join(out)


def main(args) -> None:
    from .sizes import run_children, write_json

    bench_url("postgres")  # refuse SQLite before anything else
    if len(args.units) == 1:
        result = run(units=args.units[0], seed=args.seed, runs=args.runs, fresh=args.fresh, chunk=args.chunk,
                     database=args.database)
        write_json(args.json, [result])
        if not args.child:
            print(report([result]))
        return
    # Several sizes: one process each (Django binds to one database per process), then one report.
    extra = ["--seed", str(args.seed), "--runs", str(args.runs), "--chunk", str(args.chunk)]
    if args.fresh:
        extra.append("--fresh")
    results = run_children("tree", args.units, extra)
    print(report(results))
    write_json(args.json, results)
