"""R-STP-2..4 pages: the sheet list, one sheet (floors, lines, explanations, actions), its export, the what-if,
a secretary's own lines; scoping (a sibling county's staff get 404) and each refusal's message."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessment.choices import Tier
from core.choices import Role
from core.models import AccessLog, Job, Policy
from stipends.choices import SheetState, StipendForm
from stipends.exports import GRAND_TOTAL
from stipends.models import StipendElection, StipendLine, StipendSheet
from stipends.services import sheets as svc
from tests.factories import make_unit, make_user
from tests.stipends.helpers import classify, secretary, set_policy

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def built(world):
    """County A's 2025 draft: base 30,000 a year, village A1 较好 7 months (15,750.00), village A2 较差 12 months
    (21,000.00) — SPEC's worked examples — and the rural average income 20,000 (met)."""
    set_policy(unit=world.county_a, stipend_base_village=Decimal("30000"), stipend_base_village_period="year",
               rural_average_income=Decimal("20000"))
    classify(unit=world.village_a1, tier=Tier.FAIRLY_GOOD)
    classify(unit=world.village_a2, tier=Tier.POOR)
    world.appointment_a1.start_date = dt.date(2025, 6, 1)
    world.appointment_a1.save()
    world.sheet = svc.sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    return world


def test_the_list_shows_the_sheets_of_the_subtree_only(built, login):
    other = svc.sheet_build(unit=built.county_b, year=2025, user=built.outsider)
    page = login(built.staff_a).get(reverse("stipends:sheets"))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("stipends:sheet", args=[built.sheet.pk]) in body
    assert reverse("stipends:sheet", args=[other.pk]) not in body
    assert "草稿" in body and "基数×系数" in body and "36750.00" in body


def test_the_list_filters_by_state(built, login):
    client = login(built.staff_a)
    assert client.get(reverse("stipends:sheets"), {"state": "approved"}).context["object_list"].count() == 0
    assert client.get(reverse("stipends:sheets"), {"state": "draft"}).context["object_list"].count() == 1


def test_secretaries_have_no_list_and_no_sheet(built, login):
    client = login(built.secretary_user)
    assert client.get(reverse("stipends:sheets")).status_code == 403
    svc.sheet_approve(sheet=built.sheet, user=built.staff_a)
    # An approved sheet holding their own line is still a 404: a secretary reads /stipends/mine/.
    assert client.get(reverse("stipends:sheet", args=[built.sheet.pk])).status_code == 404
    assert client.get(reverse("stipends:sheet_export", args=[built.sheet.pk])).status_code == 404


def test_a_sibling_county_gets_404(built, login):
    client = login(built.outsider)
    assert client.get(reverse("stipends:sheet", args=[built.sheet.pk])).status_code == 404
    assert client.post(reverse("stipends:sheet", args=[built.sheet.pk]), {"action": "approve"}).status_code == 404
    assert client.get(reverse("stipends:sheet_export", args=[built.sheet.pk])).status_code == 404
    built.sheet.refresh_from_db()
    assert built.sheet.state == SheetState.DRAFT


