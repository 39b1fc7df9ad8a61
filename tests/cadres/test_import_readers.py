"""R-SEC-3: .xlsx, old .xls and CSV (UTF-8 or GBK) are read alike; what cannot be read is named."""
import datetime as dt
import io
import pathlib

import pytest
import xlwt
from django.core.exceptions import ValidationError

from cadres.imports.readers import (
    ERR_CSV_ENCODING,
    ERR_NO_HEADER,
    ERR_NOT_EXCEL,
    ERR_XLS_UNREADABLE,
    KIND_ROSTER,
    KIND_UNITS,
    read_table,
)
from cadres.imports.roster import roster_import_preview
from cadres.imports.units import units_import
from core.models import OrgUnit, User
from tests.cadres.test_import import HEADERS, roster_row

DATA = pathlib.Path(__file__).resolve().parent.parent / "data"
UNITS_CSV = (DATA / "units-sample.csv").read_bytes()
ROSTER = (DATA / "roster-sample.xlsx").read_bytes()


def test_the_sample_roster_is_found_under_its_title_and_above_its_notes():
    table = read_table(ROSTER, filename="roster-sample.xlsx")
    assert (table.kind, table.format, table.header_row) == (KIND_ROSTER, "xlsx", 3)
    assert [r.number for r in table.rows] == list(range(4, 34))  # the blank row 34 and notes row 35 are skipped
    assert table.rows[0].values["姓名"] == "秦秀英"
    assert table.rows[0].values["公民身份号码"] == "43072119930306672X"


def test_the_utf8_bom_unit_list_is_read():
    table = read_table(UNITS_CSV, filename="units-sample.csv")
    assert (table.kind, table.encoding, table.header_row, len(table.rows)) == (KIND_UNITS, "utf-8-sig", 1, 35)
    assert table.rows[0].values == {"组织代码": "430721000", "组织名称": "中共示范县委员会", "层级": "county",
                                    "上级组织代码": "", "领域": "机关"}


@pytest.mark.django_db
def test_a_gbk_csv_saved_by_chinese_excel_is_read_and_imported():
    gbk = UNITS_CSV.decode("utf-8-sig").encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    table = read_table(gbk, filename="units.csv")
    assert (table.encoding, len(table.rows)) == ("gb18030", 35)
    assert table.rows[2].values["组织名称"] == "中共示范县城关镇东风村支部委员会"
    created, errors = units_import(user=User(username="setup", is_superuser=True, is_active=True), table=table)
    assert errors == [] and OrgUnit.objects.count() == 35


def test_a_utf8_csv_without_bom_and_with_tabs_is_read():
    text = "\t".join(("组织代码", "组织名称", "层级", "上级组织代码", "领域")) + "\n1\t甲\tcounty\t\t机关\n"
    table = read_table(text.encode("utf-8"), filename="units.txt")
    assert table.encoding == "utf-8" and table.rows[0].values["组织名称"] == "甲"


def test_a_csv_in_neither_utf8_nor_gbk_is_named():
    data = "组织代码,组织名称\n".encode("utf-8") + b"\x81\x20\xff\xfe,x\n"
    with pytest.raises(ValidationError) as excinfo:
        read_table(data, filename="units.csv")
    assert excinfo.value.message_dict == {"file": [str(ERR_CSV_ENCODING)]}


def test_a_file_named_xlsx_that_is_not_a_workbook_is_named():
    with pytest.raises(ValidationError) as excinfo:
        read_table(b"<html>not excel</html>", filename="roster.xlsx")
    assert excinfo.value.message_dict == {"file": [str(ERR_NOT_EXCEL.format(name="roster.xlsx"))]}


def test_a_broken_xls_is_named():
    with pytest.raises(ValidationError) as excinfo:
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, filename="roster.xls")
    assert str(ERR_XLS_UNREADABLE).split("{")[0] in excinfo.value.messages[0]


def test_a_file_without_the_header_says_which_columns_it_needs():
    with pytest.raises(ValidationError) as excinfo:
        read_table("名字,号码\n张三,1\n".encode(), filename="x.csv", kind=KIND_ROSTER)
    assert excinfo.value.messages == [str(ERR_NO_HEADER.format(columns="姓名, 公民身份号码"))]


def _roster_xls(rows) -> bytes:
    """An old .xls as county offices still send: title row, header row 2, a real date cell, notes."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    sheet.write_merge(0, 0, 0, len(HEADERS) - 1, "党支部书记花名册")
    for col, header in enumerate(HEADERS):
        sheet.write(1, col, header)
    for r, row in enumerate(rows, start=2):
        for col, header in enumerate(HEADERS):
            value = row.get(header)
            if isinstance(value, dt.date):
                sheet.write(r, col, value, date_style)
            elif value is not None:
                sheet.write(r, col, value)
    sheet.write(len(rows) + 3, 0, "填表说明：公民身份号码填写18位。")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_old_xls_is_read_with_real_dates_and_numbers(world):
    from tests.factories import make_unit

    make_unit(parent=world.township_a, code="430721001003")
    make_unit(parent=world.township_a, code="430721001004")
    good = roster_row(unit_code="430721001003", 任职时间=dt.date(2025, 1, 15))
    good["联系电话"] = 13800000000.0  # a number, as .xls stores every number
    rounded = roster_row(unit_code="430721001004")
    rounded["公民身份号码"] = float(rounded["公民身份号码"][:17] + "1")
    table = read_table(_roster_xls([good, rounded]), filename="roster.xls")
    assert (table.format, table.header_row, [r.number for r in table.rows]) == ("xls", 2, [3, 4])
    assert table.rows[0].values["任职时间"] == dt.date(2025, 1, 15)

    preview = roster_import_preview(user=world.staff_a, rows=table)
    assert [(e["row"], e["column"]) for e in preview.errors] == [(4, "公民身份号码")]
    [plan] = preview.plans
    assert plan.appointment.start_date == dt.date(2025, 1, 15)
    assert plan.person.phone == "13800000000"
