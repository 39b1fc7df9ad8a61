"""Issue 8 item 4: every list and report page exports exactly what its filters show (core.exports).

On the permission matrix's world (county A with one row of every model, sibling county B, one login per
role): for every registered export, the rows of the .xlsx and of the CSV equal the rows the page shows
with and without a filter; headers are Chinese; the CSV starts with the UTF-8 BOM; no file holds an ID
number in full, for a supervisor or anyone; each export answers exactly the roles that see its page; a
user of county B gets nothing of county A; a big export is written by a job.
"""
import csv
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from core.choices import JobState
from core.exports import exports_registered
from core.models import Job
from tests.security.world import MARKER_RE, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world()
            for name in ("person_a1", "person_a2", "village_a1", "village_a2", "township_a"):
                getattr(w, name).refresh_from_db()  # the markers were planted in the database only
            w.clients = {}
            for role in ("anon", "sec", "sec2", "sup", "staff", "sib", "nounit"):
                client = Client(raise_request_exception=False)
                if role != "anon":
                    client.force_login(w.users[role])
                w.clients[role] = client
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _names(ctx, key, attr):
    return [getattr(x, attr) if not isinstance(x, dict) else x[attr] for x in ctx[key]]


# name -> (a filter of the page, whether that filter narrows the world's rows, the file's key column,
#          the page's rows as those keys, read from the page's context)
PAGES = {
    "people": (lambda w: f"q={w.person_a1.name}", True, "姓名", lambda c: [p.name for p in c["people"]]),
    "appointments": (lambda w: f"unit={w.village_a1.pk}", True, "姓名",
                     lambda c: [a.person.name for a in c["appointments"]]),
    "reserves": (lambda w: "status=cultivating", False, "姓名", lambda c: [r.person.name for r in c["entries"]]),
    "reserve-coverage": (lambda w: "year=2020", False, "组织代码",
                         lambda c: [r["unit"].code for r in c["coverage"]["lacking"]]),
    "under-35": (lambda w: "on_date=2000-01-01", True, "姓名",
                 lambda c: [a.person.name for a in c["leaders"]] + [r.person.name for r in c["reserves"]]),
    "talent-pool": (lambda w: "age_max=1", True, "姓名", lambda c: [p.name for p in c["people"]]),
    "units": (lambda w: f"q={w.village_a1.code}", True, "组织代码", lambda c: [u.code for u in c["results"]]),
    "courses": (lambda w: "starts_after=2999-01-01", True, "课程代码",
                lambda c: [x.code for x in c["object_list"]]),
    "compliance": (lambda w: "sector=community", True, "姓名",
                   lambda c: [r.person.name for r in c["page_obj"]]),
    "due-soon": (lambda w: "", False, "姓名",
                 lambda c: [r.person.name for r in c["panel"]["due"] + c["panel"]["overdue"]]),
    "duty-reports": (lambda w: "year=2025&state=draft", True, "组织代码",
                     lambda c: [r.unit.code for r in c["object_list"]]),
    "evaluations": (lambda w: "year=2024", True, "组织代码", lambda c: [s.unit.code for s, _agg in c["rows"]]),
    "indicator-templates": (lambda w: "year=2024", True, "模板名称",
                            lambda c: [t.name for t in c["object_list"] for _i in t.indicators.all()]),
    "scores": (lambda w: f"year=2025&q={w.village_a1.code}", True, "组织代码", lambda c: [u.code for u, _s in c["rows"]]),
    "listings": (lambda w: "year=2024", True, "组织代码", lambda c: [x.unit.code for x in c["object_list"]]),
    "classifications": (lambda w: "year=2025&tier=good", True, "组织代码",
                        lambda c: [x.unit.code for x in c["object_list"]]),
    "honours": (lambda w: "year=2024", True, "组织代码",
                lambda c: [h.unit.code for h in [*c["people_honours"], *c["red_flags"]]]),
    "calibration": (lambda w: "year=2024", True, "名称",
                    lambda c: [r["label"] for r in c["by_township"] + c["by_sector"]]),
    "upgrade-targets": (lambda w: "year=2024", False, "上年等次", lambda c: [g["label"] for g in c["groups"]]),
    # issue 9 (R-RCT-1/4)
    "bottom-ranking": (lambda w: "year=2024", False, "党支部", lambda c: [r["name"] for r in c["rows"]]),
    "corrections": (lambda w: "state=met", False, "党支部", lambda c: [o.unit.name for o in c["object_list"]]),
    "enterprise-coverage": (lambda w: "year=2020", False, "组织代码", lambda c: [r["unit"].code for r in c["rows"]]),
    # R-MEM-1: no branch of the world is flagged, so the filter empties the list
    "member-development": (lambda w: "state=flagged", True, "组织代码", lambda c: [s.unit.code for s in c["statuses"]]),
    "talks": (lambda w: f"unit={w.village_a1.pk}", True, "姓名", lambda c: [t.person.name for t in c["talks"]]),
    "talks-due": (lambda w: "as_of=2020-01-01", True, "姓名", lambda c: [r.person.name for r in c["rows"]]),
    # rectification (issue 9): the ledger by state
    "rectification-ledger": (lambda w: "state=closed", True, "组织代码",
                             lambda c: [x.unit.code for x in c["object_list"]]),
    # stipends (issue 10, R-STP-5): the eligible list by the year first eligible (the world's is 2024)
    "health-eligible": (lambda w: "year=2023", True, "姓名", lambda c: [e.person.name for e in c["object_list"]]),
    # stipends (issue 10, R-STP-3): the forms received, every sector's secretaries of the year
    "stipend-forms": (lambda w: f"year=2026&scope=all&unit={w.village_a1.pk}", True, "书记", lambda c: [r.person_name for r in c["rows"]]),
}
DEFAULT_QUERY = {"units": lambda w: "q=" + w.village_a1.code[:4],  # the search page needs a question
                 # the forms page lists university branches of last year by default; the added rows are this year's
                 "stipend-forms": lambda w: "year=2026&scope=all"}


