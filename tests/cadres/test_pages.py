"""Pages of the cadre registry: tree, people, appointments, reserves and reports (R-ORG-2, R-SEL, R-RES, R-SEC)."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.choices import AppointmentRole, EndReason, ReserveStatus, SelectionMethod
from cadres.models import Appointment, Person, ReserveCandidate
from cadres.services.appointments import ERR_SECOND_SECRETARY
from cadres.services.id_numbers import ERR_ID_CHECKSUM
from core.models import Policy
from tests.factories import AppointmentFactory, PersonFactory, ReserveCandidateFactory, make_id_number, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reserve(world):
    young = PersonFactory(name="周小燕", unit=world.village_a1, birth_date=dt.date(1996, 4, 2))
    return ReserveCandidateFactory(person=young, unit=world.village_a1)


def list_urls():
    return [reverse("cadres:people"), reverse("cadres:appointments"), reverse("cadres:reserves"),
            reverse("cadres:report_reserve_coverage"), reverse("cadres:report_under_35"),
            reverse("cadres:report_talent_pool"), reverse("cadres:units") + "?q=村"]


def detail_urls(world, reserve):
    return [
        reverse("cadres:unit_detail", args=[world.village_a1.pk]),
        reverse("cadres:unit_detail", args=[world.county_a.pk]),
        reverse("cadres:person_detail", args=[world.person_a2.pk]),
    ]


def write_urls(world, reserve):
    return [
        reverse("cadres:person_edit", args=[world.person_a2.pk]),
        reverse("cadres:appointment_edit", args=[world.appointment_a2.pk]),
        reverse("cadres:appointment_end", args=[world.appointment_a2.pk]),
        reverse("cadres:reserve_withdraw", args=[reserve.pk]),
    ]


CREATE_URLS = ("cadres:person_create", "cadres:appointment_create", "cadres:reserve_add")
COUNTY_A_NAMES = ("秦秀英", "杨志强", "周小燕", "东风村党支部", "新华村党支部")


# ---------------------------------------------------------------- every page opens for staff

def test_staff_open_every_page(login, world, reserve):
    client = login(world.staff_a)
    for url in list_urls() + detail_urls(world, reserve) + write_urls(world, reserve):
        assert client.get(url).status_code == 200, url
    for name in CREATE_URLS:
        assert client.get(reverse(name)).status_code == 200, name


def test_the_tree_starts_at_the_users_unit(login, world):
    response = login(world.township_staff).get(reverse("cadres:units"))
    assert response.status_code == 302 and response.url == reverse("cadres:unit_detail", args=[world.township_a.pk])


def test_it_requires_login(client, world):
    for url in list_urls():
        assert client.get(url).status_code == 302


# ---------------------------------------------------------------- R-ORG-2: the outsider and the secretary

def test_the_outsider_gets_404_on_county_a_records(login, world, reserve):
    client = login(world.outsider)
    for url in detail_urls(world, reserve) + write_urls(world, reserve):
        assert client.get(url).status_code == 404, url


def test_the_outsider_cannot_write_county_a_records(login, world, reserve):
    client = login(world.outsider)
    response = client.post(reverse("cadres:appointment_end", args=[world.appointment_a2.pk]),
                           {"end_date": "2026-01-01", "end_reason": EndReason.ADJUSTMENT, "confirm": "yes"})
    assert response.status_code == 404
    assert client.post(reverse("cadres:reserve_withdraw", args=[reserve.pk]), {"on": "2026-01-01"}).status_code == 404
    assert client.post(reverse("cadres:person_edit", args=[world.person_a2.pk]), {"name": "改名"}).status_code == 404
    # Nor create a record in county A: the unit is not among the choices.
    response = client.post(reverse("cadres:person_create"), {
        "name": "渗透者", "gender": "M", "ethnicity": "汉族", "birth_date": "1980-05-17",
        "id_number": make_id_number(birth=dt.date(1980, 5, 17)), "unit": world.village_a1.pk})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    world.appointment_a2.refresh_from_db()
    reserve.refresh_from_db()
    assert world.appointment_a2.end_date is None and reserve.status == ReserveStatus.CULTIVATING
    assert not Person.objects.filter(name__in=["渗透者", "改名"]).exists()


def test_the_outsiders_lists_hold_nothing_of_county_a(login, world, reserve):
    client = login(world.outsider)
    for url in list_urls():
        html = client.get(url).content.decode()
        for name in COUNTY_A_NAMES:
            assert name not in html, (url, name)
    assert "吴国庆" in client.get(reverse("cadres:people")).content.decode()


def test_the_outsiders_filter_dropdowns_hold_no_county_a_unit(login, world):
    html = login(world.outsider).get(reverse("cadres:appointments")).content.decode()
    assert "甲县委" not in html and "石桥村党支部" in html


def test_a_secretary_opens_only_their_own_person_page(login, world):
    client = login(world.secretary_user)
    assert client.get(reverse("cadres:person_detail", args=[world.secretary_a1.pk])).status_code == 200
    assert client.get(reverse("cadres:person_detail", args=[world.person_a2.pk])).status_code == 404
    assert client.get(reverse("cadres:unit_detail", args=[world.village_a1.pk])).status_code == 200
    assert client.get(reverse("cadres:unit_detail", args=[world.village_a2.pk])).status_code == 404
    html = client.get(reverse("cadres:people")).content.decode()
    assert "秦秀英" in html and "杨志强" not in html


def test_a_secretary_sees_their_id_number_masked(login, world):
    url = reverse("cadres:person_detail", args=[world.secretary_a1.pk])
    html = login(world.secretary_user).get(url).content.decode()
    assert world.secretary_a1.masked_id_number in html and world.secretary_a1.id_number not in html


def test_staff_see_the_full_id_number_on_the_record_only_when_they_ask(login, world):
    """R-SEC-1: masked in lists and on the record page; full for staff who press 显示 (?reveal=); masked for
    supervisors."""
    client = login(world.staff_a)
    person = world.person_a2
    url = reverse("cadres:person_detail", args=[person.pk])
    page = client.get(url).content.decode()
    assert person.id_number not in page and person.masked_id_number in page and 'id="reveal-form"' in page
    assert person.id_number in client.get(url + "?reveal=id_number").content.decode()
    listing = client.get(reverse("cadres:people")).content.decode()
    assert person.id_number not in listing and person.masked_id_number in listing
    supervisor = login(world.supervisor_a).get(reverse("cadres:person_detail", args=[person.pk])).content.decode()
    assert person.id_number not in supervisor and person.masked_id_number in supervisor


# ---------------------------------------------------------------- roles: supervisors read, staff write

def test_supervisors_read_but_get_403_on_create_and_edit(login, world, reserve):
    client = login(world.supervisor_a)
    for url in list_urls() + detail_urls(world, reserve):
        assert client.get(url).status_code == 200, url
    for url in write_urls(world, reserve) + [reverse(n) for n in CREATE_URLS]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_secretaries_get_403_on_create(login, world):
    client = login(world.secretary_user)
    for name in CREATE_URLS:
        assert client.get(reverse(name)).status_code == 403


# ---------------------------------------------------------------- people

def test_people_search_by_name_and_filters(login, world):
    client = login(world.staff_a)
    response = client.get(reverse("cadres:people"), {"q": "秀英"})
    assert [p.name for p in response.context["people"]] == ["秦秀英"]
    response = client.get(reverse("cadres:people"), {"unit": world.village_a2.pk})
    assert [p.name for p in response.context["people"]] == ["杨志强"]
    PersonFactory(name="王芳", unit=world.village_a2, gender="F")
    response = client.get(reverse("cadres:people"), {"current_secretary": "true"})
    assert {p.name for p in response.context["people"]} == {"秦秀英", "杨志强"}
    response = client.get(reverse("cadres:people"), {"gender": "F"})
    assert [p.name for p in response.context["people"]] == ["王芳"]


def test_the_people_list_paginates_by_50_in_constant_queries(login, world):
    client = login(world.staff_a)
    client.get(reverse("cadres:people"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cadres:people"))
    PersonFactory.create_batch(60, unit=world.village_a2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("cadres:people"))
    assert len(many) == len(few)
    assert len(response.context["people"]) == 50 and response.context["paginator"].num_pages == 2
    assert client.get(reverse("cadres:people"), {"page": 2}).status_code == 200


def test_staff_create_a_person(login, world):
    number = make_id_number(birth=dt.date(1990, 2, 14), gender="F")
    response = login(world.staff_a).post(reverse("cadres:person_create"), {
        "name": "李梅", "gender": "F", "ethnicity": "汉族", "birth_date": "1990-02-14", "id_number": number,
        "unit": world.village_a2.pk, "education": "bachelor"})
    person = Person.objects.get(name="李梅")
    assert response.status_code == 302 and response.url == reverse("cadres:person_detail", args=[person.pk])


def test_a_bad_id_number_is_shown_beside_its_field(login, world):
    """R-SEC-3: the check-digit error is shown beside the ID number field and nothing is written."""
    good = make_id_number(birth=dt.date(1990, 2, 14), gender="F")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = login(world.staff_a).post(reverse("cadres:person_create"), {
        "name": "李梅", "gender": "F", "ethnicity": "汉族", "birth_date": "1990-02-14", "id_number": bad,
        "unit": world.village_a2.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"] == [str(ERR_ID_CHECKSUM)]
    html = response.content.decode()
    field_html = html[html.index('id="field-id_number"'):]
    assert str(ERR_ID_CHECKSUM) in field_html[:field_html.index("</div>")]
    assert not Person.objects.filter(name="李梅").exists()


def test_staff_edit_a_person_and_the_history_shows_who_and_when(login, world):
    client = login(world.staff_a)
    person = world.person_a2
    response = client.post(reverse("cadres:person_edit", args=[person.pk]), {
        "name": person.name, "gender": person.gender, "ethnicity": person.ethnicity,
        "birth_date": person.birth_date.isoformat(), "id_number": person.id_number, "unit": person.unit_id,
        "phone": "13800000000"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13800000000"
    html = client.get(reverse("cadres:person_detail", args=[person.pk])).content.decode()
    history = html[html.index('id="history"'):]
    assert "staff_a" in history and ("phone" in history or "电话" in history)


# ---------------------------------------------------------------- appointments

def test_a_second_current_secretary_is_refused_beside_the_unit_field(login, world):
    """R-SEL-2: one current secretary per unit; the message names the sitting secretary."""
    newcomer = PersonFactory(name="赵磊", unit=world.village_a1)
    response = login(world.staff_a).post(reverse("cadres:appointment_create"), {
        "person": newcomer.pk, "unit": world.village_a1.pk, "role": AppointmentRole.SECRETARY,
        "start_date": "2026-01-01"})
    assert response.status_code == 200
    errors = response.context["form"].errors["unit"]
    assert errors == [ERR_SECOND_SECRETARY.format(unit="东风村党支部", person="秦秀英", start="2024年3月1日")]
    html = response.content.decode()
    field_html = html[html.index('id="field-unit"'):]
    assert "秦秀英" in field_html[:field_html.index("</div>")]
    assert not Appointment.objects.filter(person=newcomer).exists()


def test_staff_create_an_appointment_and_it_closes_the_reserve_entry(login, world):
    vacant = make_unit(parent=world.township_a, name="红星村党支部")
    entry = ReserveCandidateFactory(unit=vacant)
    response = login(world.staff_a).post(reverse("cadres:appointment_create"), {
        "person": entry.person_id, "unit": vacant.pk, "role": AppointmentRole.SECRETARY, "start_date": "2026-01-01",
        "selection_method": SelectionMethod.ELECTION, "eligible_voters": 40, "votes_cast": 38, "votes_for": 35,
        "is_dual_leader": "on"})
    assert response.status_code == 302
    appointment = Appointment.objects.get(unit=vacant)
    assert appointment.is_dual_leader and appointment.votes_for == 35
    entry.refresh_from_db()
    assert entry.status == ReserveStatus.APPOINTED


def test_ending_an_appointment_asks_for_confirmation_first(login, world):
    client = login(world.staff_a)
    url = reverse("cadres:appointment_end", args=[world.appointment_a2.pk])
    response = client.post(url, {"end_date": "2026-06-30", "end_reason": EndReason.TERM_CHANGE})
    assert response.status_code == 200 and response.context["confirming"]
    world.appointment_a2.refresh_from_db()
    assert world.appointment_a2.end_date is None
    response = client.post(url, {"end_date": "2026-06-30", "end_reason": EndReason.TERM_CHANGE, "confirm": "yes"})
    assert response.status_code == 302
    world.appointment_a2.refresh_from_db()
    assert world.appointment_a2.end_date == dt.date(2026, 6, 30)
    assert world.appointment_a2.end_reason == EndReason.TERM_CHANGE


def test_an_end_before_the_start_is_shown_beside_the_date(login, world):
    url = reverse("cadres:appointment_end", args=[world.appointment_a2.pk])
    response = login(world.staff_a).post(url, {"end_date": "2020-01-01", "end_reason": EndReason.ADJUSTMENT,
                                              "confirm": "yes"})
    assert response.status_code == 200 and "end_date" in response.context["form"].errors


def test_appointment_filters(login, world):
    AppointmentFactory(unit=world.village_a2, role=AppointmentRole.COMMITTEE_MEMBER, is_dual_leader=True)
    ended = AppointmentFactory(unit=world.village_a1, start_date=dt.date(2018, 1, 1), end_date=dt.date(2021, 1, 1),
                               end_reason=EndReason.TERM_CHANGE)
    client = login(world.staff_a)
    current = client.get(reverse("cadres:appointments"), {"current": "true"}).context["appointments"]
    assert ended not in current and world.appointment_a1 in current
    past = client.get(reverse("cadres:appointments"), {"current": "false"}).context["appointments"]
    assert list(past) == [ended]
    members = client.get(reverse("cadres:appointments"), {"role": AppointmentRole.COMMITTEE_MEMBER}).context
    assert [a.role for a in members["appointments"]] == [AppointmentRole.COMMITTEE_MEMBER]
    dual = client.get(reverse("cadres:appointments"), {"is_dual_leader": "true"}).context["appointments"]
    assert all(a.is_dual_leader for a in dual) and len(dual) == 1


def test_the_appointment_list_costs_constant_queries(login, world):
    client = login(world.staff_a)
    client.get(reverse("cadres:appointments"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cadres:appointments"))
    for i in range(10):
        AppointmentFactory(unit=make_unit(parent=world.township_a, name=f"村{i}"))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("cadres:appointments"))
    assert len(many) == len(few)


# ---------------------------------------------------------------- tree

def test_the_unit_page_shows_breadcrumbs_children_counts_and_secretary(login, world, django_assert_max_num_queries):
    client = login(world.staff_a)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cadres:unit_detail", args=[world.township_a.pk]))
    assert [u.name for u in response.context["breadcrumbs"]] == ["甲县委"]  # the city is outside staff_a's scope
    children = {c.name: c for c in response.context["children"]}
    assert set(children) == {"东风村党支部", "新华村党支部"}
    assert children["东风村党支部"].secretaries == 1
    village = client.get(reverse("cadres:unit_detail", args=[world.village_a1.pk]))
    assert village.context["secretary"] == world.appointment_a1
    county = client.get(reverse("cadres:unit_detail", args=[world.county_a.pk])).context["children"]
    assert county[0].units_below == 2 and county[0].branches == 2 and county[0].secretaries == 2


def test_the_tree_child_counts_are_one_query_each_not_one_per_child(login, world):
    client = login(world.staff_a)
    url = reverse("cadres:unit_detail", args=[world.township_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        make_unit(parent=world.township_a, name=f"新村{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_unit_search_by_name_and_code(login, world):
    client = login(world.staff_a)
    assert [u.name for u in client.get(reverse("cadres:units"), {"q": "新华"}).context["results"]] == ["新华村党支部"]
    assert [u.name for u in client.get(reverse("cadres:units"), {"q": "430721001001"}).context["results"]] == [
        "东风村党支部"]


# ---------------------------------------------------------------- reserves and reports

def test_staff_add_and_withdraw_a_reserve_candidate_with_confirmation(login, world):
    client = login(world.staff_a)
    person = PersonFactory(name="孙丽", unit=world.village_a2)
    response = client.post(reverse("cadres:reserve_add"), {"person": person.pk, "unit": world.village_a2.pk,
                                                           "added_on": "2026-03-01"})
    assert response.status_code == 302
    entry = ReserveCandidate.objects.get(person=person)
    confirm = client.get(reverse("cadres:reserve_withdraw", args=[entry.pk]))
    assert confirm.status_code == 200 and "孙丽" in confirm.content.decode()
    entry.refresh_from_db()
    assert entry.status == ReserveStatus.CULTIVATING
    assert client.post(reverse("cadres:reserve_withdraw", args=[entry.pk]), {"on": "2026-04-01"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == ReserveStatus.WITHDRAWN and entry.closed_on == dt.date(2026, 4, 1)


def test_a_duplicate_reserve_entry_is_shown_beside_the_person(login, world, reserve):
    response = login(world.staff_a).post(reverse("cadres:reserve_add"), {
        "person": reserve.person_id, "unit": reserve.unit_id, "added_on": "2026-03-01"})
    assert response.status_code == 200 and "person" in response.context["form"].errors


def test_reserve_coverage_lists_villages_without_a_reserve_and_the_policy_used(login, world, reserve):
    """R-RES-2 with R-POL-2: village_a1 is covered, village_a2 is not; one per village by default."""
    response = login(world.staff_a).get(reverse("cadres:report_reserve_coverage"), {"year": 2026})
    coverage = response.context["coverage"]
    assert coverage["villages"] == 2 and coverage["covered"] == 1
    assert [row["unit"].name for row in coverage["lacking"]] == ["新华村党支部"]
    html = response.content.decode()
    assert "R-RES-2" in html and "001 常德市委〔2012〕5号" in html


def test_reserve_coverage_follows_a_county_policy_of_two(login, world, reserve):
    Policy.objects.create(unit=world.county_a, year=2026, reserve_min_per_village=2)
    coverage = login(world.staff_a).get(reverse("cadres:report_reserve_coverage"), {"year": 2026}).context["coverage"]
    assert coverage["covered"] == 0 and {row["required"] for row in coverage["lacking"]} == {2}


def test_the_under_35_ledger_on_a_chosen_date(login, world, reserve):
    """R-RES-3: 周小燕, born 1996-04-02, is 34 on 2031-04-01 and 35 on 2031-04-02."""
    client = login(world.staff_a)
    before = client.get(reverse("cadres:report_under_35"), {"on_date": "2031-04-01"})
    assert [r.person.name for r in before.context["reserves"]] == ["周小燕"]
    assert "R-RES-3" in before.content.decode()
    on_birthday = client.get(reverse("cadres:report_under_35"), {"on_date": "2031-04-02"})
    assert list(on_birthday.context["reserves"]) == []


def test_the_talent_pool_filters_by_age_band_and_education(login, world, reserve):
    client = login(world.staff_a)
    response = client.get(reverse("cadres:report_talent_pool"), {"age_max": 35})
    assert [p.name for p in response.context["people"]] == ["周小燕"]
    response = client.get(reverse("cadres:report_talent_pool"), {"education": "postgraduate"})
    assert list(response.context["people"]) == []
    response = client.get(reverse("cadres:report_talent_pool"), {"age_min": 50, "age_max": 40})
    assert "age_max" in response.context["form"].errors


@pytest.mark.parametrize("name", ["cadres:people", "cadres:appointments", "cadres:reserves"])
def test_each_list_page_costs_a_fixed_number_of_queries(login, world, reserve, django_assert_num_queries, name):
    client = login(world.staff_a)
    client.get(reverse(name))
    # session, user with its unit (scope path; issue 12), count for the paginator, unread notices (layout),
    # and the page of rows (with its units and people joined). The unit filter is a picker that
    # renders only a chosen unit (issue 8 item 3): no query for the units of a dropdown.
    with django_assert_num_queries(5):
        response = client.get(reverse(name))
    assert response.status_code == 200


def test_a_service_error_on_a_field_the_form_lacks_goes_above_the_form(world):
    from cadres.forms import PersonForm, apply_service_errors
    from django.core.exceptions import ValidationError

    form = PersonForm(data={}, user=world.staff_a)
    form.is_valid()
    apply_service_errors(form, ValidationError({"user": ["taken"], "__all__": ["whole form"]}))
    assert any("taken" in e for e in form.non_field_errors()) and "whole form" in form.non_field_errors()


def test_a_bad_id_number_is_reported_together_with_a_missing_unit(world, login):
    """R-SEC-3: every problem of the form at once, each beside its field."""
    from cadres.services.id_numbers import ERR_ID_CHECKSUM

    response = login(world.staff_a).post("/cadres/people/new/", {
        "name": "测试", "gender": "F", "ethnicity": "汉族", "birth_date": "1993-03-06",
        "id_number": "430721199303066721"})
    form = response.context["form"]
    assert form.errors["id_number"] == [str(ERR_ID_CHECKSUM)]
    assert "unit" in form.errors
