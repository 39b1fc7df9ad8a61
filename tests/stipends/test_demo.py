"""Issue 10 item 4: the demo city has both regimes — seed_demo's policies, forms and sheets (stipends.demo)."""
import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from core.choices import Sector
from core.models import OrgUnit, Policy
from stipends.choices import FloorKind, Regime, SheetState, StipendForm
from stipends.demo import UNIVERSITY_NAME, seed_stipends
from stipends.models import StipendElection, StipendLine, StipendSheet

AS_OF = dt.date(2026, 11, 23)
YEAR = AS_OF.year - 1
# The smallest demo whose university committee has two serving-staff secretaries in office all year
# (60 branches, what the other demo tests use, leaves it only its retired-staff branch).
BRANCHES = 140


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("seed_demo", "--branches", str(BRANCHES), "--as-of", AS_OF.isoformat(), stdout=out)
    return out.getvalue()


def _sheets():
    return {s.unit.name: s for s in StipendSheet.objects.filter(year=YEAR).select_related("unit")}


def test_the_demo_has_both_regimes_a_draft_and_an_approved_sheet(demo):
    sheets = _sheets()
    first, second = OrgUnit.objects.filter(level="county").order_by("path")[:2]
    assert sheets[first.name].regimes == [Regime.BASE] and sheets[first.name].state == SheetState.DRAFT
    assert Regime.POOL in sheets[second.name].regimes and sheets[second.name].state == SheetState.APPROVED
    assert sheets[UNIVERSITY_NAME].state == SheetState.DRAFT
    # The lines carry the assessment demo's tiers; the first county is still calibrating (not published).
    tiers = set(StipendLine.objects.filter(sheet=sheets[second.name]).values_list("tier", flat=True))
    assert tiers >= {"good", "fairly_good", "average"}
    assert sheets[second.name].provisional_count == 0
    assert sheets[first.name].provisional_count == sheets[first.name].line_count > 0
    # A township's pool is spent to the fen among its village secretaries.
    pools = {}
    for township_id, pool, amount in StipendLine.objects.filter(sheet=sheets[second.name], regime=Regime.POOL) \
            .values_list("township_id", "pool_amount", "amount"):
        pools.setdefault(township_id, [pool, Decimal(0)])[1] += amount
    assert pools and all(spent == pool == Decimal("300000") for pool, spent in pools.values())


def test_the_first_countys_village_floor_is_flagged_and_the_second_is_not(demo):
    sheets = _sheets()
    first, second = OrgUnit.objects.filter(level="county").order_by("path")[:2]
    village = {s: next(f for f in sheets[s].floors if f["kind"] == FloorKind.VILLAGE_AVERAGE)
               for s in (first.name, second.name)}
    assert village[first.name]["ok"] is False and village[first.name]["floor"] == "28800.00"
    assert Decimal(village[first.name]["value"]) < Decimal("28800")
    assert village[second.name]["ok"] is True
    assert sheets[first.name].flagged_count >= 1
    assert not any(f["kind"] == FloorKind.NO_BASE for s in sheets.values() for f in s.floors)


def test_the_universitys_workload_credits_are_on_its_sheet_but_not_in_its_total(demo):
    sheet = _sheets()[UNIVERSITY_NAME]
    credits = StipendElection.objects.filter(year=YEAR, form=StipendForm.WORKLOAD_CREDIT)
    assert credits.count() == 2
    lines = StipendLine.objects.filter(sheet=sheet)
    credited = lines.filter(form=StipendForm.WORKLOAD_CREDIT)
    assert credited.count() == sheet.workload_credit_count == 2
    assert set(credited.values_list("amount", flat=True)) == {Decimal("0.00")}
    assert sheet.total == sum(lines.values_list("amount", flat=True)) > 0
    paid = lines.filter(form=StipendForm.MONEY, group="university")
    assert paid.exists() and all(line.amount == Decimal("300") * line.months for line in paid)  # 300 a month
    assert lines.filter(group="retired_branch").exists()
    assert OrgUnit.objects.get(name=UNIVERSITY_NAME).sector == Sector.UNIVERSITY


def test_the_summary_prints_the_counts_in_chinese(demo):
    assert "补贴表 3" in demo and "补贴明细" in demo and "补贴发放形式 2" in demo
    assert "stipends: " in demo


def test_seeding_twice_does_not_duplicate(demo):
    before = (Policy.objects.count(), StipendSheet.objects.count(), StipendLine.objects.count(),
              StipendElection.objects.count())
    approved = StipendSheet.objects.get(state=SheetState.APPROVED)
    seed_stipends(seed=1, as_of=AS_OF)
    after = (Policy.objects.count(), StipendSheet.objects.count(), StipendLine.objects.count(),
             StipendElection.objects.count())
    assert after == before
    again = StipendSheet.objects.get(state=SheetState.APPROVED)
    assert (again.pk, again.total, again.approved_at) == (approved.pk, approved.total, approved.approved_at)
