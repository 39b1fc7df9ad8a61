"""R-SEC-3: input a hostile user sends answers 400 naming the field, never 500.

Run on PostgreSQL too (``DATABASE_URL=postgres://…``): it refuses NUL characters in strings, which
SQLite stores, so the NUL cases only showed as 500s there.
"""
import datetime as dt
import json

import pytest
from rest_framework.test import APIClient

from assessment.choices import DutyReportState
from assessment.models import Classification, DutyReport
from assessment.services.classification import annual_review_run
from core.api.parsers import MSG_JSON_NUL, MSG_JSON_TOO_DEEP
from core.middleware import MSG_NUL_IN_PARAMETER
from tests.assessment.helpers import make_cycle, make_template, set_scores

NUL = "\x00"


def staff_api(world):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(world.staff_a)
    return client


def names_field(response, field):
    """A 400 whose body names ``field`` (a JSON key or, on a page, the text)."""
    assert response.status_code == 400, (response.status_code, response.content[:300])
    if response["Content-Type"].startswith("application/json"):
        return field in response.json()
    return field in response.content.decode()


@pytest.mark.parametrize("url", ["/cadres/people/", "/cadres/units/", "/assessment/scores/"])
def test_a_nul_in_the_search_of_a_page_is_refused(world, client, url):
    client.raise_request_exception = False
    client.force_login(world.staff_a)
    response = client.get(url, {"q": f"秦{NUL}"})
    assert names_field(response, "q")
    assert str(MSG_NUL_IN_PARAMETER.format(name="q")) in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/people/", "/api/v1/units/", "/api/v1/appointments/"])
def test_a_nul_in_an_api_search_is_refused_with_the_parameter_named(world, url):
    response = staff_api(world).get(url, {"search": f"a{NUL}b"})
    assert names_field(response, "search")


def test_a_nul_in_a_form_post_is_refused(world, client):
    client.raise_request_exception = False
    client.force_login(world.staff_a)
    response = client.post("/cadres/people/new/", {"name": f"秦{NUL}英"})
    assert names_field(response, "name")


def test_a_nul_in_a_json_body_is_refused(world, classification):
    """Serializer CharFields refuse NUL themselves; the parser covers what a view reads from the body
    by hand (the override's reason went straight to the database: a 500 on PostgreSQL)."""
    response = staff_api(world).post(f"/api/v1/classifications/{classification.pk}/override/",
                                     {"tier": "poor", "reason": f"x{NUL}y"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": [str(MSG_JSON_NUL)]}
    assert not Classification.objects.filter(override_reason__contains="x").exists()


@pytest.mark.parametrize("depth", [101, 5000])
def test_json_nested_too_deep_is_refused(world, depth):
    body = "[" * depth + "]" * depth
    response = staff_api(world).generic("POST", "/api/v1/honours/advance/", body, content_type="application/json")
    assert response.status_code == 400
    assert str(MSG_JSON_TOO_DEEP.format(limit=100)) in json.dumps(response.json(), ensure_ascii=False)


def test_json_nested_within_the_limit_is_read(world):
    deep = "[" * 99 + "]" * 99  # the body's object is level 1, so this list reaches level 100
    body = f'{{"unit": {world.county_a.pk}, "year": 2026, "ignored": {deep}}}'
    response = staff_api(world).generic("POST", "/api/v1/policies/", body, content_type="application/json")
    assert response.status_code == 201, response.content


def test_talent_pool_refuses_an_age_out_of_range(world):
    client = staff_api(world)
    for name in ("age_min", "age_max"):
        for value in ("-99999999999", "-1", "121", "99999999999999999999"):
            assert names_field(client.get("/api/v1/reports/talent-pool/", {name: value}), name), (name, value)
    assert client.get("/api/v1/reports/talent-pool/", {"age_min": "0", "age_max": "120"}).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/attendances/", "/api/v1/courses/"])
@pytest.mark.parametrize("year", ["0", "-5", "10000", "99999999999"])
def test_a_year_out_of_range_in_a_filter_is_refused(world, url, year):
    assert names_field(staff_api(world).get(url, {"year": year}), "year")


@pytest.mark.parametrize("url", ["/api/v1/attendances/", "/api/v1/courses/"])
def test_a_year_in_range_filters(world, url):
    assert staff_api(world).get(url, {"year": "2026"}).status_code == 200


@pytest.mark.parametrize("value", [5, {}, [], None, True])
def test_ending_an_appointment_with_an_end_date_of_the_wrong_type(world, value):
    url = f"/api/v1/appointments/{world.appointment_a2.pk}/end/"
    response = staff_api(world).post(url, {"end_date": value, "end_reason": "resignation"}, format="json")
    assert names_field(response, "end_date")
    response = staff_api(world).post(url, {"end_date": "2025-12-31", "end_reason": {}}, format="json")
    assert names_field(response, "end_reason")


@pytest.fixture
def submitted_report(world):
    return DutyReport.objects.create(unit=world.village_a1, person=world.secretary_a1, year=2025,
                                     state=DutyReportState.SUBMITTED, work_done="x")


@pytest.mark.parametrize("value", [{}, [], None, True])
def test_returning_a_duty_report_with_a_reason_of_the_wrong_type(world, submitted_report, value):
    response = staff_api(world).post(f"/api/v1/duty-reports/{submitted_report.pk}/return/", {"reason": value},
                                     format="json")
    assert names_field(response, "reason")


@pytest.mark.parametrize("value", [5, "5", {}, {"a": 1}, [[1]], [{}], ["x"], None, [77724782713766184608830849024]])
def test_advancing_honours_with_ids_of_the_wrong_type(world, value):
    response = staff_api(world).post("/api/v1/honours/advance/", {"ids": value}, format="json")
    assert names_field(response, "ids")


@pytest.fixture
def classification(world):
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a2], score="95", template=template)
    annual_review_run(cycle_id=make_cycle(unit=world.county_a).pk)
    return Classification.objects.get(unit=world.village_a2, year=2025)


