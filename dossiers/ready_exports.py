"""Wiring of the jurisdiction export (R-DOS-2): its job kind, its button, its clean-up."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MSG_CONFIRM = _("Export the {count} dossiers of {unit} and the units under it as one ZIP?")


def unit_export_action(*, request, obj):
    """The unit page's button: staff and supervisors whose subtree holds the unit (the page is scoped)."""
    from dossiers.services.access import PRINT_ROLES
    from dossiers.services.exports import export_count

    user = request.user
    if not (user.is_superuser or getattr(user, "role", None) in PRINT_ROLES):
        return None
    count = export_count(user=user, unit=obj)
    if not count:
        return None
    return {"label": _("Export dossiers (ZIP)"), "url": reverse("dossiers:export_start", args=[obj.pk]), "method": "post",
            "confirm": MSG_CONFIRM.format(count=count, unit=obj.name),
            "title": _("The term files of the {count} current secretaries here, built in the background "
                       "(R-DOS-2)").format(count=count)}


def ready_exports():
    from core.job_summaries import register_result_labels
    from core.models import Job
    from core.page_actions import register_page_action
    from dossiers.services.exports import KIND

    from django.conf import settings

    # Its parts may wait in the queue behind other work without a sign of life: a lease of its own (R-JOB-3).
    Job.register_kind(KIND, _("Dossier export"), lease_seconds=settings.ZHISHU_DOSSIER_EXPORT_LEASE_SECONDS)
    register_result_labels({"files": _("Dossiers in the ZIP"), "failed": _("Failed"), "total": _("People")})
    register_page_action("cadres.unit", "dossiers.export", unit_export_action, order=20)
    from core.panels import register_nav_item

    register_nav_item(label=_("Dossier exports"), url_name="dossiers:exports", roles=("staff", "supervisor"), order=85,
                      active_prefix="/dossiers/")
