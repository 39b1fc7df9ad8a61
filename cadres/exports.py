"""The registry's table exports (issue 8 item 4): each list and report page's rows as .xlsx / CSV.

Registered from ``CadresConfig.ready()``; the rows come from the pages' own code (``list_view_source``
or the ``*_rows`` functions the report views call), so a file holds what the page's filters show.
ID numbers and phones are masked for everyone (R-SEC-1): the unmasked export, logged, is the import
page's (``cadres:export-people`` with ``?reveal=``).
"""
import datetime as dt

from core.exports import TableExport, list_view_source, register_export


def _age(person, on_date):
    from cadres.selectors import age_on

    return age_on(person.birth_date, on_date) if person.birth_date else None


def register_cadres_exports() -> None:
    from cadres import views

    register_export(TableExport(
        name="people", title="人员", page="cadres:people", template="cadres/person_list.html",
        headers=("姓名", "性别", "出生日期", "公民身份号码", "联系电话", "所在党组织", "组织代码", "学历",
                 "现任书记"),
        source=list_view_source(views.PersonListView),
        row=lambda p: [p.name, p.get_gender_display(), p.birth_date, p.masked_id_number, p.masked_phone,
                       p.unit.name, p.unit.code, p.get_education_display(), p.is_current_secretary],
    ))
    register_export(TableExport(
        name="appointments", title="任职", page="cadres:appointments", template="cadres/appointment_list.html",
        headers=("姓名", "公民身份号码", "所在党组织", "组织代码", "职务", "任职时间", "任期届满时间", "离任时间",
                 "离任原因", "产生方式", "来源", "应到选举人数", "实到选举人数", "得票数", "是否专职",
                 "是否双带头人"),
        source=list_view_source(views.AppointmentListView),
        row=lambda a: [a.person.name, a.person.masked_id_number, a.unit.name, a.unit.code, a.get_role_display(),
                       a.start_date, a.planned_end_date, a.end_date, a.get_end_reason_display() if a.end_date else "",
                       a.get_selection_method_display(), a.get_source_channel_display(), a.eligible_voters,
                       a.votes_cast, a.votes_for, a.is_full_time, a.is_dual_leader],
    ))
    register_export(TableExport(
        name="reserves", title="后备人选库", page="cadres:reserves", template="cadres/reserve_list.html",
        headers=("姓名", "公民身份号码", "所在党组织", "组织代码", "领域", "纳入时间", "状态", "培养计划"),
        source=list_view_source(views.ReserveListView),
        row=lambda r: [r.person.name, r.person.masked_id_number, r.unit.name, r.unit.code, r.get_sector_display(),
                       r.added_on, r.get_status_display(), r.cultivation_plan],
    ))
    register_export(TableExport(
        name="reserve-coverage", title="后备人选覆盖情况", page="cadres:report_reserve_coverage",
        template="cadres/report_reserve_coverage.html",
        headers=("组织代码", "村党组织", "在培养后备人选", "应有后备人选"),
        source=lambda request: views.reserve_coverage_rows(request)[1]["lacking"],
        row=lambda row: [row["unit"].code, row["unit"].name, row["reserves"], row["required"]],
        stamp=lambda request: str(views._year(request)),
    ))

    def under_35_source(request):
        _form, on_date, _ledger, leaders, reserves = views.under_35_rows(request)
        return [("村干部", a.person, a.unit, a.get_role_display(), None, a.age) for a in leaders] + [
            ("后备人选", r.person, r.unit, "", r.added_on, r.age) for r in reserves]

    def under_35_stamp(request):
        return views.under_35_rows(request)[1].strftime("%Y%m%d")

    register_export(TableExport(
        name="under-35", title="青年村干部台账", page="cadres:report_under_35",
        template="cadres/report_under_35.html",
        headers=("类别", "姓名", "所在党组织", "职务", "纳入后备时间", "出生日期", "年龄"),
        source=under_35_source,
        row=lambda t: [t[0], t[1].name, t[2].name, t[3], t[4], t[1].birth_date, t[5]],
        stamp=under_35_stamp,
    ))
    today = dt.date.today
    register_export(TableExport(
        name="talent-pool", title="党务人才库", page="cadres:report_talent_pool",
        template="cadres/report_talent_pool.html",
        headers=("姓名", "所在党组织", "领域", "年龄", "学历", "专业类型", "现任书记"),
        source=lambda request: views.talent_pool_rows(request)[2],
        row=lambda p: [p.name, p.unit.name, p.unit.get_sector_display(), _age(p, today()),
                       p.get_education_display(), p.get_specialty_display(), p.is_current_secretary],
    ))
    from cadres import views_talks

    register_export(TableExport(
        name="talks", title="谈心谈话记录", page="cadres:talks", template="cadres/talk_list.html",
        headers=("谈话日期", "姓名", "所在党组织", "组织代码", "谈话类型", "谈话人", "谈话人职务", "谈话内容"),
        source=list_view_source(views_talks.TalkListView),
        row=lambda t: [t.date, t.person.name, t.unit.name, t.unit.code, t.get_kind_display(), t.talker_name,
                       t.talker_position, t.notes],
    ))
    register_export(TableExport(
        name="talks-due", title="应谈未谈情况", page="cadres:talks_due", template="cadres/talks_due.html",
        headers=("姓名", "所在党组织", "组织代码", "事项", "上次谈话日期", "应谈日期", "间隔（月）", "说明", "规则"),
        source=lambda request: views_talks.talks_due_rows(request)[3],
        row=lambda r: [r.person.name, r.unit.name, r.unit.code, r.requirement_label, r.last_talk_date, r.due_date,
                       r.interval_months, r.reason, r.rule],
        stamp=lambda request: views_talks.talks_due_rows(request)[2].strftime("%Y%m%d"),
    ))
    register_export(TableExport(
        name="units", title="党组织查询结果", page="cadres:units", template="cadres/units_search.html",
        headers=("组织代码", "组织名称", "层级", "领域"),
        source=views.units_search_results,
        row=lambda u: [u.code, u.name, u.get_level_display(), u.get_sector_display()],
    ))

    from cadres import views_members

    state_labels = {"flagged": "连续未发展党员", "not_recorded": "未填报", "ok": "正常", "not_judged": "非村党组织"}
    register_export(TableExport(
        name="member-development", title="发展党员情况", page="cadres:member_development",
        template="cadres/member_development.html",
        headers=("组织代码", "党组织", "领域", "年度", "各年新发展党员数", "状态", "判断年份"),
        source=lambda request: views_members.member_development_rows(request)["statuses"],
        row=lambda s: [s.unit.code, s.unit.name, s.unit.get_sector_display(), s.year,
                       views_members.status_years_text(s), state_labels[s.state],
                       "、".join(f"{y}年" for y in s.window)],
        stamp=lambda request: str(views._year(request)),
    ))
