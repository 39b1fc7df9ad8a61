"""R-STP-5/6: health-check eligibility — continuous office, good years — and the checks and recuperation given.

Eligibility is computed from the appointments and the published tiers, in memory, by two pure functions:

* ``continuous_periods`` merges a person's successive secretary appointments (of any branch) into periods of
  continuous office (R-STP-6);
* ``eligibility_for`` says whether one period qualifies in a year (R-STP-5) and explains why (R-POL-2).

``health_eligibility_refresh`` reads a scope's secretaries in a fixed number of queries, runs the two
functions, and stores one ``HealthCheckEntitlement`` per qualifying period — the first year it qualified; a
later refresh only updates the explanation of an entitlement not used by a check yet. The annual review runs
it as its ``stipends.health`` step (R-JOB-1, ``health_refresh_for_cycle``).

Which policy applies: the effective policy, for the refreshed year, of the branch the person held at the end
of their last period that year (``PolicyResolver``, R-STP-1's inheritance). Its gap days merge the
person's appointments, its years and good-year count decide the period.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from assessment.choices import Tier
from assessment.models import Classification
from cadres.choices import AppointmentRole
from cadres.models import Appointment, Person
from core.choices import BRANCH_LEVELS
from core.services.policies import EffectivePolicy, PolicyResolver

from ..choices import HealthCheckBasis, HealthCheckKind
from ..models import HealthCheck, HealthCheckEntitlement

RULES = ["R-STP-5", "R-STP-6"]
POLICY_FIELDS = ("health_check_min_years", "health_check_min_good_years", "continuous_office_gap_days")
BATCH = 1000

MSG_NOT_STAFF = _("Only organisation-department staff may do this.")
MSG_ENTITLEMENT_REQUIRED = _("A check by the rule needs the eligibility it uses; choose one from the eligible list.")
MSG_ENTITLEMENT_OTHER_PERSON = _("This eligibility belongs to another person.")
MSG_ENTITLEMENT_USED = _("This eligibility has been used already: the secretary has had the check it gives.")
MSG_DECISION_REQUIRED = _("Say who decided it (the committee and its decision): a check or recuperation by "
                          "decision needs it.")
MSG_DECISION_NO_ENTITLEMENT = _("A check or recuperation by decision does not use an eligibility; "
                                "leave it empty or choose “eligible by the rule”.")
MSG_RECUPERATION_BY_DECISION = _("Recuperation is given by decision of the party committee, not by the "
                                 "eligibility rule.")
MSG_DONE_BEFORE_DECIDED = _("The day it was done cannot be before the day it was decided.")
MSG_DONE_IN_FUTURE = _("The day it was done cannot be in the future.")
MSG_ALREADY_DONE = _("This was marked done already, on {date}.")
MSG_COST_NEGATIVE = _("The cost cannot be negative.")
MSG_NO_BRANCH = _("This person holds no secretary post to record it under; choose the branch.")
MSG_YEAR_RANGE = _("Enter a year between 1949 and 2200.")


# ---------------------------------------------------------------- pure: periods and eligibility

@dataclass(frozen=True)
class Stint:
    """One secretary appointment, as the rule reads it: ``end`` None while in office."""

    person_id: int
    unit_id: int
    start: dt.date
    end: dt.date | None
    unit_name: str = ""
    unit_path: str = ""


@dataclass
class OfficePeriod:
    """Continuous office: successive appointments merged (R-STP-6)."""

    person_id: int
    start: dt.date
    end: dt.date | None  # None: still in office
    stints: list[Stint] = field(default_factory=list)
    gaps: list[dict] = field(default_factory=list)  # the gaps bridged inside the period
    broken_by: dict | None = None  # the gap before this period that was too long to bridge

    def last_day(self, year: int) -> dt.date:
        """The last day of office counted for ``year``: 31 December, or the period's end if earlier."""
        dec31 = dt.date(year, 12, 31)
        return dec31 if self.end is None or self.end > dec31 else self.end

    def stint_at(self, day: dt.date) -> Stint:
        """The appointment held on ``day`` (the latest started by then): the branch at the period's end."""
        started = [s for s in self.stints if s.start <= day]
        return max(started or self.stints, key=lambda s: (s.start, s.end or dt.date.max))


