"""Read side of training: the compliance report (R-TRN-5), panels and lists.

The report is set-based: whatever the number of secretaries, on PostgreSQL it costs one
statement for the inputs of R-TRN-1..3 (the scoped secretary appointments joined to grouped
aggregates: first appointment, attendance days and hours, first initial training, rotations)
and one for the policies; elsewhere (SQLite) the same inputs take two ORM queries. The rules
then run in Python — the functions of ``training.services.compliance`` — over plain tuples;
explanations (R-POL-2) and model instances are made only for the rows a page, the API or a file reads.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, DateField, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cadres.choices import AppointmentRole
from cadres.models import Appointment, Person
from core.models import OrgUnit
from core.services.policies import PolicyResolver
from training.choices import FAILING_STATUSES, RULE_STATUSES, ComplianceRule, ComplianceStatus, CourseKind
from training.models import Attendance, Course
from training.services.compliance import (
    TrainingStatus,
    annual_training_outcome,
    annual_training_status,
    hours_per_day,
    initial_training_outcome,
    initial_training_status,
    rotation_outcome,
    rotation_status,
)

# The staff panel's window ("due in the next 30 days", issue 3); a view setting, not a rule number.
DUE_SOON_DAYS = 30


def report_as_of(*, year: int, today: dt.date | None = None) -> dt.date:
    """A past year is judged at its last day; the current year at today."""
    today = today or timezone.localdate()
    return min(today, dt.date(year, 12, 31))


class ComplianceRow:
    """One secretary's R-TRN-1..3 for a report: built from plain values, with each rule's outcome
    (status, deadline) decided at once — what counts, filters and the failing flag need — and the
    explained ``TrainingStatus`` (R-POL-2), the ``person``, ``unit`` and ``appointment`` made only
    when a page, the API or a file reads them, i.e. for the rows shown."""

    __slots__ = ("values", "policy", "days", "initial_on", "outcomes", "_ctx", "_statuses", "_objects")

    def __init__(self, *, values: tuple, policy, days: Decimal, initial_on, outcomes: dict, ctx: "_Context"):
        self.values, self.policy, self.days, self.initial_on = values, policy, days, initial_on
        self.outcomes = outcomes  # rule id -> (status, deadline) | None (the rule does not apply)
        self._ctx, self._statuses, self._objects = ctx, {}, None

    # Plain values of the row (no model instance): see ``_ROW_FIELDS``.
    appointment_id = property(lambda self: self.values[0])
    person_id = property(lambda self: self.values[1])
    unit_id = property(lambda self: self.values[2])
    start_date = property(lambda self: self.values[3])
    end_date = property(lambda self: self.values[4])
    planned_end_date = property(lambda self: self.values[5])
    first_start = property(lambda self: self.values[6])
    rotations = property(lambda self: self.values[7])
    name = property(lambda self: self.values[8])
    unit_name = property(lambda self: self.values[10])
    unit_path = property(lambda self: self.values[11])
    unit_sector = property(lambda self: self.values[12])

    @property
    def is_failing(self) -> bool:
        return any(o is not None and o[0] in FAILING_STATUSES for o in self.outcomes.values())

    def outcome(self, rule: str) -> tuple[str, dt.date | None] | None:
        return self.outcomes.get(rule)

    def status_of(self, rule: str) -> TrainingStatus | None:
        """The rule's explained status (R-POL-2), built on first use; None when the rule does not apply."""
        if self.outcomes.get(rule) is None:
            return None
        if rule not in self._statuses:
            self._statuses[rule] = self._ctx.explain(self, rule)
        return self._statuses[rule]

    @property
    def statuses(self) -> dict:
        return {rule: self.status_of(rule) for rule in self.outcomes}

    @property
    def initial(self):
        return self.status_of(ComplianceRule.INITIAL.value)

    @property
    def annual(self):
        return self.status_of(ComplianceRule.ANNUAL.value)

    @property
    def rotation(self):
        return self.status_of(ComplianceRule.ROTATION.value)

    def _models(self) -> tuple:
        if self._objects is None:
            v = self.values
            unit = _partial(OrgUnit, id=v[2], name=v[10], path=v[11], sector=v[12])
            person = _partial(Person, id=v[1], name=v[8], unit_id=v[13], user_id=v[9])
            appointment = _partial(Appointment, id=v[0], person_id=v[1], unit_id=v[2],
                                   role=AppointmentRole.SECRETARY.value, start_date=v[3], end_date=v[4],
                                   planned_end_date=v[5])
            appointment._state.fields_cache.update(person=person, unit=unit)
            self._objects = (appointment, person, unit)
        return self._objects

    @property
    def appointment(self) -> Appointment:
        return self._models()[0]

    @property
    def person(self) -> Person:
        """The person with the fields a report reads (id, name, unit, user); others load when read."""
        return self._models()[1]

    @property
    def unit(self) -> OrgUnit:
        return self._models()[2]


