"""Demo rows of health checks for ``seed_demo`` (R-STP-5/6, 000 item 14).

Connected to ``cadres.demo.demo_seeded`` in ``StipendsConfig.ready()``; stipends' app config is ready after
assessment's and rectification's (INSTALLED_APPS order), so the demo's tiers exist and are published by then.
Through the services: the eligible list is refreshed for last year and this year over the whole tree (set-based,
as the annual review's step does), the first eligible secretary is given a check that was done, and the
longest-serving retired secretary a recuperation by decision. Idempotent: a rerun adds nothing.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cadres.choices import AppointmentRole
from cadres.models import Appointment
from core.choices import BRANCH_LEVELS
from core.models import User
from stipends.choices import HealthCheckBasis, HealthCheckKind
from stipends.models import HealthCheck, HealthCheckEntitlement


def seed_health(sender=None, *, as_of: dt.date | None = None, result=None, progress=None, **kwargs) -> None:
    """Receiver of ``demo_seeded``: the eligible lists of the demo's years, a check done and a decided recuperation."""
    from stipends.services.health import health_check_mark_done, health_check_record, health_eligibility_refresh

    as_of = as_of or dt.date.today()
    # The records are the department's: the superuser sees every county, where the eligible may be.
    staff = User.objects.filter(username="admin").first()
    if staff is None:
        return
    refreshed = [health_eligibility_refresh(scope_path="", year=y) for y in (as_of.year - 1, as_of.year)]
    first = (HealthCheckEntitlement.objects.visible_to(staff).filter(health_check__isnull=True)
             .order_by("year", "unit__path", "pk").first())
    if first is not None and not HealthCheck.objects.filter(basis=HealthCheckBasis.ELIGIBLE).exists():
        decided = max(dt.date(first.year + 1, 3, 1), first.qualified_on)
        if decided <= as_of:
            check = health_check_record(person=first.person, kind=HealthCheckKind.CHECK,
                                        basis=HealthCheckBasis.ELIGIBLE, entitlement=first, decided_on=decided,
                                        paid_by="区县财政和上级党组织", place="县人民医院体检中心", by=staff,
                                        today=as_of)
            done = min(decided + dt.timedelta(days=30), as_of)
            health_check_mark_done(check=check, done_on=done, cost=Decimal("860.00"), by=staff, today=as_of)
    if not HealthCheck.objects.filter(basis=HealthCheckBasis.DECISION).exists():
        post = (Appointment.objects.visible_to(staff)
                .filter(role=AppointmentRole.SECRETARY, unit__level__in=BRANCH_LEVELS, person__is_retired=True)
                .select_related("person").order_by("start_date", "pk").first())
        if post is not None:
            health_check_record(person=post.person, kind=HealthCheckKind.RECUPERATION,
                                basis=HealthCheckBasis.DECISION, unit=post.unit,
                                decided_on=as_of - dt.timedelta(days=60), decision="县委组织部部务会研究决定",
                                place="南岳疗休养基地", paid_by="县委组织部", by=staff, today=as_of,
                                notes="长期担任党支部书记，安排疗休养（000 第14条）")
    if result is not None:
        result.counts["stipends.HealthCheckEntitlement"] = HealthCheckEntitlement.objects.count()
        result.counts["stipends.HealthCheck"] = HealthCheck.objects.count()
    if progress is not None:
        progress("  health checks: " + "; ".join(f"{r['year']}: {r['qualifying']} eligible of {r['people']} "
                                                 "secretaries" for r in refreshed))
