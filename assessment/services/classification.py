"""R-CLS-1..6, R-JOB-1: the annual review, staff changes to tiers and stars, sanctions and upgrade targets."""
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, F, Q, Sum
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
    Classification,
    ClassificationChange,
    ReviewPart,
    Sanction,
)
from assessment.review_steps import linked_people, registered_review_steps
from assessment.services.bulk import bulk_upsert
from assessment.services.review import (
    PathRange,
    classify_part,
    part_policy_groups,
    review_parts_plan,
    sanction_candidates_q,
)
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


def classification_compute(*, branch: BranchInput, policy) -> dict:
    """R-CLS-1/2, R-ASM-4, R-POL-2: the tier of one branch and why — pure, no query.

    The explanation holds what is particular to the branch; the policy values and rating points
    it was computed under are kept once per review (``ReviewPolicy``, ``review.policy_content``).

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
        "composite_score": composite,
        "tier_by_score": by_score or "",
        "listings": [k for k, on in (("negative_list", branch.negative_list),
                                      ("weak_and_lax", branch.weak_and_lax)) if on],
        "overrides": [{"rule": "R-CLS-2", "listing": a} for a in applied],
        "staff_tier": ({"rule": "R-CLS-1", "tier": branch.override_tier, "reason": branch.override_reason}
                       if branch.override_tier else None),
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


def sanctions_sync(*, scope_path: str, year: int, outcomes: Iterable[tuple[int, str, str]], stamp,
                   path_from: str = "", path_to: str = "") -> int:
    """R-CLS-5: the sanctions of a year's outcomes (unit id, last year's tier, tier) under ``scope_path``
    (its paths from ``path_from`` up to ``path_to``, for a part of a review).

    Two statements for the people and the upsert, one to drop sanctions that no longer apply.
    """
    in_range = PathRange(scope=scope_path, path_from=path_from, path_to=path_to).q("unit__")
    reasons = {}
    for unit_id, previous, tier in outcomes:
        reason = sanction_reason(previous=previous, tier=tier)
        if reason:
            reasons[unit_id] = (reason, previous, tier)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    posts = (
        Appointment.objects.filter(in_range, role__in=SANCTIONED_ROLES, start_date__lte=last)
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
    Sanction.objects.filter(in_range, year=year).exclude(computed_at=stamp).delete()
    return len(rows)


def review_check(*, cycle: AssessmentCycle) -> None:
    """R-CLS-6: a review runs only on an open cycle, and not over a branch whose year a wider
    jurisdiction has published (one query)."""
    cycle_ensure_open(cycle=cycle)
    if Classification.objects.filter(unit__path__startswith=cycle.unit.path, year=cycle.year,
                                     cycle__published_at__isnull=False).exists():
        raise ValidationError({"cycle": [ERR_PUBLISHED.format(year=cycle.year)]})


def review_part_run(*, cycle: AssessmentCycle, part: PathRange, resolver, stamp, groups=None) -> dict:
    """R-JOB-1, R-CLS-1/2/5: classify one part of the review and sync its sanctions; its tally.

    The caller holds the transaction (the whole review's, or the part's own when fanned out);
    ``groups`` (``part_policy_groups``) when the caller resolved the policies before it."""
    tally = classify_part(cycle=cycle, part=part, resolver=resolver, stamp=stamp, groups=groups)
    outcomes = (Classification.objects.filter(part.q("unit__"), year=cycle.year)
                .filter(sanction_candidates_q()).values_list("unit_id", "previous_tier", "tier"))
    tally["sanctions"] = sanctions_sync(scope_path=part.scope, year=cycle.year, outcomes=outcomes, stamp=stamp,
                                        path_from=part.path_from, path_to=part.path_to)
    return tally


def review_steps_run(*, cycle: AssessmentCycle, stamp, report=None) -> dict:
    """R-JOB-1: the steps of the apps above assessment (rectification cases, stipend sheets …) over the
    cycle's whole jurisdiction, after every branch is classified; the caller holds the transaction,
    so a failing step leaves the previous state (R-JOB-3)."""
    steps = {}
    for step in registered_review_steps():
        if report:
            report(80, str(step.label))
        steps[step.name] = step.func(cycle=cycle, scope_path=cycle.unit.path, stamp=stamp)
    return steps


def review_result(*, cycle: AssessmentCycle, tallies: list[dict], steps: dict) -> dict:
    """R-JOB-1, R-CLS-4: the review's summary from its parts' tallies, with the upgrade targets."""
    from assessment.selectors import upgrade_targets_for_unit

    tiers, reasons = defaultdict(int), defaultdict(int)
    for tally in tallies:
        for k, v in tally["tiers"].items():
            tiers[k] += v
        for k, v in tally["reasons"].items():
            reasons[k] += v
    targets = upgrade_targets_for_unit(unit=cycle.unit, year=cycle.year)
    return {
        "rule": "R-JOB-1",
        "cycle": cycle.pk,
        "year": cycle.year,
        "branches": sum(t["branches"] for t in tallies),
        "tiers": {str(k): v for k, v in sorted(tiers.items())},
        # Why the unclassified branches have no tier, reason by reason (they add up to tiers["unclassified"]).
        "unclassified_reasons": {str(k): v for k, v in sorted(reasons.items())},
        "staff_tiers": sum(t["staff_tiers"] for t in tallies),
        "sanctions": sum(t["sanctions"] for t in tallies),
        "parts": len(tallies),
        "steps": _jsonable(steps),
        "upgrade_targets": _jsonable({g["previous_tier"]: {k: g[k] for k in ("count", "actual", "target", "met")}
                                      for g in targets["groups"]}),
    }


def annual_review_run(*, cycle_id: int, report: Callable[[int, str], None] | None = None) -> dict:
    """R-JOB-1, R-CLS-1/2/4/5: composite scores, tiers, movements and sanctions of every branch in a cycle.

    In one process and one transaction, so a failure leaves the previous state (R-JOB-3): the
    jurisdiction's parts (its counties) one after another, each classified set-based in a fixed
    number of statements (``assessment.services.review``), then the steps of the apps above.
    Staff tiers and stars survive a re-run; running twice gives the same result. A big jurisdiction
    fans the same parts out over workers instead (``annual_review_start``).
    """
    report = report or (lambda progress, message="": None)
    cycle = AssessmentCycle.objects.select_related("unit").get(pk=cycle_id)
    report(5, str(MSG_LOADING))
    review_check(cycle=cycle)
    parts = review_parts_plan(scope=cycle.unit, target=settings.ZHISHU_REVIEW_PART_BRANCHES)
    resolver = PolicyResolver(year=cycle.year)
    stamp = timezone.now()
    total = sum(p["branches"] for p in parts) or 1
    report(30, str(MSG_COMPUTING))
    tallies, done = [], 0
    with transaction.atomic():
        for part in parts:
            tallies.append(review_part_run(cycle=cycle, part=PathRange(scope=cycle.unit.path,
                                                                       path_from=part["path_from"],
                                                                       path_to=part["path_to"]),
                                           resolver=resolver, stamp=stamp))
            done += part["branches"]
            report(30 + 40 * done // total, str(MSG_SAVING))
        report(75, str(MSG_SANCTIONS))
        steps = review_steps_run(cycle=cycle, stamp=stamp, report=report)
    report(90, str(MSG_TARGETS))
    return review_result(cycle=cycle, tallies=tallies or [_empty_tally()], steps=steps)


def _empty_tally() -> dict:
    return {"branches": 0, "tiers": {}, "reasons": {}, "staff_tiers": 0, "sanctions": 0}


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


KIND_PARTS = "annual_review_parts"  # a review fanned out over the workers, county by county
MSG_PARTS = _("{done} of {total} branches classified ({parts_done} of {parts} parts)")
ERR_PARTS_UNFINISHED = _("{count} parts of the review did not finish; start the review again.")


def annual_review_start(*, cycle: AssessmentCycle, by):
    """R-JOB-1, R-JOB-3: start the review of a cycle as a background job; its page shows the progress.

    A jurisdiction of more than ``ZHISHU_REVIEW_FAN_OUT_BRANCHES`` branches in more than one part fans out:
    a Celery chord of one task per part (a county, one transaction each, as many at once as workers run)
    and a finish that runs the steps over the whole jurisdiction; the job's progress sums the parts'.
    A smaller one runs in one task and one transaction."""
    from assessment.tasks import review_chord, run_annual_review
    from core.services.jobs import job_create, job_enqueue

    cycle_ensure_open(cycle=cycle)
    parts = review_parts_plan(scope=cycle.unit, target=settings.ZHISHU_REVIEW_PART_BRANCHES)
    total = sum(p["branches"] for p in parts)
    fan_out = len(parts) > 1 and total > settings.ZHISHU_REVIEW_FAN_OUT_BRANCHES
    with transaction.atomic():
        if not fan_out:
            job = job_create(kind="annual_review", user=by, unit=cycle.unit, params={"cycle": cycle.pk})
            AssessmentCycle.objects.filter(pk=cycle.pk).update(last_review_job=job)
            job_enqueue(job=job, task=run_annual_review, cycle_id=cycle.pk)
            return job
        job = job_create(kind=KIND_PARTS, user=by, unit=cycle.unit, params={
            "cycle": cycle.pk, "parts": len(parts), "total": total, "stamp": timezone.now().isoformat()})
        ReviewPart.objects.bulk_create([ReviewPart(job=job, number=n, path_from=p["path_from"], path_to=p["path_to"],
                                                   branches=p["branches"]) for n, p in enumerate(parts, start=1)])
        AssessmentCycle.objects.filter(pk=cycle.pk).update(last_review_job=job)

        def send():
            from core.models import Job

            Job.objects.filter(pk=job.pk).update(enqueued_at=timezone.now())
            review_chord(job_id=job.pk, numbers=list(range(1, len(parts) + 1))).apply_async()

        transaction.on_commit(send)
    return job


def _parts_progress(*, job_id: int, params: dict) -> None:
    """The job's progress from its parts' branches done (the caller holds the job's row lock)."""
    from core.models import Job, JobState

    done = ReviewPart.objects.filter(job_id=job_id).aggregate(n=Sum("done"), p=Count("pk", filter=Q(
        finished_at__isnull=False)))
    total = params.get("total") or 0
    Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        progress=min(90, 5 + (done["n"] or 0) * 85 // total) if total else 5, heartbeat_at=timezone.now(),
        message=str(MSG_PARTS).format(done=done["n"] or 0, total=total, parts_done=done["p"],
                                      parts=params.get("parts") or 0)[:500])


def _job_fail(*, job_id: int, error: str) -> None:
    from core.models import Job, JobState

    Job.objects.filter(pk=job_id, state__in=(JobState.PENDING, JobState.RUNNING)).update(
        state=JobState.FAILED, finished_at=timezone.now(), error=error[:2000])


def review_part_job(*, job_id: int, number: int) -> dict | None:
    """R-JOB-1: one part of a fanned-out review, on a worker, in a transaction of its own. None when the
    job has ended or the part is done (a redelivery). A failure fails the job (the finish then does not
    run) and is raised; what other parts wrote stays, and a new review rewrites it all."""
    from core.models import Job, JobState

    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, kind=KIND_PARTS).first()
        part = ReviewPart.objects.filter(job_id=job_id, number=number).first() if job else None
        if job is None or part is None or part.finished_at is not None or job.state not in (
                JobState.PENDING, JobState.RUNNING):
            return None
        ReviewPart.objects.filter(pk=part.pk).update(started_at=now, attempts=F("attempts") + 1, error="")
        values = {"heartbeat_at": now}
        if job.state == JobState.PENDING:
            values.update(state=JobState.RUNNING, started_at=now, attempts=1)
        Job.objects.filter(pk=job_id).update(**values)
    cycle = AssessmentCycle.objects.select_related("unit").get(pk=job.params["cycle"])
    stamp = dt.datetime.fromisoformat(job.params["stamp"])
    try:
        where = PathRange(scope=cycle.unit.path, path_from=part.path_from, path_to=part.path_to)
        resolver = PolicyResolver(year=cycle.year)
        groups = part_policy_groups(cycle=cycle, part=where, resolver=resolver)  # committed at once
        with transaction.atomic():
            review_check(cycle=cycle)
            tally = review_part_run(cycle=cycle, part=where, resolver=resolver, stamp=stamp, groups=groups)
            job = Job.objects.select_for_update().get(pk=job_id)
            if job.state != JobState.RUNNING:
                transaction.set_rollback(True)  # failed meanwhile (another part, the stale sweep): undone
                return None
            ReviewPart.objects.filter(pk=part.pk).update(done=part.branches, result=tally, finished_at=timezone.now())
            _parts_progress(job_id=job_id, params=job.params)
    except Exception as exc:
        error = " ".join(str(m) for m in (getattr(exc, "messages", None) or [str(exc) or exc.__class__.__name__]))
        ReviewPart.objects.filter(pk=part.pk).update(error=error[:2000])
        _job_fail(job_id=job_id, error=error)
        raise
    return tally


