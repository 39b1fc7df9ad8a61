"""R-JOB-1, R-STP-2/4: the annual review builds the cycle's jurisdiction's provisional draft sheet, rebuilds the other
drafts of the year in scope, leaves approved sheets alone, and gives the same result when run twice."""
from decimal import Decimal

from assessment.choices import Tier
from assessment.services.classification import annual_review_run
from stipends.choices import SheetState
from stipends.models import StipendLine, StipendSheet
from stipends.services.compute import PROVISIONAL_NOT_PUBLISHED
from stipends.services.sheets import sheet_approve, sheet_build
from tests.assessment.helpers import make_cycle, make_template, set_scores
from tests.stipends.helpers import set_policy

D = Decimal
STEP = "stipends.sheets"


def lines(sheet) -> dict[str, tuple]:
    return {ln.person.name: (ln.tier, ln.coefficient, ln.amount, ln.provisional)
            for ln in StipendLine.objects.filter(sheet=sheet).select_related("person")}


def scored(world):
    """Village A1 at 95 points (好), A2 at 50 (较差); 24,000 a year in county A."""
    set_policy(unit=world.county_a, stipend_base_village=D("24000"), stipend_base_village_period="year")
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1], score="95", template=template)
    set_scores(units=[world.village_a2], score="50", template=template)
    return make_cycle(unit=world.county_a)


def test_the_review_builds_a_provisional_draft_for_the_cycles_jurisdiction(world):
    cycle = scored(world)
    result = annual_review_run(cycle_id=cycle.pk)
    assert result["steps"][STEP] == {"sheets_built": 1, "approved_left": 0}
    sheet = StipendSheet.objects.get()
    assert (sheet.unit, sheet.year, sheet.state, sheet.version) == (world.county_a, 2025, SheetState.DRAFT, 1)
    # The review's tiers are not published yet: their coefficients apply, each line marked provisional.
    assert lines(sheet) == {"秦秀英": (Tier.GOOD, D("1.0000"), D("24000.00"), True),
                            "杨志强": (Tier.POOR, D("0.7000"), D("16800.00"), True)}
    line = StipendLine.objects.get(sheet=sheet, person=world.person_a2)
    assert line.explanation["provisional"] == PROVISIONAL_NOT_PUBLISHED
    assert sheet.provisional_count == 2
    assert not StipendSheet.objects.filter(unit=world.county_b).exists()  # outside the cycle's scope


def test_running_the_review_twice_gives_the_same_sheet(world):
    cycle = scored(world)
    annual_review_run(cycle_id=cycle.pk)
    first = StipendSheet.objects.get()
    before = (lines(first), first.total, first.policies, first.floors)
    again = annual_review_run(cycle_id=cycle.pk)
    assert again["steps"][STEP] == {"sheets_built": 1, "approved_left": 0}
    sheet = StipendSheet.objects.get()
    assert sheet.pk == first.pk
    assert (lines(sheet), sheet.total, sheet.policies, sheet.floors) == before
    assert StipendLine.objects.count() == 2


def test_the_review_leaves_an_approved_sheet_untouched(world):
    cycle = scored(world)
    sheet = sheet_approve(sheet=sheet_build(unit=world.county_a, year=2025, user=world.staff_a), user=world.staff_a)
    before = (lines(sheet), sheet.total)
    assert before[0]["秦秀英"] == ("", D("1.0000"), D("24000.00"), True)  # built before the review classified
    result = annual_review_run(cycle_id=cycle.pk)
    assert result["steps"][STEP] == {"sheets_built": 0, "approved_left": 1}
    sheet.refresh_from_db()
    assert (sheet.state, lines(sheet), sheet.total) == (SheetState.APPROVED, *before)
    assert StipendSheet.objects.count() == 1


def test_the_review_rebuilds_the_other_drafts_of_the_year_in_scope_and_a_correction_draft(world):
    cycle = scored(world)
    township = sheet_build(unit=world.township_a, year=2025, user=world.staff_a)
    county = sheet_approve(sheet=sheet_build(unit=world.county_a, year=2025, user=world.staff_a),
                           user=world.staff_a)
    from stipends.services.sheets import sheet_correct

    correction = sheet_correct(sheet=county, user=world.staff_a, reason="定级后重算")
    other_year = sheet_build(unit=world.township_a, year=2024, user=world.staff_a)
    outside = sheet_build(unit=world.county_b, year=2025, user=world.outsider)
    result = annual_review_run(cycle_id=cycle.pk)
    assert result["steps"][STEP] == {"sheets_built": 2, "approved_left": 0}
    assert lines(township)["杨志强"][:3] == (Tier.POOR, D("0.7000"), D("16800.00"))
    correction_lines = {ln.person.name: (ln.previous_amount, ln.amount)
                        for ln in StipendLine.objects.filter(sheet=correction).select_related("person")}
    assert correction_lines["杨志强"] == (D("24000.00"), D("16800.00"))  # the difference from the approved version
    for sheet in (other_year, outside):
        before = sheet.built_at
        sheet.refresh_from_db()
        assert sheet.built_at == before
