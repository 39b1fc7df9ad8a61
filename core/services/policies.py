"""R-POL-1/R-POL-2: the policy in force for a unit and year, and where each value comes from."""
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.models import OrgUnit, Policy


@dataclass(frozen=True)
class PolicySource:
    """Where one effective value came from: a jurisdiction's policy, or the built-in default."""

    rule: str
    seed: str
    unit_id: int | None = None
    unit_name: str | None = None
    year: int | None = None

    @property
    def is_default(self) -> bool:
        return self.unit_id is None

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "seed": self.seed,
            "unit_id": self.unit_id,
            "unit": self.unit_name,
            "year": self.year,
            "default": self.is_default,
        }


@dataclass(frozen=True)
class EffectivePolicy:
    """The values in force, readable as attributes: ``policy.annual_training_days``."""

    unit_id: int
    year: int
    values: dict[str, Any]
    sources: dict[str, PolicySource] = field(repr=False)

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def explain(self, *names: str) -> dict:
        """The values and their sources, for a computed outcome to explain itself (R-POL-2).

        Decimals are given as strings so that JSON never turns 0.90 into a float.
        """
        names = names or tuple(self.values)
        return {n: {"value": _plain(self.values[n]), **self.sources[n].as_dict()} for n in names}


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def _resolve(*, unit_id: int, year: int, chain: list[Policy]) -> EffectivePolicy:
    """Fold the policies of a unit's ancestor chain (nearest first) over the defaults."""
    values, sources = {}, {}
    for f in Policy.value_fields():
        for policy in chain:
            value = getattr(policy, f.attname)
            if value is not None:
                values[f.name] = value
                sources[f.name] = PolicySource(f.policy_rule, f.policy_seed, policy.unit_id, policy.unit.name, year)
                break
        else:
            values[f.name] = f.policy_default
            sources[f.name] = PolicySource(f.policy_rule, f.policy_seed)
    return EffectivePolicy(unit_id=unit_id, year=year, values=values, sources=sources)


def policy_effective(*, unit: OrgUnit, year: int) -> EffectivePolicy:
    """R-POL-1: the policy in force for ``unit`` in ``year`` — one query whatever the depth."""
    chain = list(
        Policy.objects.filter(unit__path__in=unit.ancestor_paths(), year=year)
        .select_related("unit")
        .order_by("-unit__depth")
    )
    return _resolve(unit_id=unit.pk, year=year, chain=chain)


class PolicyResolver:
    """Resolves policies for many units in one query, for set-based reports and jobs.

    Load once with the year, then ``resolver.for_unit(unit_id, path)`` costs no query.
    """

    def __init__(self, *, year: int, replace_policies: dict[str, Policy] | None = None):
        """``replace_policies`` ({unit path: unsaved Policy}) stands in for those units' policies:
        a what-if (R-STP-2 preview) computes under a draft without saving it."""
        self.year = year
        qs = Policy.objects.filter(year=year).select_related("unit")
        self._by_path = {p.unit.path: p for p in qs}
        self._by_path.update(replace_policies or {})
        self._cache: dict[str, EffectivePolicy] = {}
        self._values: dict[str, EffectivePolicy] = {}

    def for_unit(self, *, unit_id: int, path: str) -> EffectivePolicy:
        step = OrgUnit.steplen
        # Units sharing a parent share a chain; cache by the nearest path that has a policy.
        chain_paths = [path[:i] for i in range(len(path), 0, -step) if path[:i] in self._by_path]
        key = "|".join(chain_paths)
        cached = self._cache.get(key)
        if cached is None:
            cached = _resolve(unit_id=unit_id, year=self.year, chain=[self._by_path[p] for p in chain_paths])
            self._cache[key] = cached
        return cached if cached.unit_id == unit_id else replace(cached, unit_id=unit_id)

    def values_for(self, *, unit_id: int, path: str) -> EffectivePolicy:
        """The values in force at ``path``, for a rule deciding over many units: memoised by the parent's
        path (siblings without a policy of their own share it), so its ``unit_id`` may be a sibling's —
        an explanation (R-POL-2) takes ``for_unit``."""
        key = path if path in self._by_path else path[:-OrgUnit.steplen]
        cached = self._values.get(key)
        if cached is None:
            cached = self._values[key] = self.for_unit(unit_id=unit_id, path=path)
        return cached

    def nearest_policy_unit_id(self, *, path: str) -> int | None:
        """The unit whose policy is nearest above ``path`` (itself included), None when only defaults apply."""
        step = OrgUnit.steplen
        for i in range(len(path), 0, -step):
            policy = self._by_path.get(path[:i])
            if policy is not None:
                return policy.unit_id
        return None


def policy_defaults(*, year: int) -> EffectivePolicy:
    """R-POL-1: the built-in values alone, for a reader attached to no unit (no jurisdiction's policy shows)."""
    return _resolve(unit_id=None, year=year, chain=[])
