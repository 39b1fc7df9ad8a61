"""R-ASM-4, R-CLS-1, R-CLS-2: score arithmetic and tiers at their edges, with the seeds' numbers."""
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from assessment.choices import Movement, Rating, Tier
from assessment.services.scores import (
    ERR_POINTS_RANGE,
    composite_score_compute,
    member_score_compute,
    movement_of,
    satisfaction_share,
    superior_score_compute,
    tier_apply_listings,
    tier_for_score,
)
from core.models import Policy
from core.services.policies import policy_effective

D = Decimal


@pytest.fixture
def default_policy(world):
    return policy_effective(unit=world.village_a1, year=2025)


@pytest.mark.parametrize("score, tier", [
    ("100", Tier.GOOD), ("90.00", Tier.GOOD), ("89.99", Tier.FAIRLY_GOOD), ("80", Tier.FAIRLY_GOOD),
    ("79.99", Tier.AVERAGE), ("60", Tier.AVERAGE), ("59.99", Tier.POOR), ("0", Tier.POOR),
])
def test_tier_thresholds_at_their_edges_with_the_default_policy(default_policy, score, tier):
    """R-CLS-1: ≥90 好, ≥80 较好, ≥60 一般, below 较差 (001)."""
    assert tier_for_score(score=D(score), policy=default_policy) == tier


def test_a_jurisdiction_policy_moves_the_thresholds(world):
    """R-CLS-1, R-POL-1: county A sets 好 from 92; its villages follow, county B keeps 90."""
    Policy.objects.create(unit=world.county_a, year=2025, tier_good_min=D("92"), tier_fairly_good_min=D("85"))
    moved = policy_effective(unit=world.village_a1, year=2025)
    assert tier_for_score(score=D("91.99"), policy=moved) == Tier.FAIRLY_GOOD
    assert tier_for_score(score=D("92"), policy=moved) == Tier.GOOD
    assert tier_for_score(score=D("84.99"), policy=moved) == Tier.AVERAGE
    assert tier_for_score(score=D("90"), policy=policy_effective(unit=world.village_b1, year=2025)) == Tier.GOOD
    assert moved.explain("tier_good_min")["tier_good_min"]["unit"] == world.county_a.name


def test_composite_weights_superior_70_and_members_30(default_policy):
    """R-ASM-4: 0.70 × 95 + 0.30 × 80 = 90.50 (004 双述双评)."""
    assert composite_score_compute(superior=D("95"), member=D("80"), policy=default_policy) == D("90.50")
    # Half up to the cent: 0.7 × 89.99 + 0.3 × 90.01 = 89.996 → 90.00
    assert composite_score_compute(superior=D("89.99"), member=D("90.01"), policy=default_policy) == D("90.00")


def test_composite_without_members_is_the_superior_score_and_without_superior_none(default_policy):
    assert composite_score_compute(superior=D("88.5"), member=None, policy=default_policy) == D("88.50")
    assert composite_score_compute(superior=None, member=D("90"), policy=default_policy) is None


def test_member_score_and_satisfaction_share():
    """R-ASM-3/4: 3 好 + 1 较好 + 1 差 → (300 + 80 + 0) / 5 = 76.00; satisfied 4 of 5 = 80.0%."""
    counts = {Rating.GOOD: 3, Rating.FAIRLY_GOOD: 1, Rating.POOR: 1}
    assert member_score_compute(counts=counts) == D("76.00")
    assert satisfaction_share(counts=counts) == D("80.0")
    assert member_score_compute(counts={}) is None


def test_superior_score_is_the_weighted_share_of_each_maximum():
    """R-ASM-4: 40/50 on a weight of 60 and 18/20 on a weight of 40 → (0.8×60 + 0.9×40)/100 = 84.00."""
    inds = [SimpleNamespace(pk=1, name="组织建设", weight=D("60"), max_score=D("50")),
            SimpleNamespace(pk=2, name="作用发挥", weight=D("40"), max_score=D("20"))]
    assert superior_score_compute(indicators=inds, points={"1": "40", "2": 18}) == D("84.00")
    with pytest.raises(ValidationError) as err:
        superior_score_compute(indicators=inds, points={"1": "51", "2": 18})
    assert str(ERR_POINTS_RANGE.format(indicator="组织建设", max_score=D("50"))) in err.value.messages


def test_negative_list_cannot_be_good_and_weak_and_lax_is_poor():
    """R-CLS-2 (002)."""
    assert tier_apply_listings(tier=Tier.GOOD, negative_list=True, weak_and_lax=False) == (
        Tier.FAIRLY_GOOD, ["negative_list"])
    assert tier_apply_listings(tier=Tier.AVERAGE, negative_list=True, weak_and_lax=False) == (Tier.AVERAGE, [])
    assert tier_apply_listings(tier=Tier.GOOD, negative_list=False, weak_and_lax=True) == (
        Tier.POOR, ["weak_and_lax"])
    assert tier_apply_listings(tier=None, negative_list=False, weak_and_lax=True) == (Tier.POOR, ["weak_and_lax"])


def test_movement():
    assert movement_of(previous=Tier.POOR, tier=Tier.AVERAGE) == Movement.UP
    assert movement_of(previous=Tier.GOOD, tier=Tier.FAIRLY_GOOD) == Movement.DOWN
    assert movement_of(previous=Tier.AVERAGE, tier=Tier.AVERAGE) == Movement.SAME
    assert movement_of(previous="", tier=Tier.AVERAGE) == Movement.NEW
