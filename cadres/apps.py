from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _register_statuses():
    """Every status of the registry in its colour (core.status)."""
    from cadres.choices import ReserveStatus
    from cadres.models import ReserveCandidate
    from core.status import register_model_status, register_status

    register_model_status(ReserveCandidate, "status", {ReserveStatus.CULTIVATING: "blue",
                                                       ReserveStatus.APPOINTED: "green",
                                                       ReserveStatus.WITHDRAWN: "grey"})
    register_status("cadres.appointment", [("current", _("current")), ("ended", _("ended"))],
                    {"current": "green", "ended": "grey"})
    register_status("cadres.member_development", [
        ("flagged", _("Flagged: no new member")), ("not_recorded", _("Not recorded")),
        ("ok", _("Developing members")), ("not_judged", _("Not a village branch"))],
        {"flagged": "red", "not_recorded": "amber", "ok": "green", "not_judged": "grey"})
    register_status("cadres.import_action", [("create", _("new")), ("update", _("update")),
                                             ("unchanged", _("unchanged"))],
                    {"create": "blue", "update": "amber", "unchanged": "grey"})
    # R-TLK-1: the due list's tag per requirement (a missing occasion's talk, or the regular one overdue)
    from cadres.selectors_talks import REQUIREMENT_LABELS

    register_status("cadres.talk_due", list(REQUIREMENT_LABELS.items()),
                    {"overdue": "red", "appointment": "amber", "departure": "violet", "annual_assessment": "orange",
                     "reappointment": "indigo", "regular": "blue"})


def _register_job_summaries():
    """The imports' and the demo seed's results in Chinese on the job page (core.job_summaries)."""
    from core.job_summaries import register_job_summary, register_result_labels

    register_result_labels({
        "people_created": _("People added"), "people_updated": _("People updated"),
        "appointments_created": _("Appointments added"), "appointments_updated": _("Appointments updated"),
        "reserves_closed": _("Reserve entries closed"), "units_created": _("Organisations added"),
        "units": _("Organisations"), "branches": _("Branches"), "people": _("People"),
        "appointments": _("Appointments"), "reserve_candidates": _("Reserve candidates"),
    })
    for kind in ("import_roster", "import_units", "seed_demo"):
        register_job_summary(kind, template_name="core/job_summaries/generic.html")


def register_job_summary_members():
    from core.job_summaries import register_job_summary, register_result_labels

    register_result_labels({"members_created": _("Years recorded"), "members_updated": _("Years corrected")})
    register_job_summary("import_members", template_name="core/job_summaries/generic.html")


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("Cadre registry")

    def ready(self):
        from core.models import Job

        Job.register_kind("import_roster", _("Roster import"))
        Job.register_kind("import_units", _("Unit import"))
        Job.register_kind("seed_demo", _("Demo data"))
        _register_statuses()
        _register_job_summaries()
        # Dashboard panels: core shows them without importing cadres (STYLE.md import direction).
        from cadres.views import register_dashboard_panels

        register_dashboard_panels()

        from cadres.exports import register_cadres_exports

        register_cadres_exports()

        from cadres.selectors import secretaries_below
        from core.panels import register_nav_item
        from core.selectors import register_subtree_counter

        register_subtree_counter("secretaries", secretaries_below)

        from cadres.nominations import member_development_blocks, register_nomination_block

        register_nomination_block("R-MEM-1", member_development_blocks)
        from cadres.demo import demo_seeded
        from cadres.demo_members import seed_member_development

        demo_seeded.connect(seed_member_development, dispatch_uid="cadres.demo_members.seed_member_development")
        Job.register_kind("import_members", _("Member development import"))
        register_job_summary_members()
        register_nav_item(label=_("Member development"), url_name="cadres:member_development",
                          roles=("staff", "supervisor", "secretary"), order=58,
                          active_prefix="/cadres/member-development/")
        # R-TLK-1 / R-JOB-2: the talks part of the daily sweep
        from cadres.sweeps import talks_due_sweep
        from core.sweeps import register_sweep

        register_sweep("cadres.talks", talks_due_sweep, label=_("Talks due"), order=50)
        from cadres.sweeps import NOTICE_KIND as TALK_NOTICE_KIND
        from core.notice_kinds import register_notice_kind

        register_notice_kind(TALK_NOTICE_KIND, _("Talk due"))
        # The talks are reached from the people list's and each person's page (the nav is full).

        register_nav_item(label=_("Import"), url_name="cadres:import-upload", roles=("staff",), order=60,
                          active_prefix="/cadres/import/")
