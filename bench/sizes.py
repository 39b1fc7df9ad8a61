"""What the review and compliance benchmarks share: one child process per size (Django binds to one
database per process), the users they time as, the query count and the ratio table between sizes."""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from .stats import Timing, table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_children(benchmark: str, units: list[int], child_args: list[str]) -> list[dict]:
    """``python -m bench <benchmark> --units N … --child`` for each size; their figures, in order."""
    results = []
    for n in units:
        fd, path = tempfile.mkstemp(suffix=".json")
        os.close(fd)
        cmd = [sys.executable, "-m", "bench", benchmark, "--units", str(n), *child_args, "--json", path, "--child"]
        started = time.monotonic()
        try:
            subprocess.run(cmd, check=True, cwd=ROOT)
            with open(path) as fh:
                results.extend(json.load(fh))
        finally:
            os.unlink(path)
        print(f"({n:,} branches done in {time.monotonic() - started:.0f} s)")
    return results


def write_json(path: str | None, results: list[dict]) -> None:
    if path:
        with open(path, "w") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=1, default=str)


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def database_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return cursor.fetchone()[0]


def analyze(*tables: str) -> None:
    """Fresh statistics (and a vacuumed visibility map) after bulk writes, as the seeding does."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def count_queries(fn) -> tuple[int, object]:
    """The SQL statements one call of ``fn`` runs (django.test.utils.CaptureQueriesContext), and its result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        out = fn()
    return len(ctx), out


def staff_users():
    """The county staff login of the seeded tree and a staff user attached to the root (created when missing)."""
    from core.choices import Level, Role
    from core.models import OrgUnit, User

    root = OrgUnit.get_first_root_node()
    county = (User.objects.filter(username="county_staff").select_related("unit").first()
              or User.objects.filter(role=Role.STAFF, unit__level=Level.COUNTY, is_active=True)
              .select_related("unit").order_by("unit__path", "pk").first())
    if county is None:
        sys.exit("No county staff user in the benchmark database: seed it again with --fresh.")
    city = User.objects.filter(unit=root, role=Role.STAFF, is_active=True).select_related("unit").order_by("pk").first()
    if city is None:
        city = User(username="bench_city_staff", unit=root, role=Role.STAFF)
        city.set_unusable_password()
        city.save()
        print(f"created the root staff user {city.username}")
    return root, county, city


def timing_dict(t: Timing, **extra) -> dict:
    return {"name": t.name, "median": t.median, "p95": t.p95, "rows": t.rows, "runs": len(t.runs), **extra}


def ratio_table(results: list[dict]) -> str:
    """Each size's median against the first size's, next to the ratio of branches."""
    base = results[0]
    rows = []
    for i, t0 in enumerate(base["timings"]):
        row = [t0["name"]]
        for r in results[1:]:
            t = r["timings"][i]
            row.append(f"{t['median'] / max(t0['median'], 1e-9):.1f}x time / {r['branches'] / base['branches']:.1f}x "
                       f"branches")
        rows.append(row)
    return (f"\n== ratios to {base['branches']:,} branches (time ratio vs size ratio) ==\n"
            + table(["benchmark", *[f"{r['branches']:,}" for r in results[1:]]], rows, "l" * len(results)))


def open_seeded(*, units: int, seed: int, chunk: int, database: str | None) -> dict:
    """Point Django at the size's benchmark database (created when missing) and make sure its
    tree is seeded; returns what seed_or_reuse reports."""
    from .db import bench_url, ensure_database, use_database

    url = bench_url(database or f"zhishu_bench_{units}")
    created = ensure_database(url)
    print(f"database {url.rsplit('/', 1)[-1]}{' (created)' if created else ''}")
    use_database(url)
    from .tree import seed_or_reuse

    return seed_or_reuse(branches=units, seed=seed, fresh=False, chunk=chunk)