def review_finish_job(*, job_id: int) -> None:
    """R-JOB-1: after every part, the steps over the whole jurisdiction (one transaction) and the result."""
    from core.models import Job, JobState

    job = Job.objects.filter(pk=job_id, kind=KIND_PARTS).first()
    if job is None or job.state != JobState.RUNNING:
        return
    parts = list(ReviewPart.objects.filter(job_id=job_id).order_by("number"))
    unfinished = [p for p in parts if p.finished_at is None]
    if unfinished:
        _job_fail(job_id=job_id, error=str(ERR_PARTS_UNFINISHED.format(count=len(unfinished))))
        return
    cycle = AssessmentCycle.objects.select_related("unit").get(pk=job.params["cycle"])
    Job.objects.filter(pk=job_id).update(progress=90, message=str(MSG_SANCTIONS)[:500], heartbeat_at=timezone.now())
    try:
        with transaction.atomic():
            review_check(cycle=cycle)
            steps = review_steps_run(cycle=cycle, stamp=dt.datetime.fromisoformat(job.params["stamp"]))
        result = review_result(cycle=cycle, tallies=[p.result for p in parts], steps=steps)
    except Exception as exc:
        _job_fail(job_id=job_id, error=" ".join(str(m) for m in (getattr(exc, "messages", None) or [str(exc)])))
        raise
    Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
        state=JobState.SUCCEEDED, progress=100, finished_at=timezone.now(), result=result, message="")


def annual_reviews_start_due(*, as_of: dt.date) -> list[int]:
    """R-JOB-1: the scheduled start — every unpublished cycle whose classification date is ``as_of``."""
    jobs = []
    for cycle in AssessmentCycle.objects.filter(classification_date=as_of, published_at__isnull=True):
        jobs.append(annual_review_start(cycle=cycle, by=None).pk)
    return jobs
