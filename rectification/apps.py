from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _register_statuses():
    """Every status of rectification in its colour (core.status)."""
    from core.status import register_model_status
    from rectification.choices import CaseState, TaskState
    from rectification.models import RectificationCase, RectificationTask

    register_model_status(RectificationCase, "state", {CaseState.OPEN: "amber", CaseState.CLOSED: "green"})
    register_model_status(RectificationTask, "state", {TaskState.OPEN: "blue", TaskState.DONE: "green"})
    # CaseEvent.kind (12 kinds, 10 tones) is shown as its label in the history, not as a tag.


def _cases_panel(request, dashboard):
    from rectification.selectors import dashboard_panel

    return dashboard_panel(user=request.user)


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("Rectification")

    def ready(self):
        # Each part registers its review step, sweep, statuses, exports and navigation here
        # (assessment.review_steps, core.sweeps, core.status, core.exports, core.panels).
        # --- ranking, help and corrections (R-RCT-1/2/4); first, so that the demo's confirmed
        # weak-and-lax case exists when the cases' demo gives every case its lists ---
        from rectification.ready_ranking import ready_ranking

        ready_ranking()
        # --- cases, tasks and the ledger (R-RCT-1/3/5) ---
        _register_statuses()
        from cadres.demo import demo_seeded
        from core.panels import register_nav_item, register_panel
        from core.sweeps import register_sweep
        from rectification.demo import seed_cases
        from rectification.exports import register_case_exports
        from rectification.sweeps import rectification_task_sweep

        register_sweep("rectification.tasks", rectification_task_sweep, label=_("Rectification task deadlines"),
                       order=40)
        register_nav_item(label=_("Rectification"), url_name="rectification:ledger", roles=("staff", "supervisor"),
                          order=60, active_prefix="/rectification/")
        register_panel(template_name="rectification/panels/cases.html", context_func=_cases_panel,
                       roles=("staff", "supervisor"), order=40)
        register_case_exports()
        from cadres.person_sections import register_person_section
        from rectification.views_help import person_help_section

        register_person_section("rectification.help", template_name="rectification/person_help.html",
                                context_func=person_help_section, order=50)
        from core.notice_kinds import register_notice_kind
        from rectification.services.corrections import NOTICE_DUE, NOTICE_PROPOSED
        from rectification.sweeps import NOTICE_KIND_DUE, NOTICE_KIND_OVERDUE

        register_notice_kind(NOTICE_KIND_DUE, _("Rectification task due"))
        register_notice_kind(NOTICE_KIND_OVERDUE, _("Rectification task overdue"))
        register_notice_kind(NOTICE_DUE, _("Correction deadline near"))
        register_notice_kind(NOTICE_PROPOSED, _("Adjustment of a secretary proposed"))
        # After assessment's demo (seed_assessment is connected first: assessment's ready() runs earlier).
        demo_seeded.connect(seed_cases, dispatch_uid="rectification.demo.seed_cases")