def gap_days_between(end: dt.date, next_start: dt.date) -> int:
    """The days strictly between an appointment's end and the next one's start: end 31 January and start
    1 February is 0 days; end 31 January and start 3 March 2020 is 31 days. Overlapping (or same-day)
    appointments give a negative number."""
    return (next_start - end).days - 1


def continuous_periods(*, stints: Iterable[Stint], gap_days: int) -> list[OfficePeriod]:
    """R-STP-6: one person's secretary appointments (of any branches) merged into periods of continuous office.

    An appointment continues the period before it when the *gap* — the days strictly between the period's
    end so far and the appointment's start (``gap_days_between``) — is at most ``gap_days`` (the policy's
    ``continuous_office_gap_days``, 31 by default: a gap of 31 days keeps office continuous, one of 45
    breaks it). Overlapping appointments (two posts at once, or an end on the next one's first day) merge.
    A bridged gap counts as office: the period runs from its first start to its last end.
    """
    ordered = sorted(stints, key=lambda s: (s.start, s.end or dt.date.max))
    periods: list[OfficePeriod] = []
    for stint in ordered:
        current = periods[-1] if periods else None
        if current is not None:
            if current.end is None:
                current.stints.append(stint)
                continue
            gap = gap_days_between(current.end, stint.start)
            if gap <= gap_days:
                current.stints.append(stint)
                if gap > 0:
                    current.gaps.append({"after": current.end.isoformat(), "before": stint.start.isoformat(),
                                         "days": gap})
                if stint.end is None or stint.end > current.end:
                    current.end = stint.end
                continue
            broken = {"after": current.end.isoformat(), "before": stint.start.isoformat(), "days": gap}
        else:
            broken = None
        periods.append(OfficePeriod(person_id=stint.person_id, start=stint.start, end=stint.end, stints=[stint],
                                    broken_by=broken))
    return periods


@dataclass
class Eligibility:
    qualifies: bool
    qualified_on: dt.date | None
    years: int
    months: int
    good_years: list[int]
    held_years: list[int]
    explanation: dict


def _held_years(period: OfficePeriod, last_day: dt.date) -> dict[int, set[int]]:
    """Year → the branches whose secretary post the person held at some time that year (up to ``last_day``)."""
    held: dict[int, set[int]] = defaultdict(set)
    for s in period.stints:
        if s.start > last_day:
            continue
        end = min(s.end or last_day, last_day)
        for year in range(s.start.year, end.year + 1):
            held[year].add(s.unit_id)
    return held


