"""R-RCT-1: the bottom ranking (倒排) of a city-managed committee and its weak-and-lax candidates.

The city-managed committee (市管党委, seed 002 三.4 "以市管党委为单位") of a branch is its ancestor
directly under the city committee: the unit at depth 2 of the tree — a county/district committee
or a system committee. The ranking of a committee and year orders the committee's active branches
(``core.choices.BRANCH_LEVELS``) by their composite score (``Classification.composite_score``),
lowest first, ties broken by the tree path so the order is stable. Branches without a composite
score are listed after the ranked ones, without a rank, and are never proposed: the ranking cannot
place them.

The number proposed is the policy's ``weak_candidate_share`` of all the committee's active branches
(scored or not), rounded up (``ceil``: 40 × 0.05 = 2 exactly gives 2, 41 × 0.05 = 2.05 gives 3), at
most the number of scored branches. The policy is the committee's for the year (``policy_effective``),
so a county or system committee's own policy moves it (R-POL-2 keeps whose policy it was).
"""
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.choices import ListingKind
from assessment.models import BranchListing, Classification
from assessment.services.listings import branch_listing_add
from core.choices import BRANCH_LEVELS
from core.models import OrgUnit
from core.services.policies import policy_effective
from rectification.choices import CandidateState, CaseOrigin
from rectification.models import WeakCandidate

COMMITTEE_DEPTH = 2
POLICY_FIELD = "weak_candidate_share"

ERR_NO_COMMITTEE = _("{unit} is not inside a city-managed committee: choose a county, district or system committee, "
                     "or a unit inside one.")
ERR_REASON = _("Give a reason for the decision.")
ERR_NOT_PROPOSED = _("This candidate has been decided already ({state}).")


def committee_of(*, unit: OrgUnit) -> OrgUnit | None:
    """R-RCT-1: the city-managed committee (市管党委) of ``unit``: its ancestor at depth 2 (itself at depth 2);
    None for the city committee itself."""
    if unit.depth < COMMITTEE_DEPTH:
        return None
    if unit.depth == COMMITTEE_DEPTH:
        return unit
    return OrgUnit.objects.get(path=unit.path[: COMMITTEE_DEPTH * OrgUnit.steplen])


def committee_required(*, unit: OrgUnit) -> OrgUnit:
    committee = committee_of(unit=unit)
    if committee is None:
        raise ValidationError({"unit": [ERR_NO_COMMITTEE.format(unit=unit.name)]})
    return committee


def candidate_quota(*, branches: int, share: Decimal) -> int:
    """R-RCT-1: ``share`` of ``branches``, rounded up (an exact product is not rounded)."""
    product = Decimal(branches) * Decimal(share)
    return int(math.ceil(product))


def ranking_compute(*, committee: OrgUnit, year: int) -> dict:
    """R-RCT-1: the committee's ranking, its quota and the policy behind it — three queries, no writes.

    ``rows`` holds every active branch: the ranked first (rank 1 = lowest composite), then the
    unscored (rank None); ``proposed_ids`` the branches within the quota.
    """
    policy = policy_effective(unit=committee, year=year)
    share = Decimal(policy.weak_candidate_share)
    branches = list(
        OrgUnit.objects.filter(path__startswith=committee.path, level__in=BRANCH_LEVELS, is_active=True)
        .order_by("path").values("id", "path", "name")
    )
    scores, tiers = {}, {}
    for uid, score, tier in Classification.objects.filter(unit__path__startswith=committee.path, year=year).values_list(
            "unit_id", "composite_score", "tier"):
        tiers[uid] = tier
        if score is not None:
            scores[uid] = score
    scored = sorted((b for b in branches if b["id"] in scores), key=lambda b: (scores[b["id"]], b["path"]))
    unscored = [b for b in branches if b["id"] not in scores]
    quota = min(candidate_quota(branches=len(branches), share=share), len(scored))
    rows = [{**b, "rank": i, "composite_score": scores[b["id"]], "tier": tiers.get(b["id"], "")}
            for i, b in enumerate(scored, 1)]
    rows += [{**b, "rank": None, "composite_score": None, "tier": tiers.get(b["id"], "")} for b in unscored]
    return {
        "rule": "R-RCT-1",
        "committee": committee,
        "year": year,
        "branches": len(branches),
        "scored": len(scored),
        "share": share,
        "quota": quota,
        "rows": rows,
        "proposed_ids": [b["id"] for b in scored[:quota]],
        "policy": policy.explain(POLICY_FIELD),
    }


def _explanation(*, ranking: dict, row: dict) -> dict:
    return {
        "rule": "R-RCT-1",
        "year": ranking["year"],
        "committee_id": ranking["committee"].pk,
        "committee": ranking["committee"].name,
        "rank": row["rank"],
        "composite_score": str(row["composite_score"]),
        "branches": ranking["branches"],
        "scored": ranking["scored"],
        "quota": ranking["quota"],
        "rounding": "up",
        "policy": ranking["policy"],
    }


