"""R-STP-3 (004 第八条): the form each secretary receives — stipend or workload credit — its refusals, the forms
page (one change, the ticked rows, the export) and ``/api/v1/stipend-elections/``."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from core.choices import Level, Role, Sector
from stipends.choices import StipendForm
from stipends.models import StipendElection
from stipends.services import elections as svc
from stipends.services.compute import sheet_compute
from tests.factories import make_unit, make_user
from tests.stipends.helpers import secretary, set_policy

CREDIT, MONEY = StipendForm.WORKLOAD_CREDIT, StipendForm.MONEY


@pytest.fixture
def uni(world):
    """A university committee in county A: two serving-staff branches and a retired-staff branch."""
    college = make_unit(parent=world.county_a, code="430721900", name="文理学院党委", level=Level.SYSTEM,
                        sector=Sector.UNIVERSITY)
    world.college = college
    world.teachers = make_unit(parent=college, code="430721900001", name="文学院教工党支部", sector=Sector.UNIVERSITY)
    world.students = make_unit(parent=college, code="430721900002", name="文学院学生党支部", sector=Sector.UNIVERSITY)
    world.retired = make_unit(parent=college, code="430721900003", name="离退休教职工党支部", sector=Sector.UNIVERSITY)
    world.teacher = secretary(unit=world.teachers, name="丁明")
    world.student_sec = secretary(unit=world.students, name="周刚")
    world.retiree = secretary(unit=world.retired, name="张静雪", is_retired=True)
    world.college_supervisor = make_user(unit=college, role=Role.SUPERVISOR, username="college_supervisor")
    return world


def _messages(exc) -> list[str]:
    return [str(m) for ms in exc.message_dict.values() for m in ms]


# ---------------------------------------------------------------- the service

def test_r_stp_3_a_serving_university_secretary_may_be_credited_and_a_second_call_updates(uni):
    row = svc.election_set(person=uni.teacher, unit=uni.teachers, year=2025, form=CREDIT, note="本人申请",
                           user=uni.staff_a)
    assert (row.form, row.note, row.created_by) == (CREDIT, "本人申请", uni.staff_a)
    again = svc.election_set(person=uni.teacher, unit=uni.teachers, year=2025, form=MONEY, note="", user=uni.staff_a)
    assert again.pk == row.pk and again.form == MONEY
    assert StipendElection.objects.count() == 1
    # R-SEC-2: each change is kept with who made it.
    assert [(h.form, h.history_user) for h in row.history.order_by("history_date")] == [
        (CREDIT, uni.staff_a), (MONEY, uni.staff_a)]


def test_r_stp_3_it_refuses_a_workload_credit_outside_university_branches(uni):
    with pytest.raises(ValidationError) as exc:
        svc.election_set(person=uni.secretary_a1, unit=uni.village_a1, year=2025, form=CREDIT, user=uni.staff_a)
    assert _messages(exc.value) == [svc.MSG_CREDIT_SECTOR.format(unit="东风村党支部", sector="农村")]
    assert "form" in exc.value.message_dict
    # Money is the default made explicit: allowed for every secretary.
    assert svc.election_set(person=uni.secretary_a1, unit=uni.village_a1, year=2025, form=MONEY,
                            user=uni.staff_a).form == MONEY


def test_r_stp_3_it_refuses_a_workload_credit_to_a_retired_staff_branch_secretary(uni):
    with pytest.raises(ValidationError) as exc:
        svc.election_set(person=uni.retiree, unit=uni.retired, year=2025, form=CREDIT, user=uni.staff_a)
    assert _messages(exc.value) == [svc.MSG_CREDIT_RETIRED.format(person="张静雪")]


def test_r_stp_3_the_person_must_hold_the_branchs_secretary_post_in_that_year(uni):
    former = secretary(unit=uni.teachers, name="孟云", start=dt.date(2019, 1, 1), end=dt.date(2024, 12, 31))
    with pytest.raises(ValidationError) as exc:
        svc.election_set(person=former, unit=uni.teachers, year=2025, form=CREDIT, user=uni.staff_a)
    assert _messages(exc.value) == [svc.MSG_NOT_SECRETARY.format(person="孟云", unit="文学院教工党支部", year=2025)]
    # In 2024 they did hold it.
    assert svc.election_set(person=former, unit=uni.teachers, year=2024, form=CREDIT, user=uni.staff_a).year == 2024
    # Another branch's secretary is not this branch's.
    with pytest.raises(ValidationError):
        svc.election_set(person=uni.student_sec, unit=uni.teachers, year=2025, form=CREDIT, user=uni.staff_a)


def test_it_refuses_bad_values_naming_the_field(uni):
    with pytest.raises(ValidationError) as exc:
        svc.election_set(person=uni.teacher, unit=uni.teachers, year=1999, form="cash", note="x" * 201,
                         user=uni.staff_a)
    assert set(exc.value.message_dict) == {"year", "form", "note"}
    with pytest.raises(ValidationError) as exc:
        svc.election_set(person=uni.teacher, unit=uni.college, year=2025, form=MONEY, user=uni.staff_a)
    assert _messages(exc.value) == [svc.MSG_NOT_BRANCH.format(unit="文理学院党委")]


def test_it_requires_staff_of_the_subtree(uni):
    with pytest.raises(PermissionDenied):
        svc.election_set(person=uni.teacher, unit=uni.teachers, year=2025, form=CREDIT, user=uni.supervisor_a)
    with pytest.raises(PermissionDenied):
        svc.election_set(person=uni.teacher, unit=uni.teachers, year=2025, form=CREDIT, user=uni.outsider)
    assert not StipendElection.objects.exists()


def test_r_stp_3_one_refusal_refuses_the_whole_bulk_change(uni):
    pairs = [(uni.teacher.pk, uni.teachers.pk), (uni.retiree.pk, uni.retired.pk)]
    with pytest.raises(ValidationError) as exc:
        svc.elections_set(pairs=pairs, year=2025, form=CREDIT, user=uni.staff_a)
    assert _messages(exc.value) == [svc.MSG_CREDIT_RETIRED.format(person="张静雪")]
    assert not StipendElection.objects.exists()  # R-SEC-3: nothing half-written
    result = svc.elections_set(pairs=pairs[:1] + [(uni.student_sec.pk, uni.students.pk)], year=2025, form=CREDIT,
                               user=uni.staff_a)
    assert result == {"created": 2, "updated": 0, "unchanged": 0, "count": 2}
    result = svc.elections_set(pairs=pairs, year=2025, form=MONEY, user=uni.staff_a)
    assert result == {"created": 1, "updated": 1, "unchanged": 0, "count": 2}
    assert StipendElection.objects.filter(form=CREDIT).count() == 1
    with pytest.raises(ValidationError) as exc:
        svc.elections_set(pairs=[], year=2025, form=CREDIT, user=uni.staff_a)
    assert _messages(exc.value) == [svc.MSG_NOTHING_SELECTED]


def test_r_stp_3_a_credited_line_is_on_the_sheet_but_not_in_its_total(uni):
    set_policy(unit=uni.college)  # the defaults: 300 a month, 500 a year
    svc.election_set(person=uni.teacher, unit=uni.teachers, year=2025, form=CREDIT, user=uni.staff_a)
    computed = sheet_compute(unit=uni.college, year=2025)
    by_name = {line.person_name: line for line in computed.lines}
    assert by_name["丁明"].form == CREDIT and by_name["丁明"].amount == Decimal("0.00")
    assert by_name["丁明"].explanation["workload_credit_share"] == "0.10"
    assert by_name["周刚"].amount == Decimal("3600.00")
    assert by_name["张静雪"].amount == Decimal("500.00")
    assert computed.total == Decimal("4100.00")
    assert computed.workload_credit_count == 1


# ---------------------------------------------------------------- the page

def test_the_page_lists_university_secretaries_with_the_default_form(uni, login):
    page = login(uni.staff_a).get("/stipends/forms/", {"year": 2025})
    body = page.content.decode()
    assert page.status_code == 200
    assert "丁明" in body and "张静雪" in body and "秦秀英" not in body  # village secretaries: scope "all"
    assert "发放补贴" in body and "workload_credit" not in body.replace('value="workload_credit"', "")
    every = login(uni.staff_a).get("/stipends/forms/", {"year": 2025, "scope": "all"}).content.decode()
    assert "秦秀英" in every


def test_the_page_is_for_staff_and_supervisors(uni, login, client):
    assert login(uni.supervisor_a).get("/stipends/forms/").status_code == 200
    assert 'name="selected"' not in login(uni.supervisor_a).get("/stipends/forms/", {"year": 2025}).content.decode()
    assert login(uni.secretary_user).get("/stipends/forms/").status_code == 403
    client.logout()
    assert client.get("/stipends/forms/").status_code == 302
    # The sibling county's staff see none of county A's secretaries.
    assert "丁明" not in login(uni.outsider).get("/stipends/forms/", {"year": 2025}).content.decode()


def test_staff_change_one_form_with_a_clear_message(uni, login):
    client = login(uni.staff_a)
    response = client.post("/stipends/forms/", {"action": "set", "key": f"{uni.teacher.pk}:{uni.teachers.pk}",
                                                "form": CREDIT, "year": 2025}, follow=True)
    body = response.content.decode()
    assert StipendElection.objects.get(person=uni.teacher).form == CREDIT
    assert "丁明" in body and "计入工作量" in body
    response = client.post("/stipends/forms/", {"action": "set", "key": f"{uni.retiree.pk}:{uni.retired.pk}",
                                                "form": CREDIT, "year": 2025}, follow=True)
    assert str(svc.MSG_CREDIT_RETIRED.format(person="张静雪")) in response.content.decode()
    assert not StipendElection.objects.filter(person=uni.retiree).exists()


def test_staff_set_the_ticked_rows_at_once(uni, login):
    client = login(uni.staff_a)
    keys = [f"{uni.teacher.pk}:{uni.teachers.pk}", f"{uni.student_sec.pk}:{uni.students.pk}"]
    client.post("/stipends/forms/", {"action": "bulk", "selected": keys, "form": CREDIT, "year": 2025})
    assert StipendElection.objects.filter(form=CREDIT, year=2025).count() == 2


def test_others_cannot_write_through_the_page(uni, login):
    key = f"{uni.teacher.pk}:{uni.teachers.pk}"
    assert login(uni.supervisor_a).post("/stipends/forms/", {"action": "set", "key": key, "form": CREDIT,
                                                             "year": 2025}).status_code == 403
    assert login(uni.outsider).post("/stipends/forms/", {"action": "set", "key": key, "form": CREDIT,
                                                         "year": 2025}).status_code == 404
    assert login(uni.outsider).post("/stipends/forms/", {"action": "bulk", "selected": [key], "form": CREDIT,
                                                         "year": 2025}).status_code == 404
    assert not StipendElection.objects.exists()


def test_the_export_holds_the_pages_rows(uni, login):
    svc.election_set(person=uni.teacher, unit=uni.teachers, year=2025, form=CREDIT, user=uni.staff_a)
    response = login(uni.staff_a).get("/exports/stipend-forms.xlsx", {"year": 2025})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("年度", "党支部", "组织代码", "上级党组织", "书记")
    assert {(r[4], r[9]) for r in rows[1:]} == {("丁明", "计入工作量"), ("周刚", "发放补贴"), ("张静雪", "发放补贴")}
    assert login(uni.secretary_user).get("/exports/stipend-forms.xlsx").status_code == 403


# ---------------------------------------------------------------- the API

URL = "/api/v1/stipend-elections/"


def test_api_staff_record_a_form_and_a_second_post_updates_it(uni, api):
    body = {"person": uni.teacher.pk, "unit": uni.teachers.pk, "year": 2025, "form": CREDIT, "note": "申请"}
    first = api(uni.staff_a).post(URL, body, format="json")
    assert first.status_code == 201 and first.data["form_display"] == "计入工作量"
    second = api(uni.staff_a).post(URL, {**body, "form": MONEY}, format="json")
    assert second.status_code == 200 and second.data["id"] == first.data["id"]
    patched = api(uni.staff_a).patch(f"{URL}{first.data['id']}/", {"form": CREDIT, "year": 2030}, format="json")
    assert patched.status_code == 200 and patched.data["form"] == CREDIT and patched.data["year"] == 2025


def test_api_refusals_are_400_naming_the_field(uni, api):
    response = api(uni.staff_a).post(URL, {"person": uni.retiree.pk, "unit": uni.retired.pk, "year": 2025,
                                           "form": CREDIT}, format="json")
    assert response.status_code == 400
    assert response.data["form"] == [str(svc.MSG_CREDIT_RETIRED.format(person="张静雪"))]
    response = api(uni.staff_a).post(URL, {"person": uni.person_b1.pk, "unit": uni.village_b1.pk, "year": 2025,
                                           "form": MONEY}, format="json")
    assert response.status_code == 400 and set(response.data) == {"person", "unit"}  # county B: not found


def test_api_supervisors_read_secretaries_their_own(uni, api):
    svc.election_set(person=uni.teacher, unit=uni.teachers, year=2025, form=CREDIT, user=uni.staff_a)
    svc.election_set(person=uni.secretary_a1, unit=uni.village_a1, year=2025, form=MONEY, user=uni.staff_a)
    assert api(uni.college_supervisor).get(URL).data["count"] == 1
    assert api(uni.supervisor_a).get(URL).data["count"] == 2
    own = api(uni.secretary_user).get(URL).data
    assert [r["person"] for r in own["results"]] == [uni.secretary_a1.pk]
    assert api(uni.outsider).get(URL).data["count"] == 0
    body = {"person": uni.teacher.pk, "unit": uni.teachers.pk, "year": 2025, "form": MONEY}
    assert api(uni.supervisor_a).post(URL, body, format="json").status_code == 403
    assert api(uni.secretary_user).post(URL, body, format="json").status_code == 403


def test_api_list_in_a_fixed_number_of_queries(uni, api, django_assert_num_queries):
    for person, unit in ((uni.teacher, uni.teachers), (uni.student_sec, uni.students)):
        svc.election_set(person=person, unit=unit, year=2025, form=CREDIT, user=uni.staff_a)
    client = api(uni.staff_a)
    client.get(URL)  # warm the caches (the user's unit)
    # the count; the page of rows with person and unit joined (no query per row)
    with django_assert_num_queries(2):
        assert client.get(URL).data["count"] == 2
