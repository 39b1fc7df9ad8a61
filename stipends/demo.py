"""Demo stipends for ``seed_demo`` (issue 10 item 4: "the demo city has both regimes"; R-STP-1..4).

Connected to ``cadres.demo.demo_seeded`` in ``StipendsConfig.ready()``; stipends' app config is ready after
assessment's and rectification's (INSTALLED_APPS order), so the receiver runs last and sees the tiers of
the year the assessment demo classified last (``as_of.year - 1``: published in every county but the first,
still calibrating there). For that year, and for this year (the first county has its cycle open), it writes:

* the **first county** (a Changde-like district): the base regime — villages 30,000 a year, communities
  42,000 a year, other sectors' secretaries (organs, enterprises) no stipend (0) — with a local rural
  average labour income of 28,800 last year, above what its village secretaries average after the tiers'
  coefficients, so the sheet shows a flagged floor (R-STP-3); a community average wage they do meet;
* the **second county**: the township pool regime — 300,000 a year per township shared among its village
  secretaries by coefficient × months (001 item 7) — and the same community and other bases;
* the **university committee** (湖南文理学院党委, sector university): serving staff 300 a month and
  retired-staff branches 500 a year (004 第八条, the defaults made explicit in its own policy), and the
  workload credit recorded for up to two serving secretaries in office that year (always leaving one
  paid) — not money, so
  not in the sheet's total.

Then it builds the three jurisdictions' sheets for last year through ``sheet_build`` (replacing the drafts
the annual review built before these policies existed) and approves the second county's (its tiers are
published), so the demo shows drafts and an approved sheet. Idempotent: policies are upserted (only the
stipend fields are set, the rest of an existing policy is left as it is), forms go through
``election_set`` (an upsert), an approved sheet is never rebuilt. A handful of queries per jurisdiction.
"""
from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from cadres.choices import AppointmentRole
from cadres.models import Appointment
from core.choices import BRANCH_LEVELS, Level, Sector
from core.models import OrgUnit, Policy, User

from .choices import SheetState, StipendForm
from .models import StipendElection, StipendLine, StipendSheet

UNIVERSITY_NAME = "湖南文理学院党委"
VILLAGE_BASE = Decimal("30000")
COMMUNITY_BASE = Decimal("42000")
TOWNSHIP_POOL = Decimal("300000")
RURAL_INCOME_FLAGGED = Decimal("28800")  # above the first county's village average once the tiers apply
COMMUNITY_WAGE = Decimal("36000")  # below the community average: that floor is met
MAX_CREDITS = 2

NOTE_BASE = "参照常德市委〔2012〕5号“以乡镇为单位……依所定四级依次按1:0.9:0.8:0.7比例确定报酬”，按基数×等次系数发放（演示数据）"
NOTE_POOL = "常德市委〔2012〕5号：以乡镇为单位核定报酬总额，按等次系数和任职月数分配（演示数据）"
NOTE_UNIVERSITY = "参照东南大学党支部书记工作规定第八条：在职教职工党支部书记每月不低于300元或折算工作量，离退休党支部书记每年500元（演示数据）"
NOTE_CREDIT = "本人申请按年度工作量10%计算（演示数据）"


def _jurisdictions():
    """The first two counties of the demo city, in path order, and its university committee."""
    counties = list(OrgUnit.objects.filter(level=Level.COUNTY).order_by("path")[:2])
    university = (OrgUnit.objects.filter(level=Level.SYSTEM, sector=Sector.UNIVERSITY, name=UNIVERSITY_NAME)
                  .order_by("path").first()
                  or OrgUnit.objects.filter(level=Level.SYSTEM, sector=Sector.UNIVERSITY).order_by("path").first())
    return counties, university


def _policy(*, unit: OrgUnit, year: int, note: str, values: dict) -> bool:
    """Set the stipend fields of ``unit``'s ``year`` policy (created if missing), validated (R-POL-1).
    Returns whether a policy was created."""
    policy = Policy.objects.filter(unit=unit, year=year).first()
    created = policy is None
    if created:
        policy = Policy(unit=unit, year=year, note=note)
    elif note not in policy.note:
        policy.note = f"{policy.note}；{note}" if policy.note else note
    changed = created or any(getattr(policy, k) != v for k, v in values.items())
    for name, value in values.items():
        setattr(policy, name, value)
    if changed:
        policy.clean()
        policy.save()
    return created


