"""R-RCT-1/4: the exports of the ranking and corrections pages (core.exports): what the page's filters show."""
from core.exports import TableExport, register_export

STAFF_AND_SUPERVISORS = ("staff", "supervisor")


def _year(request) -> str:
    from rectification.views_ranking import ranking_year

    return str(ranking_year(request))


def _ranking_rows(request):
    from rectification.views_ranking import ranking_for

    return ranking_for(request)["rows"]


def _ranking_row(r):
    from assessment.choices import Tier

    tiers = dict(Tier.choices)
    candidate = r["candidate"]
    return [r["rank"], r["name"], r["township"], float(r["composite_score"]) if r["composite_score"] is not None
            else None, str(tiers.get(r["tier"], "未定级")), str(candidate.get_state_display()) if candidate else "",
            candidate.reason if candidate else ""]


register_export(TableExport(
    name="bottom-ranking", title="倒排名单", page="rectification:ranking",
    template="rectification/ranking/ranking.html",
    headers=("倒排名次", "党支部", "乡镇（街道）", "综合得分", "等次", "候选状态", "理由"),
    source=_ranking_rows, row=_ranking_row, roles=STAFF_AND_SUPERVISORS, stamp=_year,
))


def _corrections_rows(request):
    from core.exports import list_view_source
    from rectification.views_corrections import CorrectionListView

    return list_view_source(CorrectionListView)(request)


register_export(TableExport(
    name="corrections", title="限期整改", page="rectification:corrections",
    template="rectification/corrections/list.html",
    headers=("党支部", "书记", "考核年度", "整改要求", "整改期限", "状态", "提出调整的原因"),
    source=_corrections_rows,
    row=lambda o: [o.unit.name, o.person.name, o.year, o.requirement, o.deadline, str(o.get_state_display()),
                   str(o.get_cause_display()) if o.cause else ""],
))
