"""R-ASM-5: a branch's annual assessment file (年度考核档案) — its content, built from the record, and its PDF.

The file published to the members: the cycle's duty report of the secretary, the democratic evaluation
(aggregates only, R-ASM-3), the superior's scores by indicator (R-ASM-4), the tier and why (R-CLS-1..3),
and the rectification opened that year (R-RCT-1/3). ``assessment_file_content(unit=, year=)`` is
reader-independent and deterministic (it is what the print signs, R-DOS-1): labels are fixed Chinese
strings, never the interface language's, and it costs a fixed number of queries whatever the branch holds.
"""
import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Min, Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.choices import DutyReportState
from assessment.models import (
    AssessmentCycle,
    BranchListing,
    BranchScore,
    Classification,
    ClassificationChange,
    DutyReport,
)
from assessment.selectors import assessment_report
from core.models import OrgUnit
from dossiers.choices import PrintKind
from dossiers.models import DossierPrint
from dossiers.services.access import PRINT_ROLES
from dossiers.services.pdf import RenderedPdf, pdf_render, print_context
from dossiers.services.verification import print_stamp
from rectification.models import RectificationCase, RectificationTask

ERR_YEAR_REQUIRED = _("Give the assessment year as ?year=, e.g. ?year=2025.")
ERR_NO_CLASSIFICATION = _("This branch has no classification for {year}: there is no assessment file to print.")

TITLE = "年度考核档案"

# Every section the file holds, in print order; each says 无 when empty.
SECTION_LABELS = {
    "branch": "基本情况",
    "duty_reports": "书记述职报告",
    "evaluation": "民主评议",
    "scores": "量化考核得分",
    "classification": "定级结果及依据",
    "rectification": "整顿整改",
}

# Fixed Chinese labels: the signed content must not depend on the reader's language.
TIER_LABELS = {"good": "好", "fairly_good": "较好", "average": "一般", "poor": "较差"}
RATING_LABELS = {"good": "好", "fairly_good": "较好", "average": "一般", "poor": "差"}
REPORT_STATE_LABELS = {"draft": "草稿", "submitted": "已提交", "returned": "已退回", "accepted": "已通过"}
MOVEMENT_LABELS = {"up": "晋位", "same": "持平", "down": "降位", "new": "上年无等次"}
LISTING_LABELS = {"negative_list": "负面清单", "weak_and_lax": "软弱涣散"}
LISTING_RULES = {"negative_list": "列入负面清单，不得评为“好”（R-CLS-2）",
                 "weak_and_lax": "列为软弱涣散党组织，定为“较差”（R-CLS-2）"}
ORIGIN_LABELS = {"poor_tier": "被评为较差", "weak_and_lax": "列为软弱涣散党组织", "manual": "工作人员手动立案"}
CASE_STATE_LABELS = {"open": "整顿中", "closed": "已销号"}
TASK_STATE_LABELS = {"open": "未完成", "done": "已完成"}
CHANGE_FIELD_LABELS = {"tier": "等次", "stars": "星级"}
HIDDEN_REASONS = {"not_closed": "民主评议尚未结束，暂不公布汇总结果。",
                  "too_few_answers": "有效评议票数少于最低要求 {m} 份，不公布汇总结果（R-ASM-3）。"}


def _num(value) -> str:
    """A score as printed: exact, no float, '' when there is none."""
    if value in (None, ""):
        return ""
    return format(Decimal(str(value)), "f")


def _points(value) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (ArithmeticError, ValueError, TypeError):
        return None


def _local_date(value) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def _change_value(field: str, value: str) -> str:
    if field == "tier":
        return TIER_LABELS.get(value, "未定级" if not value else value)
    if field == "stars":
        return f"{value}星" if value not in ("", "0", None) else "无"
    return value or "—"


def assessment_file_classification(*, unit: OrgUnit, year: int) -> Classification | None:
    return Classification.objects.select_related("unit", "cycle", "review_policy").filter(unit=unit, year=year).first()


