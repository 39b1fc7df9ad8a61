"""R-STP-2/3: compute a jurisdiction's stipend lines for a year — set-based, a fixed number of queries.

``sheet_compute`` reads (1) the units above and the committees below the jurisdiction, (2) the
year's policies, (3) the secretaries' appointments in office that year, (4) the branches'
classifications and (5) the forms recorded (money or workload credit), and computes every line
in memory. It writes nothing: building a sheet stores its result, a what-if compares two results.
"""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessment.models import Classification
from cadres.choices import AppointmentRole
from cadres.models import Appointment
from core.choices import BRANCH_LEVELS, Level
from core.models import OrgUnit, Policy
from core.services.policies import PolicyResolver

from ..choices import BaseGroup, FloorKind, Period, Regime, StipendForm
from ..models import StipendElection
from .amounts import (
    BASE_FIELDS,
    COEFFICIENT_FIELDS,
    TWELVE,
    base_for,
    base_group,
    coefficient_for,
    months_counted,
    pool_shares,
    round_fen,
    stipend_amount,
)

#: R-POL-2: the policy values a stipend line can use, explained once per policy on the sheet.
STIPEND_POLICY_FIELDS = (
    "stipend_regime", *[n for pair in BASE_FIELDS.values() for n in pair], "stipend_township_pool",
    *COEFFICIENT_FIELDS.values(), "stipend_month_min_days", "workload_credit_share",
    "rural_average_income", "local_average_wage", "university_serving_min_monthly",
    "university_retired_min_yearly",
)
DEFAULT_POLICY_KEY = "default"

PROVISIONAL_NOT_CLASSIFIED = "not_classified"
PROVISIONAL_NOT_PUBLISHED = "not_published"
PROVISIONAL_REASONS = {
    PROVISIONAL_NOT_CLASSIFIED: _("The branch's year is not classified yet: coefficient 1 until it is."),
    PROVISIONAL_NOT_PUBLISHED: _("The branch's tier is not published yet and may still change."),
}


@dataclass
class ComputedLine:
    """One line as computed; the fields of ``StipendLine`` plus the names shown on pages."""

    person_id: int
    person_name: str
    unit_id: int
    unit_name: str
    unit_path: str
    township_id: int | None
    township_name: str
    county_id: int | None
    sector: str
    group: str
    regime: str
    form: str
    base_amount: Decimal | None
    base_period: str
    pool_amount: Decimal | None
    tier: str
    coefficient: Decimal
    months: int
    in_office_from: dt.date
    in_office_until: dt.date
    amount: Decimal
    provisional: bool
    policy_key: str
    explanation: dict
    flags: list = field(default_factory=list)

    @property
    def key(self) -> tuple[int, int]:
        return (self.person_id, self.unit_id)


@dataclass
class ComputedSheet:
    unit_id: int
    year: int
    lines: list[ComputedLine]
    policies: dict
    floors: list
    regimes: list

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def provisional_count(self) -> int:
        return sum(1 for line in self.lines if line.provisional)

    @property
    def workload_credit_count(self) -> int:
        return sum(1 for line in self.lines if line.form == StipendForm.WORKLOAD_CREDIT)

    @property
    def flagged_count(self) -> int:
        return sum(1 for f in self.floors if f["ok"] is False)


def _structure(unit: OrgUnit) -> dict[str, dict]:
    """Every non-branch unit above and below ``unit``, by path: one query."""
    rows = OrgUnit.objects.filter(
        Q(path__in=unit.ancestor_paths()) | (Q(path__startswith=unit.path) & ~Q(level__in=(*BRANCH_LEVELS,
                                                                                             Level.ENTERPRISE)))
    ).values("id", "path", "name", "level", "depth")
    return {r["path"]: r for r in rows}


def _nearest(structure: dict, path: str, level: str) -> dict | None:
    step = OrgUnit.steplen
    for i in range(len(path) - step, 0, -step):
        row = structure.get(path[:i])
        if row is not None and row["level"] == level:
            return row
    return None


