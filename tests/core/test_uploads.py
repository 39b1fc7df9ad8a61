"""R-SEC-3: every upload has a size cap, and a workbook's unpacked size and row count are checked
before it is read, so a zip bomb or a 200,000-row sheet is refused in well under a second with a
message naming the file. The files are made here, on the fly."""
import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cadres.imports.readers import KIND_ROSTER, read_table
from core.uploads import ERR_TOO_MANY_ROWS, ERR_UPLOAD_TOO_LARGE, ERR_WORKBOOK_TOO_LARGE, workbook_check

SHEET = "xl/worksheets/sheet1.xml"
HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _base_xlsx() -> bytes:
    wb = Workbook()
    wb.active.append(["姓名", "公民身份号码"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _with_sheet(chunks, *, base: bytes | None = None) -> bytes:
    """A real workbook whose first sheet's XML is ``chunks`` (streamed, so huge content costs no memory)."""
    source = zipfile.ZipFile(io.BytesIO(base or _base_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            if item.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as sheet:
                    for chunk in chunks:
                        sheet.write(chunk)
            else:
                target.writestr(item, source.read(item))
    return out.getvalue()


def rows_xlsx(count: int, *, dimension: str | None) -> bytes:
    """A header and ``count`` rows; ``dimension`` is what the sheet declares (None: no dimension element)."""
    def chunks():
        yield (HEAD + (f'<dimension ref="{dimension}"/>' if dimension else "") + "<sheetData>").encode()
        yield ('<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
               '<c r="B1" t="inlineStr"><is><t>公民身份号码</t></is></c></row>').encode()
        batch = []
        for n in range(2, count + 2):
            batch.append(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>')
            if len(batch) == 5000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode() + b"</sheetData></worksheet>"
    return _with_sheet(chunks())


def bomb_xlsx(megabytes: int) -> bytes:
    """A workbook whose sheet XML holds ``megabytes`` MB of blanks: tiny packed, huge unpacked."""
    def chunks():
        yield (HEAD + '<dimension ref="A1:B2"/><sheetData>').encode()
        block = b" " * (1024 * 1024)
        for _ in range(megabytes):
            yield block
        yield b"</sheetData></worksheet>"
    return _with_sheet(chunks())


def refused(func, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        func(*args, **kwargs)
    return " ".join(caught.value.messages)


@pytest.fixture(scope="module")
def bomb():
    return bomb_xlsx(120)  # 120 MB unpacked, a few hundred KB packed


@pytest.fixture(scope="module")
def many_rows():
    return rows_xlsx(200_000, dimension="A1:A200001")


def test_a_zip_bomb_is_refused_in_under_a_second_naming_the_file(bomb):
    assert len(bomb) < 2 * 1024 * 1024
    started = time.perf_counter()
    message = refused(read_table, bomb, filename="花名册.xlsx", kind=KIND_ROSTER)
    assert time.perf_counter() - started < 1
    assert "花名册.xlsx" in message
    assert message == str(ERR_WORKBOOK_TOO_LARGE.format(name="花名册.xlsx", size=50))


def test_a_declared_200k_row_sheet_is_refused_before_reading(many_rows):
    started = time.perf_counter()
    message = refused(read_table, many_rows, filename="big.xlsx", kind=KIND_ROSTER)
    assert time.perf_counter() - started < 1
    assert message == str(ERR_TOO_MANY_ROWS.format(name="big.xlsx", rows=20000, sheet="sheet1"))


def test_a_sheet_that_hides_its_rows_is_stopped_at_the_cap(settings):
    settings.ZHISHU_IMPORT_MAX_ROWS = 500
    for dimension in (None, "A1"):
        data = rows_xlsx(2_000, dimension=dimension)
        assert "500" in refused(read_table, data, filename="hidden.xlsx", kind=KIND_ROSTER)
    assert "hidden.csv" in refused(read_table, ("姓名,公民身份号码\n" + "x,y\n" * 600).encode(), filename="hidden.csv")


def test_a_workbook_within_the_caps_is_read(settings):
    data = rows_xlsx(300, dimension="A1:A301")
    workbook_check(data=data, name="ok.xlsx")
    table = read_table(data, filename="ok.xlsx", kind=KIND_ROSTER)
    assert len(table.rows) == 300


def test_the_roster_upload_page_refuses_a_bomb_and_a_large_file(world, client, settings, bomb):
    client.force_login(world.staff_a)
    page = client.post("/cadres/import/", {"kind": "roster", "file": SimpleUploadedFile("炸弹.xlsx", bomb)})
    assert page.status_code == 200 and "炸弹.xlsx" in page.content.decode()
    settings.ZHISHU_UPLOAD_MAX_BYTES = 1024 * 1024
    page = client.post("/cadres/import/", {"kind": "roster", "file": SimpleUploadedFile("大.xlsx", b"x" * (1024 * 1024 + 1))})
    assert str(ERR_UPLOAD_TOO_LARGE.format(name="大.xlsx", size=1)) in page.content.decode()


def test_the_training_import_refuses_a_bomb_and_a_large_file(world, client, settings, bomb, many_rows):
    client.force_login(world.staff_a)
    for name, data in (("培训.xlsx", bomb), ("行数.xlsx", many_rows)):
        started = time.perf_counter()
        page = client.post("/training/import/", {"file": SimpleUploadedFile(name, data)})
        assert time.perf_counter() - started < 1.5
        assert page.status_code == 200 and name in page.content.decode(), name
    settings.ZHISHU_UPLOAD_MAX_BYTES = 1024 * 1024
    page = client.post("/training/import/", {"file": SimpleUploadedFile("大.xlsx", b"x" * (1024 * 1024 + 1))})
    assert str(ERR_UPLOAD_TOO_LARGE.format(name="大.xlsx", size=1)) in page.content.decode()


def test_the_evaluation_import_refuses_a_bomb(world, api, bomb, many_rows):
    from tests.assessment.helpers import add_ballots

    sample = add_ballots(unit=world.village_a1, ratings=[])
    for name, data in (("评价.xlsx", bomb), ("评价行.xlsx", many_rows)):
        response = api(world.staff_a).post(f"/api/v1/evaluations/{sample.pk}/import/",
                                           {"file": SimpleUploadedFile(name, data)}, format="multipart")
        assert response.status_code == 400 and name in response.json()["file"][0], response.content


def test_a_multipart_body_over_the_cap_is_refused_before_it_is_read(world, client, settings):
    """The backstop for every upload, the admin's import-export included."""
    settings.ZHISHU_UPLOAD_MAX_BYTES = 1024
    client.force_login(world.staff_a)
    body = b"x" * (2 * 1024 * 1024)
    response = client.post("/admin/cadres/person/import/", {"import_file": SimpleUploadedFile("p.xlsx", body)})
    assert response.status_code == 413
    response = client.post("/api/v1/evaluations/1/import/", {"file": SimpleUploadedFile("p.xlsx", body)})
    assert response.status_code == 413 and "file" in response.json()


def test_the_admin_import_formats_refuse_a_bomb(bomb):
    from django.contrib import admin

    from cadres.models import Person

    formats = admin.site._registry[Person].get_import_formats()
    xlsx = next(f for f in formats if f().get_title() == "xlsx")()
    with pytest.raises(ValueError, match="50 MB"):
        xlsx.create_dataset(bomb)