def assessment_file_content(*, unit: OrgUnit, year: int) -> dict | None:
    """R-ASM-5: the branch's assessment file of ``year`` as printed (SECTION_LABELS), or None without a
    classification of that year. Reader-independent, JSON-able, a fixed number of queries."""
    classification = assessment_file_classification(unit=unit, year=year)
    if classification is None:
        return None
    report = assessment_report(classification=classification)
    explanation = classification.explained()

    duty_reports = [{
        "secretary": r.person.name, "state": REPORT_STATE_LABELS.get(r.state, r.state),
        "submitted_on": _local_date(r.submitted_at), "commitments": r.commitments, "work_done": r.work_done,
        "problems": r.problems, "plans": r.plans,
    } for r in report["duty_reports"] if r.state != DutyReportState.DRAFT]  # a draft is not yet a report

    evaluation = None
    agg = report["evaluation"]
    if agg is not None:
        # R-ASM-3: aggregates only, and only when shown; otherwise only why (not even how many answers).
        evaluation = {"shown": agg["shown"], "min_answers": agg["min_answers"]}
        if agg["shown"]:
            evaluation.update(
                answers=agg["answers"], satisfaction=_num(agg["satisfaction"]), member_score=_num(agg["member_score"]),
                ratings=[{"label": RATING_LABELS[k], "count": agg["rating_counts"].get(k, 0)} for k in RATING_LABELS])
        else:
            evaluation["reason"] = HIDDEN_REASONS[agg["reason"]].format(m=agg["min_answers"])

    scores = None
    score = BranchScore.objects.select_related("template").filter(unit=unit, year=year).first()
    if score is not None:
        points = score.points or {}
        scores = {
            "template": score.template.name, "superior_score": _num(score.superior_score),
            "indicators": [{"name": i.name, "weight": _num(i.weight), "max_score": _num(i.max_score),
                            "points": _num(_points(points.get(str(i.pk))))}
                           for i in score.template.indicators.order_by("position", "pk")],
        }

    listings = [{"kind": LISTING_LABELS.get(kind, kind), "reason": reason}
                for kind, reason in BranchListing.objects.filter(unit=unit, year=year).order_by("kind")
                .values_list("kind", "reason")]
    changes = [{"field": CHANGE_FIELD_LABELS.get(c.field, c.field), "old": _change_value(c.field, c.old_value),
                "new": _change_value(c.field, c.new_value), "reason": c.reason, "on": _local_date(c.at)}
               for c in ClassificationChange.objects.filter(classification=classification).order_by("at", "pk")]
    staff_tier = explanation.get("staff_tier") or {}
    weights = report["weights"]
    cls = {
        "tier": TIER_LABELS.get(classification.tier, ""),
        "computed_tier": TIER_LABELS.get(classification.computed_tier, ""),
        "tier_by_score": TIER_LABELS.get(explanation.get("tier_by_score") or "", ""),
        "stars": classification.stars,
        "superior_score": _num(classification.superior_score), "member_score": _num(classification.member_score),
        "composite_score": _num(classification.composite_score),
        "superior_weight": _num(weights.get("superior_score_weight")),
        "member_weight": _num(weights.get("member_score_weight")),
        "thresholds": [{"tier": TIER_LABELS[code], "min": _num(v)} for code, (_, v) in
                       zip(("good", "fairly_good", "average"), report["thresholds"], strict=True) if v is not None],
        "previous_tier": TIER_LABELS.get(classification.previous_tier, ""),
        "movement": MOVEMENT_LABELS.get(classification.movement, ""),
        "rules_applied": [LISTING_RULES[o["listing"]] for o in report["overrides"] if o.get("listing") in LISTING_RULES],
        "listings": listings,
        "override": ({"tier": TIER_LABELS.get(classification.override_tier, ""),
                      "reason": classification.override_reason or staff_tier.get("reason", "")}
                     if classification.override_tier else None),
        "changes": changes,
    }

    cases = []
    for case in (RectificationCase.objects.filter(unit=unit, year=year).order_by("pk")
                 .prefetch_related(Prefetch("tasks", queryset=RectificationTask.objects
                                            .select_related("owner_person", "owner_unit")))):
        cases.append({
            "origins": [ORIGIN_LABELS.get(o, o) for o in case.origins],
            "state": CASE_STATE_LABELS.get(case.state, case.state), "summary": case.summary,
            "opened_on": _local_date(case.opened_at), "closed_on": _local_date(case.closed_at),
            "tasks": [{"title": t.title, "owner": (t.owner_person.name if t.owner_person_id else
                                                   t.owner_unit.name if t.owner_unit_id else ""),
                       "deadline": t.deadline, "state": TASK_STATE_LABELS.get(t.state, t.state),
                       "done_on": _local_date(t.done_at)} for t in case.tasks.all()],
        })

    cycle = classification.cycle
    return {
        "branch": {"name": unit.name, "code": unit.code, "year": year,
                   "secretaries": [p.name for p in report["secretaries"]],
                   "published_on": _local_date(cycle.published_at) if cycle else None},
        "duty_reports": duty_reports,
        "evaluation": evaluation,
        "scores": scores,
        "classification": cls,
        "rectification": cases,
    }


