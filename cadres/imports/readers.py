"""R-SEC-3: read the files organization departments really have — .xlsx, old .xls, CSV in UTF-8 or GBK.

A sheet is read into a ``Table``: the header row is found automatically (title rows
above it and notes rows under the data are skipped), and every data row keeps the row
number the user sees in Excel, so that each message can name it.
"""
import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.uploads import rows_bounded, upload_check_size, workbook_check

ERR_EMPTY_FILE = _("The file is empty.")
ERR_XLSX_UNREADABLE = _(
    "The file could not be read as an Excel workbook (.xlsx): {detail}. Open it in Excel and save it again as .xlsx."
)
ERR_XLS_UNREADABLE = _(
    "The file could not be read as an old Excel workbook (.xls): {detail}. "
    "It may be password-protected; save it again as .xlsx without a password."
)
ERR_NOT_EXCEL = _("The file is named {name} but is not an Excel workbook; save it again as .xlsx.")
ERR_CSV_ENCODING = _(
    "The CSV file is neither UTF-8 nor GBK/GB18030 text, so it could not be read. "
    "Save it again from Excel as “CSV UTF-8” or as .xlsx."
)
ERR_BINARY = _("The file is neither an Excel workbook (.xlsx, .xls) nor a CSV text file.")
ERR_NO_HEADER = _("No header row was found: the first rows must include the columns {columns}.")

FORMAT_XLSX, FORMAT_XLS, FORMAT_CSV = "xlsx", "xls", "csv"
KIND_ROSTER, KIND_UNITS, KIND_MEMBERS = "roster", "units", "members"

# R-MEM-1: the columns of a member-development sheet as counties type them (cadres.imports.members).
MEMBER_UNIT_HEADERS = ("组织代码", "单位代码", "党组织代码", "代码", "组织名称", "单位名称", "党组织名称",
                       "党支部名称", "支部名称", "名称", "村名")
MEMBER_YEAR_HEADERS = ("年度", "年份", "年", "统计年度", "发展年度")
MEMBER_COUNT_HEADERS = ("新发展党员数", "新发展党员数(人)", "新发展党员人数", "新发展党员", "发展党员数",
                        "发展党员数(人)", "发展党员人数", "发展党员", "新发展党员数(名)", "发展党员(人)")

# The header row of a kind is the first row holding all the columns of one of its sets.
HEADER_MARKERS = {
    KIND_ROSTER: (("姓名", "公民身份号码"), ("姓名", "身份证号码"), ("姓名", "身份证号")),
    KIND_UNITS: (("组织代码", "组织名称"),),
    KIND_MEMBERS: tuple((u, y, c) for u in MEMBER_UNIT_HEADERS for y in MEMBER_YEAR_HEADERS
                        for c in MEMBER_COUNT_HEADERS),
}
HEADER_MARKER_TEXT = {KIND_ROSTER: "姓名, 公民身份号码", KIND_UNITS: "组织代码, 组织名称",
                      KIND_MEMBERS: "组织名称（或组织代码）, 年度, 新发展党员数"}
# Only so many rows are searched for the header: a title, a 填报单位 row, a blank row or two.
HEADER_SEARCH_ROWS = 30
# A row starting with one of these is a note under the table (填表说明：…); reading stops there.
NOTES_ROW = re.compile(r"^\s*(填表说明|填报说明|说明\s*[:：]|注\s*[:：]|备注\s*[:：])")

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class SourceRow:
    number: int                      # the row number shown by Excel (for CSV: the line's record number)
    values: dict[str, Any]           # normalised header → raw cell value
    cells: list[Any]                 # the raw cells in column order, for the rejected-rows file


@dataclass
class Table:
    kind: str
    format: str
    encoding: str | None
    header_row: int
    headers: list[str]               # normalised headers, "" for a blank header cell
    raw_headers: list[Any]
    rows: list[SourceRow] = field(default_factory=list)
    sheet: str = ""

    def has_column(self, header: str) -> bool:
        return header in self.headers


