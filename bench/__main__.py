"""Entry point: ``python -m bench <benchmark> [options]``; ``python -m bench --help`` lists them."""
import argparse
import os
import sys


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Scale benchmarks of Zhishu on PostgreSQL (DATABASE_URL must point at PostgreSQL; each "
                    "benchmark works in a database of its own, zhishu_bench_*, created when missing). "
                    "Figures are printed, never asserted.",
    )
    sub = p.add_subparsers(dest="benchmark", required=True, metavar="benchmark")

    tree = sub.add_parser("tree", help="subtree prefix queries, scoped people list, PolicyResolver over all "
                                       "branches, reserve and enterprise coverage on a seeded tree of N branches")
    tree.add_argument("--units", type=int, nargs="+", default=[100_000],
                      help="branches to seed (one or more sizes, e.g. 10000 100000 1000000; default 100000); "
                           "a seeded database of the same size and seed is reused")
    tree.add_argument("--runs", type=int, default=20, help="timed runs per query (default 20)")
    tree.add_argument("--seed", type=int, default=1)
    tree.add_argument("--chunk", type=int, default=5000, help="rows per bulk insert when seeding")
    tree.add_argument("--fresh", action="store_true", help="seed again even if a seeded tree exists")
    tree.add_argument("--database", help="database name (default zhishu_bench_<units>)")
    tree.add_argument("--json", help="also write the figures to this file")
    tree.add_argument("--child", action="store_true", help=argparse.SUPPRESS)

    review = sub.add_parser("review", help="R-JOB-1 annual review of every branch of the city: the classification "
                                           "step and the whole job against one raw UPDATE … CASE over the same "
                                           "rows (medians, ratios, peak RSS), fanned out by county on 1 and 2 "
                                           "workers, then upgrade targets and calibration")
    compliance = sub.add_parser("compliance", help="R-TRN-5 training compliance report for county and city staff "
                                                   "over the current secretaries (median/p95, constant query count)")
    for s in (review, compliance):
        s.add_argument("--units", type=int, nargs="+", default=[100_000],
                       help="branches of the seeded tree (one or more sizes; default 100000); the database "
                            "zhishu_bench_<units> is reused when seeded, seeded otherwise")
        s.add_argument("--runs", type=int, default=20, help="timed runs per report (default 20)")
        s.add_argument("--seed", type=int, default=1)
        s.add_argument("--chunk", type=int, default=5000, help="rows per bulk insert")
        s.add_argument("--database", help="database name (default zhishu_bench_<units>)")
        s.add_argument("--json", help="also write the figures to this file")
        s.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    review.add_argument("--year", type=int, help="year reviewed (default: the previous year)")
    review.add_argument("--workers", type=int, nargs="*", default=[1, 2],
                        help="worker counts for the review fanned out by county (default 1 2; none to skip)")
    review.set_defaults(runs=3)  # each run times the limit, the classification step and the whole job
    review.add_argument("--fan-runs", type=int, default=3, help="fanned-out reviews per worker count (default 3)")

    dossiers = sub.add_parser("dossiers", help="R-DOS-1/2 PDF dossiers: N in one warm process (s/dossier, pages/s, "
                                               "memory growth per document) and the jurisdiction ZIP with 1 and 2 "
                                               "real Celery workers")
    dossiers.add_argument("--branches", type=int, default=1060,
                          help="branches seed_demo makes (default 1060: about 1,000 secretaries)")
    dossiers.add_argument("--people", type=int, default=50, help="dossiers rendered in one process (default 50)")
    dossiers.add_argument("--zip", type=int, default=1, help="1: also time the city's ZIP (default); 0: skip it")
    dossiers.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts (default 1 2)")
    dossiers.add_argument("--runs", type=int, default=3, help="ZIP runs per worker count (default 3)")
    dossiers.add_argument("--timeout", type=int, default=3600, help="seconds one ZIP may take (default 3600)")
    dossiers.add_argument("--database", help="database name (default zhishu_bench_dossiers_<branches>)")
    dossiers.add_argument("--json", help="also write the figures to this file")

    seed = sub.add_parser("seed", help="time seed_demo into an empty database (dropped afterwards)")
    seed.add_argument("--branches", type=int, default=100_000)
    seed.add_argument("--seed", type=int, default=1)
    seed.add_argument("--chunk", type=int, default=5000)
    seed.add_argument("--history", action="store_true", help="write history rows too (default: off)")
    seed.add_argument("--keep", action="store_true", help="keep the database afterwards")
    seed.add_argument("--database", help="database name (default zhishu_bench_seed_<branches>)")
    # --- lists ---
    lists = sub.add_parser("lists", help="issue 12: the API list endpoints over HTTP (gunicorn) — people, "
                                         "appointments, classifications, rectification cases, stipend lines — at "
                                         "page 1 and deep pages by cursor, beside a raw psycopg2 WSGI app")
    lists.add_argument("--units", type=int, nargs="+", default=[100_000],
                       help="branches of the seeded tree (one size; default 100000); the database "
                            "zhishu_bench_<units> is reused when seeded, seeded otherwise")
    lists.add_argument("--runs", type=int, default=5, help="timed requests per page (default 5)")
    lists.add_argument("--seed", type=int, default=1)
    lists.add_argument("--chunk", type=int, default=5000, help="rows per bulk insert")
    lists.add_argument("--database", help="database name (default zhishu_bench_<units>)")
    lists.add_argument("--json", help="also write the figures to this file")
    # --- imports ---
    imports = sub.add_parser("imports", help="issue 12: the roster (花名册) import and the unit import of N rows "
                                             "beside reading the .xlsx alone (openpyxl read-only) and PostgreSQL "
                                             "COPY of the same rows: medians, queries, peak RSS, ratios")
    imports.add_argument("--rows", type=int, nargs="+", default=[10_000],
                         help="rows of the roster and units of the unit file (one or more sizes; default 10000)")
    imports.add_argument("--runs", type=int, default=3, help="timed runs per step (default 3)")
    imports.add_argument("--seed", type=int, default=1)
    imports.add_argument("--database", help="database name (default zhishu_imports_bench)")
    imports.add_argument("--json", help="also write the figures to this file")
    imports.add_argument("--phase", choices=["prepare", "measure"], help=argparse.SUPPRESS)
    imports.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return p


def main(argv=None) -> None:
    args = parser().parse_args(argv)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if root not in sys.path:
        sys.path.insert(0, root)
    if args.benchmark == "tree":
        from . import tree

        tree.main(args)
    elif args.benchmark == "review":
        from . import review

        review.main(args)
    elif args.benchmark == "compliance":
        from . import compliance

        compliance.main(args)
    elif args.benchmark == "dossiers":
        from . import dossiers

        dossiers.main(args)
    elif args.benchmark == "seed":
        from . import seed

        seed.main(args)
    elif args.benchmark == "lists":
        from . import lists

        lists.main(args)
    elif args.benchmark == "imports":
        from . import imports

        imports.main(args)


if __name__ == "__main__":
    main()
