"""R-POL-1/R-POL-2: one policy per jurisdiction and year, inherited per field down the tree."""
from decimal import Decimal

from core.models import Policy
from core.services.policies import PolicyResolver, policy_effective


def test_without_any_policy_the_defaults_apply_and_say_so(world):
    policy = policy_effective(unit=world.village_a1, year=2026)
    assert policy.annual_training_days == Decimal("7")
    assert policy.coefficient_poor == Decimal("0.70")
    explained = policy.explain("annual_training_days")["annual_training_days"]
    assert explained["default"] is True and explained["rule"] == "R-TRN-2" and explained["seed"].startswith("000")


def test_the_nearest_ancestor_wins_field_by_field(world):
    Policy.objects.create(unit=world.city, year=2026, annual_training_days=Decimal("5"), tier_good_min=Decimal("95"))
    Policy.objects.create(unit=world.county_a, year=2026, annual_training_days=Decimal("8"))
    policy = policy_effective(unit=world.village_a1, year=2026)
    assert policy.annual_training_days == Decimal("8")
    assert policy.sources["annual_training_days"].unit_name == "甲县委"
    assert policy.tier_good_min == Decimal("95")
    assert policy.sources["tier_good_min"].unit_name == "市委"
    assert policy_effective(unit=world.village_b1, year=2026).annual_training_days == Decimal("5")


def test_a_policy_of_another_year_does_not_apply(world):
    Policy.objects.create(unit=world.county_a, year=2025, annual_training_days=Decimal("9"))
    assert policy_effective(unit=world.village_a1, year=2026).annual_training_days == Decimal("7")


def test_resolution_is_one_query_whatever_the_depth(world, django_assert_num_queries):
    Policy.objects.create(unit=world.city, year=2026, annual_training_days=Decimal("5"))
    with django_assert_num_queries(1):
        policy_effective(unit=world.village_a1, year=2026)


def test_the_resolver_agrees_with_single_resolution_and_costs_one_query(world, django_assert_num_queries):
    Policy.objects.create(unit=world.city, year=2026, annual_training_days=Decimal("5"))
    Policy.objects.create(unit=world.township_a, year=2026, annual_training_days=Decimal("6"))
    with django_assert_num_queries(1):
        resolver = PolicyResolver(year=2026)
        values = {u.name: resolver.for_unit(unit_id=u.pk, path=u.path).annual_training_days
                  for u in (world.village_a1, world.village_a2, world.village_b1)}
    assert values == {"东风村党支部": Decimal("6"), "新华村党支部": Decimal("6"), "石桥村党支部": Decimal("5")}
    assert resolver.for_unit(unit_id=world.village_a2.pk, path=world.village_a2.path).unit_id == world.village_a2.pk
