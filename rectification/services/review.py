"""R-RCT-1, R-RCT-4, R-JOB-1: what the annual review does for rectification once it has classified.

Registered in ``RectificationConfig.ready()`` as the review step ``rectification.cases``. Set-based:
a fixed number of queries whatever the number of branches (reads of the tiers, the listings, the
candidates, the committees, the policies and the existing cases; bulk writes of the new cases and
their events). Running the review again opens nothing twice: a branch has one case a year
(unique constraint), and an origin already on the case is not added again.
"""
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessment.choices import ListingKind, Tier
from assessment.models import BranchListing, Classification
from core.models import OrgUnit
from core.services.policies import PolicyResolver
from rectification.choices import AdjustmentCause, CandidateState, CaseEventKind, CaseOrigin, CorrectionState
from rectification.models import CaseEvent, CorrectionOrder, RectificationCase, WeakCandidate
from rectification.services.ranking import COMMITTEE_DEPTH, POLICY_FIELD, weak_and_lax_explanation


def _poor(*, scope_path: str, year: int) -> list[tuple]:
    return list(Classification.objects.filter(unit__path__startswith=scope_path, year=year, tier=Tier.POOR)
                .values_list("unit_id", "composite_score", "computed_tier", "cycle_id"))


def _wanted_origins(*, scope_path: str, year: int, poor: list[tuple]) -> dict[int, dict[str, dict]]:
    """unit id → {origin: explanation} for the 较差 branches (``poor``) and the weak-and-lax listed ones
    (one query for the listings, three more when there are some)."""
    wanted: dict[int, dict[str, dict]] = defaultdict(dict)
    for uid, score, computed, cycle_id in poor:
        wanted[uid][CaseOrigin.POOR_TIER.value] = {
            "rule": "R-RCT-1", "origin": CaseOrigin.POOR_TIER.value, "year": year, "tier": Tier.POOR.value,
            "tier_by_rules": computed, "composite_score": str(score) if score is not None else None,
            "cycle_id": cycle_id}
    listings = list(BranchListing.objects.filter(unit__path__startswith=scope_path, year=year,
                                                 kind=ListingKind.WEAK_AND_LAX).select_related("unit"))
    if listings:
        candidates = {c.unit_id: c for c in WeakCandidate.objects.filter(
            unit_id__in=[li.unit_id for li in listings], year=year, state=CandidateState.CONFIRMED)}
        step = OrgUnit.steplen
        committee_paths = {li.unit.path[: COMMITTEE_DEPTH * step] for li in listings}
        committees = {c.path: c for c in OrgUnit.objects.filter(path__in=committee_paths)}
        resolver = PolicyResolver(year=year)
        for li in listings:
            out = weak_and_lax_explanation(listing=li, candidate=candidates.get(li.unit_id))
            committee = committees.get(li.unit.path[: COMMITTEE_DEPTH * step])
            if committee is not None and "policy" not in out:
                # Listed by hand: the share the ranking would have used, and whose policy it is (R-POL-2).
                out["committee"] = committee.name
                out["policy"] = resolver.for_unit(unit_id=committee.pk, path=committee.path).explain(POLICY_FIELD)
            wanted[li.unit_id][CaseOrigin.WEAK_AND_LAX.value] = out
    return wanted