def test_stars_with_a_nul_byte_are_refused(world, classification, client):
    api = staff_api(world)
    url = f"/api/v1/classifications/{classification.pk}/stars/"
    assert names_field(api.post(url, {"stars": 4, "reason": f"评{NUL}星"}, format="json"), "reason")
    assert names_field(api.post(url, {"stars": f"4{NUL}", "reason": "评星"}, format="json"), "stars")
    assert names_field(api.post(url, {"stars": {}, "reason": "评星"}, format="json"), "stars")
    assert names_field(api.post(url, {"stars": 4, "reason": {}}, format="json"), "reason")
    client.raise_request_exception = False
    client.force_login(world.staff_a)
    page = client.post(f"/assessment/classifications/{classification.pk}/stars/", {"stars": "4", "reason": f"x{NUL}"})
    assert names_field(page, "reason")
    assert api.post(url, {"stars": 4, "reason": "评星"}, format="json").status_code == 200


def test_the_year_of_a_report_still_names_the_field(world):
    assert names_field(staff_api(world).get("/api/v1/reports/upgrade-targets/", {"year": "0"}), "year")
    assert dt.date.today().year  # the default year applies when none is given


@pytest.mark.parametrize("body", [{"tier": {}, "reason": "x"}, {"tier": "poor", "reason": {}}, {"tier": [1], "reason": 5}])
def test_overriding_a_tier_with_values_of_the_wrong_type(world, classification, body):
    response = staff_api(world).post(f"/api/v1/classifications/{classification.pk}/override/", body, format="json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("ratings", [[{}], [[1]], [None], [5], [f"好{NUL}"], "好"])
def test_ballots_of_the_wrong_type_are_refused(world, ratings):
    from tests.assessment.helpers import add_ballots

    sample = add_ballots(unit=world.village_a1, ratings=[])
    response = staff_api(world).post(f"/api/v1/evaluations/{sample.pk}/ratings/", {"ratings": ratings}, format="json")
    assert names_field(response, "ratings")


@pytest.mark.parametrize("ids", [["99999999999999999999"], ["²"], ["abc"], [""]])
def test_the_honour_advance_page_treats_bad_ids_as_unknown(world, client, ids):
    client.raise_request_exception = False
    client.force_login(world.staff_a)
    response = client.post("/assessment/honours/advance/", {"year": "2025", "ids": ids}, follow=True)
    assert response.status_code == 200
    from assessment.views import ERR_UNKNOWN_CANDIDATES

    assert str(ERR_UNKNOWN_CANDIDATES) in response.content.decode()
