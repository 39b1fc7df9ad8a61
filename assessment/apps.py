from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def _keep_samples_closed(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata
        return
    from assessment.services.evaluations import evaluation_samples_keep_closed

    evaluation_samples_keep_closed(cycle=instance)


def _secretary_panel(request, dashboard):
    from assessment.selectors import secretary_assessment_panel

    return secretary_assessment_panel(user=request.user)


def _register_job_summaries():
    from assessment.job_summaries import annual_review_summary, review_headline, review_level
    from core.job_summaries import register_job_summary

    for kind in ("annual_review", "annual_review_parts"):
        register_job_summary(kind, template_name="assessment/job_summaries/annual_review.html",
                             context_func=annual_review_summary, level_func=review_level,
                             headline_func=review_headline)


def _register_statuses():
    """Every status of the assessment in its colour (core.status)."""
    from assessment.choices import DutyReportState, HonourStage, ListingKind, Movement, Tier
    from assessment.models import BranchListing, Classification, DutyReport, DutyReportEvent, Honour
    from core.status import register_model_status, register_status

    report = {DutyReportState.DRAFT: "grey", DutyReportState.SUBMITTED: "blue",
              DutyReportState.RETURNED: "orange", DutyReportState.ACCEPTED: "green"}
    register_model_status(DutyReport, "state", report)
    register_model_status(DutyReportEvent, "from_state", report)
    register_model_status(DutyReportEvent, "to_state", report)
    tiers = {Tier.GOOD: "green", Tier.FAIRLY_GOOD: "teal", Tier.AVERAGE: "amber", Tier.POOR: "red", "": "grey"}
    for name in ("tier", "computed_tier", "override_tier", "previous_tier"):
        register_model_status(Classification, name, tiers, extra=[("", _("Unclassified"))])
    register_model_status(Classification, "movement", {Movement.UP: "green", Movement.SAME: "grey",
                                                       Movement.DOWN: "red", Movement.NEW: "blue"})
    register_model_status(BranchListing, "kind", {ListingKind.NEGATIVE_LIST: "orange",
                                                  ListingKind.WEAK_AND_LAX: "red"})
    register_model_status(Honour, "stage", {HonourStage.BASE: "grey", HonourStage.CITY_MANAGED: "blue",
                                            HonourStage.CITY: "violet", HonourStage.NAMED: "green"})
    register_status("assessment.honour", [("in_running", _("In the running")), ("withdrawn", _("Withdrawn"))],
                    {"in_running": "green", "withdrawn": "red"})
    register_status("assessment.evaluation", [("open", pgettext_lazy("evaluation", "Open")),
                                              ("closed", pgettext_lazy("evaluation", "Closed"))],
                    {"open": "amber", "closed": "green"})
    register_status("assessment.cycle", [("open", pgettext_lazy("cycle", "Not published")),
                                         ("published", _("Published"))],
                    {"open": "blue", "published": "green"})


def _sanction_blocks(*, person, as_of):
    """R-CLS-5: a sanctioned person may not be promoted or given awards in the year — a nomination block
    (cadres.nominations) shown wherever people are put forward; it refuses no appointment by itself."""
    from assessment.models import Sanction
    from cadres.nominations import NominationBlock

    rows = Sanction.objects.filter(person=person, applies_to_year=as_of.year).select_related("unit")
    return [NominationBlock(
        rule="R-CLS-5",
        message=str(_("{person} may not be promoted or given awards in {year}: {unit} {reason} in {assessed} "
                      "(R-CLS-5).").format(person=person.name, year=s.applies_to_year, unit=s.unit.name,
                                           reason=s.get_reason_display(), assessed=s.year)),
        unit_id=s.unit_id, unit_name=s.unit.name, years=(s.year,), explanation=s.explanation or {},
    ) for s in rows]


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
        # A review fanned out county by county: its parts may wait in the queue behind each other.
        Job.register_kind("annual_review_parts", _("Annual review (county by county)"),
                          lease_seconds=settings.ZHISHU_REVIEW_LEASE_SECONDS)
        from cadres.nominations import register_nomination_block

        register_nomination_block("R-CLS-5", _sanction_blocks)
        _register_job_summaries()
        _register_statuses()
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

        from assessment.sweeps import register_assessment_sweeps

        register_assessment_sweeps()  # R-JOB-2: duty reports and evaluations due, in the one daily sweep
        # R-TLK-1: each published assessment calls for a talk with every secretary it assessed.
        from assessment.services.talks import annual_assessment_talks_missing
        from cadres.talk_requirements import register_talk_requirement

        register_talk_requirement("assessment.annual", annual_assessment_talks_missing)
