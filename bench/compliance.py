"""``python -m bench compliance``: the training compliance report (R-TRN-5) — R-TRN-1..3 for every
secretary in office — for a county's staff and for the city's, on a seeded tree of N branches.

The benchmark makes (or reuses) a few courses organised by the city root, one per kind and year
(initial training and party-school rotations back to the earliest first appointment, this year's
annual and thematic training), and the current secretaries' attendances in bulk: most trained on
time, some late, some not at all, this year's days on both sides of the threshold, most terms with
a rotation. A database that has attendances already (seed_demo's training data) is used as it is.
Side by side in one run (medians of ``--runs``): the report over HTTP (Django's test client, the whole
middleware and DRF stack) for county and city staff at page 1 and a deep page, the page (HTML), the
selector's summary of the whole city, and the limit — R-TRN-1..3 of every current secretary of the
city computed in one SQL statement (``STATUSES_SQL``) — with the ratio of each to the limit, query
counts, response sizes and the peak RSS so far. The limit's statuses are checked against the
project's on every secretary first.
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


# The limit: R-TRN-1..3 for every current secretary of a subtree in ONE statement, under one policy
# (the scope root's values; the bench tree has no policies below it — printed). Month sums are
# PostgreSQL's ``date + interval 'n months'``, which ends at the month's end as relativedelta does.
STATUSES_SQL = """
WITH cur AS (
    SELECT a.id, a.person_id, a.start_date, a.end_date, a.planned_end_date
    FROM {appointment} a JOIN {unit} u ON u.id = a.unit_id
    WHERE u.path LIKE %(path)s AND a.role = 'secretary' AND a.start_date <= %(as_of)s
      AND (a.end_date IS NULL OR a.end_date >= %(as_of)s)
), firsts AS (
    SELECT person_id, MIN(start_date) AS first_start FROM {appointment}
    WHERE role = 'secretary' AND person_id IN (SELECT person_id FROM cur) GROUP BY person_id
), att AS (
    SELECT t.person_id,
           SUM(t.days) FILTER (WHERE t.days IS NOT NULL AND t.completed_on >= %(year_start)s) AS days_given,
           SUM(COALESCE(t.hours, c.hours)) FILTER (WHERE t.days IS NULL AND t.completed_on >= %(year_start)s) AS hours,
           MIN(t.completed_on) FILTER (WHERE c.kind = 'initial') AS initial_on
    FROM {attendance} t JOIN {course} c ON c.id = t.course_id
    WHERE t.completed AND t.completed_on <= %(as_of)s AND t.person_id IN (SELECT person_id FROM cur)
    GROUP BY t.person_id
), rot AS (
    SELECT cur.id, COUNT(*) AS n
    FROM cur JOIN {attendance} t ON t.person_id = cur.person_id AND t.completed
             JOIN {course} c ON c.id = t.course_id AND c.kind = 'party_school_rotation'
    WHERE t.completed_on >= cur.start_date AND t.completed_on <= LEAST(COALESCE(cur.planned_end_date, %(as_of)s), %(as_of)s)
    GROUP BY cur.id
), x AS (
    SELECT cur.*, f.first_start, att.initial_on, COALESCE(rot.n, 0) AS rotations,
           (f.first_start + make_interval(months => %(initial_months)s))::date AS deadline,
           COALESCE(att.days_given, 0) + COALESCE(att.hours, 0) / %(hours_per_day)s AS days,
           GREATEST(cur.start_date, %(year_start)s) AS in_first,
           LEAST(%(next_year)s, COALESCE(cur.end_date + 1, %(next_year)s)) AS after_last
    FROM cur JOIN firsts f USING (person_id) LEFT JOIN att USING (person_id) LEFT JOIN rot ON rot.id = cur.id
), s AS (
    SELECT x.*, CASE WHEN initial_on IS NOT NULL THEN
                    CASE WHEN initial_on <= deadline THEN 'done_on_time' ELSE 'done_late' END
                WHEN %(as_of)s <= deadline THEN 'due' ELSE 'overdue' END AS initial
    FROM x
)
SELECT id,
       CASE WHEN first_start > %(year_end)s THEN NULL
            WHEN initial IN ('due', 'overdue') OR deadline >= %(year_start)s
                 OR EXTRACT(YEAR FROM initial_on) = %(year)s THEN initial END,
       CASE WHEN NOT (in_first < after_last
                      AND (in_first + make_interval(months => %(min_months)s))::date <= after_last) THEN 'not_measured'
            WHEN days >= %(days_required)s THEN 'met'
            WHEN %(as_of)s < %(year_end)s THEN 'in_progress' ELSE 'not_met' END,
       CASE WHEN rotations >= %(rotations_required)s THEN 'met'
            WHEN planned_end_date IS NOT NULL
                 AND (%(as_of)s + make_interval(months => %(warning_months)s))::date > planned_end_date THEN 'flagged'
            ELSE 'pending' END
