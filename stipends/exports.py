"""R-STP-4: a stipend sheet as an Excel file — Chinese headers, every line, a subtotal per township and the
grand total, which equals the sheet's total (workload credits are listed but not money, R-STP-3)."""
from decimal import Decimal

from assessment.choices import Tier
from core.exports import rows_xlsx
from core.services.exports import safe_row

from .choices import StipendForm
from .models import StipendSheet
from .selectors import PERIOD_UNITS, REGIME_LABELS, ZERO, line_display, sheet_lines

HEADERS = ("乡镇（街道）", "党支部", "书记", "计算方式", "基数", "基数单位", "乡镇总额", "等次", "系数",
           "任职月数", "发放形式", "金额（元）", "暂定", "未达保底", "说明")
CORRECTION_HEADERS = ("更正前金额（元）", "差额（元）")
SUBTOTAL = "{name} 小计"
GRAND_TOTAL = "合计"


def sheet_export_title(sheet: StipendSheet) -> str:
    return f"补贴发放表-{sheet.unit.name}-{sheet.year}-第{sheet.version}版"


def sheet_export_rows(*, sheet: StipendSheet) -> tuple[list[list], Decimal, int]:
    """The rows of the file, the grand total and the number of lines; two queries (lines, nothing else)."""
    tiers = dict(Tier.choices)
    rows: list[list] = []
    correction = bool(sheet.previous_id)
    current_township, subtotal, grand, count = object(), ZERO, ZERO, 0

    def close(name):
        row = [SUBTOTAL.format(name=name or "—"), *[""] * 10, subtotal, "", "", ""]
        rows.append(row + (["", ""] if correction else []))

    township_name = None
    for line in sheet_lines(sheet=sheet).iterator(chunk_size=2000):
        if line.township_id != current_township:
            if count:
                close(township_name)
            current_township, township_name, subtotal = line.township_id, (
                line.township.name if line.township else ""), ZERO
        shown = line_display(line, sheet=sheet)
        money = line.form == StipendForm.MONEY
        amount = line.amount if money else None
        if money:
            subtotal += line.amount
            grand += line.amount
        count += 1
        row = [
            township_name, line.unit.name, line.person.name, str(REGIME_LABELS.get(line.regime, line.regime)),
            line.base_amount, str(PERIOD_UNITS.get(line.base_period, "")) if line.base_period else "",
            line.pool_amount, str(tiers.get(line.tier, "")) if line.tier else shown["tier_label"],
            Decimal(shown["coefficient"]), line.months, shown["form_label"], amount, line.provisional,
            "、".join(shown["flags"]), shown["formula"] or "",
        ]
        if correction:
            row += [line.previous_amount, shown["difference"] if money else None]
        rows.append(row)
    if count:
        close(township_name)
    rows.append([GRAND_TOTAL, *[""] * 10, grand, "", "", ""] + (["", ""] if correction else []))
    return rows, grand, count


def sheet_export_xlsx(*, sheet: StipendSheet) -> tuple[bytes, int]:
    rows, _total, count = sheet_export_rows(sheet=sheet)
    headers = HEADERS + (CORRECTION_HEADERS if sheet.previous_id else ())
    content = rows_xlsx(title=f"{sheet.year}第{sheet.version}版", headers=headers,
                        rows=[safe_row(r) for r in rows])
    return content, count
