from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _due_soon_panel(request, dashboard):
    from training.selectors import training_due_soon

    return training_due_soon(user=request.user)


def _secretary_panel(request, dashboard):
    from training.selectors import secretary_training_panel

    return secretary_training_panel(request.user)


def _register_statuses():
    """Every status of training in its colour (core.status): one tone for each compliance status."""
    from core.status import register_status
    from training.choices import ComplianceStatus as S

    register_status("training.compliance", S, {
        S.DONE_ON_TIME: "green", S.MET: "teal", S.IN_PROGRESS: "blue", S.PENDING: "indigo", S.FLAGGED: "violet",
        S.DUE: "amber", S.DONE_LATE: "orange", S.OVERDUE: "red", S.NOT_MET: "crimson", S.NOT_MEASURED: "grey"})
    register_status("training.attendance", [("completed", _("Completed")), ("not_completed", _("Not completed"))],
                    {"completed": "green", "not_completed": "amber"})


def _register_job_summaries():
    from core.job_summaries import register_job_summary

    register_job_summary("training.attendance_import", template_name="training/job_summaries/attendance_import.html")


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from core.models import Job

        Job.register_kind("training.attendance_import", _("Attendance import"))
        _register_statuses()
        _register_job_summaries()
        from cadres.demo import demo_seeded
        from core.panels import register_nav_item, register_panel
        from training.demo import seed_training

        demo_seeded.connect(seed_training, dispatch_uid="training.demo.seed_training")

        register_nav_item(label=_("Training"), url_name="training:compliance", roles=("staff", "supervisor"),
                          order=40, active_prefix="/training/")
        register_nav_item(label=_("My training"), url_name="training:my-training", roles=("secretary",),
                          order=40, active_prefix="/training/")

        register_panel(template_name="training/panels/due_soon.html", context_func=_due_soon_panel,
                       roles=("staff", "supervisor"), order=30)
        register_panel(template_name="training/panels/deadlines.html", context_func=_secretary_panel,
                       roles=("secretary",), order=30)

        from training.exports import register_training_exports

        register_training_exports()

        from core.sweeps import register_sweep
        from training.services.deadlines import initial_training_sweep

        register_sweep("training.initial", initial_training_sweep, label=_("Initial training deadlines"), order=10)

        from core.notice_kinds import register_notice_kind
        from training.services.deadlines import NOTICE_KIND_DUE, NOTICE_KIND_OVERDUE

        register_notice_kind(NOTICE_KIND_DUE, _("Initial training due"))
        register_notice_kind(NOTICE_KIND_OVERDUE, _("Initial training overdue"))