def eligibility_for(*, period: OfficePeriod, year: int, policy: EffectivePolicy,
                    good: Mapping[tuple[int, int], bool] | set[tuple[int, int]]) -> Eligibility:
    """R-STP-5: whether ``period`` qualifies in ``year``, and why (R-POL-2).

    It qualifies when (1) by 31 December of ``year`` (or by the period's end, if earlier) it has lasted at
    least the policy's ``health_check_min_years`` — calendar years counted with ``relativedelta`` from the
    first day to the day after the last: 1 January 2019 to 31 December 2024 is exactly 6 years, 1 February
    2019 to 31 December 2024 is 5 years 11 months — and (2) at least ``health_check_min_good_years``
    distinct years within it were rated 好 for a branch whose secretary post the person held at some time
    that year. ``good`` holds the (branch id, year) pairs whose tier counts as 好: published, or entered
    with no cycle. ``qualified_on`` is the day both held: the later of the day the years were complete and
    31 December of the good year that completed the count (never after the last day counted).
    """
    min_years = policy.health_check_min_years
    min_good = policy.health_check_min_good_years
    last_day = period.last_day(year)
    lasted = relativedelta(last_day + dt.timedelta(days=1), period.start) if last_day >= period.start \
        else relativedelta()
    long_enough = lasted.years >= min_years
    held = _held_years(period, last_day)
    good_years = sorted(y for y, units in held.items() if any((u, y) in good for u in units))
    enough_good = len(good_years) >= min_good
    qualifies = long_enough and enough_good and period.start <= last_day
    qualified_on = None
    if qualifies:
        complete = period.start + relativedelta(years=min_years) - dt.timedelta(days=1)
        candidates = [complete]
        if min_good:
            candidates.append(dt.date(good_years[min_good - 1], 12, 31))
        qualified_on = min(max(candidates), last_day)
    explanation = {
        "rule": RULES,
        "year": year,
        "qualifies": qualifies,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat() if period.end else None,
                   "counted_until": last_day.isoformat()},
        "appointments": [{"unit_id": s.unit_id, "unit": s.unit_name, "start": s.start.isoformat(),
                          "end": s.end.isoformat() if s.end else None}
                         for s in period.stints if s.start <= last_day],
        "gaps": list(period.gaps),
        "broken_by": period.broken_by,
        "lasted": {"years": lasted.years, "months": lasted.months, "days": lasted.days},
        "held_years": sorted(held),
        "good_years": good_years,
        "qualified_on": qualified_on.isoformat() if qualified_on else None,
        "policy": policy.explain(*POLICY_FIELDS),
        "policy_unit_id": policy.unit_id,
    }
    return Eligibility(qualifies=qualifies, qualified_on=qualified_on, years=lasted.years, months=lasted.months,
                       good_years=good_years, held_years=sorted(held), explanation=explanation)


# ---------------------------------------------------------------- set-based refresh

def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": [MSG_YEAR_RANGE]}) from None
    if not 1949 <= year <= 2200:
        raise ValidationError({"year": [MSG_YEAR_RANGE]})
    return year


@transaction.atomic
def health_eligibility_refresh(*, scope_path: str, year: int) -> dict:
    """R-STP-5/6: list every secretary of the scope in office during ``year`` whose continuous office qualifies.

    Set-based: (1) the secretary appointments of those people (all their branches, for continuity), (2) the
    good tiers of those branches, (3) the year's policies, (4) the people's entitlements, then one
    ``bulk_create`` and one ``bulk_update`` (in batches). One entitlement per qualifying period, whatever the
    number of refreshes; an entitlement already used by a check is left as it was. Idempotent.
    """
    year = _check_year(year)
    jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_scope = (Appointment.objects.filter(role=AppointmentRole.SECRETARY, unit__level__in=BRANCH_LEVELS,
                                           unit__path__startswith=scope_path, start_date__lte=dec31)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=jan1)).values("person_id"))
    secretary_posts = Appointment.objects.filter(role=AppointmentRole.SECRETARY, unit__level__in=BRANCH_LEVELS,
                                                 person_id__in=in_scope, start_date__lte=dec31)
    rows = list(secretary_posts.values_list("person_id", "unit_id", "unit__name", "unit__path", "start_date",
                                            "end_date"))  # query 1
    good = set(
        Classification.objects.filter(unit_id__in=secretary_posts.values("unit_id"), year__lte=year,
                                      tier=Tier.GOOD)
        .filter(Q(cycle__isnull=True) | Q(cycle__published_at__isnull=False))
        .values_list("unit_id", "year"))  # query 2
    resolver = PolicyResolver(year=year)  # query 3
    existing: dict[int, list[HealthCheckEntitlement]] = defaultdict(list)
    for ent in HealthCheckEntitlement.objects.filter(person_id__in=in_scope).annotate(
            is_checked=Exists(HealthCheck.objects.filter(entitlement_id=OuterRef("pk")))):  # query 4
        existing[ent.person_id].append(ent)

    by_person: dict[int, list[Stint]] = defaultdict(list)
    for person_id, unit_id, unit_name, path, start, end in rows:
        by_person[person_id].append(Stint(person_id=person_id, unit_id=unit_id, start=start, end=end,
                                          unit_name=unit_name, unit_path=path))

    create, update = [], []
    counts = {"people": len(by_person), "qualifying": 0, "created": 0, "updated": 0, "used_left": 0}
    for person_id, stints in by_person.items():
        latest = max(stints, key=lambda s: (s.start, s.end or dt.date.max))
        policy = resolver.for_unit(unit_id=latest.unit_id, path=latest.unit_path)
        for period in continuous_periods(stints=stints, gap_days=policy.continuous_office_gap_days):
            if period.end is not None and period.end < jan1:
                continue  # not in office this year: an earlier year's refresh lists it
            branch = period.stint_at(period.last_day(year))
            if not branch.unit_path.startswith(scope_path):
                continue  # listed by the scope that holds the branch
            policy = resolver.for_unit(unit_id=branch.unit_id, path=branch.unit_path)
            result = eligibility_for(period=period, year=year, policy=policy, good=good)
            if not result.qualifies:
                continue
            counts["qualifying"] += 1
            last_day = period.last_day(year)
            match = next((e for e in existing[person_id] if period.start <= e.period_start <= last_day), None)
            if match is None:
                create.append(HealthCheckEntitlement(
                    person_id=person_id, unit_id=branch.unit_id, period_start=period.start,
                    qualified_on=result.qualified_on, year=result.qualified_on.year,
                    good_years=result.good_years, explanation=result.explanation))
            elif match.is_checked:
                counts["used_left"] += 1
            else:
                # The explanation follows the data (a tier published since, an appointment corrected);
                # the year it was first listed stays.
                match.period_start = period.start
                match.good_years = result.good_years
                match.explanation = result.explanation
                update.append(match)
    HealthCheckEntitlement.objects.bulk_create(create, batch_size=BATCH)
    if update:
        HealthCheckEntitlement.objects.bulk_update(update, ["period_start", "good_years", "explanation"],
                                                   batch_size=BATCH)
    counts["created"], counts["updated"] = len(create), len(update)
    return {"year": year, **counts}


