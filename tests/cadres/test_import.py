"""R-SEC-3, R-SEL-1..5: importing a roster of secretaries (花名册) — every row checked, then all or nothing."""
import datetime as dt
import io
import pathlib

import openpyxl
import pytest

from cadres.choices import AppointmentRole, ReserveStatus, SelectionMethod
from cadres.imports.readers import SourceRow, read_table
from cadres.imports.roster import (
    ERR_DUPLICATE_PERSON,
    ERR_HAS_ERRORS,
    ERR_MISSING_COLUMN,
    ERR_PERSON_ELSEWHERE,
    ERR_SECOND_SECRETARY_IN_FILE,
    ERR_UNKNOWN_UNIT,
    roster_import_apply,
    roster_import_preview,
)
from cadres.imports.units import ERR_ROOT_NOT_ALLOWED, units_import
from cadres.models import Appointment, Person, ReserveCandidate
from cadres.services.appointments import ERR_SECOND_SECRETARY
from cadres.services.id_numbers import (
    ERR_ID_BIRTH_MONTH_MISMATCH,
    ERR_ID_CHECKSUM,
    ERR_ID_FLOAT,
    ERR_ID_GENDER_MISMATCH,
)
from core.choices import Level, Role
from core.models import OrgUnit, User
from core.services.orgunits import ERR_UNKNOWN_PARENT
from tests.factories import ReserveCandidateFactory, make_id_number, make_unit, make_user

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
ROSTER_SAMPLE = DATA / "roster-sample.xlsx"
UNITS_SAMPLE = DATA / "units-sample.csv"

HEADERS = ("序号", "姓名", "性别", "民族", "出生年月", "公民身份号码", "学历", "入党时间", "所在党组织", "组织代码",
           "职务", "任职时间", "产生方式", "是否专职", "是否双带头人", "联系电话", "备注")
FIRST_DATA_ROW = 4  # a merged title on row 1, 填报单位 on row 2, the header on row 3


def roster_row(*, name="张伟", gender="男", birth=dt.date(1980, 5, 17), unit_code="430721001001", id_number=None,
               start="2025.01", method="选举", full_time="是", dual="否", **extra) -> dict:
    row = {
        "姓名": name, "性别": gender, "民族": "汉族", "出生年月": birth.strftime("%Y.%m"),
        "公民身份号码": id_number or make_id_number(birth=birth, gender="M" if gender == "男" else "F"),
        "学历": "大学本科", "入党时间": "2005.07", "所在党组织": "", "组织代码": unit_code, "职务": "党支部书记",
        "任职时间": start, "产生方式": method, "是否专职": full_time, "是否双带头人": dual, "联系电话": "13800000000",
    }
    row.update(extra)
    return row


