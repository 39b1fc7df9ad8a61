"""Read side of training: the compliance report (R-TRN-5), panels and lists.

The report is set-based: whatever the number of secretaries it costs one query for the
secretary appointments (with first-appointment dates and rotation counts as correlated
aggregates), one grouped aggregate over attendances, and one for the policies.
"""
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DateField, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cadres.choices import AppointmentRole
from cadres.models import Appointment, Person
from core.models import OrgUnit
from core.services.policies import PolicyResolver
from training.choices import RULE_STATUSES, ComplianceRule, ComplianceStatus, CourseKind
from training.models import Attendance
from training.services.compliance import (
    TrainingStatus,
    annual_training_status,
    hours_per_day,
    initial_training_status,
    rotation_status,
)

# The staff panel's window ("due in the next 30 days", issue 3); a view setting, not a rule number.
DUE_SOON_DAYS = 30


def report_as_of(*, year: int, today: dt.date | None = None) -> dt.date:
    """A past year is judged at its last day; the current year at today."""
    today = today or timezone.localdate()
    return min(today, dt.date(year, 12, 31))


@dataclass
class ComplianceRow:
    appointment: Appointment
    person: Person
    unit: OrgUnit
    days: Decimal
    statuses: dict = field(default_factory=dict)  # rule id -> TrainingStatus | None (rule does not apply)

    @property
    def is_failing(self) -> bool:
        return any(s is not None and s.is_failing for s in self.statuses.values())

    def status_of(self, rule: str) -> TrainingStatus | None:
        return self.statuses.get(rule)

    @property
    def initial(self):
        return self.statuses.get(ComplianceRule.INITIAL.value)

    @property
    def annual(self):
        return self.statuses.get(ComplianceRule.ANNUAL.value)

    @property
    def rotation(self):
        return self.statuses.get(ComplianceRule.ROTATION.value)