def _parent(structure: dict, path: str) -> dict | None:
    """The nearest committee above a branch (a branch under a general branch is totalled with its committee)."""
    step = OrgUnit.steplen
    for i in range(len(path) - step, 0, -step):
        row = structure.get(path[:i])
        if row is not None:
            return row
    return None


def _county(structure: dict, path: str) -> dict | None:
    """The county (区县) the floors average over; above a system committee's branches, its committee (depth 2)."""
    return _nearest(structure, path, Level.COUNTY) or structure.get(path[:2 * OrgUnit.steplen])


def _draft_policy(*, unit: OrgUnit, year: int, values: dict) -> Policy:
    """An unsaved policy of ``unit``: its saved one (if any) with ``values`` laid over it."""
    saved = Policy.objects.filter(unit=unit, year=year).first()
    policy = Policy(unit=unit, year=year)
    for f in Policy.value_fields():
        setattr(policy, f.attname, getattr(saved, f.attname) if saved else None)
    for name, value in values.items():
        setattr(policy, name, value)
    return policy


def sheet_compute(*, unit: OrgUnit, year: int, draft_values: dict | None = None) -> ComputedSheet:
    """R-STP-2/3: the lines of ``unit``'s sheet for ``year``; ``draft_values`` stand in for the unit's own policy."""
    replace = {unit.path: _draft_policy(unit=unit, year=year, values=draft_values)} if draft_values else None
    resolver = PolicyResolver(year=year, replace_policies=replace)
    structure = _structure(unit)
    jan1, after_year = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)

    appointments = (
        Appointment.objects.filter(
            role=AppointmentRole.SECRETARY, unit__path__startswith=unit.path, unit__level__in=BRANCH_LEVELS,
            start_date__lt=after_year,
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=jan1))
        .values_list("person_id", "person__name", "person__is_retired", "unit_id", "unit__name", "unit__path",
                     "unit__sector", "start_date", "end_date")
        .order_by("unit__path", "person__name", "person_id", "start_date")
    )
    # A tier without a cycle was entered or imported as final; one from a cycle counts once published.
    tiers = {
        unit_id: (tier, cycle_id is None or published_at is not None)
        for unit_id, tier, cycle_id, published_at in Classification.objects.filter(
            year=year, unit__path__startswith=unit.path).exclude(tier="")
        .values_list("unit_id", "tier", "cycle_id", "cycle__published_at")
    }
    forms = {
        (p, u): f for p, u, f in StipendElection.objects.filter(year=year, unit__path__startswith=unit.path)
        .values_list("person_id", "unit_id", "form")
    }

    # One line per (person, branch): the year's appointments there summed (a re-election with a gap).
    spans: dict[tuple[int, int], dict] = {}
    for person_id, name, retired, unit_id, unit_name, path, sector, start, end in appointments:
        first = max(start, jan1)
        after_last = min(after_year, end + dt.timedelta(days=1)) if end else after_year
        if after_last <= first:
            continue
        entry = spans.setdefault((person_id, unit_id), {
            "person_name": name, "retired": retired, "unit_name": unit_name, "path": path, "sector": sector,
            "periods": []})
        entry["periods"].append((first, after_last))

    policies: dict[str, dict] = {}
    lines: list[ComputedLine] = []
    pools: dict[int, list[ComputedLine]] = defaultdict(list)

    for (person_id, unit_id), entry in spans.items():
        path = entry["path"]
        policy = resolver.for_unit(unit_id=unit_id, path=path)
        nearest = resolver.nearest_policy_unit_id(path=path)
        key = str(nearest) if nearest else DEFAULT_POLICY_KEY
        if key not in policies:
            policies[key] = {"unit_id": nearest, "values": policy.explain(*STIPEND_POLICY_FIELDS)}
        months = min(12, sum(months_counted(first=a, after_last=b, min_days=policy.stipend_month_min_days)
                             for a, b in entry["periods"]))
        tier, published = tiers.get(unit_id, ("", False))
        provisional_reason = None
        if not tier:
            provisional_reason = PROVISIONAL_NOT_CLASSIFIED
        elif not published:
            provisional_reason = PROVISIONAL_NOT_PUBLISHED
        coefficient = coefficient_for(policy, tier)
        group = base_group(sector=entry["sector"], is_retired=entry["retired"])
        form = forms.get((person_id, unit_id), StipendForm.MONEY)
        township = _nearest(structure, path, Level.TOWNSHIP) or _parent(structure, path)
        county = _county(structure, path)
        regime = Regime.POOL if (group == BaseGroup.VILLAGE and policy.stipend_regime == Regime.POOL) else Regime.BASE
        base, period = base_for(policy, group)
        line = ComputedLine(
            person_id=person_id, person_name=entry["person_name"], unit_id=unit_id, unit_name=entry["unit_name"],
            unit_path=path, township_id=township["id"] if township else None,
            township_name=township["name"] if township else "", county_id=county["id"] if county else None,
            sector=entry["sector"], group=group, regime=regime, form=form,
            base_amount=None, base_period="", pool_amount=None, tier=tier, coefficient=coefficient, months=months,
            in_office_from=min(a for a, _ in entry["periods"]),
            in_office_until=max(b for _, b in entry["periods"]) - dt.timedelta(days=1),
            amount=Decimal("0.00"), provisional=provisional_reason is not None, policy_key=key,
            explanation={"rule": "R-STP-2", "regime": regime, "group": group, "tier": tier,
                         "coefficient": str(coefficient), "months": months, "policy": key,
                         "provisional": provisional_reason,
                         "periods": [[a.isoformat(), (b - dt.timedelta(days=1)).isoformat()]
                                     for a, b in entry["periods"]]},
        )
        if form == StipendForm.WORKLOAD_CREDIT:
            # R-STP-3 (004 第八条): credited as workload instead; not money, not in the total.
            line.explanation.update(rule="R-STP-3", workload_credit_share=str(policy.workload_credit_share))
        elif regime == Regime.POOL:
            pools[line.township_id].append(line)
        elif base is None:
            line.flags.append(FloorKind.NO_BASE)
            line.explanation["formula"] = None
        else:
            line.base_amount, line.base_period = Decimal(base), period
            line.amount = stipend_amount(base=base, period=period, coefficient=coefficient, months=months)
            per = " / 12" if period == Period.YEAR else ""
            line.explanation["formula"] = f"{base} × {coefficient} × {months}{per} = {line.amount}"
        lines.append(line)

    _share_pools(pools=pools, structure=structure, resolver=resolver, policies=policies)
    floors = _check_floors(lines=lines, structure=structure, resolver=resolver)
    regimes = sorted({line.regime for line in lines if line.form == StipendForm.MONEY})
    return ComputedSheet(unit_id=unit.pk, year=year, lines=lines, policies=policies, floors=floors, regimes=regimes)


