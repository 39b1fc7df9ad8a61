"""R-STP-2..4: the read side of stipend sheets — what the sheet pages and the sheet's export show.

Every function receives rows already scoped (a sheet fetched with ``access_by_id``, lines of that
sheet), makes a fixed number of queries whatever the number of lines, and never recomputes a
rule: amounts, flags and explanations are the ones the sheet stored (R-POL-1/2).
"""
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from assessment.choices import Tier
from core.models import Policy

from .choices import BaseGroup, FloorKind, Period, Regime, SheetState, StipendForm
from .models import PUBLISHED_SHEET_STATES, StipendLine, StipendSheet
from .services.amounts import BASE_FIELDS, COEFFICIENT_FIELDS
from .services.compute import PROVISIONAL_REASONS

ZERO = Decimal("0.00")
MSG_PROVISIONAL_TIER = _("Not classified (coefficient 1 for now)")
MSG_NOT_PUBLISHED = _("not published yet")
MSG_WORKLOAD_CREDIT = _("Credited as workload {share}%")
PERIOD_UNITS = {Period.YEAR: _("yuan a year"), Period.MONTH: _("yuan a month")}
REGIME_LABELS = {Regime.BASE: _("Base × coefficient"), Regime.POOL: _("Township pool shared by coefficient")}
MONEY = Q(form=StipendForm.MONEY)


def regime_labels(regimes) -> list[str]:
    return [str(REGIME_LABELS.get(r, r)) for r in regimes or []]


def sheet_lines(*, sheet: StipendSheet) -> QuerySet:
    """The lines of a sheet with everything a row shows, in the sheet's order (one query a page)."""
    return (StipendLine.objects.filter(sheet=sheet)
            .select_related("person", "unit", "township")
            .order_by("township__path", "unit__path", "person__name", "pk"))


def lines_filter(lines: QuerySet, *, township=None, tier=None, regime=None, flagged=False, provisional=False,
                 search: str = "") -> QuerySet:
    """The line filters of the sheet page and its export; ``tier="none"`` is the lines without a tier."""
    if township:
        lines = lines.filter(township_id=township)
    if tier == "none":
        lines = lines.filter(tier="")
    elif tier:
        lines = lines.filter(tier=tier)
    if regime:
        lines = lines.filter(regime=regime)
    if flagged:
        lines = lines.exclude(flags=[])
    if provisional:
        lines = lines.filter(provisional=True)
    if search:
        lines = lines.filter(person__name__icontains=search.strip())
    return lines


def township_subtotals(lines: QuerySet) -> list[dict]:
    """Per township: the money paid (workload credits excluded, R-STP-3) and the count of lines; one query."""
    rows = (lines.order_by().values("township_id", "township__name", "township__path")
            .annotate(total=Sum("amount", filter=MONEY), lines=Count("pk"),
                      credits=Count("pk", filter=~MONEY))
            .order_by("township__path"))
    return [{"township_id": r["township_id"], "name": r["township__name"] or "—",
             "total": r["total"] or ZERO, "lines": r["lines"], "credits": r["credits"]} for r in rows]


def sheet_townships(*, sheet: StipendSheet) -> list[tuple[int, str]]:
    """The townships a sheet's lines fall in, for the township filter (one query)."""
    rows = (StipendLine.objects.filter(sheet=sheet, township__isnull=False).order_by("township__path")
            .values_list("township_id", "township__name").distinct())
    return list(rows)


def sheet_versions(*, sheet: StipendSheet) -> list[StipendSheet]:
    """Every version of the same jurisdiction and year, newest first (one query)."""
    return list(StipendSheet.objects.filter(unit_id=sheet.unit_id, year=sheet.year).order_by("-version")
                .only("pk", "version", "state", "total", "approved_at", "built_at", "unit_id", "year"))


def sheet_draft_for(*, unit_id: int, year: int) -> StipendSheet | None:
    return StipendSheet.objects.filter(unit_id=unit_id, year=year, state=SheetState.DRAFT).first()


def my_lines(*, user) -> QuerySet:
    """R-STP-6 (issue 10 item 6): a secretary's own lines in approved (or superseded) sheets, nothing else."""
    return (StipendLine.objects.filter(person__user_id=user.pk, sheet__state__in=PUBLISHED_SHEET_STATES)
            .select_related("sheet", "sheet__unit", "unit", "person", "township")
            .order_by("-sheet__year", "-sheet__version", "unit__path"))


# ---------------------------------------------------------------- one line as the page shows it

def coefficient_text(value: Decimal) -> str:
    """A coefficient as the policy writes it: 1.00, 0.90, 0.875 (never 0.9000)."""
    value = Decimal(value).normalize()
    if value.as_tuple().exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return format(value, "f")


