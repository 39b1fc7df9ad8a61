"""R-DOS-1: the content of a secretary's dossier — every section, 无 when empty, set-based, stable digest."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from assessment.choices import HonourKind, HonourLevel, Rating, SanctionReason, Tier
from assessment.models import (
    AssessmentCycle,
    Classification,
    DutyReport,
    EvaluationRating,
    EvaluationSample,
    Honour,
    Sanction,
)
from cadres.choices import AppointmentRole, SelectionMethod, TalkKind
from cadres.models import Talk
from dossiers.services.person import SECTION_LABELS, dossier_changed_on, dossier_content
from dossiers.services.verification import content_digest
from rectification.choices import CaseOrigin
from rectification.models import RectificationCase
from stipends.choices import BaseGroup, Regime, SheetState
from stipends.models import HealthCheck, StipendLine, StipendSheet
from tests.factories import AppointmentFactory, PersonFactory, ReserveCandidateFactory
from training.choices import CourseKind
from training.models import Attendance, Course

pytestmark = pytest.mark.django_db

TIERS = {2021: Tier.GOOD, 2022: Tier.FAIRLY_GOOD, 2023: Tier.AVERAGE, 2024: Tier.POOR}
TIER_LABELS = {2021: "好", 2022: "较好", 2023: "一般", 2024: "较差"}


def _course(code, kind, start, hours="16", organiser=None):
    return Course.objects.create(code=code, name=f"{code} 农村基层党建专题培训班", kind=kind, organiser=organiser,
                                 start_date=start, end_date=start + dt.timedelta(days=1), hours=Decimal(hours))


def rich_record(world, *, name="韩喆昇", appointments=1, attendances=1, talks=1):
    """A secretary with something in every section: terms at 东风村 since 2021, tiers 好/较好/一般/较差,
    a closed evaluation with enough ballots, a case, honours, a sanction, an approved stipend, checks, talks."""
    unit = world.village_a1
    person = PersonFactory(name=name, unit=unit, birth_date=dt.date(1978, 4, 2), party_join_date=dt.date(2001, 7, 1),
                           employer="东风村村民委员会", job_title="主任")
    # Earlier posts at the sibling village, then the secretary term at 东风村 (the current one).
    for i in range(appointments - 1):
        AppointmentFactory(person=person, unit=world.village_a2, role=AppointmentRole.COMMITTEE_MEMBER,
                           start_date=dt.date(2010 + i, 1, 1), end_date=dt.date(2010 + i, 12, 31),
                           selection_method=SelectionMethod.ELECTION)
    world.appointment_a1.delete()  # the world's secretary of 东风村 gives way to this one
    term = AppointmentFactory(person=person, unit=unit, role=AppointmentRole.SECRETARY, start_date=dt.date(2021, 3, 1),
                              planned_end_date=dt.date(2026, 2, 28), selection_method=SelectionMethod.PUBLIC_DIRECT,
                              eligible_voters=120, votes_cast=112, votes_for=105, is_dual_leader=True)
    ReserveCandidateFactory(person=person, unit=unit, added_on=dt.date(2019, 5, 1), cultivation_plan="跟班学习一年")
    organiser = world.county_a
    initial = _course("C-INIT", CourseKind.INITIAL, dt.date(2021, 5, 10), organiser=organiser)
    Attendance.objects.create(person=person, course=initial, completed=True, completed_on=dt.date(2021, 5, 11))
    for i in range(attendances - 1):
        c = _course(f"C-{i:03d}", CourseKind.ANNUAL, dt.date(2022, 3, 1) + dt.timedelta(days=7 * i), organiser=organiser)
        Attendance.objects.create(person=person, course=c, completed=True, completed_on=c.end_date, days=Decimal("1.5"))
    cycle = AssessmentCycle.objects.create(unit=world.county_a, year=2023, reports_due=dt.date(2024, 1, 15),
                                           evaluations_due=dt.date(2024, 1, 20),
                                           classification_date=dt.date(2024, 2, 1),
                                           publication_date=dt.date(2024, 2, 15))
    for year, tier in TIERS.items():
        Classification.objects.create(unit=unit, year=year, tier=tier, computed_tier=tier,
                                      stars=5 - list(TIERS).index(year), composite_score=Decimal("88.50"),
                                      cycle=cycle if year == 2023 else None)
    Classification.objects.create(unit=unit, year=2020, tier=Tier.GOOD)  # before the term: not this person's
    DutyReport.objects.create(unit=unit, person=person, year=2023, work_done="修通村道三公里", problems="集体经济薄弱",
                              plans="发展合作社", state="accepted")
    sample = EvaluationSample.objects.create(unit=unit, year=2023, seed=7, member_count=40, sample_size=12,
                                             drawn=list(range(1, 13)), closed_at=timezone.now())
    for rating in [Rating.GOOD] * 8 + [Rating.FAIRLY_GOOD] * 2 + [Rating.AVERAGE]:
        EvaluationRating.objects.create(sample=sample, rating=rating)
    RectificationCase.objects.create(unit=unit, year=2024, origins=[CaseOrigin.POOR_TIER], summary="软弱涣散整顿")
    Honour.objects.create(kind=HonourKind.OUTSTANDING_SECRETARY, year=2021, unit=unit, person=person,
                          level=HonourLevel.DISTRICT)
    Sanction.objects.create(person=person, unit=unit, year=2024, applies_to_year=2025,
                            reason=SanctionReason.MOVED_DOWN, computed_at=timezone.now())
    for state, amount in ((SheetState.APPROVED, "36000.00"), (SheetState.DRAFT, "99999.00")):
        sheet = StipendSheet.objects.create(unit=world.county_a if state == SheetState.APPROVED else world.township_a,
                                            year=2023, state=state)
        StipendLine.objects.create(sheet=sheet, person=person, unit=unit, sector="village", group=BaseGroup.VILLAGE,
                                   regime=Regime.BASE, coefficient=Decimal("1.0000"), months=12,
                                   in_office_from=dt.date(2023, 1, 1), in_office_until=dt.date(2023, 12, 31),
                                   amount=Decimal(amount), policy_key="base", tier="good")
    HealthCheck.objects.create(person=person, unit=unit, decided_on=dt.date(2024, 4, 1), done_on=dt.date(2024, 5, 6),
                               place="县人民医院", cost=Decimal("800.00"))
    for i in range(talks):
        Talk.objects.create(person=person, unit=unit, date=dt.date(2021, 3, 5) + dt.timedelta(days=30 * i),
                            kind=TalkKind.APPOINTMENT if i == 0 else TalkKind.REGULAR, talker_name="李明",
                            talker_position="镇党委书记", notes="任职谈话，明确任期目标")
    person.refresh_from_db()
    person.term = term
    return person


def test_every_section_is_present_in_order_and_empty_ones_are_empty(world):
    person = PersonFactory(name="王堃", unit=world.village_b1)
    content = dossier_content(person=person)
    assert list(content) == list(SECTION_LABELS)
    assert list(SECTION_LABELS.values()) == ["基本信息", "任职经历", "后备人选", "培训", "述职报告", "民主测评",
                                             "考核等次", "整顿", "表彰与处理", "补贴", "健康体检", "谈心谈话"]
    assert content["appointments"] == [] and content["talks"] == [] and content["stipends"] == []
    assert content["training"] == {"courses": [], "years": []}


def test_a_rich_record_fills_every_section(world):
    person = rich_record(world, appointments=2, attendances=3)
    content = dossier_content(person=person, today=dt.date(2025, 6, 1))
    assert [a["role"] for a in content["appointments"]] == ["委员", "书记"]
    term = content["appointments"][-1]
    assert term["selection_method"] == "公推直选" and term["votes_for"] == 105 and term["start_date"] == "2021-03-01"
    assert content["reserve"][0]["cultivation_plan"] == "跟班学习一年"
    # Tiers of the branch during the term only (2020 was before it), with their labels and stars.
    assert [(c["year"], c["tier"], c["stars"]) for c in content["classifications"]] == [
        (2021, "好", 5), (2022, "较好", 4), (2023, "一般", 3), (2024, "较差", 2)]
    # R-TRN-1..3 per year of office, 2021 to today's year.
    years = content["training"]["years"]
    assert [y["year"] for y in years] == [2021, 2022, 2023, 2024, 2025]
    assert years[0]["initial"]["status"] == "按期完成" and years[1]["initial"] is None
    assert years[1]["days"] == "3.00"  # two annual courses at 1.5 days in 2022
    # Aggregates only (R-ASM-3): 11 ballots, 10 of them 好/较好.
    ev = content["evaluations"][0]
    assert ev["shown"] and ev["answers"] == 11 and ev["ratings"] == [8, 2, 1, 0]
    assert ev["satisfaction"] == "90.9" and "drawn" not in ev
    assert content["rectification"][0]["origins"] == "被评为较差"
    assert [h["kind"] for h in content["honours"]["honours"]] == ["优秀党支部书记"]
    assert content["honours"]["sanctions"][0]["applies_to_year"] == 2025
    # Approved sheets only: the draft's 99999 is not printed.
    assert [s["amount"] for s in content["stipends"]] == ["36000.00"]
    assert content["health"]["checks"][0]["place"] == "县人民医院"
    assert content["talks"][0]["kind"] == "任职谈话"


def test_an_open_sample_shows_no_numbers(world):
    person = rich_record(world)
    Classification.objects.update(cycle=None)
    AssessmentCycle.objects.filter(year=2023).delete()  # no cycle past its due date closes it
    EvaluationSample.objects.filter(unit=world.village_a1).update(closed_at=None)  # nor staff
    ev = dossier_content(person=person)["evaluations"][0]
    assert not ev["shown"] and ev["answers"] is None and ev["ratings"] is None and ev["reason"] == "测评尚未结束"


def test_the_content_does_not_depend_on_the_readers_language(world):
    person = rich_record(world)
    with translation.override("en"):
        english = content_digest(dossier_content(person=person))
    with translation.override("zh-hans"):
        chinese = content_digest(dossier_content(person=person))
    assert english == chinese


@pytest.mark.parametrize("size", [1, 6])
def test_a_fixed_number_of_queries_whatever_the_record_holds(world, django_assert_num_queries, size):
    person = rich_record(world, appointments=size, attendances=size, talks=size)
    with django_assert_num_queries(17):  # one per table (policies twice), never one per row or per year
        content = dossier_content(person=person)
    assert len(content["appointments"]) == size and len(content["talks"]) == size
    assert len(content["training"]["courses"]) == size


@pytest.mark.parametrize("size", [1, 6])
def test_changed_on_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries, size):
    from dossiers.models import DossierPrint

    person = rich_record(world, appointments=size, attendances=size, talks=size)
    row = DossierPrint(person=person, printed_at=timezone.now() - dt.timedelta(days=1))
    with django_assert_max_num_queries(14):
        assert dossier_changed_on(row) == timezone.localdate()


def test_changed_on_is_none_without_a_change_and_sees_a_branch_tier(world):
    from dossiers.models import DossierPrint

    person = rich_record(world)
    row = DossierPrint(person=person, printed_at=timezone.now())
    assert dossier_changed_on(row) is None
    Classification.objects.filter(unit=world.village_a1, year=2022).update(stars=1)  # no history: not seen
    c = Classification.objects.get(unit=world.village_a1, year=2023)
    c.stars = 1
    c.save()
    assert dossier_changed_on(row) == timezone.localdate()


def test_the_content_is_plain_json_and_the_same_when_built_twice(world):
    import json

    person = rich_record(world, appointments=3, attendances=3, talks=3)
    first = json.dumps(dossier_content(person=person), ensure_ascii=False)  # no default=: plain values only
    assert first == json.dumps(dossier_content(person=person), ensure_ascii=False)
    assert person.id_number in first  # signed in full; only the renderer masks it (R-SEC-1)