# ---------------------------------------------------------------- validation (R-SEC-3)

MSG_POLICY_NEGATIVE = _("This value cannot be negative.")
MSG_POLICY_HOURS_PER_DAY = _("Training hours per day must be greater than 0.")
MSG_POLICY_SHARE_RANGE = _("A share or weight must be between 0 and 1.")
MSG_POLICY_THRESHOLD_RANGE = _("A score threshold must be between 0 and 100.")
MSG_POLICY_THRESHOLD_ORDER = _(
    "Score thresholds must descend: “{higher}” ({higher_value}) must be above “{lower}” ({lower_value})."
)
MSG_POLICY_BREAKS_BELOW = _(
    "The policy of {unit} for {year} inherits this value and would be out of order with it; change that policy first."
)
MSG_POLICY_WEIGHTS_ZERO = _("The weights of the superior's score and of the member evaluation cannot both be 0.")
MSG_POLICY_COEFFICIENT_RANGE = _("A stipend coefficient must be between 0 and 1.")
MSG_POLICY_COEFFICIENT_ORDER = _(
    "Stipend coefficients must not rise as the tier falls: “{higher}” ({higher_value}) must be at least "
    "“{lower}” ({lower_value})."
)
MSG_POLICY_BASE_PERIOD = _(
    "Set “{period}” in this policy together with “{amount}”: a period inherited from another policy could "
    "turn a yearly base into a monthly one."
)
MSG_POLICY_POOL_MISSING = _(
    "The township pool regime needs a pool: set “{pool}” in this policy, or in the townships' own policies for "
    "{year}."
)
MSG_POLICY_MONTH_DAYS = _("The days that count a begun or ended month must be between 1 and 31.")

#: R-ASM-3/4, R-CLS-4, R-RCT-1, R-STP-3: values that are shares (or weights) of a whole.
SHARE_FIELDS = (
    "evaluation_sample_share", "superior_score_weight", "member_score_weight",
    "upgrade_poor_share", "upgrade_average_share", "upgrade_fairly_good_share", "keep_good_share",
    "weak_candidate_share", "workload_credit_share",
)
#: R-STP-1 (issue 10 item 1): the tier coefficients, best tier first; each in 0..1 (好 is the base itself,
#: 1:0.9:0.8:0.7) and none above the one before (equal is allowed: a jurisdiction may not tell two tiers apart).
COEFFICIENT_FIELDS = ("coefficient_good", "coefficient_fairly_good", "coefficient_average", "coefficient_poor")
#: R-STP-1: each base amount and the period it is given for.
BASE_PERIOD_FIELDS = (
    ("stipend_base_village", "stipend_base_village_period"),
    ("stipend_base_community", "stipend_base_community_period"),
    ("stipend_base_university", "stipend_base_university_period"),
    ("stipend_base_retired_branch", "stipend_base_retired_branch_period"),
    ("stipend_base_other", "stipend_base_other_period"),
)
#: R-CLS-1: the tier thresholds, highest first; each must be above the next.
THRESHOLD_FIELDS = ("tier_good_min", "tier_fairly_good_min", "tier_average_min")
WEIGHT_FIELDS = ("superior_score_weight", "member_score_weight")
HUNDRED = Decimal(100)


def policy_inherited(*, unit: OrgUnit, year: int) -> EffectivePolicy:
    """The values a policy of ``unit`` and ``year`` would inherit: its ancestors' policies, else the defaults."""
    chain = list(
        Policy.objects.filter(unit__path__in=unit.ancestor_paths(), year=year)
        .exclude(unit=unit)
        .select_related("unit")
        .order_by("-unit__depth")
    )
    return _resolve(unit_id=unit.pk, year=year, chain=chain)


