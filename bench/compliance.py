"""``python -m bench compliance``: the training compliance report (R-TRN-5) — R-TRN-1..3 for every
secretary in office — for a county's staff and for the city's, on a seeded tree of N branches.

The benchmark makes (or reuses) a few courses organised by the city root, one per kind and year
(initial training and party-school rotations back to the earliest first appointment, this year's
annual and thematic training), and the current secretaries' attendances in bulk: most trained on
time, some late, some not at all, this year's days on both sides of the threshold, most terms with
a rotation. A database that has attendances already (seed_demo's training data) is used as it is.
The report's query count does not depend on the number of secretaries; it is printed.
"""
import datetime as dt
import random
import time
from decimal import Decimal

from .db import bench_url
from .sizes import (
    open_seeded,
    analyze,
    count_queries,
    database_size,
    peak_rss_mb,
    ratio_table,
    run_children,
    staff_users,
    timing_dict,
    write_json,
)
from .stats import measure, table

SEED_OFFSET = 6_200_033
CODE_PREFIX = "BENCH-"
HOURS = {"initial": 40, "annual": 40, "thematic": 24, "party_school_rotation": 80}
SHORT = {"initial": "CR", "annual": "ND", "thematic": "ZT", "party_school_rotation": "LX"}


class Courses:
    """One course per kind and year, organised by the root, made through the service on first use."""

    def __init__(self, root):
        from training.models import Course

        self.root = root
        self.by_key = {(c.kind, c.start_date.year): c.pk
                       for c in Course.objects.filter(code__startswith=CODE_PREFIX, organiser=root)}
        self.made = 0

    def get(self, kind: str, year: int) -> int:
        from training.choices import ContentCategory, CourseKind
        from training.services.courses import course_create

        key = (kind, year)
        if key not in self.by_key:
            label = CourseKind(kind).label
            course = course_create(data={
                "code": f"{CODE_PREFIX}{SHORT[kind]}-{year}", "name": f"{year}年{self.root.name}{label}（基准测试）",
                "kind": kind, "organiser": self.root, "start_date": dt.date(year, 1, 1),
                "end_date": dt.date(year, 12, 31), "hours": Decimal(HOURS[kind]),
                "content_categories": [ContentCategory.THEORY.value, ContentCategory.BRANCH_PRACTICE.value],
                "location": "市委党校",
            })
            self.by_key[key] = course.pk
            self.made += 1
        return self.by_key[key]


def _day(rng: random.Random, year: int, until: dt.date) -> dt.date:
    """A random day of ``year`` not after ``until``."""
    first = dt.date(year, 1, 1)
    last = min(dt.date(year, 12, 31), until)
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def prepare(*, root, year: int, as_of: dt.date, seed: int, chunk: int) -> dict:
    """The courses and the current secretaries' attendances, unless the benchmark made them already."""
    from django.db.models import Min, OuterRef, Q, Subquery

    from cadres.choices import AppointmentRole
    from cadres.models import Appointment
    from training.models import Attendance

    from training.models import Course

    started = time.monotonic()
    courses = Courses(root)
    made = 0
    # Attendances already there — this benchmark's or seed_demo's own training data — are reused.
    if not Attendance.objects.exists():
        first_start = (Appointment.objects.filter(person=OuterRef("person"), role=AppointmentRole.SECRETARY)
                       .order_by().values("person").annotate(first=Min("start_date")).values("first"))
        current = (Appointment.objects.filter(unit__path__startswith=root.path, role=AppointmentRole.SECRETARY,
                                              start_date__lte=as_of)
                   .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
                   .annotate(first_start=Subquery(first_start)).order_by("person_id", "pk")
                   .values_list("person_id", "start_date", "planned_end_date", "first_start"))
        rng = random.Random(seed + SEED_OFFSET + year)
        batch, seen, last_person = [], set(), None  # seen: the courses of the person at hand

        def attend(person_id: int, kind: str, on: dt.date):
            course = courses.get(kind, on.year)
            if course not in seen:  # a person holding two posts attends a course once
                seen.add(course)
                batch.append(Attendance(person_id=person_id, course_id=course, completed=True, completed_on=on))

        for person_id, start, planned_end, first in current.iterator(chunk_size=chunk):
            if person_id != last_person:
                seen.clear()
                last_person = person_id
            # R-TRN-1: most on time (some ahead of office, as a reserve), some late, some not yet.
            draw = rng.random()
            if draw < 0.75:
                on = first + dt.timedelta(days=rng.randint(-90, 170))
            elif draw < 0.87:
                on = first + dt.timedelta(days=rng.randint(200, 420))
            else:
                on = None
            if on is not None and on <= as_of:
                attend(person_id, "initial", on)
            # R-TRN-2: this year's annual course (5 days) and a thematic one (3 days) against 7 days.
            if rng.random() < 0.8:
                attend(person_id, "annual", _day(rng, year, as_of))
            if rng.random() < 0.55:
                attend(person_id, "thematic", _day(rng, year, as_of))
            # R-TRN-3: a party-school rotation during most terms.
            if rng.random() < 0.6:
                on = start + dt.timedelta(days=rng.randint(30, 900))
                if on <= min(as_of, planned_end or as_of):
                    attend(person_id, "party_school_rotation", on)
            if len(batch) >= chunk:
                made += len(Attendance.objects.bulk_create(batch, ignore_conflicts=True))
                batch.clear()
        made += len(Attendance.objects.bulk_create(batch, ignore_conflicts=True))
        analyze("training_course", "training_attendance")
    return {"courses": Course.objects.count(), "courses_made": courses.made, "attendances": Attendance.objects.count(),
            "attendances_made": made, "seconds": round(time.monotonic() - started, 1)}