def _partial(model, **values):
    """An instance as loaded with ``only(*values)``: the other fields load when read."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]  # from_db's order
    return model.from_db("default", names, [values[n] for n in names])


# The row's values, in ``ComplianceRow.values`` order.
_ROW_FIELDS = ("pk", "person_id", "unit_id", "start_date", "end_date", "planned_end_date", "first_start",
               "rotations", "person__name", "person__user_id", "unit__name", "unit__path", "unit__sector",
               "person__unit_id")


@dataclass
class _Context:
    """What the rows of one report share: the year, the day, and the policies in force."""

    year: int
    as_of: dt.date
    resolver: PolicyResolver

    def explain(self, row: ComplianceRow, rule: str) -> TrainingStatus:
        """The rule's status with its explanation (R-POL-2): the same rule functions, the unit's own policy."""
        policy = self.resolver.for_unit(unit_id=row.unit_id, path=row.unit_path)
        if rule == ComplianceRule.INITIAL.value:
            return initial_training_status(first_start=row.first_start, trained_on=row.initial_on,
                                           as_of=self.as_of, policy=policy)
        if rule == ComplianceRule.ANNUAL.value:
            return annual_training_status(year=self.year, days=row.days, office_start=row.start_date,
                                          office_end=row.end_date, as_of=self.as_of, policy=policy)
        return rotation_status(term_start=row.start_date, term_end=row.planned_end_date, rotations=row.rotations,
                               as_of=self.as_of, policy=policy)


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
        .annotate(first_start=Subquery(first_start), rotations=Coalesce(Subquery(rotations), Value(0)))
        .order_by("unit__path", "pk")
    )


def _attendance_totals(*, appointments, year: int, as_of: dt.date) -> dict[int, tuple]:
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
        .values_list("person_id", "days_given", "hours", "initial_on")
    )
    return {r[0]: r[1:] for r in rows}


def _initial_applies(status: TrainingStatus, *, year: int, first_start: dt.date) -> bool:
    """``_initial_outcome_applies`` for an explained status (a person's file, dossiers)."""
    return _initial_outcome_applies(status.status, status.deadline, status.explanation["trained_on"], year=year,
                                    first_start=first_start)


def _initial_outcome_applies(status: str, deadline: dt.date, trained_on: dt.date | None, *, year: int,
                             first_start: dt.date) -> bool:
    """R-TRN-1 belongs to a year's report while its window overlaps the year, while it is
    still outstanding, or when the training was done that year; a case settled in an earlier
    year is not reported again."""
    if first_start > dt.date(year, 12, 31):
        return False
    if status in (ComplianceStatus.OVERDUE, ComplianceStatus.DUE):
        return True
    if deadline >= dt.date(year, 1, 1):
        return True
    return trained_on is not None and trained_on.year == year


_NO_TOTALS = (None, None, None)

# The inputs of R-TRN-1..3 in one statement on PostgreSQL: the scoped appointments (``cur``, the ORM's own
# SQL) joined to grouped aggregates instead of correlated subqueries — a city's report costs about what
# computing the statuses in SQL costs. The columns are ``_ROW_FIELDS`` then days given, hours, initial on;
# ``secretary_appointments_in_office`` and ``_attendance_totals`` are the same inputs through the ORM
# (any database; tests check that both agree).
_INPUTS_SQL = """
WITH cur (id, person_id, unit_id, start_date, end_date, planned_end_date, person_name, user_id, unit_name,
          unit_path, unit_sector, person_unit_id) AS ({cur}),
firsts AS (
    SELECT person_id, MIN(start_date) AS first_start FROM {appointment}
    WHERE role = %s AND person_id IN (SELECT person_id FROM cur) GROUP BY person_id
), att AS (
    SELECT t.person_id,
           SUM(t.days) FILTER (WHERE t.days IS NOT NULL AND t.completed_on BETWEEN %s AND %s) AS days_given,
           SUM(COALESCE(t.hours, c.hours)) FILTER (WHERE t.days IS NULL AND t.completed_on BETWEEN %s AND %s)
               AS hours,
           MIN(t.completed_on) FILTER (WHERE c.kind = %s) AS initial_on
    FROM {attendance} t JOIN {course} c ON c.id = t.course_id
    WHERE t.completed AND t.completed_on <= %s AND t.person_id IN (SELECT person_id FROM cur)
    GROUP BY t.person_id
), rot AS (
    SELECT cur.id, COUNT(*) AS n
    FROM cur JOIN {attendance} t ON t.person_id = cur.person_id AND t.completed
             JOIN {course} c ON c.id = t.course_id AND c.kind = %s
    WHERE t.completed_on >= cur.start_date AND t.completed_on <= %s
      AND t.completed_on <= COALESCE(cur.planned_end_date, %s)
    GROUP BY cur.id
)
SELECT cur.id, cur.person_id, cur.unit_id, cur.start_date, cur.end_date, cur.planned_end_date, f.first_start,
       COALESCE(rot.n, 0), cur.person_name, cur.user_id, cur.unit_name, cur.unit_path, cur.unit_sector,
       cur.person_unit_id, att.days_given, att.hours, att.initial_on
FROM cur JOIN firsts f ON f.person_id = cur.person_id
     LEFT JOIN att ON att.person_id = cur.person_id LEFT JOIN rot ON rot.id = cur.id
ORDER BY cur.unit_path, cur.id
"""


def _inputs_orm(*, appointments, year: int, as_of: dt.date):
    """(``_ROW_FIELDS`` + days given, hours, initial on) per secretary in office: two ORM queries, any database."""
    appointments = secretary_appointments_in_office(queryset=appointments, as_of=as_of)
    totals = _attendance_totals(appointments=appointments, year=year, as_of=as_of)
    for v in appointments.values_list(*_ROW_FIELDS):
        yield (*v, *totals.get(v[1], _NO_TOTALS))


def _inputs_postgresql(*, appointments, year: int, as_of: dt.date) -> list[tuple]:
    """The same inputs as ``_inputs_orm`` in one statement (``_INPUTS_SQL``)."""
    cur = (
        appointments.filter(role=AppointmentRole.SECRETARY, start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
        .order_by()
        .values_list("pk", "person_id", "unit_id", "start_date", "end_date", "planned_end_date", "person__name",
                     "person__user_id", "unit__name", "unit__path", "unit__sector", "person__unit_id")
    )
    try:
        cur_sql, cur_params = cur.query.sql_with_params()
    except EmptyResultSet:  # a scope no row can be in (a user without a unit): no secretary
        return []
    sql = _INPUTS_SQL.format(cur=cur_sql, appointment=Appointment._meta.db_table,
                             attendance=Attendance._meta.db_table, course=Course._meta.db_table)
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    params = (*cur_params, AppointmentRole.SECRETARY.value, year_start, year_end, year_start, year_end,
              CourseKind.INITIAL.value, as_of,
              CourseKind.PARTY_SCHOOL_ROTATION.value, as_of, as_of)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def compliance_inputs(*, appointments, year: int, as_of: dt.date):
    """What R-TRN-1..3 read, per secretary in office in ``appointments``, ordered by unit path:
    one statement on PostgreSQL, two ORM queries elsewhere (SQLite: the first-run demo)."""
    if connection.vendor == "postgresql":
        return _inputs_postgresql(appointments=appointments, year=year, as_of=as_of)
    return _inputs_orm(appointments=appointments, year=year, as_of=as_of)


def compliance_rows(*, appointments, year: int, as_of: dt.date) -> list[ComplianceRow]:
    """R-TRN-1..3 for every secretary in ``appointments`` (already scoped): two queries on PostgreSQL
    (the inputs, the policies), three elsewhere.

    Each row holds its rules' outcomes (status, deadline) from the outcome functions of
    ``training.services.compliance``; explanations are built when a row is read (``status_of``).
    """
    ctx = _Context(year=year, as_of=as_of, resolver=PolicyResolver(year=year))
    values_for = ctx.resolver.values_for
    per_day: dict[int, Decimal] = {}  # id(policy) -> hours per day (R-TRN-4)
    r1, r2, r3 = ComplianceRule.INITIAL.value, ComplianceRule.ANNUAL.value, ComplianceRule.ROTATION.value
    zero = Decimal(0)
    rows = []
    for v in compliance_inputs(appointments=appointments, year=year, as_of=as_of):
        policy = values_for(unit_id=v[2], path=v[11])
        hpd = per_day.get(id(policy))
        if hpd is None:
            hpd = per_day[id(policy)] = hours_per_day(policy=policy)
        days_given, hours, initial_on = v[14:]
        days = (Decimal(days_given) if days_given else zero) + (Decimal(hours) / hpd if hours else zero)
        first_start = v[6]
        initial = initial_training_outcome(first_start=first_start, trained_on=initial_on, as_of=as_of,
                                           policy=policy)
        outcomes = {
            r1: initial if _initial_outcome_applies(*initial, initial_on, year=year, first_start=first_start) else None,
            r2: annual_training_outcome(year=year, days=days, office_start=v[3], office_end=v[4], as_of=as_of,
                                        policy=policy),
            r3: rotation_outcome(term_end=v[5], rotations=v[7], as_of=as_of, policy=policy),
        }
        rows.append(ComplianceRow(values=v[:14], policy=policy, days=days, initial_on=initial_on, outcomes=outcomes,
                                  ctx=ctx))
    return rows


def compliance_counts(rows) -> dict:
    """R-TRN-5's figures over all ``rows``: per rule, how many secretaries are in each status."""
    counts = {r.value: dict.fromkeys((s.value for s in RULE_STATUSES[r]), 0) for r in ComplianceRule}
    for row in rows:
        for rule_id, outcome in row.outcomes.items():
            if outcome is not None:
                counts[rule_id][outcome[0]] += 1
    return counts


def training_compliance_report(
    *, user, year: int, unit: OrgUnit | None = None, sector: str | None = None, rule: str | None = None,
    status: str | None = None, as_of: dt.date | None = None,
) -> dict:
    """R-TRN-5: who meets R-TRN-1..3 in the user's jurisdiction (or a unit within it) for a year.

    ``unit`` must already be one the user may see. Counts are over the jurisdiction and
    sector; ``rule``/``status`` narrow only the listed rows. The rows explain themselves
    when read, so a page or the API pays for the explanations of the rows it shows.
    """
    as_of = as_of or report_as_of(year=year)
    qs = Appointment.objects.visible_to(user)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if sector:
        qs = qs.filter(unit__sector=sector)
    rows = compliance_rows(appointments=qs, year=year, as_of=as_of)
    counts = compliance_counts(rows)
    failing = sum(1 for r in rows if r.is_failing)
    listed = rows
    if rule:
        listed = [r for r in listed if r.outcomes.get(rule) is not None]
        if status:
            listed = [r for r in listed if r.outcomes[rule][0] == status]
    elif status:
        listed = [r for r in listed if any(o is not None and o[0] == status for o in r.outcomes.values())]
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
        outcome = row.outcome(ComplianceRule.INITIAL.value)
        if outcome is None:
            continue
        if outcome[0] == ComplianceStatus.DUE and outcome[1] <= today + dt.timedelta(days=days):
            due.append(row)
        elif outcome[0] == ComplianceStatus.OVERDUE:
            overdue.append(row)
    due.sort(key=lambda r: r.outcome(ComplianceRule.INITIAL.value)[1])
    overdue.sort(key=lambda r: r.outcome(ComplianceRule.INITIAL.value)[1])
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

