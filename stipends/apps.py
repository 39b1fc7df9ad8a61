from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StipendsConfig(AppConfig):
    name = "stipends"
    verbose_name = _("Stipends and care")

    def ready(self):
        # Each part registers its review step, job kinds, statuses, navigation and demo here
        # (assessment.review_steps, core.models.Job, core.status, core.panels, cadres.demo).
        from assessment.review_steps import register_review_step
        from core.models import Job
        from stipends.services.sheets import JOB_KIND_BUILD, sheets_refresh_for_cycle

        # --- sheets (R-STP-2..4); R-JOB-1: the review builds provisional sheets ---
        Job.register_kind(JOB_KIND_BUILD, _("Stipend sheet"))
        register_review_step("stipends.sheets", sheets_refresh_for_cycle, label=_("Building provisional stipend sheets"),
                             order=20)
        # --- health checks (R-STP-5/6) ---
        from stipends.ready_health import ready_health

        ready_health()

        # --- sheet pages, export and navigation ---
        from stipends.ready_sheets import ready_sheet_pages

        ready_sheet_pages()

        # --- API ---
        # (api helper: anything the API needs at start-up here)

        # --- forms received and the demo (R-STP-3, issue 10 item 4) ---
        from cadres.demo import demo_seeded
        from core.status import register_model_status
        from stipends.choices import StipendForm
        from stipends.demo import seed_stipends
        from stipends.exports_elections import register_election_exports
        from stipends.models import StipendElection

        register_model_status(StipendElection, "form", {StipendForm.MONEY: "blue",
                                                        StipendForm.WORKLOAD_CREDIT: "violet"})
        register_election_exports()
        # After assessment's and rectification's receivers (their apps are ready first): the tiers exist.
        demo_seeded.connect(seed_stipends, dispatch_uid="stipends.demo.seed_stipends")
