"""seed_demo's assessment data (assessment.demo): two years of tiers, evaluations, listings and duty reports."""
import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessment.choices import DutyReportState, ListingKind, Tier
from assessment.demo import assessment_plan
from assessment.models import (
    AssessmentCycle,
    BranchListing,
    BranchScore,
    Classification,
    DutyReport,
    EvaluationSample,
    Sanction,
)
from assessment.selectors import evaluation_aggregates, upgrade_targets_for_unit
from assessment.services.scores import tier_for_score
from cadres.demo import DEFAULT_PASSWORD
from core.choices import BRANCH_LEVELS, Level
from core.models import OrgUnit, User
from core.services.policies import policy_effective

AS_OF = dt.date(2026, 11, 23)
YEAR, EARLIER = AS_OF.year - 1, AS_OF.year - 2


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("seed_demo", "--branches", "60", "--as-of", AS_OF.isoformat(), stdout=out)
    return out.getvalue()


def counties():
    return list(OrgUnit.objects.filter(level=Level.COUNTY).order_by("path"))


def county_branches(county):
    return OrgUnit.objects.filter(path__startswith=county.path, level__in=BRANCH_LEVELS)


def test_every_county_has_cycles_and_last_year_is_published_except_the_first(demo):
    first, *others = counties()
    assert others
    for county in counties():
        cycle = AssessmentCycle.objects.get(unit=county, year=YEAR)
        assert cycle.reports_due.year == cycle.publication_date.year == YEAR
        assert cycle.is_published == (county != first)
        assert AssessmentCycle.objects.get(unit=county, year=EARLIER).is_published
        template = county.indicator_templates.get(year=YEAR)
        assert 4 <= template.indicators.count() <= 6
        assert {"组织建设", "党员管理"} <= set(template.indicators.values_list("name", flat=True))
    current = AssessmentCycle.objects.get(year=AS_OF.year)
    assert current.unit == first and not current.is_published


def test_every_branch_is_scored_and_classified_with_at_least_three_tiers(demo):
    for county in counties():
        branches = county_branches(county)
        assert BranchScore.objects.filter(unit__in=branches, year=YEAR).count() == branches.count()
        assert Classification.objects.filter(unit__in=branches, year=YEAR).exclude(tier="").count() == branches.count()
    last = Classification.objects.filter(year=YEAR)
    assert len(set(last.values_list("tier", flat=True))) >= 3
    assert set(last.values_list("movement", flat=True)) >= {"up", "same", "down"}
    assert len(set(Classification.objects.filter(year=EARLIER).values_list("tier", flat=True))) >= 3
    assert Sanction.objects.filter(year=YEAR, applies_to_year=AS_OF.year).exists()


def test_listings_override_the_score(demo):
    """R-CLS-2: weak and lax → poor; negative list → at most fairly good."""
    weak = BranchListing.objects.filter(year=YEAR, kind=ListingKind.WEAK_AND_LAX)
    negative = BranchListing.objects.filter(year=YEAR, kind=ListingKind.NEGATIVE_LIST)
    assert weak.exists() and negative.exists()
    assert set(Classification.objects.filter(year=YEAR, unit__in=weak.values("unit")).values_list("tier", flat=True)) \
        == {Tier.POOR}
    assert not Classification.objects.filter(year=YEAR, unit__in=negative.values("unit"), tier=Tier.GOOD).exists()


def test_the_upgrade_targets_have_data(demo):
    """R-CLS-4: last year's branches grouped by the tier of the year before."""
    for county in counties():
        report = upgrade_targets_for_unit(unit=county, year=YEAR)
        assert sum(g["count"] for g in report["groups"]) == county_branches(county).count()
        assert any(g["achieved"] for g in report["groups"])


def test_most_evaluations_have_enough_answers_and_a_few_do_not(demo):
    samples = EvaluationSample.objects.filter(year=YEAR).select_related("unit")
    assert samples.count() >= 0.9 * Classification.objects.filter(year=YEAR).count()
    shown = [a["shown"] for a in evaluation_aggregates(samples=samples).values()]
    assert shown.count(True) > 5 * shown.count(False) > 0
    for s in samples:
        assert s.ratings.count() <= s.sample_size <= s.member_count and len(s.drawn) == s.sample_size


