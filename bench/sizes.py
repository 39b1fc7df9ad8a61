"""What the review and compliance benchmarks share: one child process per size (Django binds to one
database per process), the users they time as, the query count and the ratio table between sizes."""
import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid

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


def reset_peak_rss() -> None:
    """Start the peak (VmHWM) again from the current RSS (Linux: ``echo 5 > /proc/self/clear_refs``)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def peak_rss_now_mb() -> float:
    """The peak RSS since the last ``reset_peak_rss`` (VmHWM), in MB; the process's peak where unavailable."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


@contextlib.contextmanager
def celery_workers(count: int, queue: str, folder: str, *, pool: str = "prefork"):
    """``count`` real Celery worker processes (concurrency 1 each) on ``queue``, against this benchmark's
    database and broker; stopped when the block ends."""
    from django.conf import settings

    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "CELERY_TASK_DEFAULT_QUEUE": queue,
           "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"], "PYTHONUNBUFFERED": "1",
           "CELERY_BROKER_URL": settings.CELERY_BROKER_URL, "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
           "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    procs, logs = [], []
    try:
        for i in range(count):
            log = os.path.join(folder, f"worker{i}.log")
            logs.append(log)
            with open(log, "ab") as out:
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", "--concurrency=1",
                     "--max-tasks-per-child=50", "-Q", queue, "-n", f"bench{i}-{uuid.uuid4().hex[:6]}@%h",
                     "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
        time.sleep(6)  # the workers connect to the broker
        yield logs
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def job_on_workers(start, *, workers: int, prefix: str, timeout: int, what: str):
    """``start()`` (which sends a job's tasks) while ``workers`` real worker processes serve a queue of their
    own; waits for the job to end. Returns the job and the seconds from the start to its end."""
    from django.conf import settings

    from config.celery import app
    from core.choices import JobState

    queue = f"{prefix}-{uuid.uuid4().hex[:6]}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with tempfile.TemporaryDirectory() as folder, celery_workers(workers, queue, folder):
            started = time.monotonic()
            job = start()
            while True:
                job.refresh_from_db()
                if job.state in (JobState.SUCCEEDED, JobState.FAILED):
                    break
                if time.monotonic() - started > timeout:
                    sys.exit(f"{what} did not finish within {timeout} s (job {job.pk}: {job.progress}%)")
                time.sleep(0.2)
            return job, time.monotonic() - started
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


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