def run(*, units: int, seed: int, runs: int, chunk: int, database: str | None) -> dict:
    seeding = open_seeded(units=units, seed=seed, chunk=chunk, database=database)

    from django.utils import timezone

    from core.models import OrgUnit
    from training.selectors import training_compliance_report

    root, county_staff, city_staff = staff_users()
    today = timezone.localdate()
    prep = prepare(root=root, year=today.year, as_of=today, seed=seed, chunk=chunk)
    print(f"{prep['courses']} courses ({prep['courses_made']} made), {prep['attendances']:,} attendances "
          f"({prep['attendances_made']:,} made) in {prep['seconds']} s")

    timings = []
    for label, user in (("county staff", county_staff), ("city staff", city_staff)):
        name = f"training_compliance_report({label})"
        queries, data = count_queries(lambda user=user: training_compliance_report(user=user, year=today.year))
        figures = {"queries": queries, "secretaries": data["secretaries"], "failing": data["failing"],
                   "scope": user.unit.name}
        del data
        heavy = user is city_staff and units >= 500_000  # as bench tree: fewer runs of the city-wide report
        t = measure(name, units, lambda user=user: len(training_compliance_report(user=user, year=today.year)["rows"]),
                    runs=min(runs, 5) if heavy else runs)
        timings.append(timing_dict(t, **figures))
        print(f"  {name:<42} median {t.median:9.2f} ms  p95 {t.p95:9.2f} ms  {queries} queries  rows {t.rows:,}  "
              f"({len(t.runs)} runs)")
    return {
        "branches": units, "units": OrgUnit.objects.count(), "database_size": database_size(), "seeding": seeding,
        "year": today.year, "prepare": prep, "timings": timings, "peak_rss_mb": round(peak_rss_mb()),
    }


def report(results: list[dict]) -> str:
    out = []
    for r in results:
        p = r["prepare"]
        out.append(f"\n== {r['branches']:,} branches ({r['units']:,} units), R-TRN-5 for {r['year']}: "
                   f"{p['courses']} courses, {p['attendances']:,} attendances; database {r['database_size']}, "
                   f"peak RSS {r['peak_rss_mb']:,} MB ==")
        out.append("scopes: " + ", ".join(f"{t['name'].split('(')[1].rstrip(')')} {t['scope']}"
                                          for t in r["timings"]))
        rows = [[t["name"], f"{t['secretaries']:,}", f"{t['failing']:,}", f"{t['median']:.2f}", f"{t['p95']:.2f}",
                 t["runs"], t["queries"], f"{t['rows']:,}", f"{t['median'] * 1000 / max(t['rows'], 1):.3f}"]
                for t in r["timings"]]
        out.append(table(["report", "secretaries", "failing", "median ms", "p95 ms", "runs", "queries", "rows",
                          "ms / 1k rows"], rows))
    counts = sorted({t["queries"] for r in results for t in r["timings"]})
    out.append(f"\nqueries per report: {', '.join(map(str, counts))} — "
               + ("the same for every scope and size" if len(counts) == 1 else "NOT constant"))
    if len(results) > 1:
        out.append(ratio_table(results))
    return "\n".join(out)


def main(args) -> None:
    bench_url("postgres")  # refuse SQLite before anything else
    if len(args.units) == 1:
        result = run(units=args.units[0], seed=args.seed, runs=args.runs, chunk=args.chunk, database=args.database)
        write_json(args.json, [result])
        if not args.child:
            print(report([result]))
        return
    results = run_children("compliance", args.units,
                           ["--seed", str(args.seed), "--runs", str(args.runs), "--chunk", str(args.chunk)])
    print(report(results))
    write_json(args.json, results)
