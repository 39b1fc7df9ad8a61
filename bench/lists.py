"""``python -m bench lists``: the API's list endpoints at city scale (issue 12), over HTTP.

On the seeded tree (bench/tree.py) with the review benchmark's classifications (bench/review.py ``prepare``),
an approved stipend sheet of the city and of the county with a line per current secretary, a rectification case for one branch in twenty, the
project runs under gunicorn (1 worker, production settings, DEBUG off) beside a raw psycopg2 WSGI app serving
the same rows (bench/rawlists.py, also under gunicorn). Each list is requested with a token as a county's staff
and as the city's staff at page 1, at pages 200 and 2000 through a cursor (when the list is that long) and at
the last page; medians over ``--runs`` runs, the queries of one request (the project's counted in-process with
the same request, the raw app's from its X-Queries header) and the ratios.
"""
import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import time

from .sizes import ROOT, open_seeded, staff_users, write_json
from .stats import measure, table

PAGE = 50
DEEP_PAGES = (200, 2000)
CASE_EVERY = 20  # one branch in twenty has a rectification case


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, token: str) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Authorization": f"Token {token}", "Accept": "application/json",
                                           "Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def _serve(app: str, port: int, env: dict) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", app, "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "300",
           "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{app} did not start (exit {proc.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"{app} did not listen on {port} within 60 s")


def prepare_rows(*, root, county_unit, seed: int, chunk: int) -> dict:
    """Classifications (the review benchmark's prepare), the city's and the county's stipend sheets (a line per secretary),
    rectification cases; what exists already is kept."""
    from django.utils import timezone

    from cadres.choices import AppointmentRole
    from cadres.models import Appointment
    from core.choices import BRANCH_LEVELS, Level
    from core.models import OrgUnit
    from rectification.models import RectificationCase
    from stipends.models import StipendLine, StipendSheet

    from . import review
    from .sizes import analyze

    made = {}
    year = review.pick_year(root, timezone.localdate().year - 1)
    started = time.monotonic()
    review.prepare(root=root, year=year, seed=seed, chunk=chunk)
    made["classifications (review prepare)"] = round(time.monotonic() - started, 1)

    units = {u.pk: u for u in OrgUnit.objects.filter(path__startswith=root.path).only("id", "path", "level")}
    by_path = {u.path: u for u in units.values()}

    def up_to(unit, level):
        path = unit.path
        while path:
            u = by_path.get(path)
            if u is not None and u.level == level:
                return u.pk
            path = path[:-OrgUnit.steplen]
        return None

    sheets = {}
    for jurisdiction in (root, county_unit):
        sheet = StipendSheet.objects.filter(unit=jurisdiction, year=year, state="approved").first()
        if sheet is None:
            # The next version: the review benchmark's run leaves a draft sheet of the same year (version 1).
            last = (StipendSheet.objects.filter(unit=jurisdiction, year=year).order_by("-version")
                    .values_list("version", flat=True).first()) or 0
            sheet = StipendSheet.objects.create(unit=jurisdiction, year=year, state="approved", version=last + 1,
                                                approved_at=timezone.now())
            lines, n = [], 0
            current = (Appointment.objects.filter(role=AppointmentRole.SECRETARY, end_date__isnull=True,
                                                  unit__path__startswith=jurisdiction.path,
                                                  unit__level__in=BRANCH_LEVELS)
                       .values_list("person_id", "unit_id").order_by().iterator(chunk_size=chunk))
            for person_id, unit_id in current:
                unit = units[unit_id]
                lines.append(StipendLine(
                    sheet=sheet, person_id=person_id, unit_id=unit_id, township_id=up_to(unit, Level.TOWNSHIP),
                    county_id=up_to(unit, Level.COUNTY), sector="rural", group="village", regime="base",
                    base_amount=24000, tier="good", coefficient=1, months=12, in_office_from=dt.date(year, 1, 1),
                    in_office_until=dt.date(year, 12, 31), amount=24000, policy_key="p"))
                if len(lines) >= chunk:
                    n += len(StipendLine.objects.bulk_create(lines, ignore_conflicts=True))
                    lines.clear()
            n += len(StipendLine.objects.bulk_create(lines, ignore_conflicts=True))
            StipendSheet.objects.filter(pk=sheet.pk).update(line_count=n)
            made[f"stipend lines of {jurisdiction.name}"] = n
        sheets[jurisdiction.pk] = sheet.pk
    if not RectificationCase.objects.filter(year=year, unit__path__startswith=root.path).exists():
        cases = [RectificationCase(unit_id=uid, year=year, origins=["weak_and_lax"], state="open")
                 for i, uid in enumerate(OrgUnit.objects.filter(path__startswith=root.path, level__in=BRANCH_LEVELS)
                                         .order_by("path").values_list("id", flat=True).iterator(chunk_size=chunk))
                 if i % CASE_EVERY == 0]
        made["rectification cases"] = len(RectificationCase.objects.bulk_create(cases, batch_size=chunk,
                                                                                ignore_conflicts=True))
    analyze("assessment_classification", "stipends_stipendline", "rectification_rectificationcase")
    return {"year": year, "sheets": sheets, "made": made}


