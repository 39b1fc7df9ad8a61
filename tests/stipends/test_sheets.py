"""R-STP-1..4, R-POL-1/2: sheets built from inherited policies, both regimes in one installation, the floors,
5,000 secretaries in a bounded number of queries, and the sheet's versions."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy as _

from assessment.choices import Tier
from assessment.models import Classification
from core.choices import Level, Sector
from stipends.choices import BaseGroup, FloorKind, Regime, SheetState, StipendForm
from stipends.models import StipendElection, StipendLine, StipendSheet
from stipends.services.sheets import (
    MSG_CORRECT_DRAFT_EXISTS,
    MSG_CORRECT_NOT_APPROVED,
    MSG_CORRECT_REASON,
    MSG_NOT_STAFF,
    MSG_SHEET_APPROVED_EXISTS,
    MSG_SHEET_NOT_BUILT,
    MSG_SHEET_NOT_DRAFT,
    sheet_approve,
    sheet_build,
    sheet_correct,
    sheet_discard,
    sheet_draft_get_or_create,
)
from tests.factories import make_unit
from tests.stipends.helpers import classify, secretary, set_policy
from tests.training.factories import bulk_secretaries

D = Decimal


def lines_of(sheet) -> dict[str, StipendLine]:
    return {line.person.name: line for line in StipendLine.objects.filter(sheet=sheet).select_related("person")}


def amounts(sheet) -> dict[str, Decimal]:
    return {name: line.amount for name, line in lines_of(sheet).items()}


def messages(exc_info) -> list[str]:
    return [str(m) for m in exc_info.value.messages]


@pytest.fixture
def county_policy(world):
    """County A: 24,000 a year for a village secretary (a Changde-like base), the default coefficients."""
    return set_policy(unit=world.county_a, stipend_base_village=D("24000"), stipend_base_village_period="year")


# ---------------------------------------------------------------- inheritance (R-STP-1, R-POL-1)

def test_a_township_without_its_own_policy_uses_its_countys(world, county_policy):
    classify(unit=world.village_a1, tier=Tier.FAIRLY_GOOD)
    sheet = sheet_build(unit=world.township_a, year=2025, user=world.staff_a)
    line = lines_of(sheet)["秦秀英"]
    assert (line.amount, line.policy_key) == (D("21600.00"), str(world.county_a.pk))
    used = sheet.policies[line.policy_key]
    assert used["unit_id"] == world.county_a.pk
    assert used["values"]["stipend_base_village"] == {**used["values"]["stipend_base_village"], "value": "24000.00",
                                                      "unit": "甲县委", "rule": "R-STP-1", "default": False}
    assert used["values"]["coefficient_fairly_good"]["value"] == "0.90"


def test_a_village_with_its_own_policy_uses_that(world, county_policy):
    set_policy(unit=world.village_a2, stipend_base_village=D("36000"), stipend_base_village_period="year")
    classify(unit=world.village_a1, tier=Tier.GOOD)
    classify(unit=world.village_a2, tier=Tier.GOOD)
    sheet = sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    lines = lines_of(sheet)
    assert (lines["秦秀英"].amount, lines["杨志强"].amount) == (D("24000.00"), D("36000.00"))
    assert lines["杨志强"].policy_key == str(world.village_a2.pk)
    assert sheet.policies[str(world.village_a2.pk)]["values"]["stipend_base_village"]["unit"] == "新华村党支部"
    # The village's own policy sets only the base: the coefficients still come from above (the defaults here).
    assert sheet.policies[str(world.village_a2.pk)]["values"]["coefficient_good"]["default"] is True


def test_a_2026_policy_leaves_the_approved_2025_sheet_unchanged(world, county_policy):
    classify(unit=world.village_a1, tier=Tier.GOOD)
    sheet = sheet_approve(sheet=sheet_build(unit=world.county_a, year=2025, user=world.staff_a), user=world.staff_a)
    before = (amounts(sheet), sheet.policies, sheet.total)
    set_policy(unit=world.county_a, year=2026, stipend_base_village=D("40000"), stipend_base_village_period="year")
    classify(unit=world.village_a1, year=2026, tier=Tier.GOOD)
    sheet_2026 = sheet_build(unit=world.county_a, year=2026, user=world.staff_a)
    assert amounts(sheet_2026)["秦秀英"] == D("40000.00")
    sheet.refresh_from_db()
    assert (amounts(sheet), sheet.policies, sheet.total) == before
    assert before[0]["秦秀英"] == D("24000.00")


def test_changing_the_policy_after_approval_leaves_the_sheet_and_its_explanation_and_a_correction_shows_the_difference(
        world, county_policy):
    """R-POL-1: an approved sheet is frozen whatever its policy becomes; the correction is a new version."""
    classify(unit=world.village_a1, tier=Tier.GOOD)
    classify(unit=world.village_a2, tier=Tier.POOR)
    sheet = sheet_approve(sheet=sheet_build(unit=world.county_a, year=2025, user=world.staff_a), user=world.staff_a)
    frozen = {name: (line.amount, line.explanation, line.policy_key) for name, line in lines_of(sheet).items()}
    policies = sheet.policies
    set_policy(unit=world.county_a, stipend_base_village=D("30000"), stipend_base_village_period="year",
               coefficient_poor=D("0.60"))
    sheet.refresh_from_db()
    assert {name: (line.amount, line.explanation, line.policy_key)
            for name, line in lines_of(sheet).items()} == frozen
    assert sheet.policies == policies
    assert policies[str(world.county_a.pk)]["values"]["stipend_base_village"]["value"] == "24000.00"
    assert frozen["杨志强"][1]["formula"] == "24000.00 × 0.70 × 12 / 12 = 16800.00"

    v2 = sheet_correct(sheet=sheet, user=world.staff_a, reason="县委调整2025年报酬基数")
    lines = lines_of(v2)
    assert {n: (ln.previous_amount, ln.amount, ln.amount - ln.previous_amount) for n, ln in lines.items()} == {
        "秦秀英": (D("24000.00"), D("30000.00"), D("6000.00")),
        "杨志强": (D("16800.00"), D("18000.00"), D("1200.00")),
    }
    assert v2.policies[str(world.county_a.pk)]["values"]["coefficient_poor"]["value"] == "0.6000"  # as stored
    assert (v2.version, v2.previous_id, v2.state, v2.total) == (2, sheet.pk, SheetState.DRAFT, D("48000.00"))
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total) == (SheetState.APPROVED, D("40800.00"))


# ---------------------------------------------------------------- both regimes in one installation (issue 10 item 4)

@pytest.fixture
def installation(world):
    """County A: villages on a base (30,000 a year × 1 : 0.9 : 0.8 : 0.7); county B: the same tiers sharing a
    township pool of 100,000; a university-industry committee like SEU under the city (004 第八条)."""
    w = world
    w.appointment_a1.delete()
    w.appointment_a2.delete()
    w.appointment_b1.delete()
    tiers = [Tier.GOOD, Tier.FAIRLY_GOOD, Tier.AVERAGE, Tier.POOR]
    set_policy(unit=w.county_a, stipend_regime="base", stipend_base_village=D("30000"),
               stipend_base_village_period="year")
    set_policy(unit=w.county_b, stipend_regime="pool", stipend_township_pool=D("100000"))
    for i, tier in enumerate(tiers):
        for township, county in ((w.township_a, "A"), (w.township_b, "B")):
            village = make_unit(parent=township, name=f"{county}村{i}")
            classify(unit=village, tier=tier)
            secretary(unit=village, name=f"{county}书记{i}")
    w.seu = make_unit(parent=w.city, name="东南大学党委", level=Level.SYSTEM, sector=Sector.UNIVERSITY)
    set_policy(unit=w.seu, stipend_base_university=D("300"), stipend_base_university_period="month",
               stipend_base_retired_branch=D("500"), stipend_base_retired_branch_period="year")
    serving = make_unit(parent=w.seu, name="机械学院教工党支部", sector=Sector.UNIVERSITY)
    credited = make_unit(parent=w.seu, name="能源学院教工党支部", sector=Sector.UNIVERSITY)
    retired = make_unit(parent=w.seu, name="离退休第一党支部", sector=Sector.UNIVERSITY)
    for unit in (serving, credited, retired):
        classify(unit=unit, tier=Tier.GOOD)
    secretary(unit=serving, name="周明")
    w.credited_person = secretary(unit=credited, name="吴芳")
    StipendElection.objects.create(person=w.credited_person, unit=credited, year=2025,
                                   form=StipendForm.WORKLOAD_CREDIT)
    secretary(unit=retired, name="郑老师", is_retired=True)
    return w


def test_the_base_regime_county_pays_1_09_08_07_of_the_base(installation):
    sheet = sheet_build(unit=installation.county_a, year=2025, user=installation.staff_a)
    assert [amounts(sheet)[f"A书记{i}"] for i in range(4)] == [D("30000.00"), D("27000.00"), D("24000.00"),
                                                               D("21000.00")]
    assert (sheet.regimes, sheet.total, sheet.provisional_count) == ([Regime.BASE], D("102000.00"), 0)


def test_the_pool_regime_county_shares_its_township_pool_by_coefficient(installation):
    sheet = sheet_build(unit=installation.county_b, year=2025, user=installation.outsider)
    assert [amounts(sheet)[f"B书记{i}"] for i in range(4)] == [D("29411.76"), D("26470.59"), D("23529.41"),
                                                               D("20588.24")]
    assert (sheet.regimes, sheet.total) == ([Regime.POOL], D("100000.00"))
    line = lines_of(sheet)["B书记1"]
    assert (line.regime, line.pool_amount, line.base_amount) == (Regime.POOL, D("100000.00"), None)
    assert line.explanation["formula"] == "100000.00 × 10.80 / 40.80 = 26470.59"
    assert line.explanation["pool_policy"] == str(installation.county_b.pk)


def test_the_university_committee_pays_serving_staff_monthly_credits_workload_and_pays_retired_branches_yearly(
        installation):
    from tests.factories import make_user

    city_staff = make_user(unit=installation.city, username="city_staff")
    sheet = sheet_build(unit=installation.seu, year=2025, user=city_staff)
    lines = lines_of(sheet)
    assert (lines["周明"].group, lines["周明"].amount) == (BaseGroup.UNIVERSITY, D("3600.00"))
    assert lines["周明"].explanation["formula"] == "300.00 × 1.00 × 12 = 3600.00"
    credit = lines["吴芳"]
    assert (credit.form, credit.amount, credit.explanation["rule"]) == (StipendForm.WORKLOAD_CREDIT, D("0.00"),
                                                                        "R-STP-3")
    assert credit.explanation["workload_credit_share"] == "0.10"
    assert (lines["郑老师"].group, lines["郑老师"].amount) == (BaseGroup.RETIRED_BRANCH, D("500.00"))
    assert (sheet.total, sheet.workload_credit_count, sheet.flagged_count) == (D("4100.00"), 1, 0)
    assert sheet.regimes == [Regime.BASE]


def test_the_city_sheet_holds_both_regimes_side_by_side(installation):
    from tests.factories import make_user

    city_staff = make_user(unit=installation.city, username="city_staff")
    sheet = sheet_build(unit=installation.city, year=2025, user=city_staff)
    assert sheet.regimes == [Regime.BASE, Regime.POOL]
    assert sheet.total == D("102000.00") + D("100000.00") + D("4100.00")
    assert set(sheet.policies) == {str(installation.county_a.pk), str(installation.county_b.pk),
                                   str(installation.seu.pk)}


# ---------------------------------------------------------------- floors (R-STP-3)

def test_a_university_line_below_300_a_month_is_flagged(installation):
    Classification.objects.filter(unit__name="机械学院教工党支部").update(tier=Tier.POOR)
    sheet = sheet_build(unit=installation.seu, year=2025)
    line = lines_of(sheet)["周明"]
    assert (line.amount, line.flags) == (D("2520.00"), [FloorKind.UNIVERSITY_MONTHLY])
    (floor,) = [f for f in sheet.floors if f["kind"] == FloorKind.UNIVERSITY_MONTHLY]
    # the floor to the fen like the value, whether it is the default (300) or a stored policy's (300.00)
    assert (floor["value"], floor["floor"], floor["person"], floor["ok"]) == ("210.00", "300.00", "周明", False)
    assert sheet.flagged_count == 1
    assert lines_of(sheet)["吴芳"].flags == []  # a workload credit is not money: no floor


def test_a_retired_branch_line_below_500_a_year_is_flagged(installation):
    set_policy(unit=installation.seu, stipend_base_retired_branch=D("400"), stipend_base_retired_branch_period="year",
               stipend_base_university=D("300"), stipend_base_university_period="month")
    sheet = sheet_build(unit=installation.seu, year=2025)
    assert lines_of(sheet)["郑老师"].flags == [FloorKind.RETIRED_YEARLY]


@pytest.mark.parametrize("income,ok", [(D("25500.01"), False), (D("25500.00"), True)])
def test_the_village_average_is_checked_against_the_rural_income(installation, income, ok):
    """(30,000 + 27,000 + 24,000 + 21,000) / 4 = 25,500 a year: below 25,500.01 flagged, at 25,500 met."""
    set_policy(unit=installation.county_a, stipend_base_village=D("30000"), stipend_base_village_period="year",
               rural_average_income=income)
    sheet = sheet_build(unit=installation.county_a, year=2025)
    (floor,) = [f for f in sheet.floors if f["kind"] == FloorKind.VILLAGE_AVERAGE]
    assert (floor["value"], floor["ok"], floor["lines"], floor["unit"]) == ("25500.00", ok, 4, "甲县委")
    assert floor["source"]["unit"] == "甲县委"
    assert sheet.flagged_count == (0 if ok else 1)


def test_the_community_average_is_checked_against_the_local_wage(world):
    set_policy(unit=world.county_a, stipend_base_community=D("48000"), stipend_base_community_period="year",
               local_average_wage=D("50000"))
    for i, tier in enumerate((Tier.GOOD, Tier.AVERAGE)):
        community = make_unit(parent=world.township_a, name=f"社区{i}", sector=Sector.COMMUNITY)
        classify(unit=community, tier=tier)
        secretary(unit=community, name=f"社区书记{i}")
    sheet = sheet_build(unit=world.county_a, year=2025)
    (floor,) = [f for f in sheet.floors if f["kind"] == FloorKind.COMMUNITY_AVERAGE]
    # (48,000 + 38,400) / 2 = 43,200 < 50,000
    assert (floor["value"], floor["floor"], floor["ok"], floor["lines"]) == ("43200.00", "50000.00", False, 2)
    # No wage in the policy: checked, not flagged (ok is None).
    set_policy(unit=world.county_a, stipend_base_community=D("48000"), stipend_base_community_period="year",
               local_average_wage=None)
    sheet = sheet_build(unit=world.county_a, year=2025)
    (floor,) = [f for f in sheet.floors if f["kind"] == FloorKind.COMMUNITY_AVERAGE]
    assert floor["ok"] is None and sheet.flagged_count == 1  # the villages have no base: NO_BASE counts


# ---------------------------------------------------------------- 5,000 secretaries (issue 10: bounded queries)

def test_a_sheet_for_5000_secretaries_is_built_in_a_bounded_number_of_queries(world, county_policy):
    townships = [make_unit(parent=world.county_a, name=f"镇{i}", level=Level.TOWNSHIP, sector=Sector.ORGAN)
                 for i in range(5)]
    units = []
    for township in townships:
        units += bulk_secretaries(parent=township, count=1000)[0]
    tiers = [Tier.GOOD, Tier.FAIRLY_GOOD, Tier.AVERAGE, Tier.POOR]
    Classification.objects.bulk_create([
        Classification(unit=u, year=2025, tier=tiers[i % 4], computed_tier=tiers[i % 4], composite_score=D("80"))
        for i, u in enumerate(units)], batch_size=1000)
    with CaptureQueriesContext(connection) as queries:
        sheet = sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    assert sheet.line_count == 5002
    # 5,000 lines a quarter at each coefficient, and the two of the world's villages (unclassified: coefficient 1)
    assert sheet.total == D("24000") * (1250 * (D("1") + D("0.9") + D("0.8") + D("0.7"))) + 2 * D("24000")
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    others = len(queries.captured_queries) - len(inserts)
    # The reads and the sheet's own writes are a fixed handful; the line INSERTs are batches, never one per line.
    assert others <= 15, [q["sql"][:80] for q in queries.captured_queries if not q["sql"].startswith("INSERT")]
    assert len(inserts) <= 5002 // 30, len(inserts)


# ---------------------------------------------------------------- versions (R-STP-4)

def test_approve_correct_and_approve_the_correction_supersedes_the_first(world, county_policy):
    classify(unit=world.village_a1, tier=Tier.GOOD)
    v1 = sheet_approve(sheet=sheet_build(unit=world.county_a, year=2025, user=world.staff_a), user=world.staff_a)
    assert (v1.state, v1.approved_by, v1.is_frozen) == (SheetState.APPROVED, world.staff_a, True)
    classify(unit=world.village_a2, tier=Tier.AVERAGE)  # the provisional line is now classified
    v2 = sheet_correct(sheet=v1, user=world.staff_a, reason="杨志强所在村补评定级")
    assert amounts(v2) == {"秦秀英": D("24000.00"), "杨志强": D("19200.00")}
    assert lines_of(v2)["杨志强"].previous_amount == D("24000.00")
    assert v2.correction_reason == "杨志强所在村补评定级"
    v2 = sheet_approve(sheet=v2, user=world.staff_a)
    v1.refresh_from_db()
    assert (v1.state, v2.state) == (SheetState.SUPERSEDED, SheetState.APPROVED)
    v3 = sheet_correct(sheet=v2, user=world.staff_a, reason="再次更正")
    assert (v3.version, v3.previous_id) == (3, v2.pk)
    assert {ln.previous_amount for ln in lines_of(v3).values()} == {D("24000.00"), D("19200.00")}


def test_a_line_new_in_a_correction_has_no_previous_amount(world, county_policy):
    v1 = sheet_approve(sheet=sheet_build(unit=world.county_a, year=2025, user=world.staff_a), user=world.staff_a)
    secretary(unit=make_unit(parent=world.township_a, name="新村"), name="新书记", start=dt.date(2025, 7, 1))
    v2 = sheet_correct(sheet=v1, user=world.staff_a, reason="漏报一人")
    line = lines_of(v2)["新书记"]
    assert (line.previous_amount, line.months, line.amount) == (None, 6, D("12000.00"))


def test_the_refusals_of_a_sheets_life(world, county_policy):
    draft = sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    with pytest.raises(ValidationError) as exc:
        sheet_correct(sheet=draft, user=world.staff_a, reason="x")  # a draft is not corrected
    assert messages(exc) == [str(MSG_CORRECT_NOT_APPROVED)]
    approved = sheet_approve(sheet=draft, user=world.staff_a)
    with pytest.raises(ValidationError) as exc:
        sheet_approve(sheet=approved, user=world.staff_a)  # approved twice
    assert messages(exc) == [MSG_SHEET_NOT_DRAFT.format(action=_("approved"), state=approved.get_state_display())]
    with pytest.raises(ValidationError) as exc:
        sheet_correct(sheet=approved, user=world.staff_a, reason="   ")  # without a reason
    assert exc.value.message_dict == {"correction_reason": [str(MSG_CORRECT_REASON)]}
    with pytest.raises(ValidationError) as exc:
        sheet_build(unit=world.county_a, year=2025, user=world.staff_a)  # build when approved exists
    assert messages(exc) == [str(MSG_SHEET_APPROVED_EXISTS.format(year=2025, unit="甲县委"))]
    with pytest.raises(ValidationError) as exc:
        sheet_discard(sheet=approved, user=world.staff_a)
    assert StipendSheet.objects.filter(pk=approved.pk).exists()
    draft2 = sheet_correct(sheet=approved, user=world.staff_a, reason="更正")
    with pytest.raises(ValidationError) as exc:
        sheet_correct(sheet=approved, user=world.staff_a, reason="再更正")  # a draft of it exists
    assert messages(exc) == [str(MSG_CORRECT_DRAFT_EXISTS.format(version=2))]
    for user in (world.supervisor_a, world.secretary_user):
        with pytest.raises(PermissionDenied, match=str(MSG_NOT_STAFF)):
            sheet_approve(sheet=draft2, user=user)
    sheet_discard(sheet=draft2, user=world.staff_a)
    assert list(StipendSheet.objects.values_list("version", "state")) == [(1, SheetState.APPROVED)]


def test_a_sheet_never_computed_cannot_be_approved_and_a_branch_has_no_sheet(world):
    empty = sheet_draft_get_or_create(unit=world.county_a, year=2025, user=world.staff_a)
    with pytest.raises(ValidationError) as exc:
        sheet_approve(sheet=empty, user=world.staff_a)
    assert messages(exc) == [str(MSG_SHEET_NOT_BUILT)]
    with pytest.raises(ValidationError) as exc:
        sheet_build(unit=world.village_a1, year=2025, user=world.staff_a)
    assert list(exc.value.message_dict) == ["unit"]


def test_building_twice_replaces_the_drafts_lines(world, county_policy):
    first = sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    classify(unit=world.village_a1, tier=Tier.POOR)
    again = sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    assert again.pk == first.pk and StipendLine.objects.filter(sheet=again).count() == 2
    assert amounts(again)["秦秀英"] == D("16800.00")
