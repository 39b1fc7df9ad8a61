from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _keep_samples_closed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata
        return
    from assessment.services.evaluations import evaluation_samples_keep_closed

    evaluation_samples_keep_closed(cycle=instance)


def _secretary_panel(request, dashboard):
    from assessment.selectors import secretary_assessment_panel

    return secretary_assessment_panel(user=request.user)


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Annual assessment")

    def ready(self):
        from django.db.models.signals import pre_delete, pre_save

        from assessment.models import AssessmentCycle
        from core.models import Job

        # R-ASM-3: a cycle's change (page, API, admin) or deletion never reopens a closed sample.
        pre_save.connect(_keep_samples_closed, sender=AssessmentCycle, dispatch_uid="assessment.keep_closed.save")
        pre_delete.connect(_keep_samples_closed, sender=AssessmentCycle, dispatch_uid="assessment.keep_closed.del")

        Job.register_kind("annual_review", _("Annual review"))
        from assessment.demo import seed_assessment
        from cadres.demo import demo_seeded
        from core.panels import register_nav_item, register_panel

        register_panel(template_name="assessment/panels/my_duty_report.html", context_func=_secretary_panel,
                       roles=("secretary",), order=20)

        demo_seeded.connect(seed_assessment, dispatch_uid="assessment.demo.seed_assessment")

        register_nav_item(label=_("Assessment"), url_name="assessment:cycles", roles=("staff", "supervisor"),
                          order=50, active_prefix="/assessment/")
        register_nav_item(label=_("Duty report"), url_name="assessment:duty_reports", roles=("secretary",),
                          order=50, active_prefix="/assessment/duty-reports/")
        register_nav_item(label=_("My assessment"), url_name="assessment:classifications", roles=("secretary",),
                          order=55, active_prefix="/assessment/classifications/")

        from assessment.exports import register_assessment_exports

        register_assessment_exports()
