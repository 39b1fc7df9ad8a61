"""A secretary's home shows the open assessment over their branch and their report's deadline (R-ASM-1/2)."""
from assessment.models import DutyReport
from tests.assessment.helpers import make_cycle


def test_the_secretary_sees_the_deadline_and_starts_the_report_from_home(world, login):
    make_cycle(unit=world.county_a, year=2025)
    client = login(world.secretary_user)
    home = client.get("/").content.decode()
    assert 'id="assessment-my-report"' in home and "2025" in home
    response = client.post("/assessment/duty-reports/new/", {"year": "2025"})
    report = DutyReport.objects.get(person=world.secretary_a1, year=2025)
    assert response["Location"] == f"/assessment/duty-reports/{report.pk}/"
    assert f"/assessment/duty-reports/{report.pk}/" in client.get("/").content.decode()


def test_a_cycle_of_another_county_is_not_shown(world, login):
    make_cycle(unit=world.county_b, year=2025)
    home = login(world.secretary_user).get("/").content.decode()
    assert 'id="assessment-my-report"' in home and "/assessment/duty-reports/new/" not in home


def test_duty_report_changes_keep_who_and_when(world, login):
    """R-SEC-2: the report's history names the user who changed it."""
    make_cycle(unit=world.county_a, year=2025)
    client = login(world.secretary_user)
    client.post("/assessment/duty-reports/new/", {"year": "2025"})
    report = DutyReport.objects.get(person=world.secretary_a1, year=2025)
    assert report.history.first().history_user == world.secretary_user
