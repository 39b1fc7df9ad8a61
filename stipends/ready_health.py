"""Start-up of the health-check part (R-STP-5/6): its review step, statuses, exports, person section and demo."""
from django.utils.translation import gettext_lazy as _


def ready_health() -> None:
    from assessment.review_steps import register_review_step
    from stipends.services.health import health_refresh_for_cycle

    # R-JOB-1: after classifying (and after the sheets), the review refreshes the eligible list.
    register_review_step("stipends.health", health_refresh_for_cycle,
                         label=_("Refreshing the health-check eligible list"), order=30)
    _register_statuses()
    _register_exports()
    from cadres.person_sections import register_person_section
    from stipends.views_health import person_health_section

    register_person_section("stipends.health", template_name="stipends/health/person_section.html",
                            context_func=person_health_section, order=60)
    from cadres.demo import demo_seeded
    from stipends.demo_health import seed_health

    demo_seeded.connect(seed_health, dispatch_uid="stipends.demo_health.seed_health")


def _register_statuses() -> None:
    from core.status import register_model_status, register_status
    from stipends.choices import HealthCheckBasis, HealthCheckKind
    from stipends.models import HealthCheck
    from stipends.views_health import STATE_DECIDED, STATE_DONE, STATE_WAITING, STATES

    register_model_status(HealthCheck, "kind", {HealthCheckKind.CHECK: "blue", HealthCheckKind.RECUPERATION: "teal"})
    register_model_status(HealthCheck, "basis", {HealthCheckBasis.ELIGIBLE: "green",
                                                 HealthCheckBasis.DECISION: "violet"})
    register_status("stipends.health_state", STATES, {STATE_WAITING: "amber", STATE_DECIDED: "blue",
                                                      STATE_DONE: "green"})


def _register_exports() -> None:
    from core.exports import TableExport, list_view_source, register_export
    from stipends.views_health import STATES, EligibleListView, entitlement_state

    labels = dict(STATES)

    def row(e):
        lasted = e.explanation.get("lasted", {})
        check = getattr(e, "health_check", None)
        return [e.person.name, e.unit.name, e.unit.code, e.year, e.period_start, e.qualified_on,
                lasted.get("years"), lasted.get("months"), "、".join(str(y) for y in e.good_years),
                labels[entitlement_state(e)], check.done_on if check else None]

    register_export(TableExport(
        name="health-eligible", title="体检资格名单", page="stipends:health_eligible",
        template="stipends/health/eligible.html",
        headers=("姓名", "党支部", "组织代码", "首次符合年度", "连续任职起始日期", "符合条件日期", "连续任职年数",
                 "另加月数", "评为“好”的年度", "体检情况", "体检日期"),
        source=list_view_source(EligibleListView), row=row,
        stamp=_stamp))


def _stamp(request) -> str:
    """The year asked for in the file name (digits only: it goes into a header), else today's date."""
    import datetime as dt
    import re

    year = request.GET.get("year") or ""
    return year if re.fullmatch(r"[0-9]{4}", year) else dt.date.today().strftime("%Y%m%d")