def policy_validate(*, unit: OrgUnit | None, year: int | None, values: dict[str, Any]) -> None:
    """R-SEC-3: refuse a policy whose values, once inherited values are filled in, cannot be applied.

    ``values`` are the policy's own fields (``None`` = inherit). Each own value must be in range;
    the effective values — own, else inherited from the ancestors, else the default — must keep the
    thresholds descending and the two composite weights not both 0, so a child policy that sets one
    threshold is checked against the thresholds it inherits. Errors are keyed by the field the policy sets.
    """
    own = {f.name: values.get(f.name) for f in Policy.value_fields()}
    errors: dict[str, list] = {}

    def refuse(name, message):
        errors.setdefault(name, []).append(message)

    for f in Policy.value_fields():
        value = own[f.name]
        if value is None or isinstance(value, str):  # a choice (R-STP-2's regime, a period): the field checks it
            continue
        if value < 0:
            refuse(f.name, MSG_POLICY_NEGATIVE)
        elif f.name == "hours_per_day" and value == 0:
            refuse(f.name, MSG_POLICY_HOURS_PER_DAY)
        elif f.name in SHARE_FIELDS and value > 1:
            refuse(f.name, MSG_POLICY_SHARE_RANGE)
        elif f.name in COEFFICIENT_FIELDS and value > 1:
            refuse(f.name, MSG_POLICY_COEFFICIENT_RANGE)
        elif f.name == "stipend_month_min_days" and not 1 <= value <= 31:
            refuse(f.name, MSG_POLICY_MONTH_DAYS)
        elif f.name in THRESHOLD_FIELDS and value > HUNDRED:
            refuse(f.name, MSG_POLICY_THRESHOLD_RANGE)
    labels = {f.name: f.verbose_name for f in Policy.value_fields()}
    for amount, period in BASE_PERIOD_FIELDS:
        # R-STP-1: the amount and its period are one statement of the policy; the error names the missing field.
        if own[amount] is not None and not own[period]:
            refuse(period, MSG_POLICY_BASE_PERIOD.format(period=labels[period], amount=labels[amount]))
    if unit is None or year is None:  # the unit or year field has its own error
        if errors:
            raise ValidationError(errors)
        return

    inherited = policy_inherited(unit=unit, year=year).values
    # A value already refused is left out of the order checks: it is the inherited one there.
    effective = {name: inherited[name] if own[name] is None or name in errors else own[name] for name in own}

    def key(*names):
        # The error belongs to the field this policy sets; an inherited value cannot be corrected here.
        return next((n for n in names if own[n] is not None), names[0])

    for higher, lower in zip(THRESHOLD_FIELDS, THRESHOLD_FIELDS[1:]):
        if all(own[n] is None or n in errors for n in (higher, lower)):
            continue
        if not effective[higher] > effective[lower]:
            refuse(key(higher, lower), MSG_POLICY_THRESHOLD_ORDER.format(
                higher=labels[higher], higher_value=effective[higher],
                lower=labels[lower], lower_value=effective[lower]))
    if any(own[n] is not None and n not in errors for n in WEIGHT_FIELDS) and not any(
            effective[n] for n in WEIGHT_FIELDS):
        refuse(key(*WEIGHT_FIELDS), MSG_POLICY_WEIGHTS_ZERO)
    for higher, lower in zip(COEFFICIENT_FIELDS, COEFFICIENT_FIELDS[1:]):
        if all(own[n] is None or n in errors for n in (higher, lower)):
            continue
        if effective[higher] < effective[lower]:
            refuse(key(higher, lower), MSG_POLICY_COEFFICIENT_ORDER.format(
                higher=labels[higher], higher_value=effective[higher],
                lower=labels[lower], lower_value=effective[lower]))
    if own["stipend_regime"] == "pool" and effective["stipend_township_pool"] is None and not (
            unit.pk and Policy.objects.filter(year=year, unit__path__startswith=unit.path,
                                              stipend_township_pool__isnull=False).exclude(unit=unit).exists()):
        # R-STP-2: refused rather than warned — a sheet under it would pay no village secretary at all. Pools set
        # only in the townships' own policies are enough (the pool is the township's).
        refuse("stipend_regime", MSG_POLICY_POOL_MISSING.format(pool=labels["stipend_township_pool"], year=year))
    if not errors:
        _validate_descendants(unit=unit, year=year, own=own, effective=effective, refuse=refuse, labels=labels)
    if errors:
        raise ValidationError(errors)


def _validate_descendants(*, unit: OrgUnit, year: int, own: dict, effective: dict, refuse, labels) -> None:
    """The other direction of inheritance: the policies below ``unit`` for ``year`` that inherit a
    changed threshold, weight or stipend coefficient must stay in order with it. One query."""
    names = THRESHOLD_FIELDS + WEIGHT_FIELDS + COEFFICIENT_FIELDS
    if all(own[n] is None for n in names) or not unit.pk:
        return
    below = {p.unit.path: p for p in Policy.objects.filter(year=year, unit__path__startswith=unit.path)
             .exclude(unit=unit).select_related("unit")}
    for policy in sorted(below.values(), key=lambda p: p.unit.path):
        chain = [below[path] for path in policy.unit.ancestor_paths() if path in below]  # nearest first
        values = {}
        for name in names:
            values[name] = next((getattr(p, name) for p in chain if getattr(p, name) is not None), effective[name])
        broken = [(h, lo) for h, lo in zip(THRESHOLD_FIELDS, THRESHOLD_FIELDS[1:]) if not values[h] > values[lo]]
        broken += [(h, lo) for h, lo in zip(COEFFICIENT_FIELDS, COEFFICIENT_FIELDS[1:]) if values[h] < values[lo]]
        if broken or not any(values[n] for n in WEIGHT_FIELDS):
            culprit = next((n for pair in broken for n in pair if own[n] is not None), None)
            culprit = culprit or next((n for n in WEIGHT_FIELDS if own[n] is not None), None) or \
                next(n for n in names if own[n] is not None)
            refuse(culprit, MSG_POLICY_BREAKS_BELOW.format(unit=policy.unit.name, year=year))
            return
