"""What the sheet pages register at start-up: navigation, the sheet's state colours, the build job's summary."""
from django.utils.translation import gettext_lazy as _


def _build_headline(result: dict) -> str:
    return str(_("{lines} lines, total {total} yuan")).format(lines=result.get("lines", 0),
                                                             total=result.get("total", "0.00"))


def _build_level(result: dict) -> str:
    return "warning" if result.get("floors_not_met") or result.get("provisional") else "ok"


def ready_sheet_pages() -> None:
    from core.job_summaries import register_job_summary
    from core.panels import register_nav_item
    from core.status import register_model_status
    from stipends.choices import SheetState
    from stipends.models import StipendSheet
    from stipends.services.sheets import JOB_KIND_BUILD

    register_model_status(StipendSheet, "state", {SheetState.DRAFT: "amber", SheetState.APPROVED: "green",
                                                  SheetState.SUPERSEDED: "grey"})
    register_nav_item(label=_("Stipends"), url_name="stipends:sheets", roles=("staff", "supervisor"), order=70,
                      active_prefix="/stipends/")
    register_nav_item(label=_("My stipend"), url_name="stipends:mine", roles=("secretary",), order=70,
                      active_prefix="/stipends/mine/")
    register_job_summary(JOB_KIND_BUILD, template_name="stipends/sheets/job_summary.html",
                         level_func=_build_level, headline_func=_build_headline)
