"""Training's table exports (issue 8 item 4): courses, the compliance report and the due-soon list.

Rows come from the pages' own code (``CourseListView``'s queryset, ``compliance_report_for``,
``due_soon_rows``), so a file holds what the page's filters show.
"""
import datetime as dt

from core.choices import Role
from core.exports import TableExport, list_view_source, register_export


def register_training_exports() -> None:
    from training import views

    register_export(TableExport(
        name="courses", title="培训班次", page="training:course-list", template="training/course_list.html",
        headers=("课程代码", "课程名称", "类别", "主办单位", "开始日期", "结束日期", "学时", "培训内容"),
        source=list_view_source(views.CourseListView),
        row=lambda c: [c.code, c.name, c.get_kind_display(), c.organiser.name, c.start_date, c.end_date,
                       float(c.hours) if c.hours is not None else None,
                       "、".join(str(x) for x in c.get_content_categories_display())],
    ))
    register_export(TableExport(
        name="compliance", title="培训达标情况", page="training:compliance", template="training/compliance.html",
        headers=views.COMPLIANCE_HEADERS,
        source=lambda request: views.compliance_report_for(request)[1]["rows"],
        row=views.compliance_export_row,
        stamp=lambda request: str(views.compliance_report_for(request)[0].params()["year"]),
    ))
    register_export(TableExport(
        name="due-soon", title="初任培训到期提醒", page="training:due-soon", template="training/due_soon.html",
        headers=("情况", "姓名", "所在党组织", "初任培训截止"),
        source=views.due_soon_rows,
        row=lambda t: [t[0], t[1].person.name, t[1].unit.name, t[1].initial.deadline],
        roles=(Role.STAFF, Role.SUPERVISOR),
        stamp=lambda request: dt.date.today().strftime("%Y%m%d"),
    ))