def _share_pools(*, pools, structure, resolver, policies) -> None:
    """R-STP-2 (001 item 7): each township's pool shared among its village secretaries by coefficient × months."""
    by_id = {row["id"]: row for row in structure.values()}
    for township_id, members in pools.items():
        township = by_id.get(township_id)
        policy = resolver.for_unit(unit_id=township_id, path=township["path"]) if township else None
        pool = policy.stipend_township_pool if policy else None
        if pool is None:
            for line in members:
                line.flags.append(FloorKind.NO_BASE)
                line.explanation["formula"] = None
            continue
        nearest = resolver.nearest_policy_unit_id(path=township["path"])
        pool_key = str(nearest) if nearest else DEFAULT_POLICY_KEY
        if pool_key not in policies:
            policies[pool_key] = {"unit_id": nearest, "values": policy.explain(*STIPEND_POLICY_FIELDS)}
        weights = [line.coefficient * line.months for line in members]
        total_weight = sum(weights, Decimal(0))
        for line, weight, share in zip(members, weights, pool_shares(pool=pool, weights=weights)):
            line.pool_amount, line.amount = Decimal(pool), share
            line.explanation.update(
                pool=str(pool), pool_policy=pool_key, township=township["name"], weight=str(weight),
                total_weight=str(total_weight), sharers=len(members),
                formula=f"{pool} × {weight} / {total_weight} = {share}")