def _share_percent(share) -> str:
    try:
        value = Decimal(str(share)) * 100
    except (ArithmeticError, ValueError, TypeError):
        return str(share)
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _policy_fields_for(line: StipendLine) -> list[str]:
    """The policy values that made this line (R-POL-2): its base (or pool), its tier's coefficient, the month rule."""
    names = ["stipend_regime"]
    if line.form == StipendForm.WORKLOAD_CREDIT:
        names.append("workload_credit_share")
    elif line.regime == Regime.POOL:
        names.append("stipend_township_pool")
    else:
        names.extend(BASE_FIELDS.get(line.group, ()))
    if line.tier in COEFFICIENT_FIELDS:
        names.append(COEFFICIENT_FIELDS[line.tier])
    names.append("stipend_month_min_days")
    if line.group == BaseGroup.UNIVERSITY:
        names.append("university_serving_min_monthly")
    elif line.group == BaseGroup.RETIRED_BRANCH:
        names.append("university_retired_min_yearly")
    return names


def policy_rows(*, sheet: StipendSheet, key: str, names) -> list[dict]:
    """The stored policy values of ``sheet.policies[key]`` with their labels and whose policy they are."""
    values = (sheet.policies or {}).get(key, {}).get("values", {})
    fields = {f.name: f for f in Policy.value_fields()}
    rows = []
    for name in names:
        item = values.get(name)
        if item is None or name not in fields:
            continue
        value = item.get("value")
        choices = dict(fields[name].choices or [])
        if value in choices:  # a regime or a period: its label, never the code
            value = str(choices[value])
        rows.append({"name": name, "label": fields[name].verbose_name, "value": value,
                     "default": item.get("default"), "unit": item.get("unit"), "year": item.get("year"),
                     "rule": item.get("rule"), "seed": item.get("seed")})
    return rows


def line_display(line: StipendLine, *, sheet: StipendSheet) -> dict:
    """R-POL-2: what a line shows and how it explains itself, from what the sheet stored (no query)."""
    tiers = dict(Tier.choices)
    explanation = line.explanation or {}
    credit = line.form == StipendForm.WORKLOAD_CREDIT
    if line.tier:
        tier_label = str(tiers.get(line.tier, line.tier))
        if line.provisional:
            tier_label = f"{tier_label}（{MSG_NOT_PUBLISHED}）"
    else:
        tier_label = str(MSG_PROVISIONAL_TIER) if line.provisional else "—"
    if credit:
        form_label = str(MSG_WORKLOAD_CREDIT).format(
            share=_share_percent(explanation.get("workload_credit_share", "0.10")))
    else:
        form_label = str(StipendForm(line.form).label) if line.form in StipendForm.values else line.form
    names = _policy_fields_for(line)
    policy = policy_rows(sheet=sheet, key=line.policy_key, names=[n for n in names if n != "stipend_township_pool"])
    if "stipend_township_pool" in names:
        pool_key = explanation.get("pool_policy") or line.policy_key
        policy = policy_rows(sheet=sheet, key=pool_key, names=["stipend_township_pool"]) + policy
    difference = None
    if sheet.previous_id:
        difference = line.amount - (line.previous_amount or ZERO)
    flags = [str(FloorKind(f).label) if f in FloorKind.values else f for f in line.flags or []]
    return {
        "line": line,
        "credit": credit,
        "form_label": form_label,
        "tier_label": tier_label,
        "regime_label": str(REGIME_LABELS.get(line.regime, line.regime)),
        "coefficient": coefficient_text(line.coefficient),
        "period_label": str(PERIOD_UNITS.get(line.base_period, "")) if line.base_period else "",
        "flags": flags,
        "difference": difference,
        "rule": explanation.get("rule") or "R-STP-2",
        "formula": explanation.get("formula"),
        "provisional_reason": str(PROVISIONAL_REASONS[explanation["provisional"]])
        if explanation.get("provisional") in PROVISIONAL_REASONS else "",
        "inputs": _inputs(line, explanation),
        "policy": policy,
    }


def _inputs(line: StipendLine, explanation: dict) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [
        (_("Months in office"), line.months),
        (_("In office"), f"{line.in_office_from:%Y-%m-%d} — {line.in_office_until:%Y-%m-%d}"),
        (_("Coefficient"), coefficient_text(line.coefficient)),
    ]
    if line.base_amount is not None:
        rows.append((_("Base"), f"{line.base_amount} {PERIOD_UNITS.get(line.base_period, '')}"))
    if line.regime == Regime.POOL and explanation.get("pool"):
        rows += [(_("Township pool"), explanation.get("pool")), (_("Township (street)"), explanation.get("township", "")),
                 (_("Weight (coefficient × months)"), explanation.get("weight")),
                 (_("Weights of the township"), explanation.get("total_weight")),
                 (_("Secretaries sharing the pool"), explanation.get("sharers"))]
    return rows


def floor_display(floors) -> list[dict]:
    """R-STP-3: each floor checked, labelled; ``ok`` None is a floor the policy does not set (未设置)."""
    rows = []
    for f in floors or []:
        kind = f.get("kind")
        rows.append({**f, "label": str(FloorKind(kind).label) if kind in FloorKind.values else kind,
                     "not_set": f.get("ok") is None, "bad": f.get("ok") is False})
    return rows