def ranking_propose(*, committee: OrgUnit, year: int, by=None) -> dict:
    """R-RCT-1: propose the bottom share of the committee's branches as weak-and-lax candidates.

    Idempotent: a candidate already confirmed or rejected keeps its decision (its rank and score
    are refreshed); a still-proposed candidate that left the bottom share (scores changed) is
    withdrawn; new ones are created. Returns counts.
    """
    committee = committee_required(unit=committee)
    ranking = ranking_compute(committee=committee, year=year)
    by_id = {r["id"]: r for r in ranking["rows"]}
    wanted = ranking["proposed_ids"]
    with transaction.atomic():
        existing = {c.unit_id: c for c in WeakCandidate.objects.select_for_update().filter(
            unit_id__in=[r["id"] for r in ranking["rows"]], year=year)}
        stale = [c.pk for uid, c in existing.items() if c.state == CandidateState.PROPOSED and uid not in wanted]
        WeakCandidate.objects.filter(pk__in=stale).delete()
        new, refreshed = [], []
        for uid in wanted:
            row = by_id[uid]
            explanation = _explanation(ranking=ranking, row=row)
            candidate = existing.get(uid)
            if candidate is None:
                new.append(WeakCandidate(committee=committee, unit_id=uid, year=year, rank=row["rank"],
                                         composite_score=row["composite_score"], explanation=explanation))
            else:
                candidate.rank, candidate.composite_score = row["rank"], row["composite_score"]
                candidate.committee = committee
                candidate.explanation = explanation
                refreshed.append(candidate)
        WeakCandidate.objects.bulk_create(new)
        WeakCandidate.objects.bulk_update(refreshed, ["rank", "composite_score", "committee", "explanation"])
    return {"rule": "R-RCT-1", "proposed": len(new), "kept": len(refreshed), "withdrawn": len(stale),
            "quota": ranking["quota"], "branches": ranking["branches"]}


def _decidable(candidate: WeakCandidate, reason: str) -> tuple[WeakCandidate, str]:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [ERR_REASON]})
    locked = WeakCandidate.objects.select_for_update(of=("self",)).select_related("unit", "committee").get(pk=candidate.pk)
    if locked.state != CandidateState.PROPOSED:
        raise ValidationError({"state": [ERR_NOT_PROPOSED.format(state=locked.get_state_display())]})
    return locked, reason


def candidate_confirm(*, candidate: WeakCandidate, reason: str, by) -> WeakCandidate:
    """R-RCT-1, R-CLS-2: staff confirm a candidate: the branch is listed weak and lax for the year and its
    rectification case opens now (origin weak_and_lax) — the annual review opens it too, once."""
    from rectification.services.opening import case_open

    with transaction.atomic():
        candidate, reason = _decidable(candidate, reason)
        listing = BranchListing.objects.filter(unit=candidate.unit, year=candidate.year,
                                               kind=ListingKind.WEAK_AND_LAX).first()
        if listing is None:  # listed by hand already: the candidate links that listing
            listing = branch_listing_add(unit=candidate.unit, year=candidate.year, kind=ListingKind.WEAK_AND_LAX,
                                         reason=reason, by=by)
        candidate.state, candidate.reason, candidate.listing = CandidateState.CONFIRMED, reason, listing
        candidate.decided_by, candidate.decided_at = by, timezone.now()
        candidate.save(update_fields=["state", "reason", "listing", "decided_by", "decided_at"])
        case_open(unit=candidate.unit, year=candidate.year, origin=CaseOrigin.WEAK_AND_LAX, by=by,
                  explanation=weak_and_lax_explanation(listing=listing, candidate=candidate))
    return candidate


def candidate_reject(*, candidate: WeakCandidate, reason: str, by) -> WeakCandidate:
    """R-RCT-1: staff reject a candidate with a reason; the branch is not listed."""
    with transaction.atomic():
        candidate, reason = _decidable(candidate, reason)
        candidate.state, candidate.reason = CandidateState.REJECTED, reason
        candidate.decided_by, candidate.decided_at = by, timezone.now()
        candidate.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    return candidate


def weak_and_lax_explanation(*, listing: BranchListing, candidate: WeakCandidate | None) -> dict:
    """R-RCT-1, R-POL-2: why a weak-and-lax case opened — the listing, and the ranking that proposed it."""
    out = {"rule": "R-RCT-1", "origin": CaseOrigin.WEAK_AND_LAX.value, "year": listing.year,
           "listing_id": listing.pk, "listing_reason": listing.reason}
    if candidate is not None:
        exp = candidate.explanation or {}
        out.update(candidate_id=candidate.pk, rank=candidate.rank,
                   composite_score=str(candidate.composite_score) if candidate.composite_score is not None else None,
                   committee=exp.get("committee"), quota=exp.get("quota"), branches=exp.get("branches"),
                   policy=exp.get("policy"))
    return out
