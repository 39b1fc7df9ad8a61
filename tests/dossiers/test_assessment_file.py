"""R-ASM-5: a branch's annual assessment file — its content, its PDF, who may print it, and its code (R-DOS-1)."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.choices import DutyReportState, Rating, Tier
from assessment.models import AssessmentCycle, Classification, DutyReport, EvaluationSample
from assessment.services.classification import classification_override
from assessment.services.cycles import cycle_publish
from assessment.services.scoring import branch_score_set
from dossiers.choices import PrintKind, VerifyState
from dossiers.models import DossierPrint
from dossiers.services.assessment_file import (
    ERR_NO_CLASSIFICATION,
    ERR_YEAR_REQUIRED,
    assessment_file_content,
    assessment_file_pdf,
)
from dossiers.services.verification import print_verify
from rectification.models import RectificationCase, RectificationTask
from tests.assessment.helpers import add_ballots, make_cycle, make_template
from tests.dossiers.pdfcheck import first_page_png, pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db

OVERRIDE_REASON = "村级组织换届后班子团结有力，经研究调整等次"


@pytest.fixture
def branch_year(world):
    """Village A1's 2025: a report, ten closed ballots, scores on two indicators, a tier set by staff, a case."""
    cycle = make_cycle(unit=world.county_a, year=2025)
    template = make_template(unit=world.county_a, year=2025)
    first, second = list(template.indicators.order_by("position"))
    branch_score_set(unit=world.village_a1, year=2025, points={first.pk: "46.5", second.pk: "38"}, by=world.staff_a)
    sample = add_ballots(unit=world.village_a1, ratings=[Rating.GOOD] * 6 + [Rating.FAIRLY_GOOD] * 3 + [Rating.POOR])
    EvaluationSample.objects.filter(pk=sample.pk).update(closed_at=timezone.now())
    DutyReport.objects.create(unit=world.village_a1, person=world.secretary_a1, year=2025,
                              commitments="完成村部改造", work_done="发展党员2名，流转土地300亩", problems="集体经济薄弱",
                              plans="发展光伏产业", state=DutyReportState.ACCEPTED,
                              submitted_at=dt.datetime(2025, 12, 5, 2, tzinfo=dt.UTC))
    classification = Classification.objects.create(
        unit=world.village_a1, year=2025, cycle=cycle, superior_score=Decimal("84.50"), member_score=Decimal("84.00"),
        composite_score=Decimal("84.35"), computed_tier=Tier.FAIRLY_GOOD, tier=Tier.FAIRLY_GOOD,
        explanation={"rule": "R-CLS-1", "tier_by_score": "fairly_good", "overrides": [], "staff_tier": None,
                     "policy": {"superior_score_weight": {"value": "0.7"}, "member_score_weight": {"value": "0.3"},
                                "tier_good_min": {"value": "90"}, "tier_fairly_good_min": {"value": "80"},
                                "tier_average_min": {"value": "60"}}},
        stars=4, computed_at=timezone.now())
    classification = classification_override(classification=classification, tier=Tier.GOOD, reason=OVERRIDE_REASON,
                                             by=world.staff_a)
    case = RectificationCase.objects.create(unit=world.village_a1, year=2025, origins=["manual"],
                                            summary="班子软弱，需整顿", opened_by=world.staff_a)
    RectificationTask.objects.create(case=case, title="健全“三会一课”制度", owner_person=world.secretary_a1,
                                     deadline=dt.date(2026, 6, 30), created_by=world.staff_a)
    return {"cycle": cycle, "classification": classification, "case": case, "indicator": first}


