from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _due_soon_panel(request, dashboard):
    from training.selectors import training_due_soon

    return training_due_soon(user=request.user)


def _secretary_panel(request, dashboard):
    from training.selectors import secretary_training_panel

    return secretary_training_panel(request.user)


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self):
        from core.models import Job

        Job.register_kind("training.attendance_import", _("Attendance import"))
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
