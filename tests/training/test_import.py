"""R-TRN-5 / R-SEC-3: attendance import from Excel — preview, errors by row, all or nothing."""
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from cadres.services.id_numbers import ERR_ID_CHECKSUM, ERR_ID_FLOAT
from core.choices import JobState
from core.models import Job
from tests.factories import PersonFactory
from tests.training.factories import CourseFactory
from training.models import Attendance
from training.services.imports import (
    ERR_IMPORT_COURSE_AMBIGUOUS,
    ERR_IMPORT_INVALID,
    ERR_IMPORT_NAME_MISMATCH,
    ERR_IMPORT_PERSON,
    TEMPLATE_HEADERS,
    attendance_import_commit,
    attendance_import_preview,
)

HEADERS = ["姓名", "公民身份号码", "课程编号", "培训班名称", "学时", "完成日期", "证书编号"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def workbook(rows, headers=HEADERS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


@pytest.fixture
def course(world):
    return CourseFactory(organiser=world.county_a, code="JX2026-07", name="2026年村书记示范培训班",
                         start_date=dt.date(2026, 7, 1), end_date=dt.date(2026, 7, 7))


@pytest.fixture
def people(world):
    """Seven people of township A, each a row of the file (rows 2 to 8)."""
    return [PersonFactory(unit=world.village_a1 if i % 2 else world.village_a2, name=f"学员{i}") for i in range(7)]


def rows_for(people, course):
    return [[p.name, p.id_number, course.code, "", 56, "2026-07-07", f"ZS-{i:03d}"] for i, p in enumerate(people)]


def test_a_wrong_id_number_in_row_7_writes_nothing_and_names_row_7(world, course, people):
    rows = rows_for(people, course)
    rows[5][1] = rows[5][1][:-1] + ("0" if rows[5][1][-1] != "0" else "1")  # row 7: check digit broken
    preview = attendance_import_preview(user=world.staff_a, file=workbook(rows))
    assert [(e.row, e.column, e.message) for e in preview.errors] == [(7, "公民身份号码", str(ERR_ID_CHECKSUM))]
    assert len(preview.valid_rows) == 6 and not preview.is_valid
    with pytest.raises(ValidationError) as exc:
        attendance_import_commit(user=world.staff_a, file=workbook(rows))
    assert exc.value.message_dict["file"] == [str(ERR_IMPORT_INVALID)]
    assert Attendance.objects.count() == 0


def test_an_id_number_typed_as_a_float_is_refused(world, course, people):
    person = next(p for p in people if p.id_number[-1].isdigit())  # an X check digit is no number
    rows = rows_for([person], course)
    rows[0][1] = float(rows[0][1])
    preview = attendance_import_preview(user=world.staff_a, file=workbook(rows))
    assert preview.errors[0].row == 2 and preview.errors[0].column == "公民身份号码"
    head, tail = str(ERR_ID_FLOAT).split("{value}")
    message = preview.errors[0].message
    assert message.startswith(head + "4.3") and message.endswith("e+17" + tail)


def test_people_outside_the_jurisdiction_are_not_found(world, course, people):
    CourseFactory(organiser=world.city, code="CITY-1")
    rows = [[people[0].name, people[0].id_number, "CITY-1", "", 8, "2026-03-07", ""]]
    preview = attendance_import_preview(user=world.outsider, file=workbook(rows))
    assert [(e.row, e.message) for e in preview.errors] == [(2, str(ERR_IMPORT_PERSON))]


def test_a_valid_file_writes_every_row_once(world, course, people):
    count = attendance_import_commit(user=world.staff_a, file=workbook(rows_for(people, course)))
    assert count == 7 == Attendance.objects.filter(course=course, completed=True).count()
    a = Attendance.objects.get(person=people[0])
    assert a.hours == 56 and a.completed_on == dt.date(2026, 7, 7) and a.certificate_number == "ZS-000"
    assert a.history.count() == 1
    # The same file again: every row is a duplicate now, nothing more is written.
    preview = attendance_import_preview(user=world.staff_a, file=workbook(rows_for(people, course)))
    assert len(preview.errors) == 7
    assert Attendance.objects.count() == 7


def test_courses_match_by_name_and_names_must_agree(world, course, people):
    rows = [[people[0].name, people[0].id_number, "", course.name, "", "2026年7月7日", ""],
            ["别人", people[1].id_number, "", course.name, "", "2026/7/7", ""]]
    preview = attendance_import_preview(user=world.staff_a, file=workbook(rows))
    assert [(e.row, e.column) for e in preview.errors] == [(3, "姓名")]
    assert preview.errors[0].message == str(ERR_IMPORT_NAME_MISMATCH).format(name=people[1].name, given="别人")
    assert preview.valid_rows[0].attendance.course == course


def test_an_ambiguous_course_name_asks_for_the_code(world, course, people):
    CourseFactory(organiser=world.township_a, name=course.name)
    rows = [[people[0].name, people[0].id_number, "", course.name, "", "2026-07-07", ""]]
    preview = attendance_import_preview(user=world.staff_a, file=workbook(rows))
    assert preview.errors[0].message == str(ERR_IMPORT_COURSE_AMBIGUOUS).format(value=course.name)


def test_the_same_person_twice_in_a_file_is_an_error(world, course, people):
    rows = rows_for(people[:1], course) * 2
    preview = attendance_import_preview(user=world.staff_a, file=workbook(rows))
    assert [(e.row, e.column) for e in preview.errors] == [(3, "公民身份号码")]


def test_import_uses_a_fixed_number_of_queries(world, course, people, django_assert_num_queries):
    # people, courses by code, existing pairs (no row names a course, so no query by name)
    with django_assert_num_queries(3):
        attendance_import_preview(user=world.staff_a, file=workbook(rows_for(people, course)))


# Pages ------------------------------------------------------------------------------------------------

def upload(client, rows):
    data = workbook(rows).getvalue()
    return client.post("/training/import/", {"file": SimpleUploadedFile("考勤.xlsx", data)})


def test_the_page_previews_then_confirms_all_rows(world, course, people, client):
    client.force_login(world.staff_a)
    response = upload(client, rows_for(people, course))
    assert response.status_code == 302
    job = Job.objects.get(kind="training.attendance_import")
    assert Attendance.objects.count() == 0  # the preview writes nothing
    page = client.get(response.url)
    assert page.status_code == 200 and people[0].name in page.content.decode()
    assert client.post(response.url).status_code == 302
    assert Attendance.objects.count() == 7
    job.refresh_from_db()
    assert job.state == "succeeded" and job.result["created"] == 7
    client.post(response.url)  # confirming twice imports nothing more
    assert Attendance.objects.count() == 7


def test_the_page_shows_row_7_and_confirming_writes_nothing(world, course, people, client):
    client.force_login(world.staff_a)
    rows = rows_for(people, course)
    rows[5][1] = "110105195001011234"
    response = upload(client, rows)
    page = client.get(response.url).content.decode()
    assert "import-errors" in page and ">7<" in page
    client.post(response.url)
    assert Attendance.objects.count() == 0
    job = Job.objects.get(created_by=world.staff_a)  # R-JOB-3: refused means failed, not pending forever
    assert job.state == JobState.FAILED and job.error == str(ERR_IMPORT_INVALID)
    assert "import-failed" in client.get(response.url).content.decode()
    rejected = client.get(response.url + "errors.xlsx")
    ws = load_workbook(io.BytesIO(rejected.content)).active
    assert ws.cell(row=1, column=len(HEADERS) + 1).value == "错误"
    assert "公民身份号码" in ws.cell(row=7, column=len(HEADERS) + 1).value
    assert ws.cell(row=2, column=len(HEADERS) + 1).value in ("", None)


def test_another_user_cannot_see_or_confirm_my_import(world, course, people, client):
    client.force_login(world.staff_a)
    url = upload(client, rows_for(people, course)).url
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(world.township_staff)
    assert client.post(url).status_code == 404
    assert Attendance.objects.count() == 0


def test_secretaries_cannot_import(world, client, course, people):
    client.force_login(world.secretary_user)
    assert client.get("/training/import/").status_code == 403
    assert upload(client, rows_for(people, course)).status_code == 403


def test_the_template_has_the_chinese_headers(world, client):
    client.force_login(world.staff_a)
    response = client.get("/training/import/template.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == TEMPLATE_HEADERS
    assert TEMPLATE_HEADERS == ["姓名", "公民身份号码", "课程编号", "培训班名称", "学时", "完成日期", "证书编号"]
    assert ws["B2"].number_format == "@"
