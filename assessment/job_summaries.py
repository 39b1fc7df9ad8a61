"""R-JOB-1, R-JOB-3: the annual review's job, summarised in Chinese on its page (core.job_summaries).

The result (``annual_review_run``) holds counts only; this turns them into tiers by their labels,
the unclassified branches by reason with where to fix each, and links to the classification list.
"""
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.choices import Tier, UnclassifiedReason
from assessment.filtersets import TIER_NONE
from assessment.models import AssessmentCycle
from core.job_summaries import LEVEL_OK, LEVEL_WARNING

__all__ = ["LEVEL_OK", "LEVEL_WARNING", "annual_review_summary", "review_headline", "review_level"]

MSG_NONE_CLASSIFIED = gettext_lazy(
    "The review ran over {branches} branches but left every one unclassified: no tier was given.")
MSG_NO_BRANCHES = gettext_lazy("The review found no active branch in the jurisdiction: nothing was classified.")
MSG_SOME_UNCLASSIFIED = gettext_lazy(
    "{classified} of {branches} branches classified; {unclassified} are left unclassified.")
MSG_ALL_CLASSIFIED = gettext_lazy("All {branches} branches classified.")

MSG_FIX_SCORES = gettext_lazy("Enter the superior scores")
MSG_FIX_EVALUATIONS = gettext_lazy("See the democratic evaluations")
# Where each reason is put right: always the superior score; the evaluations too where the sample is not done.
REASONS_WITH_EVALUATION = (UnclassifiedReason.NO_SCORE_NO_SAMPLE, UnclassifiedReason.NO_SCORE_SAMPLE_OPEN,
                           UnclassifiedReason.NO_SCORE_FEW_ANSWERS)


def review_level(result: dict) -> str:
    """A review that classified no branch (or found none) is a warning, not a plain success."""
    branches = result.get("branches") or 0
    unclassified = (result.get("tiers") or {}).get("unclassified", 0)
    return LEVEL_WARNING if branches == 0 or unclassified >= branches else LEVEL_OK


def review_headline(result: dict) -> str:
    branches = result.get("branches") or 0
    unclassified = (result.get("tiers") or {}).get("unclassified", 0)
    if branches == 0:
        return str(MSG_NO_BRANCHES)
    if unclassified >= branches:
        return MSG_NONE_CLASSIFIED.format(branches=branches)
    if unclassified:
        return MSG_SOME_UNCLASSIFIED.format(classified=branches - unclassified, branches=branches,
                                            unclassified=unclassified)
    return MSG_ALL_CLASSIFIED.format(branches=branches)


def _list_url(year, **params) -> str:
    return f"{reverse('assessment:classifications')}?{urlencode({'year': year, **params})}"


def annual_review_summary(job, request) -> dict:
    """The context of ``assessment/job_summaries/annual_review.html``; the cycle only when the user sees it."""
    result = job.result or {}
    year = result.get("year")
    cycle_id = result.get("cycle") or (job.params or {}).get("cycle")
    cycle = (AssessmentCycle.objects.visible_to(request.user).select_related("unit").filter(pk=cycle_id).first()
             if cycle_id else None)
    unit_param = {"unit": cycle.unit_id} if cycle else {}
    tiers = result.get("tiers") or {}
    tier_rows = [{"label": label, "count": tiers.get(value, 0), "tone": value,
                  "url": _list_url(year, tier=value, **unit_param)} for value, label in Tier.choices]
    reason_labels = dict(UnclassifiedReason.choices)
    reasons = []
    for code, count in (result.get("unclassified_reasons") or {}).items():
        fixes = [{"label": MSG_FIX_SCORES, "url": f"{reverse('assessment:scores')}?year={year}"}]
        if code in REASONS_WITH_EVALUATION:
            fixes.append({"label": MSG_FIX_EVALUATIONS, "url": f"{reverse('assessment:evaluations')}?year={year}"})
        reasons.append({"label": reason_labels.get(code, _("Other reason")), "count": count, "fixes": fixes})
    targets = []
    labels = dict(Tier.choices)
    for previous, g in (result.get("upgrade_targets") or {}).items():
        if not g.get("count"):
            continue
        targets.append({"label": labels.get(previous, ""), "count": g["count"], "met": g.get("met"),
                        "actual": _pct(g.get("actual")), "target": _pct(g.get("target"))})
    unclassified = tiers.get("unclassified", 0)
    return {
        "level": review_level(result),
        "headline": review_headline(result),
        "year": year, "cycle": cycle, "branches": result.get("branches") or 0,
        "tier_rows": tier_rows, "unclassified": unclassified,
        "unclassified_url": _list_url(year, tier=TIER_NONE, **unit_param),
        "reasons": reasons, "sanctions": result.get("sanctions", 0), "staff_tiers": result.get("staff_tiers", 0),
        "targets": targets,
        # R-RCT-1: the count the rectification step (registered above assessment) left in the result.
        "cases_opened": ((result.get("steps") or {}).get("rectification.cases") or {}).get("opened"),
        "list_url": _list_url(year, **unit_param),
        "calibration_url": f"{reverse('assessment:calibration')}?year={year}",
        "targets_url": f"{reverse('assessment:upgrade_targets')}?year={year}",
        "evaluations_url": f"{reverse('assessment:evaluations')}?year={year}",
    }


def _pct(value) -> str:
    if value in (None, ""):
        return "—"
    number = float(value) * 100
    return f"{number:.1f}%".replace(".0%", "%")
