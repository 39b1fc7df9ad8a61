"""R-CLS-1..6, R-JOB-1: the annual review, staff changes to tiers and stars, sanctions and upgrade targets."""
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.choices import (
    DEFAULT_RATING_POINTS,
    TIER_RANK,
    ListingKind,
    SanctionReason,
    Tier,
    UnclassifiedReason,
)
from assessment.models import (
    AssessmentCycle,
    BranchListing,
    BranchScore,
    Classification,
    ClassificationChange,
    EvaluationRating,
    EvaluationSample,
    Sanction,
)
from assessment.review_steps import linked_people, registered_review_steps
from assessment.services.bulk import bulk_upsert
from assessment.services.cycles import ERR_PUBLISHED, cycle_ensure_open
from assessment.services.scores import (
    composite_score_compute,
    member_score_compute,
    movement_of,
    tier_apply_listings,
    tier_for_score,
)
from cadres.choices import AppointmentRole
from cadres.models import Appointment
from core.choices import BRANCH_LEVELS
from core.models import OrgUnit
from core.services.policies import PolicyResolver

ERR_REASON_REQUIRED = _("A reason is required for every change to a tier or stars.")
ERR_NEGATIVE_LIST_GOOD = _("A branch on the negative list cannot be rated good this year (R-CLS-2).")
ERR_WEAK_AND_LAX = _("A branch listed as weak and lax must be rated poor this year (R-CLS-2).")
ERR_STARS = _("Stars must be a whole number from 1 to 5.")
ERR_TIER = _("Unknown tier {value}.")

# Progress messages of the review, stored on its job row in the worker's language (Chinese by default).
MSG_LOADING = _("Loading the branches and their scores")
MSG_COMPUTING = _("Computing the tiers")
MSG_SAVING = _("Saving the classifications")
MSG_SANCTIONS = _("Saving the sanctions")
MSG_TARGETS = _("Checking the upgrade targets")

TIER_POLICY_FIELDS = ("tier_good_min", "tier_fairly_good_min", "tier_average_min")
WEIGHT_POLICY_FIELDS = ("superior_score_weight", "member_score_weight")
EVALUATION_POLICY_FIELDS = ("evaluation_min_answers",)
EXPLAINED_POLICY_FIELDS = (*WEIGHT_POLICY_FIELDS, *TIER_POLICY_FIELDS, *EVALUATION_POLICY_FIELDS)
UPGRADE_POLICY_FIELDS = ("upgrade_poor_share", "upgrade_average_share", "upgrade_fairly_good_share",
                         "keep_good_share")
# Posts whose holders answer for the branch's tier (R-CLS-5: 书记和驻联干部).
SANCTIONED_ROLES = (AppointmentRole.SECRETARY, AppointmentRole.FIRST_SECRETARY)


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@dataclass
class BranchInput:
    """What the review knows of one branch, loaded set-based before any computing."""

    unit_id: int
    superior: Decimal | None = None
    # Ballot counts of the branch's sample, given only when the sample is closed (R-ASM-3).
    counts: dict = field(default_factory=dict)
    evaluation_closed: bool | None = None  # None: no sample drawn
    negative_list: bool = False
    weak_and_lax: bool = False
    previous_tier: str = ""
    override_tier: str = ""
    override_reason: str = ""


