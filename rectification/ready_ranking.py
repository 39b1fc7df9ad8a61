"""The registrations of the ranking, help and correction parts (R-RCT-1/2/4), called from
``RectificationConfig.ready()``: the review step, the R-CLS-5 linked people, the sweep part, statuses,
exports and the demo rows."""
from django.utils.translation import gettext_lazy as _


def ready_ranking() -> None:
    from assessment.review_steps import register_linked_people, register_review_step
    from core.status import register_model_status
    from rectification.choices import AdjustmentCause, CandidateState, CorrectionState, HelpKind
    from rectification.models import CorrectionOrder, HelpAssignment, WeakCandidate
    from rectification.services.review import rectification_review_step

    from core.sweeps import register_sweep
    from rectification.services.corrections import corrections_sweep

    register_sweep("rectification.corrections", corrections_sweep, label=_("Deadline corrections"), order=40)
    register_review_step("rectification.cases", rectification_review_step, label=_("Opening rectification cases"),
                         order=10)
    from rectification.services.help import help_linked_people

    register_linked_people("rectification.help", help_linked_people)
    register_model_status(WeakCandidate, "state", {CandidateState.PROPOSED: "amber", CandidateState.CONFIRMED: "red",
                                                   CandidateState.REJECTED: "grey"})
    register_model_status(CorrectionOrder, "state", {
        CorrectionState.OPEN: "amber", CorrectionState.MET: "green", CorrectionState.ADJUSTMENT_PROPOSED: "orange",
        CorrectionState.ADJUSTED: "red", CorrectionState.DECLINED: "grey"})
    register_model_status(CorrectionOrder, "cause", {AdjustmentCause.DEADLINE_PASSED: "orange",
                                                     AdjustmentCause.POOR_AGAIN: "red", "": "grey"},
                          extra=[("", _("No adjustment proposed"))])
    register_model_status(HelpAssignment, "kind", {
        HelpKind.WORK_TEAM_LEADER: "red", HelpKind.WORK_TEAM_MEMBER: "orange", HelpKind.FIRST_SECRETARY: "amber",
        HelpKind.LIAISON: "teal", HelpKind.COMMITTEE_MEMBER: "blue", HelpKind.RED_FLAG_PAIRING: "violet"})

    from rectification import exports_ranking  # noqa: F401  (registers the exports)

    from cadres.demo import demo_seeded
    from rectification.demo_ranking import seed_rectification

    demo_seeded.connect(seed_rectification, dispatch_uid="rectification.demo_ranking.seed_rectification")
    # The nav's "整顿" (/rectification/, the ledger) covers the ranking and the corrections: the ledger's page
    # head links to both, and a full nav has no room for more entries.
