"""R-STP-2..4, R-POL-2, R-ORG-2: the stipend-sheet API — start, list, lines with their explanation, approve,
correct, preview; who sees what and a constant number of queries per list."""
import datetime as dt
from decimal import Decimal

import pytest

from assessment.choices import Tier
from core.choices import Role
from core.models import Job
from core.services.policies import MSG_POLICY_NEGATIVE
from stipends.choices import FloorKind, SheetState
from stipends.models import StipendSheet
from stipends.services.sheets import MSG_CORRECT_REASON, MSG_SHEET_APPROVED_EXISTS, sheet_approve, sheet_build
from tests.factories import make_unit, make_user
from tests.stipends.helpers import classify, secretary, set_policy

URL = "/api/v1/stipend-sheets/"


@pytest.fixture
def approved(world):
    """County A's approved 2025 sheet: 24,000 a year, A1 fairly good (0.9), A2 not classified (provisional)."""
    set_policy(unit=world.county_a, stipend_base_village=Decimal("24000"), rural_average_income=Decimal("30000"))
    classify(unit=world.village_a1, tier=Tier.FAIRLY_GOOD)
    sheet = sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    return sheet_approve(sheet=sheet, user=world.staff_a)


def test_it_starts_building_a_sheet_and_answers_the_job(world, api, django_capture_on_commit_callbacks):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("24000"))
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.staff_a).post(URL, {"unit": world.county_a.pk, "year": 2025}, format="json")
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.data["id"])
    assert response.data["url"] == f"/api/v1/jobs/{job.pk}/" == response["Location"]
    job.refresh_from_db()
    assert job.result["lines"] == 2
    sheet = StipendSheet.objects.get(unit=world.county_a, year=2025)
    assert (sheet.state, sheet.line_count, sheet.last_job_id) == (SheetState.DRAFT, 2, job.pk)


def test_it_refuses_to_start_when_the_year_is_approved(world, api, approved):
    response = api(world.staff_a).post(URL, {"unit": world.county_a.pk, "year": 2025}, format="json")
    assert response.status_code == 400
    assert response.data == {"non_field_errors": [MSG_SHEET_APPROVED_EXISTS.format(year=2025, unit="甲县委")]}
    assert not Job.objects.exists()


def test_it_refuses_a_branch_and_a_unit_outside_the_subtree(world, api):
    client = api(world.staff_a)
    response = client.post(URL, {"unit": world.village_a1.pk, "year": 2025}, format="json")
    assert response.status_code == 400 and "unit" in response.data
    response = client.post(URL, {"unit": world.county_b.pk, "year": 2025}, format="json")
    assert response.status_code == 400 and "unit" in response.data


def test_it_requires_staff_to_write(world, api, approved):
    for user in (world.supervisor_a, world.secretary_user):
        client = api(user)
        assert client.post(URL, {"unit": world.county_a.pk, "year": 2026}, format="json").status_code == 403
        assert client.post(f"{URL}{approved.pk}/correct/", {"reason": "x"}, format="json").status_code == 403
    assert api(world.supervisor_a).get(f"{URL}{approved.pk}/").status_code == 200  # supervisors read


def test_the_list_is_scoped_and_costs_the_same_queries_whatever_the_rows(world, api, approved,
                                                                         django_assert_num_queries):
    client = api(world.staff_a)
    # the count, the page of sheets (unit and users joined); a forced login costs no query
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert [row["id"] for row in response.data["results"]] == [approved.pk]
    for year in (2023, 2024):
        sheet_approve(sheet=sheet_build(unit=world.county_a, year=year, user=world.staff_a), user=world.staff_a)
    sheet_build(unit=world.township_a, year=2025, user=world.staff_a)
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert response.data["count"] == 4
    assert api(world.outsider).get(URL).data["count"] == 0
    assert api(world.outsider).get(f"{URL}{approved.pk}/").status_code == 404


