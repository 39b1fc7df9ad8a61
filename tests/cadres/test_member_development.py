"""R-MEM-1: new members per branch and year, the flagged village branches and the nominations they block."""
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.choices import AppointmentRole, MemberDevelopmentSource
from cadres.imports.members import ERR_AMBIGUOUS_NAME, ERR_DUPLICATE_YEAR, ERR_UNKNOWN_UNIT_NAME
from cadres.imports.readers import KIND_MEMBERS, read_table
from cadres.imports.members import members_import_apply, members_import_preview
from cadres.models import Appointment, MemberDevelopment, ReserveCandidate
from cadres.nominations import person_nomination_blocks
from cadres.selectors_members import (
    STATE_FLAGGED, STATE_NOT_JUDGED, STATE_NOT_RECORDED, STATE_OK, member_development_flags,
    member_development_statuses,
)
from cadres.services.appointments import appointment_create
from cadres.services.members import ERR_NEW_MEMBERS, ERR_NOT_BRANCH, ERR_YEAR, member_development_set
from core.choices import JobState, Level, Sector
from core.models import Job, OrgUnit, Policy
from tests.factories import make_unit

TODAY = dt.date.today()
LAST = TODAY.year - 1  # the last full year: the blocks look at it (and at this year once recorded)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def record(unit, **years):
    for key, n in years.items():
        MemberDevelopment.objects.create(unit=unit, year=int(key[1:]), new_members=n)


def state(unit, year):
    return member_development_statuses(units=[unit], year=year)[0]


# ---------------------------------------------------------------- the service

def test_set_upserts_one_row_per_branch_and_year_with_history(world):
    row = member_development_set(unit=world.village_a1, year=2025, new_members=2, note="", by=world.staff_a)
    again = member_development_set(unit=world.village_a1, year=2025, new_members=3, note="补录", by=world.staff_a)
    assert again.pk == row.pk and MemberDevelopment.objects.count() == 1
    again.refresh_from_db()
    assert (again.new_members, again.note, again.updated_by, again.source) == (3, "补录", world.staff_a,
                                                                              MemberDevelopmentSource.ENTERED)
    assert again.history.count() == 2


@pytest.mark.parametrize("kwargs, field, message", [
    ({"year": 1999}, "year", ERR_YEAR.format(min=2000, max=TODAY.year)),
    ({"year": TODAY.year + 1}, "year", ERR_YEAR.format(min=2000, max=TODAY.year)),
    ({"new_members": -1}, "new_members", ERR_NEW_MEMBERS),
    ({"new_members": None}, "new_members", ERR_NEW_MEMBERS),
])
def test_set_refuses_bad_values_naming_the_field(world, kwargs, field, message):
    args = {"unit": world.village_a1, "year": 2025, "new_members": 1, **kwargs}
    with pytest.raises(ValidationError) as exc:
        member_development_set(**args, note="", by=world.staff_a)
    assert exc.value.message_dict[field] == [str(message)]
    assert not MemberDevelopment.objects.exists()


def test_set_refuses_a_unit_that_is_not_a_branch(world):
    with pytest.raises(ValidationError) as exc:
        member_development_set(unit=world.township_a, year=2025, new_members=1, note="", by=world.staff_a)
    assert exc.value.message_dict["unit"] == [str(ERR_NOT_BRANCH.format(unit="甲镇党委"))]


# ---------------------------------------------------------------- the flags (R-MEM-1, R-POL-2)

def test_zero_in_two_successive_years_flags_the_village(world):
    record(world.village_a1, y2024=0, y2025=0)
    s = state(world.village_a1, 2025)
    assert s.state == STATE_FLAGGED and s.window == [2024, 2025]
    assert s.explain()["policy"]["no_new_member_years"]["value"] == 2
    assert [f.unit for f in member_development_flags(year=2025, scope_path=world.county_a.path)["flagged"]] == [
        world.village_a1]


def test_a_new_member_in_either_year_clears_the_flag(world):
    record(world.village_a1, y2024=1, y2025=0)
    record(world.village_a2, y2024=0, y2025=1)
    assert state(world.village_a1, 2025).state == STATE_OK
    assert state(world.village_a2, 2025).state == STATE_OK
    # one year later the window is 2025–2026: a0 in 2026 after 0 in 2025 flags village_a1
    record(world.village_a1, y2026=0)
    assert state(world.village_a1, 2026).state == STATE_FLAGGED