def _check_floors(*, lines, structure, resolver) -> list[dict]:
    """R-STP-3: the averages per county and the minimums per line; each floor once, with its numbers."""
    by_id = {row["id"]: row for row in structure.values()}
    floors: list[dict] = []
    averages = (
        (BaseGroup.VILLAGE, FloorKind.VILLAGE_AVERAGE, "rural_average_income"),
        (BaseGroup.COMMUNITY, FloorKind.COMMUNITY_AVERAGE, "local_average_wage"),
    )
    for group, kind, floor_field in averages:
        by_county: dict[int | None, list[ComputedLine]] = defaultdict(list)
        for line in lines:
            if line.group == group and line.form == StipendForm.MONEY and line.months:
                by_county[line.county_id].append(line)
        for county_id, members in by_county.items():
            county = by_id.get(county_id)
            if county is None:
                continue
            policy = resolver.for_unit(unit_id=county_id, path=county["path"])
            floor = getattr(policy, floor_field)
            paid = sum((line.amount for line in members), Decimal(0))
            years = sum((Decimal(line.months) for line in members), Decimal(0)) / TWELVE
            average = round_fen(paid / years) if years else Decimal("0.00")
            ok = None if floor is None else average >= Decimal(floor)
            floors.append({"kind": kind, "rule": "R-STP-3", "unit_id": county_id, "unit": county["name"],
                           "value": str(average), "floor": None if floor is None else str(round_fen(floor)), "ok": ok,
                           "lines": len(members), "policy_field": floor_field,
                           "source": policy.explain(floor_field)[floor_field]})
    for line in lines:
        if line.form != StipendForm.MONEY or not line.months or FloorKind.NO_BASE in line.flags:
            continue
        if line.group == BaseGroup.UNIVERSITY:
            policy = resolver.for_unit(unit_id=line.unit_id, path=line.unit_path)
            monthly = round_fen(line.amount / line.months)
            floor = Decimal(policy.university_serving_min_monthly)
            if monthly < floor:
                line.flags.append(FloorKind.UNIVERSITY_MONTHLY)
                floors.append({"kind": FloorKind.UNIVERSITY_MONTHLY, "rule": "R-STP-3", "unit_id": line.unit_id,
                               "unit": line.unit_name, "person": line.person_name, "value": str(monthly),
                               "floor": str(round_fen(floor)), "ok": False, "lines": 1})
        elif line.group == BaseGroup.RETIRED_BRANCH:
            policy = resolver.for_unit(unit_id=line.unit_id, path=line.unit_path)
            yearly = round_fen(line.amount * TWELVE / line.months)
            floor = Decimal(policy.university_retired_min_yearly)
            if yearly < floor:
                line.flags.append(FloorKind.RETIRED_YEARLY)
                floors.append({"kind": FloorKind.RETIRED_YEARLY, "rule": "R-STP-3", "unit_id": line.unit_id,
                               "unit": line.unit_name, "person": line.person_name, "value": str(yearly),
                               "floor": str(round_fen(floor)), "ok": False, "lines": 1})
    no_base = [line for line in lines if FloorKind.NO_BASE in line.flags]
    if no_base:
        floors.append({"kind": FloorKind.NO_BASE, "rule": "R-STP-1", "unit_id": None, "unit": "",
                       "value": None, "floor": None, "ok": False, "lines": len(no_base)})
    return floors