def test_the_lines_explain_themselves_with_the_policy_values_of_the_sheet(world, api, approved,
                                                                          django_assert_num_queries):
    client = api(world.staff_a)
    # the count, the page of lines (sheet, person, unit, township joined; issue 12: the sheet comes with its lines)
    with django_assert_num_queries(2):
        response = client.get(f"{URL}{approved.pk}/lines/")
    assert response.status_code == 200
    rows = {row["person_name"]: row for row in response.data["results"]}
    a1 = rows["秦秀英"]
    assert (a1["amount"], a1["tier"], a1["tier_display"], a1["coefficient"]) == ("21600.00", "fairly_good", "较好",
                                                                                  "0.9000")
    assert a1["explanation"]["formula"] == "24000.00 × 0.90 × 12 / 12 = 21600.00"
    policy = a1["explanation"]["policies"][a1["policy_key"]]
    assert policy["unit_id"] == world.county_a.pk
    assert policy["values"]["stipend_base_village"]["value"] == "24000.00"
    assert policy["values"]["coefficient_fairly_good"]["default"] is True
    assert rows["杨志强"]["provisional"] is True
    # 20 more secretaries: still the same queries
    for i in range(20):
        secretary(unit=make_unit(parent=world.township_a, name=f"村{i}"), name=f"书记{i}")
    draft = sheet_build(unit=world.township_a, year=2025, user=world.staff_a)
    with django_assert_num_queries(2):
        assert client.get(f"{URL}{draft.pk}/lines/").data["count"] == 22


def test_the_lines_filter_by_township_tier_regime_flagged_and_provisional(world, api, approved):
    client = api(world.staff_a)
    lines = f"{URL}{approved.pk}/lines/"

    def names(query):
        response = client.get(f"{lines}?{query}")
        assert response.status_code == 200, response.content
        return sorted(row["person_name"] for row in response.data["results"])

    assert names(f"township={world.township_a.pk}") == ["杨志强", "秦秀英"]
    assert names("tier=fairly_good") == ["秦秀英"]
    assert names("tier=none") == ["杨志强"]
    assert names("regime=base") == ["杨志强", "秦秀英"]
    assert names("regime=pool") == []
    assert names("provisional=true") == ["杨志强"]
    assert names("provisional=false") == ["秦秀英"]
    assert names("flagged=false") == ["杨志强", "秦秀英"]
    assert client.get(f"{lines}?tier=excellent").status_code == 400
    assert client.get(f"{lines}?township={world.township_b.pk}").status_code == 400  # not a choice of this user


def test_flagged_lines_are_those_below_a_floor(world, api):
    uni = make_unit(parent=world.city, name="东南大学党委", level="system", sector="university")
    branch = make_unit(parent=uni, name="机械学院教工党支部", sector="university")
    set_policy(unit=uni, stipend_base_university=Decimal("250"), stipend_base_university_period="month")
    secretary(unit=branch, name="周明")
    city_staff = make_user(unit=world.city, role=Role.STAFF, username="city_staff")
    sheet = sheet_build(unit=uni, year=2025, user=city_staff)
    response = api(city_staff).get(f"{URL}{sheet.pk}/lines/?flagged=true")
    (row,) = response.data["results"]
    assert row["flags"] == [FloorKind.UNIVERSITY_MONTHLY]
    assert row["flags_display"] == [str(FloorKind.UNIVERSITY_MONTHLY.label)]


def test_a_secretary_sees_only_approved_sheets_with_their_line_and_only_that_line(world, api, approved):
    draft = sheet_build(unit=world.county_a, year=2026, user=world.staff_a)
    client = api(world.secretary_user)
    response = client.get(URL)
    assert [row["id"] for row in response.data["results"]] == [approved.pk]
    assert "floors" not in response.data["results"][0]  # the floors name other secretaries
    response = client.get(f"{URL}{approved.pk}/lines/")
    assert [row["person_name"] for row in response.data["results"]] == ["秦秀英"]
    assert client.get(f"{URL}{draft.pk}/").status_code == 404
    assert client.get(f"{URL}{draft.pk}/lines/").status_code == 404
    other = make_user(unit=world.village_a2, role=Role.SECRETARY, username="sec_a2")
    world.person_a2.user = other
    world.person_a2.save()
    assert [r["person_name"] for r in api(other).get(f"{URL}{approved.pk}/lines/").data["results"]] == ["杨志强"]
    sheet_approve(sheet=draft, user=world.staff_a)
    assert api(other).get(f"{URL}{draft.pk}/").status_code == 200


