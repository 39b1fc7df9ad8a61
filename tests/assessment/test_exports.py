"""Issue 8 item 4: the assessment's page exports follow the pages' year and filters and speak Chinese."""
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from assessment.choices import DutyReportState, Tier
from assessment.models import Classification, DutyReport
from tests.assessment.helpers import make_cycle

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.fixture
def classified(world):
    cycle = make_cycle(unit=world.county_a, year=2025)
    Classification.objects.create(unit=world.village_a1, year=2025, cycle=cycle, composite_score=Decimal("91"),
                                  computed_tier=Tier.GOOD, tier=Tier.GOOD, stars=3, explanation={})
    Classification.objects.create(unit=world.village_a2, year=2025, cycle=cycle, composite_score=Decimal("75"),
                                  computed_tier=Tier.FAIRLY_GOOD, tier=Tier.FAIRLY_GOOD, explanation={})
    Classification.objects.create(unit=world.village_b1, year=2025, cycle=make_cycle(unit=world.county_b, year=2025),
                                  computed_tier=Tier.GOOD, tier=Tier.GOOD, explanation={})
    return cycle


def test_classifications_follow_the_tier_filter_with_chinese_tiers(world, login, classified):
    client = login(world.supervisor_a)
    rows = _rows(client.get(reverse("export_classifications_xlsx") + "?year=2025"))
    assert [(r["党支部"], r["等次"], r["星级"]) for r in rows] == [
        (world.village_a1.name, "好", 3), (world.village_a2.name, "较好", None)]
    rows = _rows(client.get(reverse("export_classifications_xlsx") + "?year=2025&tier=fairly_good"))
    assert [r["党支部"] for r in rows] == [world.village_a2.name]
    assert _rows(client.get(reverse("export_classifications_xlsx") + "?year=2024")) == []


def test_calibration_counts_by_tier(world, login, classified):
    rows = _rows(login(world.staff_a).get(reverse("export_calibration_xlsx") + "?year=2025"))
    township = next(r for r in rows if r["分组"] == "按乡镇")
    assert (township["名称"], township["党支部数"], township["好"], township["较好"]) == (
        world.township_a.name, 2, 1, 1)


def test_duty_reports_follow_the_state_filter(world, login):
    DutyReport.objects.create(unit=world.village_a1, person=world.secretary_a1, year=2025,
                              state=DutyReportState.SUBMITTED)
    DutyReport.objects.create(unit=world.village_a2, person=world.person_a2, year=2025, state=DutyReportState.DRAFT)
    client = login(world.supervisor_a)
    rows = _rows(client.get(reverse("export_duty-reports_xlsx") + "?state=submitted"))
    assert [(r["书记"], r["状态"]) for r in rows] == [(world.secretary_a1.name, str(DutyReportState.SUBMITTED.label))]
    assert len(_rows(client.get(reverse("export_duty-reports_xlsx")))) == 2
