"""R-STP-2/3: a jurisdiction's lines computed from appointments, tiers and the inherited policies."""
import datetime as dt
from decimal import Decimal

from assessment.choices import Tier
from stipends.choices import FloorKind, Regime
from stipends.services.compute import sheet_compute
from tests.factories import make_unit
from tests.stipends.helpers import classify, secretary, set_policy


def amounts(computed):
    return {line.person_name: line.amount for line in computed.lines}


def test_r_stp_2_base_times_coefficient_times_months(world):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("30000"), stipend_base_village_period="year")
    classify(unit=world.village_a1, tier=Tier.FAIRLY_GOOD)
    classify(unit=world.village_a2, tier=Tier.POOR)
    world.appointment_a1.start_date = dt.date(2025, 6, 1)
    world.appointment_a1.save()
    computed = sheet_compute(unit=world.county_a, year=2025)
    assert amounts(computed) == {"秦秀英": Decimal("15750.00"), "杨志强": Decimal("21000.00")}
    line = next(ln for ln in computed.lines if ln.person_name == "秦秀英")
    assert (line.months, line.coefficient, line.regime, line.provisional) == (7, Decimal("0.9"), Regime.BASE, False)
    assert line.explanation["formula"] == "30000.00 × 0.90 × 7 / 12 = 15750.00"
    policy = computed.policies[line.policy_key]
    assert policy["values"]["stipend_base_village"]["unit"] == "甲县委"
    assert policy["values"]["coefficient_fairly_good"]["default"] is True


def test_r_stp_2_an_unclassified_year_pays_coefficient_1_and_is_provisional(world):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("24000"))
    computed = sheet_compute(unit=world.county_a, year=2025)
    line = computed.lines[0]
    assert (line.coefficient, line.provisional, line.amount) == (Decimal(1), True, Decimal("24000.00"))
    assert computed.provisional_count == 2


def test_r_stp_2_the_township_pool_regime(world):
    set_policy(unit=world.county_a, stipend_regime="pool", stipend_township_pool=Decimal("100000"))
    world.appointment_a1.delete()
    world.appointment_a2.delete()
    tiers = [Tier.GOOD, Tier.FAIRLY_GOOD, Tier.AVERAGE, Tier.POOR]
    for i, tier in enumerate(tiers):
        village = make_unit(parent=world.township_a, name=f"村{i}")
        classify(unit=village, tier=tier)
        secretary(unit=village, name=f"书记{i}")
    computed = sheet_compute(unit=world.county_a, year=2025)
    assert [amounts(computed)[f"书记{i}"] for i in range(4)] == [
        Decimal("29411.76"), Decimal("26470.59"), Decimal("23529.41"), Decimal("20588.24")]
    assert computed.total == Decimal("100000.00")
    assert computed.regimes == [Regime.POOL]


def test_r_stp_1_the_nearest_policy_applies(world):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("24000"))
    set_policy(unit=world.village_a2, stipend_base_village=Decimal("36000"))
    classify(unit=world.village_a1, tier=Tier.GOOD)
    classify(unit=world.village_a2, tier=Tier.GOOD)
    computed = sheet_compute(unit=world.county_a, year=2025)
    assert amounts(computed) == {"秦秀英": Decimal("24000.00"), "杨志强": Decimal("36000.00")}


def test_r_stp_3_the_village_average_floor_is_flagged_per_county(world):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("20000"), rural_average_income=Decimal("21000"))
    classify(unit=world.village_a1, tier=Tier.GOOD)
    classify(unit=world.village_a2, tier=Tier.GOOD)
    computed = sheet_compute(unit=world.county_a, year=2025)
    (floor,) = [f for f in computed.floors if f["kind"] == FloorKind.VILLAGE_AVERAGE]
    assert (floor["ok"], floor["value"], floor["floor"], floor["unit"]) == (False, "20000.00", "21000.00", "甲县委")


def test_a_branch_under_a_general_branch_is_totalled_with_the_committee_above_it(world):
    """The structure read holds no branches, so the group is the nearest committee, never nobody."""
    from core.choices import Level

    general = make_unit(parent=world.township_a, name="总支", level=Level.GENERAL_BRANCH)
    branch = make_unit(parent=general, name="总支第一支部")
    secretary(unit=branch, name="周昇")
    computed = sheet_compute(unit=world.county_a, year=2025)
    line = next(ln for ln in computed.lines if ln.person_name == "周昇")
    assert (line.township_id, line.township_name) == (world.township_a.pk, "甲镇党委")
