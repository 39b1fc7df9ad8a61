"""R-RCT-1: the read side of the bottom ranking — the report the page, its export and the API share."""
from core.models import OrgUnit
from core.selectors import anchor_unit
from rectification.models import RectificationCase, WeakCandidate
from rectification.services.ranking import committee_of, ranking_compute

TOWNSHIP_DEPTH = 3


def bottom_ranking(*, user, year: int, unit: OrgUnit | None = None) -> dict:
    """R-RCT-1, R-ORG-2: the ranking of the city-managed committee of ``unit`` (default: the user's unit).

    The ranks and the quota are the committee's (the whole committee is ranked), but only the rows
    of ``unit``'s subtree are returned: a township sees its own branches with their committee-wide
    ranks, and the id of each row's case of the year (its help page). ``unit`` must be one the user sees
    (the callers check it). Six queries.
    A unit above every committee (the city) gives ``committee=None`` and no rows.
    """
    base = unit or anchor_unit(user=user)
    empty = {"rule": "R-RCT-1", "year": year, "unit": base, "committee": None, "rows": [], "quota": 0,
             "branches": 0, "scored": 0, "share": None, "policy": {}}
    if base is None:
        return empty
    committee = committee_of(unit=base)
    if committee is None:
        return empty
    ranking = ranking_compute(committee=committee, year=year)
    visible = OrgUnit.objects.visible_to(user).filter(path__startswith=base.path)
    visible_ids = set(visible.filter(pk__in=[r["id"] for r in ranking["rows"]]).values_list("pk", flat=True))
    rows = [r for r in ranking["rows"] if r["id"] in visible_ids and r["path"].startswith(base.path)]
    ids = [r["id"] for r in rows]
    candidates = {c.unit_id: c for c in WeakCandidate.objects.filter(unit_id__in=ids, year=year)}
    cases = dict(RectificationCase.objects.visible_to(user).filter(unit_id__in=ids, year=year)
                 .values_list("unit_id", "pk"))
    step = OrgUnit.steplen
    townships = dict(OrgUnit.objects.filter(
        path__in={r["path"][: TOWNSHIP_DEPTH * step] for r in rows if len(r["path"]) > TOWNSHIP_DEPTH * step})
        .values_list("path", "name"))
    proposed = set(ranking["proposed_ids"])
    for r in rows:
        r["township"] = townships.get(r["path"][: TOWNSHIP_DEPTH * step], "")
        r["candidate"] = candidates.get(r["id"])
        r["case_id"] = cases.get(r["id"])
        r["in_quota"] = r["id"] in proposed
    return {**ranking, "unit": base, "rows": rows}