def secretary_appointments_in_office(*, queryset, as_of: dt.date):
    """Secretary appointments held on ``as_of``, annotated for R-TRN-1 and R-TRN-3 in the same query."""
    first_start = (
        Appointment.objects.filter(person=OuterRef("person"), role=AppointmentRole.SECRETARY)
        .order_by().values("person").annotate(first=Min("start_date")).values("first")
    )
    rotations = (
        Attendance.objects.filter(
            person=OuterRef("person"), course__kind=CourseKind.PARTY_SCHOOL_ROTATION, completed=True,
            completed_on__gte=OuterRef("start_date"), completed_on__lte=as_of,
        )
        .filter(completed_on__lte=Coalesce(OuterRef("planned_end_date"), Value(as_of), output_field=DateField()))
        .order_by().values("person").annotate(n=Count("pk")).values("n")
    )
    return (
        queryset.filter(role=AppointmentRole.SECRETARY, start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
        .select_related("person", "unit")
        .annotate(first_start=Subquery(first_start), rotations=Coalesce(Subquery(rotations), Value(0)))
        .order_by("unit__path")
    )


def _attendance_totals(*, appointments, year: int, as_of: dt.date) -> dict[int, dict]:
    """One grouped aggregate: per person, days given and hours (to convert) completed in the year,
    and the first completed initial training."""
    in_year = Q(completed_on__year=year)
    rows = (
        Attendance.objects.filter(
            person_id__in=appointments.values("person_id"), completed=True, completed_on__lte=as_of
        )
        .order_by().values("person_id")
        .annotate(
            days_given=Sum("days", filter=in_year & Q(days__isnull=False)),
            hours=Sum(Coalesce("hours", "course__hours"), filter=in_year & Q(days__isnull=True)),
            initial_on=Min("completed_on", filter=Q(course__kind=CourseKind.INITIAL)),
        )
    )
    return {r["person_id"]: r for r in rows}


def _initial_applies(status: TrainingStatus, *, year: int, first_start: dt.date) -> bool:
    """R-TRN-1 belongs to a year's report while its window overlaps the year, while it is
    still outstanding, or when the training was done that year; a case settled in an earlier
    year is not reported again."""
    if first_start > dt.date(year, 12, 31):
        return False
    if status.status in (ComplianceStatus.OVERDUE, ComplianceStatus.DUE):
        return True
    if status.deadline >= dt.date(year, 1, 1):
        return True
    trained_on = status.explanation["trained_on"]
    return trained_on is not None and trained_on.year == year


def compliance_rows(*, appointments, year: int, as_of: dt.date) -> list[ComplianceRow]:
    """R-TRN-1..3 for every secretary in ``appointments`` (already scoped): three queries in all."""
    appointments = secretary_appointments_in_office(queryset=appointments, as_of=as_of)
    totals = _attendance_totals(appointments=appointments, year=year, as_of=as_of)
    resolver = PolicyResolver(year=year)
    rows = []
    for a in appointments:
        policy = resolver.for_unit(unit_id=a.unit_id, path=a.unit.path)
        t = totals.get(a.person_id, {})
        days = Decimal(t.get("days_given") or 0) + (Decimal(t.get("hours") or 0) / hours_per_day(policy=policy))
        initial = initial_training_status(
            first_start=a.first_start, trained_on=t.get("initial_on"), as_of=as_of, policy=policy
        )
        statuses = {
            ComplianceRule.INITIAL.value: (
                initial if _initial_applies(initial, year=year, first_start=a.first_start) else None
            ),
            ComplianceRule.ANNUAL.value: annual_training_status(
                year=year, days=days, office_start=a.start_date, office_end=a.end_date, as_of=as_of, policy=policy
            ),
            ComplianceRule.ROTATION.value: rotation_status(
                term_start=a.start_date, term_end=a.planned_end_date, rotations=a.rotations, as_of=as_of,
                policy=policy,
            ),
        }
        rows.append(ComplianceRow(appointment=a, person=a.person, unit=a.unit, days=days, statuses=statuses))
    return rows


def training_compliance_report(
    *, user, year: int, unit: OrgUnit | None = None, sector: str | None = None, rule: str | None = None,
    status: str | None = None, as_of: dt.date | None = None,
) -> dict:
    """R-TRN-5: who meets R-TRN-1..3 in the user's jurisdiction (or a unit within it) for a year.

    ``unit`` must already be one the user may see. Counts are over the jurisdiction and
    sector; ``rule``/``status`` narrow only the listed rows.
    """
    as_of = as_of or report_as_of(year=year)
    qs = Appointment.objects.visible_to(user)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if sector:
        qs = qs.filter(unit__sector=sector)
    rows = compliance_rows(appointments=qs, year=year, as_of=as_of)
    counts = {r.value: dict.fromkeys((s.value for s in RULE_STATUSES[r]), 0) for r in ComplianceRule}
    for row in rows:
        for rule_id, st in row.statuses.items():
            if st is not None:
                counts[rule_id][st.status] += 1
    failing = sum(1 for r in rows if r.is_failing)
    listed = rows
    if rule:
        listed = [r for r in listed if r.statuses.get(rule) is not None]
        if status:
            listed = [r for r in listed if r.statuses[rule].status == status]
    elif status:
        listed = [r for r in listed if any(s is not None and s.status == status for s in r.statuses.values())]
    return {
        "year": year,
        "as_of": as_of,
        "unit": unit,
        "secretaries": len(rows),
        "failing": failing,
        "compliant": len(rows) - failing,
        "counts": counts,
        "rows": listed,
    }


def chart_bars(counts: dict) -> list[dict]:
    """Bars for the page's chart: each rule's statuses as shares of the largest count."""
    labels = dict(ComplianceStatus.choices)
    biggest = max((n for per_rule in counts.values() for n in per_rule.values()), default=0) or 1
    bars = []
    for rule_id, per_rule in counts.items():
        bars.append({
            "rule": rule_id,
            "label": dict(ComplianceRule.choices)[rule_id],
            "items": [
                {"status": s, "label": labels[s], "count": n, "percent": round(n * 100 / biggest)}
                for s, n in per_rule.items()
            ],
        })
    return bars


def training_due_soon(*, user, today: dt.date | None = None, days: int = DUE_SOON_DAYS) -> dict:
    """Staff panel: R-TRN-1 deadlines within ``days`` and overdue ones in the user's jurisdiction."""
    today = today or timezone.localdate()
    rows = compliance_rows(appointments=Appointment.objects.visible_to(user), year=today.year, as_of=today)
    due, overdue = [], []
    for row in rows:
        st = row.initial
        if st is None:
            continue
        if st.status == ComplianceStatus.DUE and st.deadline <= today + dt.timedelta(days=days):
            due.append(row)
        elif st.status == ComplianceStatus.OVERDUE:
            overdue.append(row)
    due.sort(key=lambda r: r.initial.deadline)
    overdue.sort(key=lambda r: r.initial.deadline)
    return {"days": days, "today": today, "due": due, "overdue": overdue}


def secretary_training_panel(user, *, today: dt.date | None = None) -> dict:
    """A secretary's own record: attendances, this year's statuses and the next deadline."""
    today = today or timezone.localdate()
    person = Person.objects.filter(user=user).first() if user.is_authenticated else None
    if person is None:
        return {"person": None}
    attendances = (
        Attendance.objects.visible_to(user).filter(person=person).select_related("course").order_by("-completed_on")
    )
    rows = compliance_rows(appointments=Appointment.objects.filter(person=person), year=today.year, as_of=today)
    row = rows[0] if rows else None
    deadlines = []
    if row is not None:
        for st in row.statuses.values():
            if st is not None and st.deadline and st.deadline >= today and st.status in (
                ComplianceStatus.DUE, ComplianceStatus.IN_PROGRESS, ComplianceStatus.PENDING,
                ComplianceStatus.FLAGGED,
            ):
                deadlines.append(st)
    deadlines.sort(key=lambda s: s.deadline)
    return {
        "person": person,
        "attendances": attendances,
        "row": row,
        "next_deadline": deadlines[0] if deadlines else None,
        "today": today,
    }