def _lists(sheets: dict):
    """name → (project path, raw path, the scoped queryset of a user in the view's order), each a function of the
    user: the stipend lines are those of the user's own jurisdiction's sheet (the city's, a county's)."""
    import datetime as _dt

    from assessment.models import Classification
    from cadres.models import Appointment, Person
    from rectification.models import RectificationCase
    from rectification.selectors import ledger_annotate
    from stipends.models import StipendLine

    return {
        "people": lambda u: ("/api/v1/people/", "/people/", Person.objects.visible_to(u)),
        "appointments": lambda u: ("/api/v1/appointments/", "/appointments/", Appointment.objects.visible_to(u)),
        "classifications": lambda u: ("/api/v1/classifications/", "/classifications/",
                                      Classification.objects.visible_to(u)),
        "rectification cases": lambda u: (
            "/api/v1/rectification-cases/", "/rectification-cases/",
            ledger_annotate(RectificationCase.objects.visible_to(u), today=_dt.date.today())
            .order_by("-year", "unit__path", "pk")),
        "stipend lines": lambda u: (
            f"/api/v1/stipend-sheets/{sheets[u.unit_id]}/lines/", f"/stipend-lines/{sheets[u.unit_id]}/",
            StipendLine.objects.visible_to(u).filter(sheet_id=sheets[u.unit_id])
            .order_by("township__path", "unit__path", "person__name", "pk")),
    }


def _positions(qs, n_rows: int) -> list[tuple[str, object]]:
    """(label, cursor values or "last") of the pages timed: 1, 200, 2000 when the list is that long, the last."""
    from core.api.pagination import keyset_ordering

    keys = keyset_ordering(qs)
    spelled = [k.spelled for k in keys]
    out = [("page 1", None)]
    for page in DEEP_PAGES:
        offset = (page - 1) * PAGE - 1
        if offset < n_rows - PAGE:
            values = list(qs.order_by(*spelled).values_list(*[k.path for k in keys])[offset])
            out.append((f"page {page:,} (cursor)", {"k": spelled, "v": values}))
    out.append(("last page", "last"))
    return out


