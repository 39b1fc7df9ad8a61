"""R-STP-5/6 API: /api/v1/health-checks/ and /api/v1/reports/health-check-eligible/ — roles, scoping, queries."""
import datetime as dt

from assessment.choices import Tier
from core.choices import Role
from stipends.api.views_health import ERR_FIXED, ERR_YEAR_REQUIRED
from stipends.models import HealthCheck, HealthCheckEntitlement
from stipends.services.health import MSG_ENTITLEMENT_USED, health_eligibility_refresh
from tests.factories import make_unit, make_user
from tests.stipends.helpers import classify, secretary

D = dt.date
ELIGIBLE = "/api/v1/reports/health-check-eligible/"
CHECKS = "/api/v1/health-checks/"


def eligible(world, *, parent=None, name="老支书", user=None):
    unit = make_unit(parent=parent or world.township_a, name=f"{name}村党支部")
    person = secretary(unit=unit, start=D(2019, 1, 1), name=name, **({"user": user} if user else {}))
    for y in (2022, 2023):
        classify(unit=unit, year=y, tier=Tier.GOOD)
    health_eligibility_refresh(scope_path=world.city.path, year=2024)
    return HealthCheckEntitlement.objects.get(person=person)


def test_the_eligible_report_needs_the_year(world, api):
    answer = api(world.staff_a).get(ELIGIBLE)
    assert answer.status_code == 400 and answer.json() == {"year": [str(ERR_YEAR_REQUIRED)]}
    assert api(world.staff_a).get(ELIGIBLE + "?year=abc").status_code == 400
    assert "checked" in api(world.staff_a).get(ELIGIBLE + "?year=2024&checked=maybe").json()


def test_the_eligible_report_explains_each_row_and_is_scoped(world, api):
    ent = eligible(world, name="周德明")
    eligible(world, parent=world.township_b, name="石大山")
    data = api(world.staff_a).get(ELIGIBLE + "?year=2024").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert (row["id"], row["person_name"], row["period_start"], row["good_years"], row["checked"]) == (
        ent.pk, "周德明", "2019-01-01", [2022, 2023], False)
    assert row["explanation"]["rule"] == ["R-STP-5", "R-STP-6"]
    assert row["explanation"]["policy"]["health_check_min_good_years"]["value"] == 2
    assert api(world.staff_a).get(ELIGIBLE + "?year=2023").json()["count"] == 0
    assert [r["person_name"] for r in api(world.outsider).get(ELIGIBLE + "?year=2024").json()["results"]] == ["石大山"]
    assert api(world.outsider).get(ELIGIBLE + f"?year=2024&unit={world.county_a.pk}").status_code == 400


def test_the_eligible_report_in_a_fixed_number_of_queries(world, api, django_assert_num_queries):
    for i in range(8):
        eligible(world, name=f"张{i}号")
    client = api(world.staff_a)
    with django_assert_num_queries(2):  # count, page (each row's check joined)
        data = client.get(ELIGIBLE + "?year=2024").json()
    assert data["count"] == 8


def test_staff_record_a_check_supervisors_read_secretaries_see_their_own(world, api):
    ent = eligible(world, name="周德明")
    body = {"person": ent.person_id, "entitlement": ent.pk, "decided_on": "2025-03-01", "paid_by": "县财政"}
    assert api(world.supervisor_a).post(CHECKS, body, format="json").status_code == 403
    answer = api(world.staff_a).post(CHECKS, body, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["unit"] == ent.unit_id and answer.json()["kind_display"]
    again = api(world.staff_a).post(CHECKS, body, format="json")
    assert again.status_code == 400 and again.json() == {"entitlement": [str(MSG_ENTITLEMENT_USED)]}
    assert api(world.supervisor_a).get(CHECKS).json()["count"] == 1
    assert api(world.secretary_user).get(CHECKS).json()["count"] == 0
    assert api(world.outsider).get(CHECKS + f"{answer.json()['id']}/").status_code == 404


def test_a_secretary_reads_their_own_record(world, api):
    user = make_user(unit=world.township_a, role=Role.SECRETARY, username="sec_health")
    ent = eligible(world, name="周德明", user=user)
    api(world.staff_a).post(CHECKS, {"person": ent.person_id, "entitlement": ent.pk, "decided_on": "2025-03-01"},
                            format="json")
    mine = api(user).get(CHECKS).json()
    assert mine["count"] == 1 and mine["results"][0]["person_name"] == "周德明"
    assert api(user).get(ELIGIBLE + "?year=2024").json()["count"] == 1


def test_decided_recuperation_and_its_update(world, api):
    retired = secretary(unit=world.village_a1, start=D(2000, 1, 1), end=D(2020, 12, 31), is_retired=True)
    answer = api(world.staff_a).post(CHECKS, {"person": retired.pk, "kind": "recuperation", "basis": "decision",
                                              "decision": "县委组织部部务会决定", "decided_on": "2025-05-01"},
                                     format="json")
    assert answer.status_code == 201, answer.json()
    pk = answer.json()["id"]
    done = api(world.staff_a).patch(CHECKS + f"{pk}/", {"done_on": "2025-05-20", "place": "南岳"}, format="json")
    assert done.status_code == 200 and done.json()["done_on"] == "2025-05-20"
    fixed = api(world.staff_a).patch(CHECKS + f"{pk}/", {"kind": "check"}, format="json")
    assert fixed.status_code == 400 and fixed.json() == {"kind": [str(ERR_FIXED)]}
    assert HealthCheck.objects.get().kind == "recuperation"


def test_the_checks_list_in_a_fixed_number_of_queries(world, api, django_assert_num_queries):
    for i in range(6):
        ent = eligible(world, name=f"张{i}号")
        api(world.staff_a).post(CHECKS, {"person": ent.person_id, "entitlement": ent.pk,
                                         "decided_on": "2025-03-01"}, format="json")
    with django_assert_num_queries(2):  # count, page (person and unit joined)
        data = api(world.staff_a).get(CHECKS).json()
    assert data["count"] == 6
