"""The registry API: every endpoint scoped to the caller's subtree (R-ORG-2), ID numbers masked (R-SEC-1)."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.models import Appointment, Person
from cadres.services.id_numbers import ERR_ID_CHECKSUM
from tests.factories import AppointmentFactory, PersonFactory, ReserveCandidateFactory, make_unit

LISTS = ["/api/v1/people/", "/api/v1/appointments/", "/api/v1/reserve-candidates/"]


@pytest.fixture
def reserve(world):
    return ReserveCandidateFactory(unit=world.village_a2)


def detail_urls(world, reserve):
    return [
        f"/api/v1/people/{world.person_a2.pk}/",
        f"/api/v1/appointments/{world.appointment_a2.pk}/",
        f"/api/v1/reserve-candidates/{reserve.pk}/",
        f"/api/v1/org-units/{world.village_a2.pk}/",
    ]


def test_it_requires_a_login(world, api):
    for url in LISTS:
        assert api(None).get(url).status_code == 401, url  # R-SEC-3: 401 with a challenge


@pytest.mark.parametrize("url", LISTS)
def test_outsider_lists_hold_nothing_of_county_a(world, api, reserve, url):
    body = api(world.outsider).get(url).json()
    names = str(body)
    assert "秦秀英" not in names and "杨志强" not in names


def test_outsider_gets_404_on_county_a_details_and_cannot_write(world, api, reserve):
    client = api(world.outsider)
    for url in detail_urls(world, reserve):
        assert client.get(url).status_code == 404, url
        assert client.patch(url, {"notes": "x"}, format="json").status_code == 404, url


def test_outsider_cannot_create_records_in_county_a(world, api):
    response = api(world.outsider).post("/api/v1/people/", {
        "name": "李四", "gender": "F", "birth_date": "1993-03-06", "id_number": "43072119930306672X",
        "unit": world.village_a1.pk}, format="json")
    assert response.status_code == 400
    assert "unit" in response.json()
    assert not Person.objects.filter(name="李四").exists()


def test_a_secretary_reads_only_their_own_record(world, api):
    client = api(world.secretary_user)
    people = client.get("/api/v1/people/").json()["results"]
    assert [p["name"] for p in people] == ["秦秀英"]
    assert client.get(f"/api/v1/people/{world.person_a2.pk}/").status_code == 404
    assert client.get(f"/api/v1/appointments/{world.appointment_a2.pk}/").status_code == 404
    assert client.patch(f"/api/v1/people/{world.secretary_a1.pk}/", {"phone": "1"}, format="json").status_code == 403


def test_supervisors_read_but_do_not_write_the_registry(world, api):
    client = api(world.supervisor_a)
    assert client.get(f"/api/v1/people/{world.person_a2.pk}/").status_code == 200
    assert client.patch(f"/api/v1/people/{world.person_a2.pk}/", {"phone": "1"}, format="json").status_code == 403


def test_id_numbers_are_masked_in_lists_and_on_detail_until_staff_ask(world, api):
    """R-SEC-1: staff get the full number on detail only with ?reveal= (logged: tests/cadres/test_reveal.py)."""
    client = api(world.staff_a)
    row = next(p for p in client.get("/api/v1/people/").json()["results"] if p["name"] == "杨志强")
    full = world.person_a2.id_number
    assert row["id_number"] == full[:6] + "********" + full[-4:]
    assert client.get(f"/api/v1/people/{world.person_a2.pk}/").json()["id_number"] == row["id_number"]
    assert client.get(f"/api/v1/people/{world.person_a2.pk}/?reveal=id_number").json()["id_number"] == full
    masked = api(world.supervisor_a).get(f"/api/v1/people/{world.person_a2.pk}/").json()["id_number"]
    assert masked != full and "*" in masked


def test_staff_create_a_person_and_a_bad_id_number_names_the_field(world, api):
    client = api(world.staff_a)
    payload = {"name": "李四", "gender": "F", "birth_date": "1993-03-06", "id_number": "430721199303066721",
               "unit": world.village_a1.pk}
    bad = client.post("/api/v1/people/", payload, format="json")
    assert bad.status_code == 400 and bad.json()["id_number"] == [str(ERR_ID_CHECKSUM)]
    good = client.post("/api/v1/people/", {**payload, "id_number": "43072119930306672X"}, format="json")
    assert good.status_code == 201, good.json()
    person = Person.objects.get(name="李四")
    assert person.history.first().history_user == world.staff_a  # R-SEC-2


def test_a_second_current_secretary_through_the_api_is_a_400_on_unit(world, api):
    client = api(world.staff_a)
    response = client.post("/api/v1/appointments/", {
        "person": world.person_a2.pk, "unit": world.village_a1.pk, "role": "secretary", "start_date": "2026-01-01",
    }, format="json")
    assert response.status_code == 400
    assert "秦秀英" in response.json()["unit"][0]


def test_ending_an_appointment_through_the_api(world, api):
    client = api(world.staff_a)
    url = f"/api/v1/appointments/{world.appointment_a2.pk}/end/"
    assert client.post(url, {"end_date": "2025-13-01", "end_reason": "resignation"}, format="json").status_code == 400
    response = client.post(url, {"end_date": "2025-12-31", "end_reason": "resignation"}, format="json")
    assert response.status_code == 200 and response.json()["end_date"] == "2025-12-31"


def test_the_unit_filter_widens_to_the_subtree(world, api):
    client = api(world.staff_a)
    names = {p["name"] for p in client.get(f"/api/v1/people/?unit={world.township_a.pk}").json()["results"]}
    assert names == {"秦秀英", "杨志强"}
    names = {p["name"] for p in client.get("/api/v1/people/?search=杨").json()["results"]}
    assert names == {"杨志强"}


def _grow(world, n):
    for _ in range(n):
        unit = make_unit(parent=world.township_a)
        AppointmentFactory(unit=unit, start_date=dt.date(2025, 1, 1))
        ReserveCandidateFactory(unit=unit)


@pytest.mark.parametrize("url", LISTS)
def test_list_endpoints_keep_a_constant_number_of_queries(world, api, url):
    client = api(world.staff_a)
    _grow(world, 1)
    client.get(url)  # warm-up: content types and other per-process caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 12)
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).json()
    assert body["count"] >= 12
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_people_list_query_count(world, api, django_assert_num_queries):
    client = api(world.staff_a)
    _grow(world, 5)
    # The forced-authenticated user carries its unit already, so: 1 count, 2 the page with each
    # person's unit and current-secretary flag joined in.
    with django_assert_num_queries(2):
        client.get("/api/v1/people/")


def test_reports_are_scoped(world, api, reserve):
    staff = api(world.staff_a).get("/api/v1/reports/reserve-coverage/?year=2026").json()
    assert staff["villages"] == 2 and staff["covered"] == 1
    assert [row["name"] for row in staff["lacking"]] == ["东风村党支部"]
    outsider = api(world.outsider).get("/api/v1/reports/reserve-coverage/?year=2026").json()
    assert outsider["villages"] == 1 and [r["name"] for r in outsider["lacking"]] == ["石桥村党支部"]
    ledger = api(world.outsider).get("/api/v1/reports/under-35/?date=2026-11-23").json()
    assert "秦秀英" not in str(ledger)
    pool = api(world.outsider).get("/api/v1/reports/talent-pool/").json()
    assert [p["name"] for p in pool["results"]] == ["吴国庆"]


def test_under_35_ledger_counts_age_on_the_given_date(world, api):
    """R-RES-3 edge: born 1991-11-23 is 35 on 2026-11-23 and leaves the ledger that day."""
    young = PersonFactory(unit=world.village_a2, name="小王", birth_date=dt.date(1991, 11, 24))
    edge = PersonFactory(unit=world.village_a2, name="老王", birth_date=dt.date(1991, 11, 23))
    for p in (young, edge):
        Appointment.objects.create(person=p, unit=world.village_a2, role="committee_member",
                                   start_date=dt.date(2024, 1, 1))
    ledger = api(world.staff_a).get("/api/v1/reports/under-35/?date=2026-11-23").json()
    names = {row["name"] for row in ledger["leaders"]}
    assert "小王" in names and "老王" not in names
    assert ledger["age_limit"] == 35


def test_talent_pool_filters_by_age_band(world, api):
    """R-RES-4."""
    PersonFactory(unit=world.village_a2, name="青年", birth_date=dt.date(1998, 1, 1))
    names = {p["name"] for p in api(world.staff_a).get("/api/v1/reports/talent-pool/?age_max=30").json()["results"]}
    assert names == {"青年"}


def test_dual_leader_share(world, api):
    """R-SEL-4."""
    Appointment.objects.filter(pk=world.appointment_a1.pk).update(is_dual_leader=True)
    report = api(world.staff_a).get("/api/v1/reports/dual-leaders/").json()
    assert (report["secretaries"], report["dual_leaders"], report["share"]) == (2, 1, 50.0)
