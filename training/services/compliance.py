"""R-TRN-1..3: the three training rules as plain functions over plain data and the policy in force.

Each returns a ``TrainingStatus`` that explains itself (R-POL-2): the rule id, the dates and
days it used, and the policy values with the jurisdiction (or built-in default) they came from.

A report of a whole city judges ~100k secretaries but shows one page of them, so each rule is
split in two: ``*_outcome`` decides the status and its deadline (no explanation, cheap month sums), and ``*_status`` — the same decision, through the outcome function — adds the
explanation for the rows a page or file shows. The outcome functions are the rules.
"""
import datetime as dt
from calendar import monthrange
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from core.models import Policy
from core.services.policies import EffectivePolicy
from training.choices import FAILING_STATUSES, ComplianceRule, ComplianceStatus

_DAYS_QUANT = Decimal("0.01")

# Labels of the explanation's inputs, for pages (the API keeps the keys).
EXPLANATION_LABELS = {
    "first_appointment_start": _("first appointment as secretary"),
    "deadline": _("deadline"),
    "trained_on": _("initial training completed"),
    "as_of": _("as of"),
    "days_left": _("days left"),
    "year": _("year"),
    "in_office_from": _("in office from"),
    "in_office_until": _("in office until"),
    "measured": _("measured by this rule"),
    "measured_by": _("measured instead by"),
    "days_counted": _("days counted"),
    "days_required": _("days required"),
    "term_start": _("term start"),
    "term_end": _("planned term end"),
    "term_end_known": _("term end recorded"),
    "rotations_counted": _("rotations counted"),
    "rotations_required": _("rotations required"),
    "months_left": _("months left in the term"),
}


@dataclass(frozen=True)
class TrainingStatus:
    rule: str
    status: str
    deadline: dt.date | None = None
    explanation: dict = field(default_factory=dict)

    @property
    def status_display(self) -> str:
        return str(ComplianceStatus(self.status).label)

    @property
    def tone(self) -> str:
        """The tag colour a page shows: ok, warn, bad or info."""
        if self.status in FAILING_STATUSES:
            return "bad"
        if self.status in (ComplianceStatus.DONE_ON_TIME, ComplianceStatus.MET):
            return "ok"
        if self.status == ComplianceStatus.NOT_MEASURED:
            return "info"
        return "warn"

    @property
    def is_failing(self) -> bool:
        return self.status in FAILING_STATUSES

    def explanation_items(self) -> list[tuple[str, object]]:
        return [(EXPLANATION_LABELS.get(k, k), v) for k, v in self.explanation.items() if k not in ("rule", "policy")]

    def policy_items(self) -> list[tuple[str, dict]]:
        from core.models import Policy

        names = {f.name: f.verbose_name for f in Policy.value_fields()}
        return [(names.get(k, k), v) for k, v in self.explanation.get("policy", {}).items()]

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "status": self.status,
            "status_display": self.status_display,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "explanation": _jsonable(self.explanation),
        }


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def hours_per_day(*, policy: EffectivePolicy) -> Decimal:
    """R-TRN-4: the policy's hours per day; a value not above 0 (left by data older than the policy
    checks of R-SEC-3) counts as the default, so one bad policy cannot break a whole jurisdiction's report."""
    value = Decimal(policy.hours_per_day or 0)
    return value if value > 0 else Decimal(Policy._meta.get_field("hours_per_day").policy_default)


def training_days(*, hours: Decimal | None, days: Decimal | None, policy: EffectivePolicy) -> Decimal:
    """R-TRN-4: days credited — the days given, else hours at the policy's hours per day."""
    if days is not None:
        return Decimal(days)
    if not hours:
        return Decimal("0")
    return Decimal(hours) / hours_per_day(policy=policy)


