"""Start-up of the health-check part (R-STP-5/6): its review step, statuses, exports, person section and demo."""
from django.utils.translation import gettext_lazy as _


def ready_health() -> None:
    from assessment.review_steps import register_review_step
    from stipends.services.health import health_refresh_for_cycle

    # R-JOB-1: after classifying (and after the sheets), the review refreshes the eligible list.
    register_review_step("stipends.health", health_refresh_for_cycle,
                         label=_("Refreshing the health-check eligible list"), order=30)