def health_refresh_for_cycle(*, cycle, scope_path: str, stamp) -> dict:
    """R-JOB-1: the annual review's step — refresh the health-check eligibility of the cycle's year in scope."""
    return health_eligibility_refresh(scope_path=scope_path, year=cycle.year)


# ---------------------------------------------------------------- checks and recuperation (R-STP-5, 000 item 14)

def _require_staff(user) -> None:
    if user is not None and not (getattr(user, "is_superuser", False) or getattr(user, "is_staff_role", False)):
        raise PermissionDenied(MSG_NOT_STAFF)


def _check_dates(*, decided_on: dt.date, done_on: dt.date | None, errors: dict, today: dt.date) -> None:
    if done_on is None:
        return
    if done_on < decided_on:
        errors.setdefault("done_on", []).append(MSG_DONE_BEFORE_DECIDED)
    elif done_on > today:
        errors.setdefault("done_on", []).append(MSG_DONE_IN_FUTURE)


def _branch_of(person: Person):
    """The branch a check by decision is recorded under: the person's current (else last) secretary post."""
    post = (Appointment.objects.filter(person=person, role=AppointmentRole.SECRETARY, unit__level__in=BRANCH_LEVELS)
            .select_related("unit").order_by(F("end_date").desc(nulls_first=True), "-start_date").first())
    return post.unit if post else None