FROM s
"""


def sql_statuses(*, root, year: int, as_of: dt.date) -> list[tuple]:
    """(appointment id, R-TRN-1, R-TRN-2, R-TRN-3) for every current secretary under ``root``: one statement."""
    from django.db import connection

    from cadres.models import Appointment
    from core.models import OrgUnit
    from core.services.policies import PolicyResolver
    from training.models import Attendance, Course
    from training.services.compliance import hours_per_day

    policy = PolicyResolver(year=year).for_unit(unit_id=root.pk, path=root.path)
    sql = STATUSES_SQL.format(appointment=Appointment._meta.db_table, unit=OrgUnit._meta.db_table,
                              attendance=Attendance._meta.db_table, course=Course._meta.db_table)
    params = {
        "path": root.path + "%", "as_of": as_of, "year": year, "year_start": dt.date(year, 1, 1),
        "year_end": dt.date(year, 12, 31), "next_year": dt.date(year + 1, 1, 1),
        "initial_months": policy.initial_training_months, "hours_per_day": hours_per_day(policy=policy),
        "min_months": policy.annual_training_min_months, "days_required": policy.annual_training_days,
        "rotations_required": policy.rotations_per_term, "warning_months": policy.rotation_warning_months,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _http(client, url: str, params: dict) -> tuple[int, int]:
    """GET ``url`` as the logged-in client: (bytes of the body, status)."""
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.status_code)
    return len(response.content), response.status_code


def run(*, units: int, seed: int, runs: int, chunk: int, database: str | None) -> dict:
    seeding = open_seeded(units=units, seed=seed, chunk=chunk, database=database)

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from core.models import OrgUnit, Policy
    from training.selectors import training_compliance_report

    root, county_staff, city_staff = staff_users()
    today = timezone.localdate()
    year = today.year
    prep = prepare(root=root, year=year, as_of=today, seed=seed, chunk=chunk)
    print(f"{prep['courses']} courses ({prep['courses_made']} made), {prep['attendances']:,} attendances "
          f"({prep['attendances_made']:,} made) in {prep['seconds']} s")
    policies = Policy.objects.filter(year=year).exclude(unit=root).count()
    if policies:
        print(f"note: {policies} policies below the root for {year}: the SQL limit applies the root's values only")

    # The limit first: its statuses, and whether the project's rows agree with them on every secretary.
    report = training_compliance_report(user=city_staff, year=year, as_of=today)
    limit = {r[0]: r[1:] for r in sql_statuses(root=root, year=year, as_of=today)}
    rules = ("R-TRN-1", "R-TRN-2", "R-TRN-3")
    mine = {r.appointment_id: tuple((r.outcomes[k] or (None,))[0] for k in rules) for r in report["rows"]}
    disagree = sum(1 for k in limit.keys() | mine.keys() if limit.get(k) != mine.get(k))
    secretaries = report["secretaries"]
    print(f"{secretaries:,} secretaries; the SQL limit and the project disagree on {disagree:,}")
    del report, mine, limit

    api = reverse("report-training-compliance")
    page = reverse("training:compliance")
    pages = max(1, -(-secretaries // 50))
    deep = max(1, pages * 4 // 5)
    clients = {}
    for user in (county_staff, city_staff):
        clients[user.pk] = Client(HTTP_HOST="localhost")
        clients[user.pk].force_login(user)

    def http(user, url, params):
        return lambda: _http(clients[user.pk], url, {"year": year, **params})[0]

    cases = [
        ("API county staff, page 1", http(county_staff, api, {})),
        ("API city staff, page 1", http(city_staff, api, {})),
        (f"API city staff, page {deep:,}", http(city_staff, api, {"page": deep})),
        ("page city staff, page 1", http(city_staff, page, {})),
        (f"page city staff, page {deep:,}", http(city_staff, page, {"page": deep})),
        ("summary city staff (selector)",
         lambda: training_compliance_report(user=city_staff, year=year)["secretaries"]),
        ("SQL limit: 3 statuses, city", lambda: len(sql_statuses(root=root, year=year, as_of=today))),
    ]
    timings = []
    for name, fn in cases:
        queries, size = count_queries(fn)
        t = measure(name, units, fn, runs=runs)
        figures = {"queries": queries, "bytes": size if name.startswith(("API", "page")) else None,
                   "peak_rss_mb": round(peak_rss_mb())}
        timings.append(timing_dict(t, **figures))
        print(f"  {name:<34} median {t.median:9.1f} ms  p95 {t.p95:9.1f} ms  {queries:3d} queries  "
              f"{'' if figures['bytes'] is None else f'{size / 1024:,.0f} KB  '}peak RSS {figures['peak_rss_mb']:,} MB "
              f"({len(t.runs)} runs)")
    return {
        "branches": units, "units": OrgUnit.objects.count(), "database_size": database_size(), "seeding": seeding,
        "year": year, "prepare": prep, "secretaries": secretaries, "disagree": disagree, "timings": timings,
        "peak_rss_mb": round(peak_rss_mb()),
    }


def report(results: list[dict]) -> str:
    out = []
    for r in results:
        p = r["prepare"]
        out.append(f"\n== {r['branches']:,} branches ({r['units']:,} units), R-TRN-5 for {r['year']}: "
                   f"{r['secretaries']:,} secretaries, {p['courses']} courses, {p['attendances']:,} attendances; "
                   f"database {r['database_size']}, peak RSS {r['peak_rss_mb']:,} MB ==")
        out.append(f"statuses of the project vs the SQL limit: {r['disagree']:,} secretaries disagree")
        limit = r["timings"][-1]["median"]
        rows = [[t["name"], f"{t['median']:.1f}", f"{t['p95']:.1f}", t["runs"], t["queries"],
                 "" if t["bytes"] is None else f"{t['bytes'] / 1024:,.0f}", f"{t['peak_rss_mb']:,}",
                 f"{t['median'] / max(limit, 1e-9):.2f}x"]
                for t in r["timings"]]
        out.append(table(["measure", "median ms", "p95 ms", "runs", "queries", "KB", "peak RSS MB",
                          "vs SQL limit"], rows))
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
