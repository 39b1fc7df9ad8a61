"""R-STP-3: the forms page's export (core.exports) — the rows the page's filters show, every page of them."""
from core.exports import TableExport, register_export

STAFF_AND_SUPERVISORS = ("staff", "supervisor")


def _year(request) -> str:
    from stipends.views_elections import forms_year

    return str(forms_year(request))


def _rows(request):
    from stipends.views_elections import forms_for

    return forms_for(request)["rows"]


def _row(r) -> list:
    return [r.year, r.unit_name, r.unit_code, r.parent_name, r.person_name, r.is_retired, r.start_date,
            r.end_date, r.sector_label, r.form_label, "是" if r.recorded else "否（默认发放补贴）", r.note]


def register_election_exports() -> None:
    register_export(TableExport(
        name="stipend-forms", title="补贴发放形式", page="stipends:elections",
        template="stipends/elections/list.html",
        headers=("年度", "党支部", "组织代码", "上级党组织", "书记", "退休", "任职起始", "任职截止", "领域", "发放形式",
                 "已登记", "备注"),
        source=_rows, row=_row, roles=STAFF_AND_SUPERVISORS, stamp=_year,
    ))