def test_approve_then_correct_with_a_reason(world, api):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("24000"))
    classify(unit=world.village_a1, tier=Tier.GOOD)
    draft = sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    client = api(world.staff_a)
    response = client.post(f"{URL}{draft.pk}/approve/")
    assert response.status_code == 200 and response.data["state"] == SheetState.APPROVED
    assert response.data["approved_by_name"] == "staff_a"
    assert client.post(f"{URL}{draft.pk}/approve/").status_code == 400  # approved twice
    response = client.post(f"{URL}{draft.pk}/correct/", {"reason": "  "}, format="json")
    assert response.status_code == 400 and response.data["reason"] == [str(MSG_CORRECT_REASON)]
    set_policy(unit=world.county_a, stipend_base_village=Decimal("30000"))
    response = client.post(f"{URL}{draft.pk}/correct/", {"reason": "县委2025年12月调整基数"}, format="json")
    assert response.status_code == 201, response.content
    assert (response.data["version"], response.data["previous"], response.data["state"]) == (2, draft.pk, "draft")
    lines = client.get(f"{URL}{response.data['id']}/lines/").data["results"]
    a1 = next(r for r in lines if r["person_name"] == "秦秀英")
    assert (a1["previous_amount"], a1["amount"], a1["difference"]) == ("24000.00", "30000.00", "6000.00")


def test_preview_compares_the_draft_policy_with_the_policy_in_force(world, api):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("24000"))
    classify(unit=world.village_a1, tier=Tier.GOOD)
    classify(unit=world.village_a2, tier=Tier.POOR)
    body = {"unit": world.county_a.pk, "year": 2025, "values": {"coefficient_poor": "0.50"}}
    response = api(world.staff_a).post(f"{URL}preview/", body, format="json")
    assert response.status_code == 200, response.content
    data = response.data
    assert (data["current_total"], data["draft_total"], data["difference"]) == ("40800.00", "36000.00", "-4800.00")
    assert data["changed"] == 1
    row = next(r for r in data["rows"] if r["person_name"] == "杨志强")
    assert (row["current"]["amount"], row["draft"]["amount"], row["difference"]) == ("16800.00", "12000.00",
                                                                                   "-4800.00")
    assert not StipendSheet.objects.exists()  # nothing saved


def test_preview_refuses_bad_values_by_field(world, api):
    client = api(world.staff_a)
    response = client.post(f"{URL}preview/", {"unit": world.county_a.pk, "year": 2025,
                                              "values": {"stipend_base_village": "-1"}}, format="json")
    assert response.status_code == 400
    assert response.data["values"]["stipend_base_village"] == [str(MSG_POLICY_NEGATIVE)]
    response = client.post(f"{URL}preview/", {"unit": world.county_a.pk, "year": 2025,
                                              "values": {"stipend_regime": "lottery"}}, format="json")
    assert response.status_code == 400 and "stipend_regime" in response.data["values"]
    response = client.post(f"{URL}preview/", {"unit": world.village_a1.pk, "year": 2025, "values": {}},
                           format="json")
    assert response.status_code == 400 and "unit" in response.data
    response = client.post(f"{URL}preview/", {"unit": world.county_b.pk, "year": 2025, "values": {}}, format="json")
    assert response.status_code == 400 and "unit" in response.data


def test_a_sheet_keeps_its_dates(world, api, approved):
    response = api(world.staff_a).get(f"{URL}{approved.pk}/")
    assert response.data["policies"][str(world.county_a.pk)]["unit_id"] == world.county_a.pk
    assert response.data["floors"][0]["kind_display"] == str(FloorKind.VILLAGE_AVERAGE.label)
    assert dt.date.fromisoformat(response.data["approved_at"][:10]) == dt.date.today()
