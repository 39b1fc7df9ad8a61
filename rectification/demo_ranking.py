"""Demo rows of the ranking, help and corrections for ``seed_demo`` (R-RCT-1/2/4).

Connected to ``cadres.demo.demo_seeded`` in ``RectificationConfig.ready()``, after assessment's
receiver (INSTALLED_APPS order), whose annual review has classified last year and opened the cases
of the 较差 and weak-and-lax branches through the review step. Then, through the services:

* every county's bottom ranking of last year is proposed (``ranking_propose``);
* in the first county (its year left unpublished by assessment's demo, so lists can still change):
  the lowest candidate confirmed (listed weak and lax, its case opened), the next rejected, the rest
  left proposed, then the county's review run again so the listed branch is 较差 (R-CLS-2);
* help on the first county's cases by their tier (work-team leader as first secretary for a 较差
  branch, a township liaison), from people of the county who hold no post at the branch;
* correction orders to the secretaries of three of those cases: one correcting, one corrected, one
  whose deadline passed, so it proposes adjustment.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assessment.models import Classification
from cadres.choices import AppointmentRole
from cadres.models import Appointment, Person
from core.choices import Level
from core.models import OrgUnit, User
from rectification.choices import CandidateState, HelpKind
from rectification.models import CorrectionOrder, HelpAssignment, RectificationCase, WeakCandidate


def seed_rectification(sender, *, seed: int, as_of: dt.date, progress, result, **kwargs) -> None:
    """Receiver of ``demo_seeded``: candidates of every county, help and corrections in the first."""
    from rectification.services.corrections import correction_mark_met, correction_order, corrections_propose_due
    from rectification.services.help import help_assign, help_suggested_kinds
    from rectification.services.ranking import candidate_confirm, candidate_reject, ranking_propose

    year = as_of.year - 1
    counties = list(OrgUnit.objects.filter(level=Level.COUNTY, depth=2).order_by("path"))
    if not counties or not Classification.objects.filter(year=year).exists():
        return
    staff = User.objects.filter(username="county_staff").first() or User.objects.filter(username="admin").first()
    for county in counties:
        ranking_propose(committee=county, year=year, by=staff)
    first = counties[0]
    proposed = list(WeakCandidate.objects.filter(committee=first, year=year, state=CandidateState.PROPOSED)
                    .order_by("rank"))
    if proposed:
        candidate_confirm(candidate=proposed[0], reason="倒排末位，班子软弱，组织生活不正常", by=staff)
    if len(proposed) > 1:
        candidate_reject(candidate=proposed[1], reason="新班子刚换届，工作正在起步，暂不列入", by=staff)
    if proposed:
        # R-CLS-2: the listing makes the branch 较差 at the next run of the review, which staff start
        # after confirming; the demo runs it so the tier and the case's reasons agree.
        from assessment.models import AssessmentCycle
        from assessment.services.classification import annual_review_run

        cycle = AssessmentCycle.objects.filter(unit=first, year=year, published_at__isnull=True).first()
        if cycle is not None:
            annual_review_run(cycle_id=cycle.pk)

    cases = list(RectificationCase.objects.filter(unit__path__startswith=first.path, year=year)
                 .select_related("unit").order_by("unit__path")[:8])
    tiers = dict(Classification.objects.filter(unit__in=[c.unit_id for c in cases], year=year)
                 .values_list("unit_id", "tier"))
    posted = set(Appointment.objects.filter(unit__path__startswith=first.path, end_date__isnull=True)
                 .values_list("person_id", flat=True))
    helpers = list(Person.objects.filter(unit__path__startswith=first.path).exclude(pk__in=posted)
                   .order_by("pk")[: len(cases) * 2])
    start = as_of.replace(month=3, day=1)
    helps = 0
    for case in cases[:4]:
        kinds = help_suggested_kinds(tiers.get(case.unit_id)) or [HelpKind.LIAISON]
        kind = kinds[0] if kinds[0] != HelpKind.WORK_TEAM_MEMBER else HelpKind.WORK_TEAM_LEADER
        if not helpers:
            break
        help_assign(case=case, kind=kind, person=helpers.pop(0), from_unit=first, start_date=start, by=staff,
                    note="演示：按等次安排帮扶")
        helps += 1
        if helpers:
            help_assign(case=case, kind=HelpKind.LIAISON, person=helpers.pop(0), start_date=start, by=staff)
            helps += 1

    today = max(timezone.localdate(), as_of)
    orders = []
    texts = ["三会一课制度落实不到位", "党员发展长期停滞", "软弱涣散问题整改不力"]
    secretaries = {a.unit_id: a for a in Appointment.objects.filter(
        unit__in=[c.unit_id for c in cases], role=AppointmentRole.SECRETARY, end_date__isnull=True)}
    for case in cases:
        appointment = secretaries.get(case.unit_id)
        if appointment is not None and len(orders) < len(texts):
            orders.append(correction_order(appointment=appointment, requirement=texts[len(orders)],
                                           deadline=today + dt.timedelta(days=20), by=staff, case=case))
    if len(orders) < len(texts):  # few cases: orders without a case to the secretaries of the lowest-scored
        low = (Classification.objects.filter(unit__path__startswith=first.path, year=year,
                                             composite_score__isnull=False)
               .exclude(unit__in=[o.unit_id for o in orders]).order_by("composite_score", "unit__path")
               .values_list("unit_id", flat=True)[:10])
        for appointment in Appointment.objects.filter(unit__in=list(low), role=AppointmentRole.SECRETARY,
                                                      end_date__isnull=True).order_by("unit__path"):
            if len(orders) == len(texts):
                break
            orders.append(correction_order(appointment=appointment, requirement=texts[len(orders)],
                                           deadline=today + dt.timedelta(days=20), by=staff, year=year))
    if len(orders) > 1:
        correction_mark_met(order=orders[1], note="已按要求整改，经乡镇党委验收", by=staff)
    if len(orders) > 2:
        # The third order's deadline passed: the daily sweep's rule proposes adjustment.
        CorrectionOrder.objects.filter(pk=orders[2].pk).update(deadline=today - dt.timedelta(days=3))
        corrections_propose_due(as_of=today)
    result.counts["rectification.WeakCandidate"] = WeakCandidate.objects.filter(year=year).count()
    result.counts["rectification.HelpAssignment"] = HelpAssignment.objects.count()
    result.counts["rectification.CorrectionOrder"] = CorrectionOrder.objects.count()
    progress(f"  rectification: {result.counts['rectification.WeakCandidate']} weak-and-lax candidates, "
             f"{helps} help assignments, {len(orders)} correction orders")