def test_a_missing_year_is_not_recorded_never_flagged(world):
    record(world.village_a1, y2025=0)
    s = state(world.village_a1, 2025)
    assert s.state == STATE_NOT_RECORDED and s.missing_years == [2024]
    flags = member_development_flags(year=2025, scope_path=world.county_a.path)
    assert flags["flagged"] == [] and {x.unit for x in flags["not_recorded"]} == {world.village_a1, world.village_a2}


def test_a_jurisdiction_policy_of_three_years_moves_the_flag(world):
    Policy.objects.create(unit=world.county_a, year=2025, no_new_member_years=3)
    record(world.village_a1, y2024=0, y2025=0)
    record(world.village_b1, y2024=0, y2025=0)
    s = state(world.village_a1, 2025)
    assert (s.state, s.window) == (STATE_NOT_RECORDED, [2023, 2024, 2025])
    assert s.policy["no_new_member_years"]["unit_id"] == world.county_a.pk
    assert state(world.village_b1, 2025).state == STATE_FLAGGED  # county B keeps the default of 2
    record(world.village_a1, y2023=1)
    assert state(world.village_a1, 2025).state == STATE_OK
    MemberDevelopment.objects.filter(unit=world.village_a1, year=2023).update(new_members=0)
    assert state(world.village_a1, 2025).state == STATE_FLAGGED


def test_a_non_village_branch_is_never_flagged(world):
    enterprise = make_unit(parent=world.township_a, sector=Sector.NON_PUBLIC)
    record(enterprise, y2024=0, y2025=0)
    assert state(enterprise, 2025).state == STATE_NOT_JUDGED
    assert member_development_flags(year=2025, scope_path=world.city.path)["flagged"] == []


def test_flags_cost_the_same_queries_for_many_branches(world):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            member_development_flags(year=2025, scope_path=world.city.path)
        return len(ctx)

    before = queries()
    for _ in range(5):
        record(make_unit(parent=world.township_a), y2024=0, y2025=0)
    Policy.objects.create(unit=world.township_a, year=2025, no_new_member_years=2)
    assert queries() == before == 3  # the branches, the year's policies, the rows


# ---------------------------------------------------------------- nominations (R-MEM-1 with R-CLS-5)

def _flag_a1_last_years():
    record_years = {f"y{LAST - 1}": 0, f"y{LAST}": 0}
    return record_years


def test_the_secretary_of_a_flagged_village_is_blocked(world):
    record(world.village_a1, **_flag_a1_last_years())
    blocks = person_nomination_blocks(person=world.secretary_a1, as_of=TODAY)
    assert [(b.rule, b.refuses_secretary_at, b.years) for b in blocks] == [
        ("R-MEM-1", world.village_a1.pk, (LAST - 1, LAST))]
    assert "东风村党支部" in blocks[0].message and "R-MEM-1" in blocks[0].message
    assert person_nomination_blocks(person=world.person_a2, as_of=TODAY) == []


def test_a_new_secretary_appointment_at_the_flagged_branch_is_refused_unless_overridden(world):
    record(world.village_a1, **_flag_a1_last_years())
    world.appointment_a1.end_date, world.appointment_a1.end_reason = TODAY, "term_end"
    world.appointment_a1.save()
    data = {"person": world.secretary_a1, "unit": world.village_a1, "role": AppointmentRole.SECRETARY,
            "start_date": TODAY}
    with pytest.raises(ValidationError) as exc:
        appointment_create(data=dict(data))
    assert "R-MEM-1" in exc.value.message_dict["override_reason"][0]
    assert Appointment.objects.filter(person=world.secretary_a1).count() == 1
    # a deputy post, or the secretary post elsewhere, is not refused
    appointment_create(data={**data, "role": AppointmentRole.DEPUTY_SECRETARY})
    made = appointment_create(data=dict(data), override_reason="镇党委研究同意")
    assert "镇党委研究同意" in made.notes and "R-MEM-1" in made.notes
    assert made.history.first().history_change_reason.startswith("R-MEM-1 override")


def test_the_appointment_pages_refuse_and_warn(world, login):
    record(world.village_a1, **_flag_a1_last_years())
    client = login(world.staff_a)
    page = client.get(f"/cadres/appointments/new/?person={world.secretary_a1.pk}").content.decode()
    assert 'data-nomination-blocks' in page and "R-MEM-1" in page
    assert 'data-nomination-blocks' in client.get(f"/cadres/appointments/{world.appointment_a1.pk}/edit/").content.decode()
    world.appointment_a1.end_date, world.appointment_a1.end_reason = TODAY, "term_end"
    world.appointment_a1.save()
    form = {"person": world.secretary_a1.pk, "unit": world.village_a1.pk, "role": AppointmentRole.SECRETARY,
            "start_date": TODAY.isoformat()}
    r = client.post("/cadres/appointments/new/", form)
    assert r.status_code == 200 and "R-MEM-1" in r.content.decode()
    assert Appointment.objects.filter(person=world.secretary_a1).count() == 1
    r = client.post("/cadres/appointments/new/", {**form, "override_reason": "经研究同意"})
    assert r.status_code == 302 and Appointment.objects.filter(person=world.secretary_a1).count() == 2


