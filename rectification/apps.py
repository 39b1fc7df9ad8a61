from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("Rectification")

    def ready(self):
        # Each part registers its review step, sweep, statuses, exports and navigation here
        # (assessment.review_steps, core.sweeps, core.status, core.exports, core.panels).
        from rectification.ready_ranking import ready_ranking

        ready_ranking()  # R-RCT-1/2/4: ranking, help and corrections
