"""Shared set-ups of the stipend tests: policies, tiers and secretaries with real numbers from SPEC.md."""
import datetime as dt
from decimal import Decimal

from assessment.models import Classification
from core.models import Policy
from tests.factories import AppointmentFactory, PersonFactory


def set_policy(*, unit, year=2025, **values) -> Policy:
    policy, _ = Policy.objects.update_or_create(unit=unit, year=year, defaults=values)
    return policy


def classify(*, unit, year=2025, tier, cycle=None) -> Classification:
    """A final tier (no cycle: entered as final, R-STP-2 counts it as classified)."""
    return Classification.objects.update_or_create(
        unit=unit, year=year, defaults={"tier": tier, "computed_tier": tier, "cycle": cycle,
                                        "composite_score": Decimal("80")})[0]


def secretary(*, unit, start=dt.date(2020, 1, 1), end=None, name=None, **person):
    person = PersonFactory(unit=unit, **({"name": name} if name else {}), **person)
    AppointmentFactory(person=person, unit=unit, start_date=start, end_date=end)
    return person