def _page_url(export, query):
    return reverse(export.page) + (f"?{query}" if query else "")


def _export_url(name, fmt, query):
    return reverse(f"export_{name}_{fmt}") + (f"?{query}" if query else "")


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def _csv_rows(content: bytes) -> list[list]:
    assert content.startswith(b"\xef\xbb\xbf"), "CSV without the UTF-8 BOM"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _column(rows, header):
    index = rows[0].index(header)
    return [str(r[index]) for r in rows[1:]]


def _unzipped(content: bytes) -> bytes:
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            return b"".join(zf.read(n) for n in zf.namelist())
    return content


def test_every_page_with_the_export_buttons_is_registered_and_every_export_is_offered():
    """templates/core/_export.html with export="x" ⇔ an export "x" registered for that very template."""
    included = {}
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if path.name == "_export.html":
            continue
        for name in re.findall(r'"core/_export\.html" with export="([\w-]+)"', path.read_text()):
            included[name] = str(path.relative_to(Path(settings.BASE_DIR, "templates")))
    registered = {name: e.template for name, e in exports_registered().items()}
    assert included == registered
    assert set(PAGES) == set(registered), "every export has its page test here"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_file_holds_the_rows_the_page_shows(city, name):
    export = exports_registered()[name]
    make_query, narrows, key, page_keys = PAGES[name]
    client = city.clients["staff"]
    seen = {}
    for query in ((DEFAULT_QUERY.get(name) or (lambda w: ""))(city), make_query(city)):
        page = client.get(_page_url(export, query))
        assert page.status_code == 200, (name, query)
        expected = [str(k) for k in page_keys(page.context)]
        xlsx = client.get(_export_url(name, "xlsx", query))
        assert xlsx.status_code == 200, (name, query, xlsx.status_code)
        rows = _xlsx_rows(xlsx.content)
        assert _column(rows, key) == expected, (name, query)
        assert _column(_csv_rows(client.get(_export_url(name, "csv", query)).content), key) == expected
        seen[query] = expected
    if narrows:
        first, second = seen.values()
        assert first != second, f"{name}: the filter should change the world's rows"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_headers_are_chinese_and_the_file_name_too(city, name):
    export = exports_registered()[name]
    response = city.clients["staff"].get(_export_url(name, "xlsx", ""))
    headers = _xlsx_rows(response.content)[0]
    assert headers == list(export.headers)
    for header in headers:
        assert re.search(r"[\u4e00-\u9fff]", header) and not re.search(r"[A-Za-z]", header), header
    disposition = response["Content-Disposition"]
    assert f"filename*=UTF-8''{quote(export.title)}-" in disposition
    assert re.search(r'filename="[\x20-\x7e]+\.xlsx"', disposition)


def test_the_compliance_export_has_a_chinese_name_with_its_year(city):
    import datetime as dt

    response = city.clients["staff"].get(reverse("training:compliance-export"))
    assert quote(f"培训达标情况-{dt.date.today().year}.xlsx") in response["Content-Disposition"]
    response = city.clients["staff"].get(_export_url("compliance", "csv", "year=2025"))
    assert quote("培训达标情况-2025.csv") in response["Content-Disposition"]


