"""The rectification ledger's export (issue 8 item 4): the rows the ledger page's filters show."""
from django.utils import timezone

from core.exports import TableExport, list_view_source, register_export


def register_case_exports() -> None:
    from rectification import views
    from rectification.selectors import case_age_days

    today = timezone.localdate

    register_export(TableExport(
        name="rectification-ledger", title="整顿台账", page="rectification:ledger",
        template="rectification/ledger.html",
        headers=("年度", "党支部", "组织代码", "立案原因", "状态", "立案日期", "销号日期", "整顿天数",
                 "任务数", "已完成", "逾期"),
        source=list_view_source(views.LedgerView),
        row=lambda c: [c.year, c.unit.name, c.unit.code, "、".join(c.origin_labels), c.get_state_display(),
                       c.opened_at, c.closed_at, case_age_days(c, today=today()), c.tasks_total, c.tasks_done,
                       c.tasks_overdue],
    ))