def test_the_file_holds_every_section_in_noto_sans_cjk_sc(world, branch_year, tmp_path):
    rendered = assessment_file_pdf(unit=world.village_a1, year=2025, user=world.staff_a)
    text = pdf_text(rendered.content)
    for expected in ("东风村党支部", "2025", "年度考核档案", "秦秀英",    # branch, year, its secretary
                     "评定等次", "好",                                  # the tier label (set by staff)
                     "组织建设", "46.5",                                # an indicator and its points
                     OVERRIDE_REASON,                                   # the override's written reason
                     "健全“三会一课”制度", "整顿中",                    # the case and its task
                     "发展光伏产业", "满意率", "90.0%",                 # the duty report; 9 of 10 satisfied
                     f"共 {rendered.pages} 页"):
        assert expected in text.replace("\n", ""), expected
    fonts = pdf_fonts(rendered.content)
    assert fonts and all(f["embedded"] for f in fonts)
    assert all("Noto-Sans-CJK-SC" in f["name"] for f in fonts), fonts
    assert not [f for f in fonts if f["subtype"] == "/Type3"]
    row = DossierPrint.objects.get(kind=PrintKind.ASSESSMENT_FILE)
    assert (row.unit_id, row.year, row.person_id, row.pages) == (world.village_a1.pk, 2025, None, rendered.pages)
    out = tmp_path / "assessment_file_page1.png"
    first_page_png(rendered.content, out)
    assert out.stat().st_size > 10_000  # looked at by hand: the cover, in Chinese, with the watermark


def test_the_evaluation_shows_aggregates_only_never_a_ballot(world, branch_year):
    evaluation = assessment_file_content(unit=world.village_a1, year=2025)["evaluation"]
    assert evaluation["shown"] and evaluation["answers"] == 10 and evaluation["satisfaction"] == "90.0"
    assert {r["label"]: r["count"] for r in evaluation["ratings"]} == {"好": 6, "较好": 3, "一般": 0, "差": 1}


def test_an_open_sample_shows_no_count_at_all(world, branch_year):
    EvaluationSample.objects.filter(unit=world.village_a1).update(closed_at=None)
    later = timezone.localdate() + dt.timedelta(days=30)  # the cycle's evaluations are not due yet
    AssessmentCycle.objects.filter(pk=branch_year["cycle"].pk).update(
        reports_due=later, evaluations_due=later, classification_date=later, publication_date=later)
    evaluation = assessment_file_content(unit=world.village_a1, year=2025)["evaluation"]
    assert not evaluation["shown"] and "answers" not in evaluation and "ratings" not in evaluation
    assert "尚未结束" in evaluation["reason"]


def test_each_section_says_none_when_empty(world):
    cycle = make_cycle(unit=world.county_a, year=2025)
    Classification.objects.create(unit=world.village_a2, year=2025, cycle=cycle, computed_tier=Tier.AVERAGE,
                                  tier=Tier.AVERAGE, explanation={})
    content = assessment_file_content(unit=world.village_a2, year=2025)
    assert content["duty_reports"] == [] and content["evaluation"] is None and content["scores"] is None
    assert content["rectification"] == [] and content["classification"]["changes"] == []
    text = pdf_text(assessment_file_pdf(unit=world.village_a2, year=2025, user=world.staff_a).content)
    assert text.count("无") >= 5
    assert assessment_file_content(unit=world.village_a2, year=2024) is None