def test_demo_samples_are_closed_and_explanations_keep_no_counts_below_the_minimum(demo):
    """R-ASM-3: the demo's samples are closed (the aggregates it shows do not depend on today's
    date), and a branch below the minimum has no member score nor counts in its explanation."""
    assert not EvaluationSample.objects.filter(year=YEAR, closed_at__isnull=True).exists()
    rows = list(Classification.objects.filter(year=YEAR).values_list("member_score", "explanation"))
    unused = [(m, e) for m, e in rows if not e["member_evaluation"]["used"]]
    assert unused and len(unused) < len(rows)
    for member_score, explanation in unused:
        assert member_score is None and set(explanation["member_evaluation"]) == {
            "rule", "used", "min_answers", "reason"}


def test_duty_reports_in_every_state(demo):
    last = DutyReport.objects.filter(year=YEAR)
    assert set(last.values_list("state", flat=True)) == set(DutyReportState.values)
    assert last.filter(state=DutyReportState.ACCEPTED).count() > last.count() / 2
    returned = DutyReport.objects.filter(state=DutyReportState.RETURNED)
    assert returned.exists() and not returned.filter(return_reason="").exists()
    for report in DutyReport.objects.filter(state=DutyReportState.ACCEPTED)[:20]:
        assert [e.to_state for e in report.events.all()] == ["draft", "submitted", "accepted"]
    current = DutyReport.objects.filter(year=AS_OF.year)
    assert current.exists()
    assert current.filter(state__in=(DutyReportState.DRAFT, DutyReportState.SUBMITTED)).count() > current.count() / 2
    assert not current.exclude(unit__path__startswith=counties()[0].path).exists()


def test_secretary_demo_has_this_years_report_to_write(demo):
    user = User.objects.get(username="secretary_demo")
    report = DutyReport.objects.get(person__user=user, year=AS_OF.year)
    assert report.state == DutyReportState.DRAFT and report.commitments
    assert list(DutyReport.objects.visible_to(user).filter(year=AS_OF.year)) == [report]
    client = Client()
    assert client.login(username="secretary_demo", password=DEFAULT_PASSWORD)
    assert client.get(reverse("assessment:duty_report", args=[report.pk])).status_code == 200


def test_the_staff_pages_show_the_data(demo):
    client = Client()
    assert client.login(username="county_staff", password=DEFAULT_PASSWORD)
    for name in ("assessment:calibration", "assessment:upgrade_targets", "assessment:classifications",
                 "assessment:evaluations", "assessment:duty_reports"):
        assert client.get(reverse(name), {"year": YEAR}).status_code == 200, name


def test_the_plan_is_deterministic_and_gives_the_tiers_written(demo):
    plans = assessment_plan(seed=1, as_of=AS_OF)
    assert plans == assessment_plan(seed=1, as_of=AS_OF)
    policy = policy_effective(unit=counties()[0], year=EARLIER)
    planned = {b.unit_id: tier_for_score(score=b.previous_score, policy=policy).value
               for p in plans for b in p.branches}
    assert planned == dict(Classification.objects.filter(year=EARLIER).values_list("unit_id", "tier"))
    first = plans[0]
    indicators = list(counties()[0].indicator_templates.get(year=YEAR).indicators.order_by("position"))
    scores = BranchScore.objects.filter(year=YEAR, unit__path__startswith=first.path).order_by("unit__path")
    assert [tuple(Decimal(s.points[str(i.pk)]) for i in indicators) for s in scores] == \
        [b.points for b in first.branches]
    other = assessment_plan(seed=2, as_of=AS_OF)
    assert [b.previous_score for p in other for b in p.branches] != [b.previous_score for p in plans
                                                                       for b in p.branches]


def test_every_demo_duty_report_opens_for_staff_and_a_deleted_users_event_too(demo):
    """A report's history event without a user (the demo's seeded events, a deleted login) shows "—", not a 500."""
    client = Client()
    assert client.login(username="city_staff", password=DEFAULT_PASSWORD)
    reports = list(DutyReport.objects.values_list("pk", flat=True))
    assert reports
    failing = [pk for pk in reports
               if client.get(reverse("assessment:duty_report", args=[pk])).status_code != 200]
    assert failing == []