def classification_compute(*, branch: BranchInput, policy, policy_explained: dict | None = None) -> dict:
    """R-CLS-1/2, R-ASM-4, R-POL-2: the tier of one branch and why — pure, no query.

    R-ASM-3: the member evaluation counts only from a closed sample with at least the policy's
    minimum of answers; otherwise neither its score nor its counts (nor their number) are kept,
    and the composite is the superior score alone, as for a branch without a sample.
    """
    answers = sum(branch.counts.values())
    minimum = policy.evaluation_min_answers
    used = bool(branch.evaluation_closed) and answers >= minimum
    member = member_score_compute(counts=branch.counts, points=DEFAULT_RATING_POINTS) if used else None
    composite = composite_score_compute(superior=branch.superior, member=member, policy=policy)
    by_score = tier_for_score(score=composite, policy=policy) if composite is not None else None
    computed, applied = tier_apply_listings(tier=by_score, negative_list=branch.negative_list,
                                            weak_and_lax=branch.weak_and_lax)
    tier = branch.override_tier or computed or ""
    if policy_explained is None:
        policy_explained = policy.explain(*EXPLAINED_POLICY_FIELDS)
    evaluation = {"rule": "R-ASM-3", "used": used, "min_answers": minimum}
    if used:
        evaluation.update(answers=answers, rating_counts=dict(sorted(branch.counts.items())))
    else:
        evaluation["reason"] = "not_closed" if branch.evaluation_closed is False else "too_few_answers"
    explanation = {
        "rule": "R-CLS-1",
        "superior_score": branch.superior,
        "member_score": member,
        "member_evaluation": evaluation,
        "rating_points": {k.value: v for k, v in DEFAULT_RATING_POINTS.items()},
        "composite_score": composite,
        "tier_by_score": by_score or "",
        "listings": [k for k, on in (("negative_list", branch.negative_list),
                                      ("weak_and_lax", branch.weak_and_lax)) if on],
        "overrides": [{"rule": "R-CLS-2", "listing": a} for a in applied],
        "staff_tier": ({"rule": "R-CLS-1", "tier": branch.override_tier, "reason": branch.override_reason}
                       if branch.override_tier else None),
        "policy": policy_explained,
    }
    return {
        "superior_score": branch.superior,
        "member_score": member,
        "composite_score": composite,
        "computed_tier": computed or "",
        "tier": tier,
        "previous_tier": branch.previous_tier,
        "movement": movement_of(previous=branch.previous_tier, tier=tier) if tier else "",
        "explanation": _jsonable(explanation),
    }


def unclassified_reason(*, branch: BranchInput, min_answers: int) -> str:
    """R-CLS-1, R-ASM-3/4: why a branch got no tier — always the missing superior score, told apart by
    the state of its member evaluation so staff know what else is still open."""
    if branch.evaluation_closed is None:
        return UnclassifiedReason.NO_SCORE_NO_SAMPLE
    if not branch.evaluation_closed:
        return UnclassifiedReason.NO_SCORE_SAMPLE_OPEN
    if sum(branch.counts.values()) < min_answers:
        return UnclassifiedReason.NO_SCORE_FEW_ANSWERS
    return UnclassifiedReason.NO_SCORE


def sanction_reason(*, previous: str | None, tier: str | None) -> str | None:
    """R-CLS-5: 一般/较差 that did not move up, or 好/较好 that moved down."""
    if not previous or not tier:
        return None
    if previous in (Tier.AVERAGE, Tier.POOR) and TIER_RANK[tier] <= TIER_RANK[previous]:
        return SanctionReason.NOT_MOVED_UP
    if previous in (Tier.GOOD, Tier.FAIRLY_GOOD) and TIER_RANK[tier] < TIER_RANK[previous]:
        return SanctionReason.MOVED_DOWN
    return None