def _credits(*, university: OrgUnit, year: int, admin) -> int:
    """R-STP-3: the workload credit for up to two serving secretaries of the university, one left paid."""
    from .services.elections import election_set

    jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    posts = list(Appointment.objects.filter(
        unit__path__startswith=university.path, unit__level__in=BRANCH_LEVELS, unit__sector=Sector.UNIVERSITY,
        role=AppointmentRole.SECRETARY, person__is_retired=False, start_date__lte=dec31,
    ).exclude(end_date__lt=jan1).select_related("person", "unit").order_by("start_date", "unit__path", "pk"))
    # The longest-serving secretaries of the year; at least one stays paid, so the sheet shows both forms.
    unique = list({(a.person_id, a.unit_id): a for a in posts}.values())  # one per post, first appointment
    chosen = unique[:min(MAX_CREDITS, max(len(unique) - 1, 0))]
    for a in chosen:
        election_set(person=a.person, unit=a.unit, year=year, form=StipendForm.WORKLOAD_CREDIT, note=NOTE_CREDIT,
                     user=admin)
    return len(chosen)


def seed_stipends(sender=None, *, seed: int = 0, as_of: dt.date | None = None, result=None, progress=None,
                  **kwargs) -> None:
    """Receiver of ``demo_seeded``: both regimes' policies, the university's forms, last year's sheets."""
    from .services.sheets import sheet_approve, sheet_build

    started = time.monotonic()
    as_of = as_of or dt.date.today()
    year = as_of.year - 1
    admin = User.objects.filter(username="admin").first()
    counties, university = _jurisdictions()
    if admin is None or len(counties) < 2:
        return
    first, second = counties
    common = {"stipend_base_community": COMMUNITY_BASE, "stipend_base_community_period": "year",
              "local_average_wage": COMMUNITY_WAGE, "stipend_base_other": Decimal("0"),
              "stipend_base_other_period": "year"}
    policies = 0
    for y in (year, as_of.year):
        base = {"stipend_regime": "base", "stipend_base_village": VILLAGE_BASE, "stipend_base_village_period": "year",
                **common}
        if y == year:
            base["rural_average_income"] = RURAL_INCOME_FLAGGED
        policies += _policy(unit=first, year=y, note=NOTE_BASE, values=base)
        policies += _policy(unit=second, year=y, note=NOTE_POOL, values={
            "stipend_regime": "pool", "stipend_township_pool": TOWNSHIP_POOL, **common})
        if university is not None:
            policies += _policy(unit=university, year=y, note=NOTE_UNIVERSITY, values={
                "stipend_base_university": Decimal("300"), "stipend_base_university_period": "month",
                "stipend_base_retired_branch": Decimal("500"), "stipend_base_retired_branch_period": "year",
                "university_serving_min_monthly": Decimal("300"), "university_retired_min_yearly": Decimal("500")})
    credits = _credits(university=university, year=year, admin=admin) if university is not None else 0

    sheets = []
    for unit in (first, second, university):
        if unit is None:
            continue
        own = StipendSheet.objects.filter(unit=unit, year=year)
        if own.exists() and not own.filter(state=SheetState.DRAFT).exists():
            sheets.append(own.order_by("-version").first())  # approved before (a second seeding): frozen
            continue
        sheets.append(sheet_build(unit=unit, year=year, user=admin))
    # The second county's tiers are published: its sheet is the one approved (the first is still calibrating).
    sheets = [sheet_approve(sheet=s, user=admin) if s.unit_id == second.pk and s.state == SheetState.DRAFT else s
              for s in sheets]

    if result is not None:
        result.counts["stipends.StipendSheet"] = StipendSheet.objects.count()
        result.counts["stipends.StipendLine"] = StipendLine.objects.count()
        result.counts["stipends.StipendElection"] = StipendElection.objects.count()
    if progress is not None:
        parts = [f"{s.unit.name} {s.state} {s.line_count} lines {s.total} yuan "
                 f"({s.provisional_count} provisional, {s.flagged_count} floors flagged)" for s in sheets]
        progress(f"  stipends: {policies} policies, {credits} workload credits; {year}: " + "; ".join(parts)
                 + f"  {time.monotonic() - started:7.1f} s")