@pytest.mark.parametrize("role", ["sup", "staff"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_file_holds_an_id_number_in_full(city, name, role):
    for fmt in ("xlsx", "csv"):
        response = city.clients[role].get(_export_url(name, fmt, (DEFAULT_QUERY.get(name) or (lambda w: ""))(city)))
        if response.status_code != 200:
            continue
        body = _unzipped(response.content)
        assert not [s for s in city.secrets if s in body], (name, fmt)


def test_the_supervisor_reads_masked_id_numbers_and_phones(city):
    rows = _xlsx_rows(city.clients["sup"].get(_export_url("people", "xlsx", "")).content)
    by_name = dict(zip(_column(rows, "姓名"), zip(_column(rows, "公民身份号码"), _column(rows, "联系电话"))))
    person = city.person_a1
    assert by_name[person.name] == (person.masked_id_number, person.masked_phone)
    assert "*" in person.masked_id_number and person.id_number not in by_name[person.name]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_an_export_answers_exactly_the_roles_that_see_its_page(city, name):
    export = exports_registered()[name]
    query = (DEFAULT_QUERY.get(name) or (lambda w: ""))(city)
    for role, client in city.clients.items():
        page = client.get(_page_url(export, query)).status_code
        got = client.get(_export_url(name, "xlsx", query)).status_code
        assert (page == 200) == (got == 200), (name, role, page, got)
        if role == "anon":
            assert got == 302


@pytest.mark.parametrize("name", sorted(PAGES))
def test_county_b_gets_nothing_of_county_a(city, name):
    """Asked with county A's filters (its unit, its code), county B's staff get no row of county A."""
    make_query = PAGES[name][0]
    for role in ("sib", "nounit"):
        for query in ("", make_query(city), f"unit={city.village_a1.pk}", f"q={city.village_a1.code}"):
            for fmt in ("xlsx", "csv"):
                response = city.clients[role].get(_export_url(name, fmt, query))
                body = _unzipped(response.content)
                assert not MARKER_RE.findall(body), (name, role, query, MARKER_RE.findall(body)[:3])
                assert not [s for s in city.secrets if s in body]
                assert city.village_a1.name.encode() not in body and city.person_a1.name.encode() not in body


@override_settings(ZHISHU_EXPORT_SYNC_MAX_ROWS=1)
def test_a_big_export_is_written_by_a_job_with_the_same_rows(city, django_capture_on_commit_callbacks):
    client = city.clients["staff"]
    query = f"unit={city.township_a.pk}"
    page = client.get(_page_url(exports_registered()["appointments"], query))
    expected = [a.person.name for a in page.context["appointments"]]
    assert len(expected) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_export_url("appointments", "xlsx", query))
    job = Job.objects.filter(kind="table_export", created_by=city.users["staff"]).latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result["rows"] == 2
    download = client.get(reverse("job_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert _column(_xlsx_rows(content), "姓名") == expected
    assert quote("任职-") in download["Content-Disposition"]
    # the job and its file are its owner's: another user of the same county gets 404
    assert city.clients["sup"].get(reverse("job_download", args=[job.pk])).status_code == 404


@override_settings(ZHISHU_EXPORT_SYNC_MAX_ROWS=1)
def test_a_big_csv_export_keeps_the_bom_through_the_job(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        city.clients["staff"].get(_export_url("people", "csv", ""))
    job = Job.objects.filter(kind="table_export", created_by=city.users["staff"]).latest("pk")
    assert job.state == JobState.SUCCEEDED, job.error
    with job.file.open("rb") as fh:
        rows = _csv_rows(fh.read())
    assert rows[0][0] == "姓名" and len(rows) == 1 + job.result["rows"] and job.result["rows"] >= 3


def test_the_buttons_carry_the_page_query_without_the_page_number(city):
    response = city.clients["staff"].get(reverse("cadres:people") + f"?q={city.person_a1.name}&page=1")
    html = response.content.decode()
    assert f'href="/exports/people.xlsx?q={quote(city.person_a1.name)}"' in html
    assert "导出 Excel" in html and "导出 CSV" in html


def test_a_formula_in_a_name_is_neutralised(city):
    person = city.person_a1
    old = person.name
    person.name = '=HYPERLINK("http://x","y")'
    person.save()
    try:
        rows = _xlsx_rows(city.clients["staff"].get(_export_url("people", "xlsx", "")).content)
        assert "'" + person.name in _column(rows, "姓名")
    finally:
        person.name = old
        person.save()


def _more_rows(city):
    """Two more branches of township A with a row of every kind the exports list."""
    import datetime as dt
    from decimal import Decimal

    from assessment.choices import DutyReportState, HonourKind, HonourLevel, ListingKind, Tier
    from assessment.models import BranchListing, Classification, DutyReport, EvaluationSample, Honour
    from cadres.choices import AppointmentRole
    from cadres.models import Talk
    from tests.factories import AppointmentFactory, PersonFactory, ReserveCandidateFactory, make_unit
    from tests.training.factories import AttendanceFactory, CourseFactory

    from tests.assessment.helpers import make_template

    course = CourseFactory(organiser=city.county_a)
    make_unit(parent=city.township_a)  # a village without a reserve candidate
    make_template(unit=city.township_a, year=2025)
    for _ in range(2):
        unit = make_unit(parent=city.township_a)
        person = PersonFactory(unit=unit, birth_date=dt.date(1998, 1, 1))
        AppointmentFactory(person=person, unit=unit, role=AppointmentRole.SECRETARY,
                           start_date=dt.date.today() - dt.timedelta(days=300))
        ReserveCandidateFactory(unit=unit, person=PersonFactory(unit=unit, birth_date=dt.date(1999, 1, 1)))
        AttendanceFactory(person=person, course=course)
        DutyReport.objects.create(unit=unit, person=person, year=2025, state=DutyReportState.SUBMITTED)
        EvaluationSample.objects.create(unit=unit, year=2025, seed=1, member_count=10, sample_size=5,
                                        drawn=[1, 2, 3, 4, 5], policy={}, created_by=city.users["staff"])
        Classification.objects.create(unit=unit, year=2025, cycle=city.cycle_a, composite_score=Decimal("70"),
                                      computed_tier=Tier.AVERAGE, tier=Tier.AVERAGE, explanation={},
                                      previous_tier=Tier.POOR)
        BranchListing.objects.create(unit=unit, year=2025, kind=ListingKind.WEAK_AND_LAX, reason="r",
                                     created_by=city.users["staff"])
        Honour.objects.create(kind=HonourKind.OUTSTANDING_SECRETARY, year=2025, unit=unit, person=person,
                              level=HonourLevel.DISTRICT, created_by=city.users["staff"])
        Talk.objects.create(person=person, unit=unit, date=dt.date.today() - dt.timedelta(days=290), kind="regular",
                            talker_name="t")
        from rectification.models import CorrectionOrder

        CorrectionOrder.objects.create(appointment=person.appointments.get(), unit=unit, person=person, year=2025,
                                       requirement="r", deadline=dt.date.today() + dt.timedelta(days=30))
        from rectification.models import RectificationCase, RectificationTask

        case = RectificationCase.objects.create(unit=unit, year=2025, origins=["poor_tier"])
        RectificationTask.objects.create(case=case, title="t", owner_person=person, deadline=dt.date(2026, 6, 30))
        from stipends.models import HealthCheck, HealthCheckEntitlement

        entitlement = HealthCheckEntitlement.objects.create(
            person=person, unit=unit, period_start=dt.date(2018, 1, 1), qualified_on=dt.date(2024, 1, 1), year=2024,
            good_years=[2022, 2023], explanation={"lasted": {"years": 6, "months": 0}})
        HealthCheck.objects.create(person=person, unit=unit, entitlement=entitlement, decided_on=dt.date(2025, 3, 1))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_an_export_takes_as_many_queries_for_more_rows(city, name):
    """Set-based: the queries of an export do not grow with its rows (no query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    query = (DEFAULT_QUERY.get(name) or (lambda w: ""))(city)
    client = city.clients["staff"]
    url = _export_url(name, "xlsx", query)
    client.get(url)  # warm: sessions, policies cached per request only, content types
    with CaptureQueriesContext(connection) as before:
        first = client.get(url)
    _more_rows(city)
    with CaptureQueriesContext(connection) as after:
        second = client.get(url)
    grown = len(_xlsx_rows(second.content)) - len(_xlsx_rows(first.content))
    if name not in ("calibration", "enterprise-coverage", "units", "upgrade-targets"):
        assert grown > 0, name
    assert len(after.captured_queries) == len(before.captured_queries), (
        name, grown, [q["sql"][:120] for q in after.captured_queries][-8:])


def _choice_codes() -> set[str]:
    import importlib

    from django.db import models

    codes = set()
    for module in ("core.choices", "cadres.choices", "training.choices", "assessment.choices"):
        for value in vars(importlib.import_module(module)).values():
            if isinstance(value, type) and issubclass(value, models.TextChoices) and value is not models.TextChoices:
                codes |= {str(v) for v in value.values}
    return codes


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_file_shows_a_raw_choice_code(city, name):
    """Cells read 较好, 在培养, 已提交 — never fairly_good, cultivating, submitted."""
    _more_rows(city)
    codes = _choice_codes()
    query = (DEFAULT_QUERY.get(name) or (lambda w: ""))(city)
    for fmt, read in (("xlsx", _xlsx_rows), ("csv", _csv_rows)):
        rows = read(city.clients["staff"].get(_export_url(name, fmt, query)).content)
        raw = {str(v) for row in rows[1:] for v in row} & codes
        assert not raw, (name, fmt, raw)