def cases_open_for_review(*, scope_path: str, year: int, by=None, poor: list[tuple] | None = None) -> dict:
    """R-RCT-1: a case for every 较差 branch and every weak-and-lax branch of ``year`` under ``scope_path``.

    Exactly once per branch and year: existing cases (open or closed) get only the origins they
    lack (with an "another reason" event); a closed case is not reopened (R-RCT-3).
    """
    poor = _poor(scope_path=scope_path, year=year) if poor is None else poor
    wanted = _wanted_origins(scope_path=scope_path, year=year, poor=poor)
    if not wanted:
        return {"opened": 0, "origins_added": 0, "poor": 0, "weak_and_lax": 0}
    existing = {c.unit_id: c for c in RectificationCase.objects.filter(unit_id__in=list(wanted), year=year)}
    order = [CaseOrigin.POOR_TIER.value, CaseOrigin.WEAK_AND_LAX.value]
    new, changed, events = [], [], []
    for uid, origins in sorted(wanted.items()):
        codes = [o for o in order if o in origins]
        case = existing.get(uid)
        if case is None:
            new.append(RectificationCase(unit_id=uid, year=year, origins=codes, opened_by=by,
                                         explanation={o: origins[o] for o in codes}))
            continue
        missing = [o for o in codes if o not in case.origins]
        if missing:
            case.origins = [*case.origins, *missing]
            case.explanation = {**(case.explanation or {}), **{o: origins[o] for o in missing}}
            changed.append(case)
            events += [CaseEvent(case=case, kind=CaseEventKind.ORIGIN_ADDED, by=by, data={"origin": o, **origins[o]})
                       for o in missing]
    if new:
        created = bulk_create_with_history(new, RectificationCase, batch_size=500, default_user=by)
        if any(c.pk is None for c in created):  # a database that does not return keys
            created = list(RectificationCase.objects.filter(unit_id__in=[c.unit_id for c in new], year=year))
        for case in created:
            events += [CaseEvent(case=case, kind=CaseEventKind.OPENED, by=by,
                                 data={"origin": o, **case.explanation[o]}) for o in case.origins]
    if changed:
        bulk_update_with_history(changed, RectificationCase, ["origins", "explanation"], batch_size=500,
                                 default_user=by)
    CaseEvent.objects.bulk_create(events, batch_size=500)
    return {
        "opened": len(new),
        "origins_added": sum(1 for e in events if e.kind == CaseEventKind.ORIGIN_ADDED),
        "poor": sum(1 for o in wanted.values() if CaseOrigin.POOR_TIER in o),
        "weak_and_lax": sum(1 for o in wanted.values() if CaseOrigin.WEAK_AND_LAX in o),
    }


def corrections_propose_poor_again(*, scope_path: str, year: int, stamp=None,
                                   poor_ids: list[int] | None = None) -> int:
    """R-RCT-4: a secretary ordered to correct in ``year - 1`` whose branch is 较差 again in ``year``, still
    in the post: the order proposes adjustment (cause poor_again). Orders already proposed or decided are
    left alone, so a second run changes nothing. Three queries whatever the number of orders."""
    stamp = stamp or timezone.now()
    if poor_ids is None:
        poor_ids = [row[0] for row in _poor(scope_path=scope_path, year=year)]
    if not poor_ids:
        return 0
    orders = list(CorrectionOrder.objects.filter(
        unit_id__in=poor_ids, year=year - 1, state__in=(CorrectionState.OPEN, CorrectionState.MET))
        .filter(Q(appointment__end_date__isnull=True) | Q(appointment__end_date__gt=stamp.date())))
    for o in orders:
        o.state, o.cause, o.proposed_at = CorrectionState.ADJUSTMENT_PROPOSED, AdjustmentCause.POOR_AGAIN, stamp
    if orders:
        bulk_update_with_history(orders, CorrectionOrder, ["state", "cause", "proposed_at"], batch_size=500)
        CaseEvent.objects.bulk_create([
            CaseEvent(case_id=o.case_id, kind=CaseEventKind.ADJUSTMENT_PROPOSED,
                      data={"rule": "R-RCT-4", "order_id": o.pk, "cause": AdjustmentCause.POOR_AGAIN.value,
                            "year": year, "order_year": o.year})
            for o in orders if o.case_id])
    return len(orders)


def rectification_review_step(*, cycle, scope_path: str, stamp) -> dict:
    """R-JOB-1: the review step — cases for 较差 and weak-and-lax branches, then R-RCT-4's poor-again proposals."""
    poor = _poor(scope_path=scope_path, year=cycle.year)
    out = cases_open_for_review(scope_path=scope_path, year=cycle.year, poor=poor)
    out["adjustments_proposed"] = corrections_propose_poor_again(scope_path=scope_path, year=cycle.year, stamp=stamp,
                                                                 poor_ids=[row[0] for row in poor])
    return {"rule": "R-RCT-1", **out}