def test_the_reserve_form_and_the_person_page_warn(world, login):
    record(world.village_a1, **_flag_a1_last_years())
    client = login(world.staff_a)
    assert "R-MEM-1" in client.get(f"/cadres/reserves/new/?person={world.secretary_a1.pk}").content.decode()
    r = client.post("/cadres/reserves/new/", {"person": world.secretary_a1.pk, "unit": world.village_a2.pk,
                                              "added_on": TODAY.isoformat()}, follow=True)
    assert ReserveCandidate.objects.filter(person=world.secretary_a1).exists()  # a warning, not a refusal
    assert "R-MEM-1" in r.content.decode()
    page = client.get(f"/cadres/people/{world.secretary_a1.pk}/").content.decode()
    assert 'data-rule="R-MEM-1"' in page
    assert 'data-nomination-blocks' not in client.get(f"/cadres/people/{world.person_a2.pk}/").content.decode()


def test_sanctions_are_nomination_blocks_too(world):
    from assessment.models import Sanction

    Sanction.objects.create(person=world.person_a2, unit=world.village_a2, year=TODAY.year - 1,
                            applies_to_year=TODAY.year, reason="moved_down", computed_at="2025-01-10T00:00:00Z")
    blocks = person_nomination_blocks(person=world.person_a2, as_of=TODAY)
    assert [(b.rule, b.refuses_secretary_at) for b in blocks] == [("R-CLS-5", None)]


def test_an_outstanding_secretary_nomination_is_refused_for_r_mem_1(world, login):
    from assessment.choices import HonourKind
    from assessment.models import Honour
    from tests.assessment.helpers import make_cycle, make_template, set_scores
    from assessment.services.classification import annual_review_run

    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a2], score="95", template=template)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    record(world.village_a2, **_flag_a1_last_years())
    client = login(world.staff_a)
    r = client.post("/assessment/honours/nominate/", {"year": 2025, "kind": HonourKind.OUTSTANDING_SECRETARY,
                                                      "code": world.village_a2.code, "level": "district"})
    assert r.status_code == 400 and "R-MEM-1" in r.content.decode() and not Honour.objects.exists()
    # a party worker's honour is not a nomination to the secretary post
    client.post("/assessment/honours/nominate/", {"year": 2025, "kind": HonourKind.OUTSTANDING_WORKER,
                                                  "code": world.village_a2.code, "level": "district"})
    assert Honour.objects.count() == 1


# ---------------------------------------------------------------- the import (R-SEC-3)

def sheet(rows, headers=("组织名称", "年度", "新发展党员数")) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年度发展党员情况统计表"])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_matches_names_and_codes_and_writes_all_rows(world):
    data = sheet([("东风村党支部", "2025年", 2), ("新华村党支部", 2024, "０")])
    table = read_table(data, filename="m.xlsx", kind=KIND_MEMBERS)
    preview = members_import_preview(user=world.staff_a, table=table)
    assert preview.errors == [] and [p.action for p in preview.plans] == ["create", "create"]
    result = members_import_apply(user=world.staff_a, preview=preview)
    assert result["members_created"] == 2
    assert MemberDevelopment.objects.get(unit=world.village_a2, year=2024).new_members == 0
    assert MemberDevelopment.objects.get(unit=world.village_a1).source == MemberDevelopmentSource.IMPORTED
    by_code = sheet([(world.village_a1.code, 2025, 3)], headers=("单位代码", "年份", "发展党员数（人）"))
    preview = members_import_preview(user=world.staff_a, table=read_table(by_code, filename="m.xlsx",
                                                                          kind=KIND_MEMBERS))
    assert [p.action for p in preview.plans] == ["update"]