def run(*, units: int, seed: int, runs: int, chunk: int, database: str | None) -> dict:
    seeding = open_seeded(units=units, seed=seed, chunk=chunk, database=database)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.api.pagination import _encode, count_rows
    from core.services.tokens import token_create

    root, county, city = staff_users()
    rows = prepare_rows(root=root, county_unit=county.unit, seed=seed, chunk=chunk)
    tokens = {"county staff": (county, token_create(user=county)[1]), "city staff": (city, token_create(user=city)[1])}

    db_url = os.environ["DATABASE_URL"]
    project_port, raw_port = _free_port(), _free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": "bench-only-secret", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
           "ZHISHU_FIELD_KEYS": ",".join(settings.ZHISHU_FIELD_KEYS), "ZHISHU_HASH_KEY": settings.ZHISHU_HASH_KEY,
           "ZHISHU_DOSSIER_KEY": settings.ZHISHU_DOSSIER_KEY, "DJANGO_SECURE_SSL_REDIRECT": "false",
           "ZHISHU_THROTTLE_USER": "10000000/minute", "ZHISHU_THROTTLE_ANON": "10000000/minute",
           "RAW_DATABASE_URL": db_url, "PYTHONPATH": ROOT}
    servers = [_serve("config.wsgi:application", project_port, env), _serve("bench.rawlists:app", raw_port, env)]
    client = Client()
    results = []
    try:
        for name, of_user in _lists(rows["sheets"]).items():
            for who, (user, token) in tokens.items():
                api_path, raw_path, qs = of_user(user)
                n_rows, estimate = count_rows(qs)
                for label, position in _positions(qs, n_rows):
                    if position is None:
                        api, raw = api_path, raw_path
                    elif position == "last":
                        api, raw = f"{api_path}?page=last", f"{raw_path}?last=1"
                    else:
                        api = f"{api_path}?cursor={_encode(position)}"
                        raw = f"{raw_path}?after={_encode(position['v'])}"
                    status, body, _h = _get(project_port, api, token)
                    if status != 200:
                        raise SystemExit(f"{api} answered {status}: {body[:300]!r}")
                    with CaptureQueriesContext(connection) as ctx:
                        client.get(api, HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
                    raw_status, raw_body, raw_headers = _get(raw_port, raw, token)
                    if raw_status != 200:
                        raise SystemExit(f"raw {raw} answered {raw_status}: {raw_body[:300]!r}")
                    ours = json.loads(body)
                    theirs = json.loads(raw_body)
                    same = [r["id"] for r in ours["results"]] == [r["id"] for r in theirs["results"]]
                    t_api = measure(name, units, lambda a=api, tk=token: len(_get(project_port, a, tk)[1]), runs)
                    t_raw = measure(name, units, lambda r=raw, tk=token: len(_get(raw_port, r, tk)[1]), runs)
                    results.append({
                        "list": name, "as": who, "page": label, "rows": n_rows, "count_is_estimate": estimate,
                        "count": ours["count"], "median": t_api.median, "raw_median": t_raw.median,
                        "queries": len(ctx), "raw_queries": int(raw_headers.get("X-Queries", 0)),
                        "same_rows": same, "runs": runs})
                    r = results[-1]
                    print(f"  {name:<20} {who:<12} {label:<22} {r['median']:8.1f} ms  raw {r['raw_median']:8.1f} ms"
                          f"  {r['median'] / max(r['raw_median'], 1e-9):4.2f}x  queries {r['queries']}/"
                          f"{r['raw_queries']}{'' if same else '  (rows differ!)'}", flush=True)
    finally:
        for proc in servers:
            proc.terminate()
        for proc in servers:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return {"branches": units, "seeding": seeding, "prepared": rows, "results": results}


def report(result: dict) -> str:
    first = {(r["list"], r["as"]): r["median"] for r in result["results"] if r["page"] == "page 1"}
    rows = [[r["list"], r["as"], r["page"], f"{r['rows']:,}{'~' if r['count_is_estimate'] else ''}",
             f"{r['median']:.1f}", f"{r['raw_median']:.1f}", f"{r['median'] / max(r['raw_median'], 1e-9):.2f}x",
             f"{r['median'] / max(first[(r['list'], r['as'])], 1e-9):.2f}x", f"{r['queries']} / {r['raw_queries']}",
             "yes" if r["same_rows"] else "NO"]
            for r in result["results"]]
    return (f"\n== lists over HTTP, {result['branches']:,} branches (gunicorn, 1 worker each; median of "
            f"{result['results'][0]['runs'] if result['results'] else 0} runs, ms; ~ = estimated count) ==\n"
            + table(["list", "as", "page", "rows", "project", "raw", "vs raw", "vs page 1", "queries", "same rows"],
                    rows, "lllrrrrrrl"))


def main(args) -> None:
    from .db import bench_url

    bench_url("postgres")  # refuse SQLite before anything else
    if len(args.units) > 1:
        raise SystemExit("bench lists takes one size a run (--units N)")
    result = run(units=args.units[0], seed=args.seed, runs=args.runs, chunk=args.chunk, database=args.database)
    write_json(args.json, [result])
    print(report(result))