def test_the_content_costs_a_fixed_number_of_queries(world, branch_year, django_assert_max_num_queries):
    case = branch_year["case"]
    with django_assert_max_num_queries(16) as one:
        assessment_file_content(unit=world.village_a1, year=2025)
    for i in range(5):
        RectificationTask.objects.create(case=case, title=f"任务{i}", owner_unit=world.township_a,
                                         deadline=dt.date(2026, 3, 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assessment_file_content(unit=world.village_a1, year=2025)


def test_it_is_the_same_content_for_every_reader_and_every_call(world, branch_year):
    assert assessment_file_content(unit=world.village_a1, year=2025) == \
        assessment_file_content(unit=world.village_a1, year=2025)


# --- R-DOS-1: its code ---

def test_the_printed_code_matches_until_a_score_changes(world, branch_year):
    assessment_file_pdf(unit=world.village_a1, year=2025, user=world.staff_a)
    row = DossierPrint.objects.get(kind=PrintKind.ASSESSMENT_FILE)
    assert print_verify(row.code).state == VerifyState.MATCHES
    DossierPrint.objects.filter(pk=row.pk).update(printed_at=row.printed_at - dt.timedelta(days=3))
    row.refresh_from_db()
    # The code signs printed_at; a row moved back in time no longer checks.
    assert print_verify(row.code).state == VerifyState.UNKNOWN


def test_a_score_changed_after_printing_shows_outdated_with_the_date(world, branch_year):
    printed = timezone.now() - dt.timedelta(days=2)
    assessment_file_pdf(unit=world.village_a1, year=2025, user=world.staff_a, now=printed)
    row = DossierPrint.objects.get(kind=PrintKind.ASSESSMENT_FILE)
    assert print_verify(row.code).state == VerifyState.MATCHES
    indicators = {i.pk: "30" for i in branch_year["indicator"].template.indicators.all()}
    branch_score_set(unit=world.village_a1, year=2025, points=indicators, by=world.staff_a)
    result = print_verify(row.code)
    assert result.state == VerifyState.OUTDATED
    assert result.changed_on == timezone.localdate()
    assert "量化考核得分" in result.changed_sections


def test_an_override_after_printing_shows_outdated(world, branch_year):
    assessment_file_pdf(unit=world.village_a1, year=2025, user=world.staff_a,
                        now=timezone.now() - dt.timedelta(hours=1))
    row = DossierPrint.objects.get(kind=PrintKind.ASSESSMENT_FILE)
    classification_override(classification=branch_year["classification"], tier=Tier.AVERAGE, reason="复核后调整",
                            by=world.staff_a)
    result = print_verify(row.code)
    assert result.state == VerifyState.OUTDATED and result.changed_on == timezone.localdate()
    assert result.changed_sections == ["定级结果及依据"]


# --- the API: who gets the file (R-ORG-2, R-ASM-5) ---

def _url(unit, year=2025):
    url = reverse("api-assessment-file", args=[unit.pk])
    return f"{url}?year={year}" if year is not None else url


def test_it_requires_the_year(world, branch_year, api):
    response = api(world.staff_a).get(_url(world.village_a1, year=None))
    assert response.status_code == 400 and response.json() == {"year": [str(ERR_YEAR_REQUIRED)]}
    assert api(world.staff_a).get(_url(world.village_a1, year="abc")).status_code == 400
    assert api(world.outsider).get(_url(world.village_a1, year=None)).status_code == 404  # scope first


def test_it_answers_404_with_a_message_for_a_year_without_a_classification(world, branch_year, api):
    response = api(world.staff_a).get(_url(world.village_a1, year=2019))
    assert response.status_code == 404
    assert response.json()["detail"] == str(ERR_NO_CLASSIFICATION).format(year=2019)


@pytest.mark.parametrize("role, status", [
    ("staff_a", 200), ("supervisor_a", 200), ("township_staff", 200),
    ("outsider", 404), ("secretary_user", 404),  # the branch's secretary: not before publication
])
def test_who_gets_the_file_before_publication(world, branch_year, api, role, status):
    response = api(getattr(world, role)).get(_url(world.village_a1))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "no-store"


def test_the_branch_secretary_gets_it_once_published_but_not_another_branch(world, branch_year, api):
    cycle_publish(cycle=branch_year["cycle"], by=world.staff_a)
    assert api(world.secretary_user).get(_url(world.village_a1)).status_code == 200
    Classification.objects.create(unit=world.village_a2, year=2025, cycle=branch_year["cycle"], tier=Tier.AVERAGE)
    assert api(world.secretary_user).get(_url(world.village_a2)).status_code == 404
    assert api(world.outsider).get(_url(world.village_a1)).status_code == 404
    assert api(None).get(_url(world.village_a1)).status_code == 401


# --- the buttons (core.page_actions) ---

def test_the_report_page_and_the_unit_page_carry_the_button(world, branch_year, login):
    classification = branch_year["classification"]
    page = login(world.staff_a).get(reverse("assessment:report", args=[classification.pk]))
    assert _url(world.village_a1) in page.content.decode()
    page = login(world.staff_a).get(reverse("cadres:unit_detail", args=[world.village_a1.pk]))
    html = page.content.decode()
    assert f'action="{reverse("api-assessment-file", args=[world.village_a1.pk])}"' in html
    assert '<option value="2025" selected>2025</option>' in html


def test_the_unit_page_has_no_button_for_the_secretary_before_publication(world, branch_year, login):
    page = login(world.secretary_user).get(reverse("cadres:unit_detail", args=[world.village_a1.pk]))
    assert "assessment-file.pdf" not in page.content.decode()