def sanctions_sync(*, scope_path: str, year: int, outcomes: Iterable[tuple[int, str, str]], stamp) -> int:
    """R-CLS-5: the sanctions of a year's outcomes (unit id, last year's tier, tier) under ``scope_path``.

    Two statements for the people and the upsert, one to drop sanctions that no longer apply.
    """
    reasons = {}
    for unit_id, previous, tier in outcomes:
        reason = sanction_reason(previous=previous, tier=tier)
        if reason:
            reasons[unit_id] = (reason, previous, tier)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    posts = (
        Appointment.objects.filter(unit__path__startswith=scope_path, role__in=SANCTIONED_ROLES,
                                   start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .order_by("unit_id", "person_id", "start_date")
        .values_list("unit_id", "person_id", "role", "start_date", "end_date")
    ) if reasons else []
    rows = {}
    for unit_id, person_id, role, start, end in posts:
        if unit_id not in reasons:
            continue
        reason, previous, tier = reasons[unit_id]
        rows[(person_id, unit_id)] = {
            "person_id": person_id, "unit_id": unit_id, "year": year, "applies_to_year": year + 1,
            "reason": reason, "computed_at": stamp,
            "explanation": _jsonable({
                "rule": "R-CLS-5", "year": year, "previous_tier": previous, "tier": tier, "role": role,
                "appointment_start": start, "appointment_end": end,
            }),
        }
    if reasons:
        # R-CLS-5: the cadres linked to the branch (驻联干部) by the apps above assessment, such as a
        # rectification case's first secretary or liaison.
        for unit_id, person_id, role, start, end in linked_people(scope_path=scope_path, year=year,
                                                                  unit_ids=set(reasons)):
            if unit_id not in reasons or (person_id, unit_id) in rows:
                continue
            reason, previous, tier = reasons[unit_id]
            rows[(person_id, unit_id)] = {
                "person_id": person_id, "unit_id": unit_id, "year": year, "applies_to_year": year + 1,
                "reason": reason, "computed_at": stamp,
                "explanation": _jsonable({
                    "rule": "R-CLS-5", "year": year, "previous_tier": previous, "tier": tier, "role": str(role),
                    "linked": True, "appointment_start": start, "appointment_end": end,
                }),
            }
    bulk_upsert(model=Sanction, rows=list(rows.values()), unique_fields=["person", "unit", "year"],
                update_fields=["applies_to_year", "reason", "explanation", "computed_at"])
    Sanction.objects.filter(unit__path__startswith=scope_path, year=year).exclude(computed_at=stamp).delete()
    return len(rows)


def annual_review_run(*, cycle_id: int, report: Callable[[int, str], None] | None = None) -> dict:
    """R-JOB-1, R-CLS-1/2/4/5: composite scores, tiers, movements and sanctions of every branch in a cycle.

    Set-based: a fixed number of reads whatever the number of branches, tiers computed in
    Python, then all writes in one transaction, so a failure leaves the previous state.
    Staff tiers and stars survive a re-run; running twice gives the same result.
    """
    report = report or (lambda progress, message="": None)
    cycle = AssessmentCycle.objects.select_related("unit").get(pk=cycle_id)
    cycle_ensure_open(cycle=cycle)
    scope, year = cycle.unit.path, cycle.year
    report(5, str(MSG_LOADING))
    branches = list(
        OrgUnit.objects.filter(path__startswith=scope, level__in=BRANCH_LEVELS, is_active=True)
        .order_by("path").values_list("id", "path")
    )
    inputs = {uid: BranchInput(unit_id=uid) for uid, _path in branches}
    for uid, score in BranchScore.objects.filter(unit__path__startswith=scope, year=year).values_list(
            "unit_id", "superior_score"):
        if uid in inputs:
            inputs[uid].superior = score
    # R-ASM-3: only closed samples count; an open one could still change after the review.
    samples = (EvaluationSample.objects.filter(unit__path__startswith=scope, year=year).with_closed()
               .values_list("unit_id", "is_closed"))
    for uid, is_closed in samples:
        if uid in inputs:
            inputs[uid].evaluation_closed = bool(is_closed)
    ballots = (EvaluationRating.objects.filter(sample__in=EvaluationSample.objects.filter(
        unit__path__startswith=scope, year=year).closed().values("pk"))
               .order_by().values_list("sample__unit_id", "rating").annotate(n=Count("id")))
    for uid, rating, n in ballots:
        if uid in inputs:
            inputs[uid].counts[rating] = n
    for uid, kind in BranchListing.objects.filter(unit__path__startswith=scope, year=year).values_list(
            "unit_id", "kind"):
        if uid in inputs:
            setattr(inputs[uid], kind, True)
    for uid, tier in Classification.objects.filter(unit__path__startswith=scope, year=year - 1).values_list(
            "unit_id", "tier"):
        if uid in inputs:
            inputs[uid].previous_tier = tier
    existing = Classification.objects.filter(unit__path__startswith=scope, year=year).values_list(
        "unit_id", "override_tier", "override_reason", "cycle__published_at")
    for uid, override_tier, override_reason, published_at in existing:
        if published_at is not None:
            # A wider jurisdiction's published year covers this branch: frozen (R-CLS-6).
            raise ValidationError({"cycle": [ERR_PUBLISHED.format(year=year)]})
        if uid in inputs:
            inputs[uid].override_tier, inputs[uid].override_reason = override_tier, override_reason
    resolver = PolicyResolver(year=year)
    report(30, str(MSG_COMPUTING))

    stamp = timezone.now()
    explained: dict[int, dict] = {}
    rows, outcomes, tiers, reasons = [], [], defaultdict(int), defaultdict(int)
    staff_tiers = 0
    for uid, path in branches:
        policy = resolver.for_unit(unit_id=uid, path=path)
        key = id(policy.values)
        if key not in explained:
            explained[key] = policy.explain(*EXPLAINED_POLICY_FIELDS)
        out = classification_compute(branch=inputs[uid], policy=policy, policy_explained=explained[key])
        rows.append({"unit_id": uid, "year": year, "cycle_id": cycle.pk, "computed_at": stamp,
                     "override_tier": "", "override_reason": "", **out})
        outcomes.append((uid, out["previous_tier"], out["tier"]))
        tiers[out["tier"] or "unclassified"] += 1
        if not out["tier"]:
            reasons[unclassified_reason(branch=inputs[uid], min_answers=policy.evaluation_min_answers)] += 1
        staff_tiers += bool(inputs[uid].override_tier)
    report(60, str(MSG_SAVING))
    with transaction.atomic():
        # The override fields are written only on insert; an existing staff tier is kept.
        bulk_upsert(model=Classification, rows=rows, unique_fields=["unit", "year"],
                    update_fields=["cycle", "superior_score", "member_score", "composite_score", "computed_tier",
                                   "tier", "previous_tier", "movement", "explanation", "computed_at"])
        report(75, str(MSG_SANCTIONS))
        sanctions = sanctions_sync(scope_path=scope, year=year, outcomes=outcomes, stamp=stamp)
        # R-JOB-1: the steps of the apps above assessment (rectification cases, stipend sheets …), in the
        # same transaction, so a failing step leaves the previous state (R-JOB-3).
        steps = {}
        for step in registered_review_steps():
            report(80, str(step.label))
            steps[step.name] = step.func(cycle=cycle, scope_path=scope, stamp=stamp)
    report(90, str(MSG_TARGETS))
    from assessment.selectors import upgrade_targets_for_unit

    targets = upgrade_targets_for_unit(unit=cycle.unit, year=year)
    return {
        "rule": "R-JOB-1",
        "cycle": cycle.pk,
        "year": year,
        "branches": len(branches),
        "tiers": {str(k): v for k, v in sorted(tiers.items())},
        # Why the unclassified branches have no tier, reason by reason (they add up to tiers["unclassified"]).
        "unclassified_reasons": {str(k): v for k, v in sorted(reasons.items())},
        "staff_tiers": staff_tiers,
        "sanctions": sanctions,
        "steps": _jsonable(steps),
        "upgrade_targets": _jsonable({g["previous_tier"]: {k: g[k] for k in ("count", "actual", "target", "met")}
                                      for g in targets["groups"]}),
    }


def _classification_locked(classification: Classification) -> Classification:
    row = Classification.objects.select_for_update(of=("self",)).select_related("cycle", "unit").get(pk=classification.pk)
    cycle_ensure_open(cycle=row.cycle)
    return row


def classification_override(*, classification: Classification, tier: str, reason: str, by) -> Classification:
    """R-CLS-1, R-CLS-6: staff set another tier with a written reason, kept with who and when."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [ERR_REASON_REQUIRED]})
    if tier and tier not in Tier.values:
        raise ValidationError({"tier": [ERR_TIER.format(value=tier)]})
    with transaction.atomic():
        row = _classification_locked(classification)
        listings = set(BranchListing.objects.filter(unit_id=row.unit_id, year=row.year).values_list("kind", flat=True))
        if tier == Tier.GOOD and ListingKind.NEGATIVE_LIST in listings:
            raise ValidationError({"tier": [ERR_NEGATIVE_LIST_GOOD]})
        if tier and tier != Tier.POOR and ListingKind.WEAK_AND_LAX in listings:
            raise ValidationError({"tier": [ERR_WEAK_AND_LAX]})
        old = row.tier
        row.override_tier, row.override_reason = tier, reason if tier else ""
        row.tier = tier or row.computed_tier
        row.movement = movement_of(previous=row.previous_tier, tier=row.tier) if row.tier else ""
        explanation = dict(row.explanation or {})
        explanation["staff_tier"] = {"rule": "R-CLS-1", "tier": tier, "reason": reason} if tier else None
        row.explanation = explanation
        row.save(update_fields=["override_tier", "override_reason", "tier", "movement", "explanation"])
        ClassificationChange.objects.create(classification=row, field="tier", old_value=old, new_value=row.tier,
                                            reason=reason, by=by)
        sanctions_sync(scope_path=row.unit.path, year=row.year, outcomes=[(row.unit_id, row.previous_tier, row.tier)],
                       stamp=timezone.now())
    return row


def classification_set_stars(*, classification: Classification, stars: int | None, reason: str, by) -> Classification:
    """R-CLS-3, R-CLS-6: the branch's star rating (1–5), every change with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [ERR_REASON_REQUIRED]})
    if stars is not None and (not isinstance(stars, int) or not 1 <= stars <= 5):
        raise ValidationError({"stars": [ERR_STARS]})
    with transaction.atomic():
        row = _classification_locked(classification)
        old = row.stars
        row.stars = stars
        row.save(update_fields=["stars"])
        ClassificationChange.objects.create(classification=row, field="stars", old_value=str(old or ""),
                                            new_value=str(stars or ""), reason=reason, by=by)
    return row


def upgrade_targets_compute(*, rows: Iterable[dict], policy) -> dict:
    """R-CLS-4: per last year's tier, the share that moved up (or stayed 好) against the policy's target.

    ``rows`` have ``unit_id``, ``name``, ``previous_tier`` and ``tier``; a group misses its
    target when its share is below it, and the branches behind the gap are listed.
    """
    targets = {
        Tier.POOR: ("upgrade_poor_share", "moved_up"),
        Tier.AVERAGE: ("upgrade_average_share", "moved_up"),
        Tier.FAIRLY_GOOD: ("upgrade_fairly_good_share", "moved_up"),
        Tier.GOOD: ("keep_good_share", "stayed_good"),
    }
    groups = {t: {"count": 0, "achieved": 0, "behind": []} for t in targets}
    for row in rows:
        prev, tier = row["previous_tier"], row["tier"]
        if prev not in groups or not tier:
            continue
        g = groups[prev]
        g["count"] += 1
        ok = (tier == Tier.GOOD) if prev == Tier.GOOD else TIER_RANK[tier] > TIER_RANK[prev]
        if ok:
            g["achieved"] += 1
        else:
            g["behind"].append({"unit_id": row["unit_id"], "name": row.get("name", ""), "tier": tier})
    out = []
    for tier, (policy_field, measure) in targets.items():
        g = groups[tier]
        target = Decimal(getattr(policy, policy_field))
        actual = (Decimal(g["achieved"]) / g["count"]) if g["count"] else None
        needed = -(-target * g["count"] // 1) if g["count"] else 0  # branches needed, rounded up
        out.append({
            "previous_tier": tier.value, "measure": measure, "count": g["count"], "achieved": g["achieved"],
            "target": target, "actual": actual.quantize(Decimal("0.0001")) if actual is not None else None,
            "met": actual is None or actual >= target, "needed": int(needed),
            "gap": max(int(needed) - g["achieved"], 0), "behind": g["behind"],
            "policy": policy.explain(policy_field),
        })
    return {"rule": "R-CLS-4", "groups": out}


def annual_review_start(*, cycle: AssessmentCycle, by):
    """R-JOB-1, R-JOB-3: start the review of a cycle as a background job; its page shows the progress."""
    from assessment.tasks import run_annual_review
    from core.services.jobs import job_create, job_enqueue

    cycle_ensure_open(cycle=cycle)
    with transaction.atomic():
        job = job_create(kind="annual_review", user=by, unit=cycle.unit, params={"cycle": cycle.pk})
        AssessmentCycle.objects.filter(pk=cycle.pk).update(last_review_job=job)
        job_enqueue(job=job, task=run_annual_review, cycle_id=cycle.pk)
    return job


def annual_reviews_start_due(*, as_of: dt.date) -> list[int]:
    """R-JOB-1: the scheduled start — every unpublished cycle whose classification date is ``as_of``."""
    jobs = []
    for cycle in AssessmentCycle.objects.filter(classification_date=as_of, published_at__isnull=True):
        jobs.append(annual_review_start(cycle=cycle, by=None).pk)
    return jobs