@transaction.atomic
def health_check_record(*, person: Person, kind: str, basis: str, decided_on: dt.date, by,
                        entitlement: HealthCheckEntitlement | None = None, decision: str = "",
                        unit=None, done_on: dt.date | None = None, place: str = "", cost: Decimal | None = None,
                        paid_by: str = "", notes: str = "", today: dt.date | None = None) -> HealthCheck:
    """R-STP-5: record a health check or recuperation decided for ``person``.

    By the rule (``eligible``): a health check using one of the person's eligibilities not yet used.
    By decision (000 item 14: long-serving and retired secretaries may be given recuperation and checks):
    no eligibility, the deciding committee and decision named in ``decision``.
    """
    _require_staff(by)
    today = today or dt.date.today()
    errors: dict[str, list] = {}
    decision = (decision or "").strip()
    if basis == HealthCheckBasis.ELIGIBLE:
        if kind == HealthCheckKind.RECUPERATION:
            errors.setdefault("basis", []).append(MSG_RECUPERATION_BY_DECISION)
        elif entitlement is None:
            errors.setdefault("entitlement", []).append(MSG_ENTITLEMENT_REQUIRED)
        else:
            entitlement = HealthCheckEntitlement.objects.select_for_update().get(pk=entitlement.pk)
            if entitlement.person_id != person.pk:
                errors.setdefault("entitlement", []).append(MSG_ENTITLEMENT_OTHER_PERSON)
            elif HealthCheck.objects.filter(entitlement=entitlement).exists():
                errors.setdefault("entitlement", []).append(MSG_ENTITLEMENT_USED)
            unit = entitlement.unit
    elif basis == HealthCheckBasis.DECISION:
        if not decision:
            errors.setdefault("decision", []).append(MSG_DECISION_REQUIRED)
        if entitlement is not None:
            errors.setdefault("entitlement", []).append(MSG_DECISION_NO_ENTITLEMENT)
        unit = unit or _branch_of(person) or (person.unit if person.unit_id else None)
        if unit is None:
            errors.setdefault("unit", []).append(MSG_NO_BRANCH)
    if cost is not None and cost < 0:
        errors.setdefault("cost", []).append(MSG_COST_NEGATIVE)
    _check_dates(decided_on=decided_on, done_on=done_on, errors=errors, today=today)
    if errors:
        raise ValidationError(errors)
    return HealthCheck.objects.create(
        person=person, unit=unit, kind=kind, basis=basis, entitlement=entitlement, decided_on=decided_on,
        decision=decision, done_on=done_on, place=place or "", cost=cost, paid_by=paid_by or "",
        notes=notes or "", created_by=by if getattr(by, "pk", None) else None)


EDITABLE = ("decided_on", "decision", "done_on", "place", "cost", "paid_by", "notes")


@transaction.atomic
def health_check_update(*, check: HealthCheck, by, today: dt.date | None = None, **values) -> HealthCheck:
    """Correct a record's dates, place, cost, payer and notes; the person, kind, basis and eligibility stay."""
    _require_staff(by)
    today = today or dt.date.today()
    check = HealthCheck.objects.select_for_update().get(pk=check.pk)
    for name, value in values.items():
        if name not in EDITABLE:
            raise ValidationError({name: [_("This cannot be changed here.")]})
        setattr(check, name, value if value is not None or name in ("done_on", "cost") else "")
    errors: dict[str, list] = {}
    check.decision = (check.decision or "").strip()
    if check.basis == HealthCheckBasis.DECISION and not check.decision:
        errors.setdefault("decision", []).append(MSG_DECISION_REQUIRED)
    if check.cost is not None and check.cost < 0:
        errors.setdefault("cost", []).append(MSG_COST_NEGATIVE)
    _check_dates(decided_on=check.decided_on, done_on=check.done_on, errors=errors, today=today)
    if errors:
        raise ValidationError(errors)
    check.save()
    return check


@transaction.atomic
def health_check_mark_done(*, check: HealthCheck, done_on: dt.date, by, place: str | None = None,
                           cost: Decimal | None = None, today: dt.date | None = None) -> HealthCheck:
    """R-STP-5: the check or recuperation took place (the list then shows who has had theirs)."""
    _require_staff(by)
    today = today or dt.date.today()
    check = HealthCheck.objects.select_for_update().get(pk=check.pk)
    if check.done_on is not None:
        raise ValidationError({"done_on": [MSG_ALREADY_DONE.format(date=check.done_on.isoformat())]})
    errors: dict[str, list] = {}
    _check_dates(decided_on=check.decided_on, done_on=done_on, errors=errors, today=today)
    if cost is not None and cost < 0:
        errors.setdefault("cost", []).append(MSG_COST_NEGATIVE)
    if errors:
        raise ValidationError(errors)
    check.done_on = done_on
    if place:
        check.place = place
    if cost is not None:
        check.cost = cost
    check.save(update_fields=["done_on", "place", "cost"])
    return check

