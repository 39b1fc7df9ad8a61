"""R-POL-1/R-POL-2: the policy in force for a unit and year, and where each value comes from."""
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

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

    def __init__(self, *, year: int):
        self.year = year
        qs = Policy.objects.filter(year=year).select_related("unit")
        self._by_path = {p.unit.path: p for p in qs}
        self._cache: dict[str, EffectivePolicy] = {}

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


def policy_defaults(*, year: int) -> EffectivePolicy:
    """R-POL-1: the built-in values alone, for a reader attached to no unit (no jurisdiction's policy shows)."""
    return _resolve(unit_id=None, year=year, chain=[])
