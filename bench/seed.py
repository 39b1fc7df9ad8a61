"""``python -m bench seed``: how fast seed_demo fills an empty PostgreSQL database, with and without history."""
from .db import bench_url, drop_database, ensure_database, use_database
from .stats import table


def main(args) -> None:
    name = args.database or f"zhishu_bench_seed_{args.branches}"
    url = bench_url(name)
    drop_database(url)
    ensure_database(url)
    use_database(url)
    from cadres.demo import demo_seed

    result = demo_seed(branches=args.branches, seed=args.seed, history=args.history, chunk=args.chunk,
                       progress=print)
    c = result.counts
    rows_total = c["units"] + c["people"] + c["appointments"] + c["reserve_candidates"]
    print(table(["branches", "units", "people", "appointments", "reserves", "history", "seconds", "rows/s"],
                [[f"{c['branches']:,}", f"{c['units']:,}", f"{c['people']:,}", f"{c['appointments']:,}",
                  f"{c['reserve_candidates']:,}", "on" if args.history else "off", f"{result.seconds:.1f}",
                  f"{rows_total / result.seconds:,.0f}"]]))
    if not args.keep:
        from django.db import connections

        connections.close_all()
        drop_database(url)