def days_display(value: Decimal) -> Decimal:
    return Decimal(value).quantize(_DAYS_QUANT, rounding=ROUND_HALF_UP)


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months after ``day`` as ``day + relativedelta(months=months)`` gives them (the 31st plus six
    months is the month's end), at a fraction of its cost: a city's report makes ~300k of these sums."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def initial_training_deadline(*, first_start: dt.date, policy: EffectivePolicy) -> dt.date:
    """R-TRN-1: the start plus the policy's calendar months (the 31st plus six months is the month's end)."""
    return add_months(first_start, policy.initial_training_months)


def initial_training_outcome(
    *, first_start: dt.date, trained_on: dt.date | None, as_of: dt.date, policy: EffectivePolicy
) -> tuple[str, dt.date]:
    """R-TRN-1: the status and the deadline (see ``initial_training_status``)."""
    deadline = initial_training_deadline(first_start=first_start, policy=policy)
    if trained_on is not None:
        status = ComplianceStatus.DONE_ON_TIME if trained_on <= deadline else ComplianceStatus.DONE_LATE
    else:
        status = ComplianceStatus.DUE if as_of <= deadline else ComplianceStatus.OVERDUE
    return status.value, deadline


def initial_training_status(
    *, first_start: dt.date, trained_on: dt.date | None, as_of: dt.date, policy: EffectivePolicy
) -> TrainingStatus:
    """R-TRN-1: initial training within the policy's months of the first appointment ever as secretary.

    ``first_start`` is the start of the person's first secretary appointment, so a later
    appointment never reopens the rule. Training completed before that start (a reserve
    trained ahead of office) counts as on time.
    """
    status, deadline = initial_training_outcome(first_start=first_start, trained_on=trained_on, as_of=as_of,
                                                policy=policy)
    return TrainingStatus(
        rule=ComplianceRule.INITIAL.value,
        status=status,
        deadline=deadline,
        explanation={
            "rule": ComplianceRule.INITIAL.value,
            "first_appointment_start": first_start,
            "deadline": deadline,
            "trained_on": trained_on,
            "as_of": as_of,
            "days_left": (deadline - as_of).days if trained_on is None else None,
            "policy": policy.explain("initial_training_months"),
        },
    )


def months_in_office(*, year: int, office_start: dt.date, office_end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The part of ``year`` a secretary held office: first day and the day after the last (exclusive)."""
    first = max(office_start, dt.date(year, 1, 1))
    after_last = dt.date(year + 1, 1, 1)
    if office_end is not None:
        after_last = min(after_last, office_end + dt.timedelta(days=1))
    return first, after_last


def annual_training_outcome(
    *, year: int, days: Decimal, office_start: dt.date, office_end: dt.date | None, as_of: dt.date,
    policy: EffectivePolicy,
) -> tuple[str, dt.date | None]:
    """R-TRN-2: the status and the deadline (see ``annual_training_status``)."""
    first, after_last = months_in_office(year=year, office_start=office_start, office_end=office_end)
    measured = first < after_last and add_months(first, policy.annual_training_min_months) <= after_last
    if not measured:
        return ComplianceStatus.NOT_MEASURED.value, None
    year_end = dt.date(year, 12, 31)
    if days >= policy.annual_training_days:
        status = ComplianceStatus.MET
    elif as_of < year_end:
        status = ComplianceStatus.IN_PROGRESS
    else:
        status = ComplianceStatus.NOT_MET
    return status.value, year_end


def annual_training_status(
    *, year: int, days: Decimal, office_start: dt.date, office_end: dt.date | None, as_of: dt.date,
    policy: EffectivePolicy,
) -> TrainingStatus:
    """R-TRN-2: at least the policy's days a year, for secretaries in office at least the policy's months of it.

    In office from 1 July to 31 December is exactly six calendar months and is measured;
    from 2 July it is not, and R-TRN-1 measures that secretary instead.
    """
    required = Decimal(policy.annual_training_days)
    days = Decimal(days)
    status, deadline = annual_training_outcome(year=year, days=days, office_start=office_start,
                                               office_end=office_end, as_of=as_of, policy=policy)
    first, after_last = months_in_office(year=year, office_start=office_start, office_end=office_end)
    measured = deadline is not None
    return TrainingStatus(
        rule=ComplianceRule.ANNUAL.value,
        status=status,
        deadline=deadline,
        explanation={
            "rule": ComplianceRule.ANNUAL.value,
            "year": year,
            "in_office_from": first,
            "in_office_until": after_last - dt.timedelta(days=1),
            "measured": measured,
            "measured_by": None if measured else ComplianceRule.INITIAL.value,
            "days_counted": days_display(days),
            "days_required": required,
            "as_of": as_of,
            "policy": policy.explain("annual_training_days", "annual_training_min_months", "hours_per_day"),
        },
    )


def rotation_outcome(
    *, term_end: dt.date | None, rotations: int, as_of: dt.date, policy: EffectivePolicy
) -> tuple[str, dt.date | None]:
    """R-TRN-3: the status and the deadline, the planned term end (see ``rotation_status``)."""
    if rotations >= policy.rotations_per_term:
        status = ComplianceStatus.MET
    elif term_end is not None and add_months(as_of, policy.rotation_warning_months) > term_end:
        status = ComplianceStatus.FLAGGED
    else:
        status = ComplianceStatus.PENDING
    return status.value, term_end


def rotation_status(
    *, term_start: dt.date, term_end: dt.date | None, rotations: int, as_of: dt.date, policy: EffectivePolicy
) -> TrainingStatus:
    """R-TRN-3: the policy's party-school rotations per term; flagged when fewer months than the warning remain."""
    required = policy.rotations_per_term
    months_left = None
    if term_end is not None:
        left = relativedelta(term_end, as_of)
        months_left = left.years * 12 + left.months
    status, _deadline = rotation_outcome(term_end=term_end, rotations=rotations, as_of=as_of, policy=policy)
    return TrainingStatus(
        rule=ComplianceRule.ROTATION.value,
        status=status,
        deadline=term_end,
        explanation={
            "rule": ComplianceRule.ROTATION.value,
            "term_start": term_start,
            "term_end": term_end,
            "term_end_known": term_end is not None,
            "rotations_counted": rotations,
            "rotations_required": required,
            "months_left": months_left,
            "as_of": as_of,
            "policy": policy.explain("rotations_per_term", "rotation_warning_months"),
        },
    )
