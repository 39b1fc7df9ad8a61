"""R-SEC-3: a rejected import offers its rows back as a file, with the error beside each, to fix and upload again.

The file keeps the original header row, so it is read again like the original; the extra
column 错误说明 is ignored on upload. Cells with an error are shaded.
"""
import datetime as dt
import io
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from cadres.imports.readers import Table
from core.services.exports import safe_row

ERRORS_HEADER = "错误说明"
# Written as text so that Excel does not turn them into rounded numbers when the user edits them.
TEXT_HEADERS = {"公民身份号码", "身份证号码", "身份证号", "组织代码", "上级组织代码", "联系电话"}
_ERROR_FILL = PatternFill(fill_type="solid", start_color="FFF4CCCC", end_color="FFF4CCCC")


def rejected_rows_xlsx(*, table: Table, errors: list[dict]) -> bytes:
    """Only the rows with errors, in their original columns, plus 错误说明 naming row, column and message."""
    by_row: dict[int, list[dict]] = defaultdict(list)
    for error in errors:
        by_row[error["row"]].append(error)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "待修改"
    headers = [h if h is not None else "" for h in table.raw_headers]
    sheet.append([*headers, ERRORS_HEADER])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    text_columns = [i for i, h in enumerate(table.headers, start=1) if h in TEXT_HEADERS]
    header_index = {h: i for i, h in enumerate(table.headers, start=1) if h}

    out_row = 1
    for row in table.rows:
        row_errors = by_row.get(row.number)
        if not row_errors:
            continue
        out_row += 1
        explanation = "；".join(
            f"第{row.number}行 {e['column']}：{e['message']}" if e.get("column") else f"第{row.number}行：{e['message']}"
            for e in row_errors
        )
        sheet.append(safe_row([*row.cells, explanation]))
        for col in text_columns:
            cell = sheet.cell(row=out_row, column=col)
            cell.number_format = "@"
        for col, value in enumerate(row.cells, start=1):
            if isinstance(value, (dt.date, dt.datetime)):
                sheet.cell(row=out_row, column=col).number_format = "yyyy-mm-dd"
        for e in row_errors:
            col = header_index.get(e.get("column") or "")
            if col:
                sheet.cell(row=out_row, column=col).fill = _ERROR_FILL
    for col in range(1, len(headers) + 2):
        sheet.column_dimensions[get_column_letter(col)].width = 14
    sheet.column_dimensions[get_column_letter(len(headers) + 1)].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