def test_import_names_each_bad_row_and_writes_nothing(world):
    make_unit(parent=world.township_a, name="东风村党支部")  # a second unit of the same name
    data = sheet([
        ("新华村党支部", 2025, 1),
        ("石桥村党支部", 2025, 1),   # county B's: not in the jurisdiction
        ("东风村党支部", 2025, 1),   # ambiguous
        ("新华村党支部", 2025, 2),   # twice
        ("新华村党支部", 1990, -1),
        ("甲镇党委", 2025, 1),      # not a branch
    ])
    preview = members_import_preview(user=world.staff_a, table=read_table(data, filename="m.xlsx",
                                                                          kind=KIND_MEMBERS))
    by_row = {}
    for e in preview.errors:
        by_row.setdefault(e["row"], []).append(e["message"])
    assert by_row[4] == [str(ERR_UNKNOWN_UNIT_NAME.format(name="石桥村党支部"))]
    assert by_row[5] == [str(ERR_AMBIGUOUS_NAME.format(count=2, name="东风村党支部"))]
    assert by_row[6] == [str(ERR_DUPLICATE_YEAR.format(unit="新华村党支部", year=2025, row=3))]
    assert len(by_row[7]) == 2 and 8 in by_row and 3 not in by_row
    with pytest.raises(ValidationError):
        members_import_apply(user=world.staff_a, preview=preview)
    assert not MemberDevelopment.objects.exists()