def normalise_header(value) -> str:
    """``出生\\n年月 *`` → ``出生年月``: full-width forms folded, spaces and required-marks dropped."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\s*]+", "", text)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _detect_kind(headers: list[str], kinds) -> str | None:
    present = set(headers)
    for kind in kinds:
        if any(set(marker) <= present for marker in HEADER_MARKERS[kind]):
            return kind
    return None


def _table_from_rows(rows, *, kinds, fmt: str, encoding: str | None, sheet: str = "") -> Table | None:
    """Find the header in ``rows`` (an iterable of (number, cells)) and collect the data rows under it."""
    table = None
    for number, cells in rows:
        cells = list(cells)
        if table is None:
            if number > HEADER_SEARCH_ROWS:
                return None
            headers = [normalise_header(c) for c in cells]
            kind = _detect_kind(headers, kinds)
            if kind is not None:
                table = Table(kind=kind, format=fmt, encoding=encoding, header_row=number, headers=headers,
                              raw_headers=cells, sheet=sheet)
            continue
        if all(_blank(c) for c in cells):
            continue
        first = next(c for c in cells if not _blank(c))
        if isinstance(first, str) and NOTES_ROW.match(first):
            break
        width = len(table.headers)
        cells = (cells + [None] * width)[:width]
        values = {}
        for header, value in zip(table.headers, cells):
            if header and header not in values:
                values[header] = value
        table.rows.append(SourceRow(number=number, values=values, cells=cells))
    return table


def _sniff_format(data: bytes, filename: str) -> str:
    name = filename.lower()
    if data.startswith(_ZIP_MAGIC):
        return FORMAT_XLSX
    if data.startswith(_OLE2_MAGIC):
        return FORMAT_XLS
    if name.endswith((".xlsx", ".xlsm", ".xls", ".et")):
        raise ValidationError({"file": [ERR_NOT_EXCEL.format(name=filename)]})
    return FORMAT_CSV


def _xlsx_sheets(data: bytes):
    import openpyxl

    try:
        # Read-only: rows are streamed from the sheet XML, never all held as cell objects (R-SEC-3).
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — zip, XML and openpyxl errors all mean "unreadable"
        raise ValidationError({"file": [ERR_XLSX_UNREADABLE.format(detail=exc.__class__.__name__)]}) from None
    for sheet in workbook.worksheets:
        # A declared dimension that is too small (some exporters write "A1") must not cut rows off;
        # the row cap is applied while reading (core.uploads.rows_bounded).
        sheet.reset_dimensions()
        yield sheet.title, enumerate(sheet.iter_rows(values_only=True), start=1)


def _xls_cell(cell, datemode):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            value = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell.value
        return value.date() if value.time() == dt.time() else value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    return cell.value  # text as str; every number as float, as .xls stores it


def _xls_sheets(data: bytes):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # noqa: BLE001
        detail = str(exc) or exc.__class__.__name__
        raise ValidationError({"file": [ERR_XLS_UNREADABLE.format(detail=detail)]}) from None
    for sheet in book.sheets():
        rows = ((i + 1, [_xls_cell(c, book.datemode) for c in sheet.row(i)]) for i in range(sheet.nrows))
        yield sheet.name, rows


def decode_csv(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without the BOM Excel writes) first, then GBK's superset GB18030 (Chinese Excel's default)."""
    try:
        text = data.decode("utf-8-sig")
        return text, ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ValidationError({"file": [ERR_CSV_ENCODING]}) from None


def _csv_rows(data: bytes):
    if b"\x00" in data[:4096]:
        raise ValidationError({"file": [ERR_BINARY]})
    text, encoding = decode_csv(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return encoding, enumerate(reader, start=1)


def read_table(data: bytes, *, filename: str = "", kind: str | None = None) -> Table:
    """Read the first sheet holding a header of ``kind`` (or of any known kind when None).

    Raises ValidationError({"file": [...]}) naming the format or encoding that could not be read.
    """
    if not data:
        raise ValidationError({"file": [ERR_EMPTY_FILE]})
    kinds = (kind,) if kind else tuple(HEADER_MARKERS)
    name = filename or "?"
    upload_check_size(name=name, size=len(data))
    fmt = _sniff_format(data, filename)
    if fmt == FORMAT_CSV:
        encoding, rows = _csv_rows(data)
        table = _table_from_rows(rows_bounded(rows, name=name), kinds=kinds, fmt=fmt, encoding=encoding)
    else:
        if fmt == FORMAT_XLSX:
            workbook_check(data=data, name=name)  # before openpyxl opens it (R-SEC-3)
        sheets = _xlsx_sheets(data) if fmt == FORMAT_XLSX else _xls_sheets(data)
        table = None
        for title, rows in sheets:
            table = _table_from_rows(rows_bounded(rows, name=name, sheet=title), kinds=kinds, fmt=fmt,
                                     encoding=None, sheet=title)
            if table is not None:
                break
    if table is None:
        columns = " / ".join(HEADER_MARKER_TEXT[k] for k in kinds)
        raise ValidationError({"file": [ERR_NO_HEADER.format(columns=columns)]})
    return table
