"""R-MEM-1: which village branches developed no new member in the policy's run of successive years.

Decision (documented in the README): a year without a row is *not recorded*, not zero. A branch is
flagged only when every year of its window (``no_new_member_years`` years ending with ``year``) has a
row and every row says 0; a branch with no member in the recorded years but a year missing is listed
as *not recorded* so that staff enter the missing year, never silently flagged or cleared. Only
village branches (Sector.VILLAGE, BRANCH_LEVELS) are judged: the seed speaks of villages (村).

Set-based: the branches in one query, their rows in one, the policies of the year in one
(PolicyResolver), whatever the number of branches.
"""
from dataclasses import dataclass, field

from django.db.models import QuerySet

from cadres.models import MemberDevelopment
from core.choices import BRANCH_LEVELS, Sector
from core.models import OrgUnit
from core.services.policies import PolicyResolver

RULE = "R-MEM-1"
STATE_FLAGGED, STATE_NOT_RECORDED, STATE_OK, STATE_NOT_JUDGED = "flagged", "not_recorded", "ok", "not_judged"


@dataclass
class MemberStatus:
    unit: OrgUnit
    year: int
    window: list[int]                       # the years judged, oldest first
    counts: dict[int, int | None]           # year → new members, None when not recorded
    state: str
    policy: dict = field(default_factory=dict)  # R-POL-2: no_new_member_years and where it came from

    @property
    def flagged(self) -> bool:
        return self.state == STATE_FLAGGED

    @property
    def missing_years(self) -> list[int]:
        return [y for y in self.window if self.counts.get(y) is None]

    def explain(self) -> dict:
        """R-POL-2: the rule, its inputs and the policy value with its source."""
        return {"rule": RULE, "unit": self.unit.pk, "year": self.year, "window": self.window,
                "new_members": {str(y): self.counts.get(y) for y in self.window}, "state": self.state,
                "policy": self.policy}


def village_branches(*, scope_path: str | None = None, units: QuerySet | None = None) -> QuerySet:
    qs = units if units is not None else OrgUnit.objects.all()
    qs = qs.filter(sector=Sector.VILLAGE, level__in=BRANCH_LEVELS, is_active=True)
    if scope_path is not None:
        qs = qs.filter(path__startswith=scope_path)
    return qs.order_by("path")


def _judge(counts: list[int | None]) -> str:
    if any(c for c in counts if c is not None):
        return STATE_OK
    if all(c is not None for c in counts):
        return STATE_FLAGGED
    return STATE_NOT_RECORDED


def member_development_statuses(*, units, year: int, resolver: PolicyResolver | None = None,
                                extra_years: int = 0) -> list[MemberStatus]:
    """R-MEM-1: the status of each unit of ``units`` (OrgUnit rows) for ``year``; ``counts`` also holds
    ``extra_years`` years before the window (the page shows one year more). Non-village units are
    returned as not judged — never flagged."""
    units = list(units)
    resolver = resolver or PolicyResolver(year=year)
    windows = {}
    for unit in units:
        policy = resolver.for_unit(unit_id=unit.pk, path=unit.path)
        n = max(int(policy.no_new_member_years or 0), 1)
        windows[unit.pk] = (n, policy.explain("no_new_member_years"))
    longest = max((n for n, _p in windows.values()), default=1) + extra_years
    first = year - longest + 1
    rows = {}
    for unit_id, y, n in (MemberDevelopment.objects.filter(unit_id__in=[u.pk for u in units], year__gte=first,
                                                           year__lte=year)
                          .values_list("unit_id", "year", "new_members")):
        rows[(unit_id, y)] = n
    out = []
    for unit in units:
        n, explained = windows[unit.pk]
        window = list(range(year - n + 1, year + 1))
        shown = range(year - n - extra_years + 1, year + 1)
        counts = {y: rows.get((unit.pk, y)) for y in shown}
        judged = unit.sector == Sector.VILLAGE and unit.level in BRANCH_LEVELS
        state = _judge([counts[y] for y in window]) if judged else STATE_NOT_JUDGED
        out.append(MemberStatus(unit=unit, year=year, window=window, counts=counts, state=state, policy=explained))
    return out


def member_development_flags(*, year: int, scope_path: str | None = None,
                             units: QuerySet | None = None) -> dict[str, list[MemberStatus]]:
    """R-MEM-1: the village branches under ``scope_path`` (or among ``units``) flagged for ``year``
    and those whose window is not fully recorded."""
    statuses = member_development_statuses(units=village_branches(scope_path=scope_path, units=units), year=year)
    return {
        "flagged": [s for s in statuses if s.state == STATE_FLAGGED],
        "not_recorded": [s for s in statuses if s.state == STATE_NOT_RECORDED],
    }