def roster_xlsx(rows: list[dict], *, headers=HEADERS) -> bytes:
    """A roster laid out like the counties' files: title, 填报单位, header on row 3, data, a blank row, notes."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["示范县党支部书记花名册"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(["填报单位（盖章）：中共示范县委组织部"])
    sheet.append(list(headers))
    for i, row in enumerate(rows, start=1):
        sheet.append([i if h == "序号" else row.get(h) for h in headers])
    sheet.append([])
    sheet.append(["填表说明：1.出生年月、入党时间、任职时间按“1980.01”格式填写。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview_of(user, rows, **kwargs):
    return roster_import_preview(user=user, rows=read_table(roster_xlsx(rows, **kwargs), filename="r.xlsx"))


def errors_at(preview, row_number):
    return [e for e in preview.errors if e["row"] == row_number]


def import_samples(user=None):
    """Units first (as the installation's superuser), then the roster as ``user``."""
    root = User(username="setup", is_superuser=True, is_active=True)
    units = read_table(UNITS_SAMPLE.read_bytes(), filename=UNITS_SAMPLE.name)
    created, errors = units_import(user=root, table=units)
    assert errors == [] and len(created) == 35
    if user is None:
        county = OrgUnit.objects.get(code="430721000")
        user = make_user(unit=county, role=Role.STAFF, username="county_staff")
    preview = roster_import_preview(user=user, rows=read_table(ROSTER_SAMPLE.read_bytes(), filename=ROSTER_SAMPLE.name))
    assert preview.errors == []
    return user, roster_import_apply(user=user, preview=preview)


# --- the sample files ------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_sample_files_import_into_an_empty_database_as_30_current_secretaries():
    user, result = import_samples()
    assert result["people_created"] == 30 and result["appointments_created"] == 30
    current = Appointment.objects.current().secretaries().select_related("person", "unit")
    assert current.count() == 30
    assert Person.objects.count() == 30
    first = current.get(unit__code="430721001001")
    assert first.person.name == "秦秀英"
    assert first.start_date == dt.date(2024, 3, 1)  # 任职时间 2024.03: month precision, the 1st
    assert first.selection_method == SelectionMethod.PUBLIC_DIRECT
    assert (first.is_full_time, first.is_dual_leader) == (False, False)
    sixth = current.get(unit__code="430721001006")  # 韩喆: 是 / 是
    assert (sixth.is_full_time, sixth.is_dual_leader) == (True, True)
    assert current.get(unit__code="430721001008").selection_method == SelectionMethod.APPOINTMENT  # 上级党组织任命
    assert current.filter(is_dual_leader=True).count() == 5
    # The pickers find the imported people and units by pinyin initials (issue 8 item 3).
    assert first.person.name_initials == "qxy" and first.unit.name_initials
    assert not Person.objects.filter(name_initials="").exists()
    assert not OrgUnit.objects.filter(name_initials="").exists()


@pytest.mark.django_db
def test_a_birth_month_that_agrees_with_the_id_number_stores_the_id_numbers_day():
    """R-SEL-1: 出生年月 1993.03 and ID …19930306… → 1993-03-06, never the invented 1993-03-01."""
    import_samples()
    person = Person.objects.get(name="秦秀英")
    assert person.birth_date == dt.date(1993, 3, 6)
    assert person.gender == "F" and person.education == "bachelor"
    assert person.party_join_date == dt.date(2021, 7, 1)
    assert person.unit.code == "430721001001"


@pytest.mark.django_db
def test_the_import_keeps_the_audit_trail_with_the_importing_user():
    """R-SEC-2: bulk inserts still write one history row per person and appointment, naming who imported."""
    user, _result = import_samples()
    assert Person.history.filter(history_type="+").count() == 30
    assert Appointment.history.filter(history_type="+").count() == 30
    assert set(Person.history.values_list("history_user", flat=True)) == {user.pk}


@pytest.mark.django_db
def test_importing_the_same_roster_again_changes_nothing():
    user, _result = import_samples()
    history = Person.history.count() + Appointment.history.count()
    preview = roster_import_preview(user=user, rows=read_table(ROSTER_SAMPLE.read_bytes(), filename="r.xlsx"))
    assert preview.counts()["unchanged"] == 30
    roster_import_apply(user=user, preview=preview)
    assert Person.history.count() + Appointment.history.count() == history
    assert Appointment.objects.count() == 30


# --- one bad row: nothing written, the row and column named ------------------------------------

def _sample_with(cell: str, value) -> bytes:
    workbook = openpyxl.load_workbook(ROSTER_SAMPLE)
    workbook.active[cell] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_wrong_check_digit_in_excel_row_7_writes_nothing_and_names_row_7_and_the_column():
    root = User(username="setup", is_superuser=True, is_active=True)
    units_import(user=root, table=read_table(UNITS_SAMPLE.read_bytes(), filename=UNITS_SAMPLE.name))
    workbook = openpyxl.load_workbook(ROSTER_SAMPLE)
    assert workbook.active["F7"].value == "430721197605017510"  # 崔俊杰, the fourth secretary
    data = _sample_with("F7", "430721197605017511")

    preview = roster_import_preview(user=root, rows=read_table(data, filename="r.xlsx"))
    assert preview.errors == [{"row": 7, "column": "公民身份号码", "field": "id_number", "message": str(ERR_ID_CHECKSUM)}]
    with pytest.raises(Exception) as excinfo:
        roster_import_apply(user=root, preview=preview)
    assert str(ERR_HAS_ERRORS) in str(excinfo.value)
    assert Person.objects.count() == 0 and Appointment.objects.count() == 0


@pytest.mark.django_db
def test_an_id_number_typed_as_a_number_is_rejected_never_stored(world):
    """A float has lost its last digits (Excel keeps 15): ERR_ID_FLOAT, as float or as its exponent text."""
    unit = make_unit(parent=world.township_a, code="430721001003")
    exact = make_id_number(birth=dt.date(1980, 5, 17), gender="M")
    rows = [
        roster_row(unit_code="430721001003", id_number=float(exact[:17] + "0")),
        roster_row(unit_code="430721001003", id_number="4.30721198005171E+17"),
    ]
    rows[1]["职务"] = "党支部副书记"
    preview = preview_of(world.staff_a, rows)
    messages = {e["row"]: e for e in preview.errors}
    assert set(messages) == {FIRST_DATA_ROW, FIRST_DATA_ROW + 1}
    for e in messages.values():
        assert e["column"] == "公民身份号码"
        assert e["message"].startswith(str(ERR_ID_FLOAT).split("{")[0])
    assert not Person.objects.filter(unit=unit).exists()


@pytest.mark.django_db
def test_an_18_digit_int_with_a_valid_check_digit_is_accepted(world):
    make_unit(parent=world.township_a, code="430721001003")
    number = next(x for x in (make_id_number(birth=dt.date(1980, 5, 17), gender="M") for _ in range(20))
                  if x[-1] != "X")
    # A workbook stores numbers as doubles, so an int only reaches the import from a caller passing rows.
    row = roster_row(unit_code="430721001003", id_number=int(number))
    preview = roster_import_preview(user=world.staff_a, rows=[SourceRow(number=2, values=row, cells=[])],
                                    headers=list(row))
    assert preview.errors == []
    assert preview.plans[0].person.id_number == number


@pytest.mark.django_db
def test_an_unknown_unit_code_names_the_row(world):
    preview = preview_of(world.staff_a, [roster_row(unit_code="430721001003"), roster_row(unit_code="999")])
    assert [(e["row"], e["column"]) for e in preview.errors] == [(4, "组织代码"), (5, "组织代码")]
    assert preview.errors[1]["message"] == str(ERR_UNKNOWN_UNIT.format(code="999"))


@pytest.mark.django_db
def test_a_second_current_secretary_against_the_database_is_named(world):
    """R-SEL-2: village_a1 has 秦秀英 already."""
    preview = preview_of(world.staff_a, [roster_row(unit_code=world.village_a1.code)])
    [error] = preview.errors
    assert (error["row"], error["column"]) == (FIRST_DATA_ROW, "组织代码")
    assert error["message"] == str(ERR_SECOND_SECRETARY.format(
        unit=world.village_a1.name, person="秦秀英", start="2024年3月1日"))


@pytest.mark.django_db
def test_a_second_current_secretary_within_the_file_is_named(world):
    unit = make_unit(parent=world.township_a, code="430721001003", name="红星村党支部")
    preview = preview_of(world.staff_a, [roster_row(unit_code=unit.code), roster_row(unit_code=unit.code)])
    [error] = preview.errors
    assert (error["row"], error["column"]) == (FIRST_DATA_ROW + 1, "组织代码")
    assert error["message"] == str(ERR_SECOND_SECRETARY_IN_FILE.format(unit="红星村党支部", row=FIRST_DATA_ROW))


@pytest.mark.django_db
def test_a_deputy_beside_the_sitting_secretary_is_fine(world):
    preview = preview_of(world.staff_a, [roster_row(unit_code=world.village_a1.code, 职务="党支部副书记")])
    assert preview.errors == []
    assert preview.plans[0].appointment.role == AppointmentRole.DEPUTY_SECRETARY


@pytest.mark.django_db
def test_the_same_id_number_twice_in_a_file_is_named(world):
    make_unit(parent=world.township_a, code="430721001003")
    row = roster_row(unit_code="430721001003")
    preview = preview_of(world.staff_a, [row, {**row, "职务": "党支部副书记"}])
    [error] = preview.errors
    assert error["row"] == FIRST_DATA_ROW + 1
    assert error["message"] == str(ERR_DUPLICATE_PERSON.format(row=FIRST_DATA_ROW))


@pytest.mark.django_db
def test_a_person_on_record_is_updated_not_duplicated(world):
    person = world.person_a2
    row = roster_row(name=person.name, birth=person.birth_date, id_number=person.id_number,
                     unit_code=world.village_a2.code, start="2024.11", 联系电话="13911112222")
    preview = preview_of(world.staff_a, [row])
    assert preview.errors == []
    [plan] = preview.plans
    assert not plan.person_new and not plan.appointment_new
    assert "phone" in plan.person_changes
    roster_import_apply(user=world.staff_a, preview=preview)
    person.refresh_from_db()
    assert person.phone == "13911112222"
    assert person.birth_date == dt.date(1980, 5, 17)  # the day on record survives the month-only cell
    assert Person.objects.filter(name=person.name).count() == 1
    assert Appointment.objects.filter(person=person).count() == 1
    assert person.history.first().history_user == world.staff_a


@pytest.mark.django_db
def test_a_name_changed_by_the_roster_changes_the_pickers_initials(world):
    person = world.person_a2
    row = roster_row(name="李志强", birth=person.birth_date, id_number=person.id_number,
                     unit_code=world.village_a2.code, start="2024.11")
    preview = preview_of(world.staff_a, [row])
    assert preview.errors == [] and "name" in preview.plans[0].person_changes
    roster_import_apply(user=world.staff_a, preview=preview)
    person.refresh_from_db()
    assert (person.name, person.name_initials) == ("李志强", "lzq")


@pytest.mark.django_db
def test_birth_month_and_gender_must_agree_with_the_id_number(world):
    make_unit(parent=world.township_a, code="430721001003")
    number = make_id_number(birth=dt.date(1980, 5, 17), gender="M")
    preview = preview_of(world.staff_a, [roster_row(unit_code="430721001003", id_number=number,
                                                    birth=dt.date(1980, 6, 1), gender="女")])
    by_column = {e["column"]: e["message"] for e in preview.errors}
    assert by_column["出生年月"] == str(ERR_ID_BIRTH_MONTH_MISMATCH.format(birth="1980.06", id_birth="1980.05"))
    assert by_column["性别"] == str(ERR_ID_GENDER_MISMATCH)


@pytest.mark.django_db
def test_every_bad_row_is_reported_at_once_and_nothing_is_written(world):
    make_unit(parent=world.township_a, code="430721001003")
    make_unit(parent=world.township_a, code="430721001004")
    rows = [roster_row(unit_code="430721001003"), roster_row(unit_code="430721001004", 任职时间="2024.13"),
            roster_row(unit_code="430721001004", 是否专职="也许", 职务="党支部副书记")]
    preview = preview_of(world.staff_a, rows)
    assert {(e["row"], e["column"]) for e in preview.errors} == {(5, "任职时间"), (6, "是否专职")}
    assert len(preview.plans) == 1
    before = Person.objects.count()
    with pytest.raises(Exception):
        roster_import_apply(user=world.staff_a, preview=preview)
    assert Person.objects.count() == before


@pytest.mark.django_db
def test_a_roster_without_the_id_number_column_is_refused_by_header(world):
    headers = tuple(h for h in HEADERS if h != "任职时间")
    preview = preview_of(world.staff_a, [roster_row()], headers=headers)
    assert preview.errors == [{"row": 3, "column": "任职时间", "field": "start_date",
                               "message": str(ERR_MISSING_COLUMN.format(column="任职时间"))}]


@pytest.mark.django_db
def test_appointing_a_reserve_candidate_closes_their_entry(world):
    """R-RES-1: a reserve candidate imported as secretary leaves the pool as appointed."""
    unit = make_unit(parent=world.township_a, code="430721001003")
    entry = ReserveCandidateFactory(unit=unit)
    row = roster_row(name=entry.person.name, birth=entry.person.birth_date, id_number=entry.person.id_number,
                     unit_code=unit.code, start="2025.03")
    preview = preview_of(world.staff_a, [row])
    result = roster_import_apply(user=world.staff_a, preview=preview)
    entry.refresh_from_db()
    assert result["reserves_closed"] == 1
    assert (entry.status, entry.closed_on) == (ReserveStatus.APPOINTED, dt.date(2025, 3, 1))
    assert ReserveCandidate.objects.filter(status=ReserveStatus.CULTIVATING).count() == 0


def _roster_tables(world, sizes):
    """One roster per size, each over units of its own (so that one can be imported after the other)."""
    tables, start = [], 3
    for size in sizes:
        codes = [f"430721001{i:03d}" for i in range(start, start + size)]
        for code in codes:
            make_unit(parent=world.township_a, code=code)
        tables.append(read_table(roster_xlsx([roster_row(unit_code=c) for c in codes]), filename="r.xlsx"))
        start += size
    world.staff_a.unit  # noqa: B018 — loaded once, as a request's user would be
    return tables


@pytest.mark.django_db
def test_the_preview_reads_the_database_in_a_constant_number_of_queries(world, django_assert_num_queries):
    """R-SEC-3, issue 12: units, people (with their ID-number hashes), posts and sitting secretaries are one query each;
    person_validate checks uniqueness and the unit against them — 2 rows and 40 rows run the same queries."""
    two, forty = _roster_tables(world, [2, 40])
    with django_assert_num_queries(3):  # units, people (with their hashes), sitting secretaries: no one on file
        assert roster_import_preview(user=world.staff_a, rows=two).errors == []
    with django_assert_num_queries(3):  # units, people (with their hashes), sitting secretaries: no one on file
        preview = roster_import_preview(user=world.staff_a, rows=forty)
    assert preview.errors == [] and len(preview.plans) == 40


@pytest.mark.django_db
def test_the_import_writes_in_a_constant_number_of_queries(world, django_assert_num_queries):
    """R-SEC-3, issue 12: bulk inserts (people, appointments, their history) and one UPDATE for the reserves —
    2 rows and 40 rows run the same statements (one batch each up to BATCH_SIZE rows)."""
    two, forty = _roster_tables(world, [2, 40])
    counts = []
    for table in (two, forty):
        preview = roster_import_preview(user=world.staff_a, rows=table)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            roster_import_apply(user=world.staff_a, preview=preview)
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    assert Appointment.objects.filter(unit__code__startswith="430721001").count() >= 42


# --- jurisdiction (R-ORG-2) -------------------------------------------------------------------

@pytest.mark.django_db
def test_an_outsider_cannot_import_into_county_a(world):
    preview = preview_of(world.outsider, [roster_row(unit_code=world.village_a2.code, 职务="党支部副书记")])
    [error] = preview.errors
    assert error["column"] == "组织代码"
    assert error["message"] == str(ERR_UNKNOWN_UNIT.format(code=world.village_a2.code))


@pytest.mark.django_db
def test_an_outsider_cannot_take_over_a_county_a_person_by_id_number(world):
    person = world.person_a2
    row = roster_row(name="冒名", birth=person.birth_date, id_number=person.id_number,
                     unit_code=world.village_b1.code, 职务="党支部副书记")
    preview = preview_of(world.outsider, [row])
    assert [e["message"] for e in preview.errors if e["column"] == "公民身份号码"] == [str(ERR_PERSON_ELSEWHERE)]
    person.refresh_from_db()
    assert person.name == "杨志强"


@pytest.mark.django_db
def test_township_staff_import_only_below_their_township(world):
    preview = preview_of(world.township_staff, [roster_row(unit_code=world.county_a.code, 职务="党支部副书记")])
    assert preview.errors[0]["message"] == str(ERR_UNKNOWN_UNIT.format(code=world.county_a.code))


# --- units -----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_units_of_another_county_cannot_be_hung_under_it(world):
    csv = "组织代码,组织名称,层级,上级组织代码,领域\n430721001009,建设村党支部,branch,430721001,农村\n".encode()
    table = read_table(csv, filename="u.csv")
    created, errors = units_import(user=world.outsider, table=table)
    assert created == []
    assert errors == [{"row": 2, "field": "parent_code", "column": "上级组织代码",
                       "message": str(ERR_UNKNOWN_PARENT.format(code="430721001"))}]
    created, errors = units_import(user=world.staff_a, table=table)
    assert errors == [] and created[0].path.startswith(OrgUnit.objects.get(code="430721001").path)


@pytest.mark.django_db
def test_only_a_superuser_adds_a_root_unit(world):
    csv = "组织代码,组织名称,层级,上级组织代码,领域\n9999,新市委,city,,机关\n".encode()
    created, errors = units_import(user=world.staff_a, table=read_table(csv, filename="u.csv"))
    assert errors[0]["message"] == str(ERR_ROOT_NOT_ALLOWED)
    assert not OrgUnit.objects.filter(code="9999").exists()


@pytest.mark.django_db
def test_a_units_dry_run_writes_nothing():
    root = User(username="setup", is_superuser=True, is_active=True)
    created, errors = units_import(user=root, table=read_table(UNITS_SAMPLE.read_bytes(), filename="u.csv"),
                                   dry_run=True)
    assert errors == [] and len(created) == 35
    assert OrgUnit.objects.count() == 0
    assert {u.level for u in created} >= {Level.COUNTY, Level.TOWNSHIP, Level.BRANCH}
