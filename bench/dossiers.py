"""``python -m bench dossiers``: the printed files (R-DOS-1/2) on seed_demo's data in PostgreSQL.

1. **One warm process**: ``dossier_pdf`` for N secretaries one after the other (the first rendered
   once before timing: fonts and templates loaded). Seconds per dossier (median, p95), pages per
   second, and the growth of the process's resident memory per document after the warm-up — flat
   means WeasyPrint gives back what it takes (workers are recycled with ``--max-tasks-per-child``
   anyway).
2. **The jurisdiction ZIP** (``dossiers.services.exports.export_start``) of the city's secretaries
   (``--branches`` sets how many: seed_demo fills most branches with one), through 1 and through 2 real Celery worker processes (``--workers 1 2``),
   each run timed from the request to the written ZIP; the ratio of 1 to 2 workers is the fan-out's
   gain (two cores: at most 2×).

The database ``zhishu_bench_dossiers_<branches>`` is seeded once by seed_demo and reused.
Figures are printed, never asserted.
"""
import os
import statistics
import sys
import time

from .db import bench_url, ensure_database, use_database
from .sizes import job_on_workers, write_json
from .stats import table


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _seeded(branches: int) -> None:
    from cadres.models import Person

    if Person.objects.exists():
        print(f"seeded already: {Person.objects.count():,} people")
        return
    from cadres.demo import demo_seed

    started = time.monotonic()
    demo_seed(branches=branches, seed=1, history=True, chunk=5000, progress=lambda *a, **k: None)
    print(f"seed_demo --branches {branches:,}: {time.monotonic() - started:.0f} s")


def _secretaries(limit: int):
    from cadres.choices import AppointmentRole
    from cadres.models import Appointment, Person

    ids = list(Appointment.objects.filter(role=AppointmentRole.SECRETARY, end_date__isnull=True)
               .order_by("unit__path").values_list("person_id", flat=True).distinct()[:limit])
    return list(Person.objects.filter(pk__in=ids).select_related("unit").order_by("unit__path", "pk"))


def _city_staff():
    from .sizes import staff_users

    root, _county, city = staff_users()
    return root, city


def warm_process(n: int) -> dict:
    from dossiers.services.person import dossier_pdf

    _root, user = _city_staff()
    people = _secretaries(n + 1)
    if len(people) < 2:
        sys.exit("No secretaries in the benchmark database: seed it again.")
    dossier_pdf(person=people[0], user=user)  # warm-up: fonts, templates, the first connection
    rss0 = _rss_mb()
    seconds, pages = [], 0
    for person in people[1:]:
        started = time.perf_counter()
        rendered = dossier_pdf(person=person, user=user)
        seconds.append(time.perf_counter() - started)
        pages += rendered.pages
    grown = _rss_mb() - rss0
    count = len(seconds)
    ordered = sorted(seconds)
    return {"documents": count, "median_s": statistics.median(seconds),
            "p95_s": ordered[min(count - 1, max(0, round(0.95 * count) - 1))],
            "pages": pages, "pages_per_s": pages / sum(seconds), "rss_start_mb": rss0,
            "rss_growth_kb_per_doc": grown * 1024 / count}


def zip_run(*, workers: int, timeout: int) -> dict:
    """One export of the city's secretaries through ``workers`` worker processes: seconds to the written ZIP."""
    from core.models import Job
    from dossiers.services.exports import export_start

    root, user = _city_staff()
    job, seconds = job_on_workers(lambda: export_start(user=user, unit=root), workers=workers,
                                  prefix="bench-dossiers", timeout=timeout, what="the export")
    result = job.result or {}
    files = result.get("files", 0)
    size = job.file.size if job.file else 0
    Job.objects.filter(pk=job.pk).delete()
    return {"workers": workers, "seconds": seconds, "files": files, "failed": len(result.get("failed", [])),
            "zip_mb": size / 1024 / 1024, "state": job.state}


def main(args) -> None:
    url = bench_url(args.database or f"zhishu_bench_dossiers_{args.branches}")
    created = ensure_database(url)
    print(f"database {url.rsplit('/', 1)[-1]}{' (created)' if created else ''}")
    use_database(url)
    _seeded(args.branches)
    results: dict = {"branches": args.branches}

    warm = warm_process(args.people)
    results["warm"] = warm
    print(f"\n== {warm['documents']} dossiers in one warm process ==")
    print(table(["documents", "s/dossier (median)", "p95", "pages", "pages/s", "RSS after warm-up",
                 "RSS growth/doc"],
                [[warm["documents"], f"{warm['median_s']:.2f}", f"{warm['p95_s']:.2f}", warm["pages"],
                  f"{warm['pages_per_s']:.1f}", f"{warm['rss_start_mb']:.0f} MB",
                  f"{warm['rss_growth_kb_per_doc']:.0f} KB"]]))

    if args.zip:
        runs = {}
        for w in args.workers:
            runs[w] = [zip_run(workers=w, timeout=args.timeout) for _ in range(args.runs)]
        results["zip"] = runs
        base = statistics.median(r["seconds"] for r in runs[args.workers[0]])
        rows = []
        for w, rs in runs.items():
            med = statistics.median(r["seconds"] for r in rs)
            rows.append([w, rs[0]["files"], rs[0]["failed"], len(rs), f"{med:.1f}",
                         f"{rs[0]['files'] / med:.1f}", f"{rs[0]['zip_mb']:.1f}", f"{base / med:.2f}x"])
        print("\n== the jurisdiction ZIP of the city's secretaries, real workers ==")
        print(table(["workers", "PDFs", "failed", "runs", "seconds (median)", "PDFs/s", "ZIP MB",
                     f"speed-up vs {args.workers[0]}"], rows))
    write_json(args.json, [results])