def test_staff_compute_a_sheet_through_the_job_page(world, login, django_capture_on_commit_callbacks):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("24000"))
    client = login(world.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stipends:sheets"), {"unit": world.county_a.pk, "year": 2025})
    job = Job.objects.get(kind=svc.JOB_KIND_BUILD)
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    sheet = StipendSheet.objects.get(unit=world.county_a, year=2025)
    page = client.get(response["Location"])
    assert reverse("stipends:sheet", args=[sheet.pk]) in page.content.decode()
    assert sheet.total == Decimal("48000.00") and sheet.provisional_count == 2


def test_a_branch_is_not_a_jurisdiction_and_another_county_is_not_offered(world, login):
    client = login(world.staff_a)
    response = client.post(reverse("stipends:sheets"), {"unit": world.village_a1.pk, "year": 2025})
    assert response.status_code == 400
    assert response.context["build_form"].errors["unit"]
    response = client.post(reverse("stipends:sheets"), {"unit": world.county_b.pk, "year": 2025})
    assert response.status_code == 400 and "unit" in response.context["build_form"].errors
    assert not StipendSheet.objects.exists()


def test_supervisors_read_but_do_not_compute(built, login):
    client = login(built.supervisor_a)
    assert client.get(reverse("stipends:sheet", args=[built.sheet.pk])).status_code == 200
    assert client.post(reverse("stipends:sheets"), {"unit": built.county_a.pk, "year": 2025}).status_code == 403
    assert client.post(reverse("stipends:sheet", args=[built.sheet.pk]), {"action": "approve"}).status_code == 403


def test_the_sheet_page_shows_each_line_with_its_explanation(built, login):
    page = login(built.staff_a).get(reverse("stipends:sheet", args=[built.sheet.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "36750.00" in body and "15750.00" in body and "21000.00" in body
    assert "30000.00 元/年" in body
    assert "较好" in body and "较差" in body
    # R-POL-2: rule, formula, and whose policy the values are.
    assert "30000.00 × 0.90 × 7 / 12 = 15750.00" in body
    assert "R-STP-2" in body and "甲县委 2025" in body
    assert "基数×系数" in body
    # The floor is met and shown against its value.
    assert "20000.00" in body and "未达标" not in body and "达标" in body
    subtotals = page.context["subtotals"]
    assert [(t["name"], t["total"]) for t in subtotals] == [("甲镇党委", Decimal("36750.00"))]


def test_a_provisional_line_and_a_floor_not_set(world, login):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("24000"))
    sheet = svc.sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    page = login(world.staff_a).get(reverse("stipends:sheet", args=[sheet.pk]))
    body = page.content.decode()
    assert "未定级（暂按系数1）" in body
    assert body.count('data-testid="floor-not-set"') == 1  # no rural average income in the policy
    assert "未设置" in body
    # the approve confirmation says how many lines are provisional
    assert "2 条明细为暂定" in body


def test_a_floor_not_met_is_flagged_red(world, login):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("20000"), rural_average_income=Decimal("21000"))
    classify(unit=world.village_a1, tier=Tier.GOOD)
    classify(unit=world.village_a2, tier=Tier.GOOD)
    sheet = svc.sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    body = login(world.staff_a).get(reverse("stipends:sheet", args=[sheet.pk])).content.decode()
    assert 'data-testid="floor-flag"' in body and "21000.00" in body and "20000.00" in body


def test_the_pool_regime_and_a_workload_credit(world, login):
    set_policy(unit=world.county_a, stipend_regime="pool", stipend_township_pool=Decimal("100000"))
    classify(unit=world.village_a1, tier=Tier.GOOD)
    classify(unit=world.village_a2, tier=Tier.POOR)
    university = make_unit(parent=world.county_a, name="大学党委", level="system", sector="institution")
    branch = make_unit(parent=university, name="机关党支部", sector="institution")
    person = secretary(unit=branch, name="唐明")
    StipendElection.objects.create(person=person, unit=branch, year=2025, form=StipendForm.WORKLOAD_CREDIT)
    sheet = svc.sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    body = login(world.staff_a).get(reverse("stipends:sheet", args=[sheet.pk])).content.decode()
    assert "乡镇总额按系数分配" in body
    assert "计入工作量10%" in body
    # 100,000 shared 1 : 0.7 by coefficient × months; the credit is not money.
    assert sheet.total == Decimal("100000.00")
    assert "100000.00" in body


def test_the_line_filters(built, login):
    client = login(built.staff_a)
    url = reverse("stipends:sheet", args=[built.sheet.pk])
    assert client.get(url, {"q": "秦"}).context["page_obj"].paginator.count == 1
    assert client.get(url, {"tier": Tier.POOR}).context["page_obj"].paginator.count == 1
    assert client.get(url, {"tier": "none"}).context["page_obj"].paginator.count == 0
    assert client.get(url, {"provisional": "on"}).context["page_obj"].paginator.count == 0
    assert client.get(url, {"flagged": "on"}).context["page_obj"].paginator.count == 0
    assert client.get(url, {"regime": "pool"}).context["page_obj"].paginator.count == 0
    assert client.get(url, {"township": built.township_a.pk}).context["page_obj"].paginator.count == 2
    filtered = client.get(url, {"q": "杨"})
    assert filtered.context["subtotals"][0]["total"] == Decimal("21000.00")
    assert client.get(url, {"township": "x", "tier": "nonsense"}).status_code == 200  # bad input: no filter, no 500


def test_the_sheet_page_costs_the_same_whatever_the_number_of_lines(world, login):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("24000"))
    client = login(world.staff_a)
    sheet = svc.sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    url = reverse("stipends:sheet", args=[sheet.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    township = make_unit(parent=world.county_a, name="丙乡党委", level="township")
    for i in range(60):
        village = make_unit(parent=world.township_a if i % 2 else township, name=f"村{i}")
        secretary(unit=village, name=f"书记{i}")
    svc.sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert StipendLine.objects.filter(sheet=sheet).count() == 62
    # session, user with its unit (issue 12), sheet, townships (filter), line count, line page, subtotals,
    # versions, unread notices: nine, whatever the number of lines
    assert len(many) == len(few) == 9, [q["sql"] for q in many]


def test_approve_then_frozen(built, login):
    client = login(built.staff_a)
    url = reverse("stipends:sheet", args=[built.sheet.pk])
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 302 and _messages(response) == ["发放表已审定并冻结。"]
    built.sheet.refresh_from_db()
    assert built.sheet.state == SheetState.APPROVED and built.sheet.approved_by == built.staff_a
    page = client.get(url)
    body = page.content.decode()
    assert 'data-testid="approve"' not in body and 'data-testid="recompute"' not in body
    assert 'data-testid="discard"' not in body and 'data-testid="correct"' in body


@pytest.mark.parametrize("action", ["approve", "recompute", "discard"])
def test_an_approved_sheet_refuses_draft_actions(built, login, action):
    svc.sheet_approve(sheet=built.sheet, user=built.staff_a)
    client = login(built.staff_a)
    response = client.post(reverse("stipends:sheet", args=[built.sheet.pk]), {"action": action})
    assert response.status_code == 302
    label = {"approve": "审定", "recompute": "重新计算", "discard": "作废"}[action]
    expected = str(svc.MSG_SHEET_NOT_DRAFT).format(action=label, state="已审定")
    assert _messages(response) == [expected]
    built.sheet.refresh_from_db()
    assert built.sheet.state == SheetState.APPROVED


def test_a_draft_cannot_be_corrected(built, login):
    response = login(built.staff_a).post(reverse("stipends:sheet", args=[built.sheet.pk]),
                                         {"action": "correct", "correction_reason": "错了"})
    assert _messages(response) == [str(svc.MSG_CORRECT_NOT_APPROVED)]


def test_a_correction_needs_a_reason_then_shows_the_difference(built, login):
    svc.sheet_approve(sheet=built.sheet, user=built.staff_a)
    client = login(built.staff_a)
    url = reverse("stipends:sheet", args=[built.sheet.pk])
    response = client.post(url, {"action": "correct", "correction_reason": "  "})
    assert response.status_code == 400
    assert str(svc.MSG_CORRECT_REASON) in response.content.decode()
    # The tier of village A1 was wrong: 好, not 较好 → 30000 × 1 × 7/12 = 17500.00, 1750.00 more.
    classify(unit=built.village_a1, tier=Tier.GOOD)
    response = client.post(url, {"action": "correct", "correction_reason": "东风村等次更正为好"})
    new = StipendSheet.objects.get(unit=built.county_a, year=2025, version=2)
    assert response.status_code == 302 and response["Location"] == reverse("stipends:sheet", args=[new.pk])
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "15750.00" in body and "17500.00" in body and "1750.00" in body
    assert "东风村等次更正为好" in body
    assert reverse("stipends:sheet", args=[built.sheet.pk]) in body  # version history
    # The head says the total against the corrected version: +1750.00.
    shown = page.context["total_difference"]
    assert shown == new.total - built.sheet.total == Decimal("1750.00")
    assert f"第 1 版 {built.sheet.total:.2f}，差额 1750.00" in body
    # A second correction while the draft exists is refused with its message.
    response = client.post(url, {"action": "correct", "correction_reason": "again"})
    assert _messages(response) == [str(svc.MSG_CORRECT_DRAFT_EXISTS).format(version=2)]
    # Discarding the correction goes back to the approved version.
    response = client.post(reverse("stipends:sheet", args=[new.pk]), {"action": "discard"})
    assert response["Location"] == reverse("stipends:sheet", args=[built.sheet.pk])
    assert not StipendSheet.objects.filter(pk=new.pk).exists()


def test_an_unknown_action_is_refused(built, login):
    response = login(built.staff_a).post(reverse("stipends:sheet", args=[built.sheet.pk]), {"action": "pay"})
    assert _messages(response) == ["未知操作。"]


def test_recompute_goes_through_the_job(built, login, django_capture_on_commit_callbacks):
    set_policy(unit=built.county_a, stipend_base_village=Decimal("36000"))
    client = login(built.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stipends:sheet", args=[built.sheet.pk]), {"action": "recompute"})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    built.sheet.refresh_from_db()
    assert built.sheet.total == Decimal("44100.00")  # 18900 + 25200


def test_the_export_holds_every_line_subtotals_and_the_page_total(built, login):
    other_township = make_unit(parent=built.county_a, name="乙乡党委", level="township")
    village = make_unit(parent=other_township, name="河口村党支部")
    classify(unit=village, tier=Tier.GOOD)
    secretary(unit=village, name="周海")
    sheet = svc.sheet_build(unit=built.county_a, year=2025, user=built.staff_a)
    client = login(built.staff_a)
    page = client.get(reverse("stipends:sheet", args=[sheet.pk]))
    response = client.get(reverse("stipends:sheet_export", args=[sheet.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet_ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet_ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("乡镇（街道）", "党支部", "书记") and rows[0][11] == "金额（元）"
    names = [r[2] for r in rows[1:] if r[2]]
    assert sorted(names) == sorted(["秦秀英", "杨志强", "周海"])
    subtotals = {r[0]: Decimal(str(r[11])) for r in rows if r[0] and str(r[0]).endswith("小计")}
    assert subtotals == {"甲镇党委 小计": Decimal("36750.00"), "乙乡党委 小计": Decimal("30000.00")}
    (total_row,) = [r for r in rows if r[0] == GRAND_TOTAL]
    assert Decimal(str(total_row[11])) == sheet.total == Decimal("66750.00")
    assert page.context["sheet"].total == Decimal(str(total_row[11]))
    log = AccessLog.objects.get(object_type="stipends.stipendsheet")
    assert (log.user, log.object_id, log.rows, log.action) == (built.staff_a, str(sheet.pk), 3, "export")


def test_the_export_leaves_workload_credits_out_of_the_total(world, login):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("24000"))
    StipendElection.objects.create(person=world.person_a2, unit=world.village_a2, year=2025,
                                   form=StipendForm.WORKLOAD_CREDIT)
    sheet = svc.sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    response = login(world.staff_a).get(reverse("stipends:sheet_export", args=[sheet.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    (total_row,) = [r for r in rows if r[0] == GRAND_TOTAL]
    credit = next(r for r in rows if r[2] == "杨志强")
    assert credit[10] == "计入工作量10%" and credit[11] is None
    assert Decimal(str(total_row[11])) == sheet.total == Decimal("24000.00")


# ---------------------------------------------------------------- what-if

def test_the_what_if_prefills_the_own_policy_and_shows_inherited_values(built, login):
    set_policy(unit=built.township_a, stipend_base_village=Decimal("32000"))
    page = login(built.staff_a).get(reverse("stipends:preview"), {"unit": built.township_a.pk, "year": 2025})
    assert page.status_code == 200
    form = page.context["policy_form"]
    assert form["stipend_base_village"].value() == Decimal("32000.00")
    body = page.content.decode()
    assert 'placeholder="20000.00"' in body  # the county's rural average income, inherited


def test_the_what_if_shows_both_sheets_side_by_side(built, login):
    response = login(built.staff_a).post(reverse("stipends:preview"), {
        "unit": built.county_a.pk, "year": 2025, "action": "preview", "stipend_base_village": "36000",
        "stipend_base_village_period": "year", "rural_average_income": "20000"})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview["current_total"], preview["draft_total"], preview["difference"]) == (
        Decimal("36750.00"), Decimal("44100.00"), Decimal("7350.00"))
    assert preview["changed"] == 2
    assert Policy.objects.get(unit=built.county_a, year=2025).stipend_base_village == Decimal("30000")  # unsaved


def test_the_what_if_names_the_field_in_error(built, login):
    response = login(built.staff_a).post(reverse("stipends:preview"), {
        "unit": built.county_a.pk, "year": 2025, "action": "preview", "stipend_base_village": "-5"})
    assert response.status_code == 400
    assert response.context["policy_form"].errors["stipend_base_village"]
    assert response.context["preview"] is None
    response = login(built.staff_a).post(reverse("stipends:preview"), {
        "unit": built.county_a.pk, "year": 2025, "action": "preview", "coefficient_good": "abc"})
    assert response.status_code == 400 and "coefficient_good" in response.context["policy_form"].errors


def test_adopting_the_draft_saves_the_policy_and_offers_to_recompute(built, login):
    client = login(built.staff_a)
    response = client.post(reverse("stipends:preview"), {
        "unit": built.township_a.pk, "year": 2025, "action": "adopt", "stipend_base_village": "36000",
        # a base comes with its period in the same policy (R-STP-1; the page posts both, prefilled)
        "stipend_base_village_period": "year"})
    assert response.status_code == 302
    policy = Policy.objects.get(unit=built.township_a, year=2025)
    assert policy.stipend_base_village == Decimal("36000") and policy.rural_average_income is None
    page = client.get(response["Location"])
    assert 'data-testid="recompute-after-adopt"' in page.content.decode()


def test_the_what_if_is_for_staff_of_the_subtree(built, login):
    assert login(built.supervisor_a).get(reverse("stipends:preview")).status_code == 403
    assert login(built.secretary_user).get(reverse("stipends:preview")).status_code == 403
    response = login(built.outsider).get(reverse("stipends:preview"), {"unit": built.county_a.pk, "year": 2025})
    assert response.status_code == 400 and response.context["policy_form"] is None


# ---------------------------------------------------------------- a secretary's own line

def test_a_secretary_sees_only_their_own_approved_line(built, login):
    client = login(built.secretary_user)
    assert client.get(reverse("stipends:mine")).context["rows"] == []  # a draft is internal to staff
    svc.sheet_approve(sheet=built.sheet, user=built.staff_a)
    page = client.get(reverse("stipends:mine"))
    body = page.content.decode()
    assert [r["line"].person.name for r in page.context["rows"]] == ["秦秀英"]
    assert "15750.00" in body and "杨志强" not in body and "21000.00" not in body
    assert "30000.00 × 0.90 × 7 / 12 = 15750.00" in body


def test_the_nav_links_the_pages_by_role(built, login):
    assert reverse("stipends:mine") in login(built.secretary_user).get(reverse("dashboard")).content.decode()
    staff_home = login(built.staff_a).get(reverse("dashboard")).content.decode()
    assert reverse("stipends:sheets") in staff_home and ">补贴<" in staff_home


def test_the_job_summary_names_the_sheet(built, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = svc.sheet_build_start(unit=built.county_a, year=2025, user=built.staff_a)
    page = login(built.staff_a).get(reverse("job_detail", args=[job.pk]))
    assert reverse("stipends:sheet", args=[built.sheet.pk]) in page.content.decode()


def test_a_township_staff_sees_their_township_sheet_not_the_county(built, login):
    township_sheet = svc.sheet_build(unit=built.township_a, year=2025, user=built.township_staff)
    client = login(built.township_staff)
    assert client.get(reverse("stipends:sheet", args=[township_sheet.pk])).status_code == 200
    assert client.get(reverse("stipends:sheet", args=[built.sheet.pk])).status_code == 404


def test_a_staff_login_without_a_unit_sees_nothing(built, login):
    nobody = make_user(unit=None, role=Role.STAFF, username="nobody")
    client = login(nobody)
    assert client.get(reverse("stipends:sheet", args=[built.sheet.pk])).status_code == 404
    assert client.get(reverse("stipends:sheets")).context["object_list"].count() == 0


# ---------------------------------------------------------------- the demo city

def test_the_demo_city_has_sheet_pages_that_open(db, client):
    """The README's path: ``seed_demo --branches 200`` on SQLite, then the county staff open a sheet (the demo's
    own, or one built here when the demo has none yet), its export, the what-if and the secretary's page."""
    from io import StringIO

    from django.core.management import call_command

    from core.models import User

    call_command("seed_demo", "--branches", "200", "--as-of", "2026-11-23", stdout=StringIO())
    staff = User.objects.get(username="county_staff")
    year = 2025
    sheet = StipendSheet.objects.visible_to(staff).order_by("pk").first()
    if sheet is None:
        sheet = svc.sheet_build(unit=staff.unit, year=year, user=staff)
    assert sheet.line_count > 0
    # The crawl's own checks (tests/ui/test_crawl.py): no raw choice code, no untranslated English, a plain title.
    from tests.ui.test_crawl import _catalog_fragments, _check, _project_choices

    crawl = {"choices": _project_choices(), "msgids": _catalog_fragments()}

    def clean(url, params=None, data=None):
        response = client.post(url, data) if data is not None else client.get(url, params or {})
        assert response.status_code == 200, url
        assert _check(url, response, crawl, set()) == [], url
        return response

    client.force_login(staff)
    clean(reverse("stipends:sheets"))
    page = clean(reverse("stipends:sheet", args=[sheet.pk]))
    assert f"{sheet.total:.2f}" in page.content.decode()
    clean(reverse("stipends:sheet", args=[sheet.pk]), {"page": 2, "provisional": "on"})
    assert client.get(reverse("stipends:sheet_export", args=[sheet.pk])).status_code == 200
    clean(reverse("stipends:preview"), {"unit": sheet.unit_id, "year": sheet.year})
    preview = clean(reverse("stipends:preview"), data={"unit": sheet.unit_id, "year": sheet.year, "action": "preview",
                                                       "stipend_base_village": "30000",
                                                       "stipend_base_village_period": "year"})
    assert preview.context["preview"]["rows"]
    if sheet.state == SheetState.DRAFT:
        svc.sheet_approve(sheet=sheet, user=staff)
    secretary_demo = User.objects.get(username="secretary_demo")
    client.force_login(secretary_demo)
    mine = clean(reverse("stipends:mine"))
    own = StipendLine.objects.filter(sheet=sheet, person__user=secretary_demo).count()
    assert len(mine.context["rows"]) >= own
    assert client.get(reverse("stipends:sheet", args=[sheet.pk])).status_code == 404
