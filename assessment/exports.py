"""The assessment's table exports (issue 8 item 4): duty reports, evaluations, indicator templates, scores,
listings, classifications, honours, calibration and upgrade targets.

Rows come from the pages' own code (the list views' ``get_queryset()``, the selectors the report pages
call with the page's year), so a file holds what the page's filters show. The exports name no ID number.
"""
from core.exports import TableExport, list_view_source, register_export

TIER_HEADERS = ("好", "较好", "一般", "较差", "未定级")


def _year_stamp(request) -> str:
    from assessment.views import _year

    return str(_year(request))


def _percent(value):
    return None if value is None else round(float(value) * 100, 1)


def register_assessment_exports() -> None:
    from assessment import views
    from assessment.models import BranchScore
    from assessment.selectors import calibration, evaluation_aggregates

    staff_and_supervisors = views.STAFF_AND_SUPERVISORS

    register_export(TableExport(
        name="duty-reports", title="述职报告", page="assessment:duty_reports",
        template="assessment/duty_report_list.html",
        headers=("年度", "党支部", "组织代码", "书记", "状态", "更新时间"),
        source=list_view_source(views.DutyReportListView),
        row=lambda r: [r.year, r.unit.name, r.unit.code, r.person.name, r.get_state_display(), r.updated_at],
        stamp=_year_stamp,
    ))

    def evaluation_source(request):
        samples = list(list_view_source(views.EvaluationListView)(request))
        aggs = evaluation_aggregates(samples=samples)
        return [(s, aggs[s.pk]) for s in samples]

    register_export(TableExport(
        name="evaluations", title="民主测评", page="assessment:evaluations",
        template="assessment/evaluation_list.html",
        headers=("党支部", "组织代码", "党员人数", "抽样人数", "有效票数", "满意率（%）", "说明"),
        source=evaluation_source,
        row=lambda t: [t[0].unit.name, t[0].unit.code, t[0].member_count, t[0].sample_size, t[1]["answers"],
                       t[1]["satisfaction"], "" if t[1]["shown"] else str(t[1]["reason"] or "")],
        stamp=_year_stamp,
    ))

    def template_source(request):
        templates = list_view_source(views.IndicatorTemplateListView)(request)
        return [(t, i) for t in templates for i in t.indicators.all()]

    register_export(TableExport(
        name="indicator-templates", title="考核指标模板", page="assessment:templates",
        template="assessment/template_list.html",
        headers=("年度", "模板名称", "制定单位", "指标", "权重", "满分"),
        source=template_source,
        row=lambda t: [t[0].year, t[0].name, t[0].unit.name, t[1].name, float(t[1].weight), float(t[1].max_score)],
        stamp=_year_stamp,
    ))

    def score_source(request):
        units = list_view_source(views.ScoreListView)(request)
        year = views._year(request)
        scores = dict(BranchScore.objects.filter(unit__in=units, year=year).values_list("unit_id", "superior_score"))
        return [(u, scores.get(u.pk)) for u in units]

    register_export(TableExport(
        name="scores", title="上级评分", page="assessment:scores", template="assessment/score_list.html",
        headers=("党支部", "组织代码", "上级评分"),
        source=score_source,
        row=lambda t: [t[0].name, t[0].code, float(t[1]) if t[1] is not None else None],
        roles=staff_and_supervisors, stamp=_year_stamp,
    ))
    register_export(TableExport(
        name="listings", title="负面清单和软弱涣散党组织", page="assessment:listings",
        template="assessment/listing_list.html",
        headers=("年度", "党支部", "组织代码", "名单", "原因", "列入人", "列入时间"),
        source=list_view_source(views.ListingListView),
        row=lambda x: [x.year, x.unit.name, x.unit.code, x.get_kind_display(), x.reason,
                       x.created_by.username if x.created_by else "", x.created_at],
        stamp=_year_stamp,
    ))
    register_export(TableExport(
        name="classifications", title="分类定级", page="assessment:classifications",
        template="assessment/classification_list.html",
        headers=("年度", "党支部", "组织代码", "综合得分", "等次", "星级"),
        source=list_view_source(views.ClassificationListView),
        row=lambda c: [c.year, c.unit.name, c.unit.code,
                       float(c.composite_score) if c.composite_score is not None else None,
                       c.get_tier_display() if c.tier else "未定级", c.stars],
        stamp=_year_stamp,
    ))

    def honour_source(request):
        context = views._honours_context(request, views._year(request))
        return context["people_honours"] + context["red_flags"]

    register_export(TableExport(
        name="honours", title="评优表彰", page="assessment:honours", template="assessment/honour_list.html",
        headers=("年度", "荣誉", "姓名", "党支部", "组织代码", "级别", "阶段", "疗休养天数", "状态", "撤销原因"),
        source=honour_source,
        row=lambda h: [h.year, h.get_kind_display(), h.person.name if h.person else "", h.unit.name, h.unit.code,
                       h.get_level_display(), h.get_stage_display() if h.kind == "red_flag" else "",
                       h.recuperation_days, "已撤销" if h.is_withdrawn else "有效", h.withdrawn_reason],
        stamp=_year_stamp,
    ))

    def calibration_source(request):
        data = calibration(user=request.user, year=views._year(request))
        return [("按乡镇", r) for r in data["by_township"]] + [("按领域", r) for r in data["by_sector"]]

    def calibration_row(t):
        counts = {cell["tier"]: cell["count"] for cell in t[1]["tiers"]}
        return [t[0], t[1]["label"], t[1]["total"], *(counts.get(k, 0) for k in
                                                      ("good", "fairly_good", "average", "poor", ""))]

    register_export(TableExport(
        name="calibration", title="分类定级校准", page="assessment:calibration",
        template="assessment/calibration.html",
        headers=("分组", "名称", "党支部数", *TIER_HEADERS),
        source=calibration_source, row=calibration_row, roles=staff_and_supervisors, stamp=_year_stamp,
    ))
    register_export(TableExport(
        name="upgrade-targets", title="晋位升级目标", page="assessment:upgrade_targets",
        template="assessment/upgrade_targets.html",
        headers=("上年等次", "党支部数", "已晋位", "实际比例（%）", "目标比例（%）", "是否达标", "差额",
                 "未达标的党支部"),
        source=lambda request: views.upgrade_targets_for(request)["groups"],
        row=lambda g: [g["label"], g["count"], g["achieved"], g["actual_pct"], g["target_pct"], g["met"], g["gap"],
                       "、".join(f"{b['name']}（{b['tier_label'] or '未定级'}）" for b in g["behind_labels"])],
        roles=staff_and_supervisors, stamp=_year_stamp,
    ))