def test_import_pages_preview_then_confirm(world, login):
    client = login(world.staff_a)
    assert client.get("/cadres/member-development/import/").status_code == 200
    r = client.post("/cadres/member-development/import/",
                    {"file": SimpleUploadedFile("发展党员.xlsx", sheet([("东风村党支部", 2025, 2)]))})
    job = Job.objects.get(kind="import_members")
    assert r.status_code == 302 and r["Location"] == f"/cadres/import/{job.pk}/"
    page = client.get(f"/cadres/import/{job.pk}/").content.decode()
    assert "data-member-plans" in page and "东风村党支部" in page and not MemberDevelopment.objects.exists()
    client.post(f"/cadres/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and MemberDevelopment.objects.get().new_members == 2
    bad = client.post("/cadres/member-development/import/",
                      {"file": SimpleUploadedFile("x.xlsx", sheet([("无此村", 2025, 1)]))})
    page = client.get(bad["Location"]).content.decode()
    assert "无此村" in page and "Confirm" not in page and "确认" not in page.split("data-import-errors")[0][-50:]
    assert client.get(f"/cadres/import/{Job.objects.latest('pk').pk}/rejected.xlsx").status_code == 200
    # a sheet without the columns is refused at upload, naming them
    r = client.post("/cadres/member-development/import/",
                    {"file": SimpleUploadedFile("x.xlsx", sheet([("a", 1)], headers=("姓名", "年度")))})
    assert r.status_code == 200 and "新发展党员数" in r.content.decode()
    assert login(world.secretary_user).get("/cadres/member-development/import/").status_code == 403


# ---------------------------------------------------------------- the page

def test_the_page_lists_branches_marks_flags_and_saves_in_place(world, login):
    record(world.village_a1, y2024=0, y2025=0)
    record(world.village_a2, y2024=1)
    client = login(world.staff_a)
    page = client.get("/cadres/member-development/?year=2025").content.decode()
    assert 'class="row-flagged"' in page and "data-reason" in page and "石桥村" not in page
    only = client.get("/cadres/member-development/?year=2025&state=flagged").content.decode()
    assert "东风村党支部" in only and "新华村党支部" not in only
    r = client.post("/cadres/member-development/", {"unit": world.village_a2.pk, "year": 2025,
                                                    "new_members": "2", "back": "year=2025"})
    assert r.status_code == 302 and r["Location"] == "/cadres/member-development/?year=2025"
    assert MemberDevelopment.objects.get(unit=world.village_a2, year=2025).new_members == 2
    r = client.post("/cadres/member-development/", {"unit": world.village_a2.pk, "year": 2025,
                                                    "new_members": "-3"}, follow=True)
    assert str(ERR_NEW_MEMBERS) in r.content.decode()
    # outsiders cannot write county A's rows; secretaries read their own branch only
    assert login(world.outsider).post("/cadres/member-development/", {
        "unit": world.village_a1.pk, "year": 2025, "new_members": "5"}).status_code == 302
    assert MemberDevelopment.objects.get(unit=world.village_a1, year=2025).new_members == 0
    sec = login(world.secretary_user)
    page = sec.get("/cadres/member-development/?year=2025").content.decode()
    assert "东风村党支部" in page and "新华村党支部" not in page and 'name="new_members"' not in page
    assert sec.post("/cadres/member-development/", {"unit": world.village_a1.pk, "year": 2025,
                                                    "new_members": "5"}).status_code == 403


def test_the_export_holds_the_filtered_rows(world, login):
    record(world.village_a1, y2024=0, y2025=0)
    r = login(world.staff_a).get("/exports/member-development.xlsx?year=2025&state=flagged")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert any("东风村党支部" in (v or "") for row in values for v in row if isinstance(v, str))
    assert not any("新华村党支部" == v for row in values for v in row)


# ---------------------------------------------------------------- the API

def test_api_lists_scoped_rows_in_constant_queries(world, api, django_assert_num_queries):
    record(world.village_a1, y2024=0, y2025=0)
    record(world.village_b1, y2025=1)
    staff = api(world.staff_a)
    with django_assert_num_queries(2):  # the count, the page (units joined)
        r = staff.get("/api/v1/member-development/")
    assert r.json()["count"] == 2
    for _ in range(3):
        record(make_unit(parent=world.township_a), y2025=2)
    with django_assert_num_queries(2):
        assert staff.get("/api/v1/member-development/").json()["count"] == 5
    assert api(world.outsider).get("/api/v1/member-development/").json()["count"] == 1
    flagged = staff.get("/api/v1/member-development/?flagged=true&year=2025").json()
    assert {r["unit"] for r in flagged["results"]} == {world.village_a1.pk}
    assert api(world.secretary_user).get("/api/v1/member-development/").json()["count"] == 2


def test_api_writes_for_staff_only(world, api):
    staff = api(world.staff_a)
    r = staff.post("/api/v1/member-development/", {"unit": world.village_a1.pk, "year": 2025, "new_members": 1},
                   format="json")
    assert r.status_code == 201
    r = staff.post("/api/v1/member-development/", {"unit": world.village_a1.pk, "year": 2025, "new_members": 0},
                   format="json")
    assert r.status_code == 201 and MemberDevelopment.objects.get().new_members == 0
    bad = staff.post("/api/v1/member-development/", {"unit": world.township_a.pk, "year": 2025, "new_members": 0},
                     format="json")
    assert bad.status_code == 400 and "unit" in bad.json()
    assert api(world.secretary_user).post("/api/v1/member-development/", {
        "unit": world.village_a1.pk, "year": 2024, "new_members": 1}, format="json").status_code == 403
    assert api(world.outsider).post("/api/v1/member-development/", {
        "unit": world.village_a1.pk, "year": 2024, "new_members": 1}, format="json").status_code == 400
    row = MemberDevelopment.objects.get()
    assert staff.patch(f"/api/v1/member-development/{row.pk}/", {"new_members": 4},
                       format="json").json()["new_members"] == 4


def test_api_report_explains_the_flags(world, api):
    record(world.village_a1, y2024=0, y2025=0)
    data = api(world.staff_a).get(f"/api/v1/reports/member-development/?year=2025&unit={world.township_a.pk}").json()
    assert [f["code"] for f in data["flagged"]] == [world.village_a1.code]
    assert data["flagged"][0]["explanation"]["policy"]["no_new_member_years"]["value"] == 2
    assert data["not_recorded"][0]["missing_years"] == [2024, 2025]
    assert api(world.outsider).get(
        f"/api/v1/reports/member-development/?year=2025&unit={world.county_a.pk}").status_code == 400


# ---------------------------------------------------------------- the demo

def test_the_demo_has_flagged_villages_and_the_page_works_on_it(db, client):
    from io import StringIO

    from django.core.management import call_command

    from core.models import User

    call_command("seed_demo", "--branches", "60", "--as-of", "2026-11-23", stdout=StringIO())
    assert MemberDevelopment.objects.filter(year__in=(2024, 2025, 2026)).exists()
    city = OrgUnit.objects.get(level=Level.CITY)
    flags = member_development_flags(year=2026, scope_path=city.path)
    assert flags["flagged"] and flags["not_recorded"] and member_development_flags(
        year=2025, scope_path=city.path)["flagged"]
    staff = User.objects.filter(role="staff", unit__isnull=False).order_by("unit__depth").first()
    client.force_login(staff)
    for url in ("/cadres/member-development/?year=2026", "/cadres/member-development/?year=2026&state=flagged",
                "/cadres/member-development/?page=2", "/api/v1/reports/member-development/?year=2026",
                "/api/v1/member-development/?flagged=1&year=2026", "/exports/member-development.xlsx?year=2026"):
        assert client.get(url).status_code == 200, url
    secretary = User.objects.filter(role="secretary", person__isnull=False).first()
    client.force_login(secretary)
    assert client.get("/cadres/member-development/").status_code == 200
    blocked = [s.unit for s in flags["flagged"]]
    people = [a.person for a in Appointment.objects.filter(unit__in=blocked, role=AppointmentRole.SECRETARY,
                                                          end_date__isnull=True).select_related("person")]
    assert people and all(any(b.rule == "R-MEM-1" for b in person_nomination_blocks(
        person=p, as_of=dt.date(2026, 11, 23))) for p in people)