def assessment_file_content_for_print(row: DossierPrint) -> dict | None:
    unit = OrgUnit.objects.filter(pk=row.unit_id).first()
    return assessment_file_content(unit=unit, year=row.year) if unit and row.year else None


def assessment_file_changed_on(row: DossierPrint) -> dt.date | None:
    """The first day after printing on which the branch's record of that year changed (history tables, R-SEC-2)."""
    after = {"history_date__gt": row.printed_at}
    case_ids = RectificationCase.objects.filter(unit_id=row.unit_id, year=row.year).values("pk")
    cycle_ids = Classification.objects.filter(unit_id=row.unit_id, year=row.year).values("cycle_id")
    histories = [
        Classification.history.filter(unit_id=row.unit_id, year=row.year, **after),
        BranchScore.history.filter(unit_id=row.unit_id, year=row.year, **after),
        DutyReport.history.filter(unit_id=row.unit_id, year=row.year, **after),
        BranchListing.history.filter(unit_id=row.unit_id, year=row.year, **after),
        RectificationCase.history.filter(unit_id=row.unit_id, year=row.year, **after),
        RectificationTask.history.filter(case_id__in=case_ids, **after),
        AssessmentCycle.history.filter(id__in=cycle_ids, **after),
    ]
    firsts = [d for d in (h.aggregate(first=Min("history_date"))["first"] for h in histories) if d]
    return timezone.localtime(min(firsts)).date() if firsts else None


def assessment_file_access(*, user, pk, year: int) -> tuple[OrgUnit, Classification]:
    """Who reads a branch's assessment file (R-ORG-2, R-ASM-5): staff and supervisors of the subtree; the
    branch's own secretary once the year is published. Anyone else, and a year without a file: 404."""
    from core.scoping import access_by_id

    unit = access_by_id(OrgUnit, user=user, pk=pk)
    if not (user.is_superuser or user.role in PRINT_ROLES or user.is_secretary_role):
        raise PermissionDenied
    # Classification.visible_to gives a secretary only their own branch's published years.
    classification = (Classification.objects.visible_to(user).select_related("unit", "cycle", "review_policy")
                      .filter(unit=unit, year=year).first())
    if classification is None:
        raise Http404(ERR_NO_CLASSIFICATION.format(year=year))
    if user.is_secretary_role and not (classification.cycle_id and classification.cycle.is_published):
        raise Http404(ERR_NO_CLASSIFICATION.format(year=year))  # kept so the rule does not hang on one Q object
    return unit, classification


def assessment_file_filename(*, unit: OrgUnit, year: int) -> str:
    return f"{unit.name}-{year}年度考核档案.pdf"


def assessment_file_pdf(*, unit: OrgUnit, year: int, user, now=None) -> RenderedPdf:
    """R-ASM-5: render the branch's assessment file of ``year`` for ``user`` and record the print (R-DOS-1)."""
    content = assessment_file_content(unit=unit, year=year)
    if content is None:
        raise Http404(ERR_NO_CLASSIFICATION.format(year=year))
    stamp = print_stamp(kind=PrintKind.ASSESSMENT_FILE, content=content, unit=unit, year=year, user=user, now=now)
    context = {
        **print_context(user=user, stamp=stamp, title=f"{year}年度考核档案", unit_name=unit.name,
                        person_name="、".join(content["branch"]["secretaries"])),
        "content": content, "sections": SECTION_LABELS, "year": year, "unit": unit,
    }
    rendered = pdf_render(template_name="dossiers/pdf/assessment_file.html", context=context,
                          filename=assessment_file_filename(unit=unit, year=year))
    DossierPrint.objects.filter(pk=stamp.pk).update(pages=rendered.pages)
    return rendered
