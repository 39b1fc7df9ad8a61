"""R-ASM-5: the published assessment report of each secretary, in the term file; and the assessment hub."""
from assessment.models import Classification, DutyReport
from assessment.services.classification import annual_review_run
from assessment.services.cycles import cycle_publish
from core.choices import Role
from tests.factories import make_user

from .helpers import add_ballots, make_cycle, make_template, set_scores
from .test_pages import client_for


def _world_reviewed(world):
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1], score="92", template=template)
    set_scores(units=[world.village_a2], score="70", template=template)
    add_ballots(unit=world.village_a1, ratings=["good"] * 4)  # below the minimum of 5
    DutyReport.objects.create(unit=world.village_a1, person=world.secretary_a1, year=2025,
                              commitments="完成村部改造", work_done="修通产业路3公里", state="accepted")
    cycle = make_cycle(unit=world.county_a)
    annual_review_run(cycle_id=cycle.pk)
    return cycle, Classification.objects.get(unit=world.village_a1, year=2025)


def test_secretary_sees_the_report_only_after_publication(world):
    cycle, row = _world_reviewed(world)
    url = f"/assessment/reports/{row.pk}/"
    sec = client_for(world.secretary_user)
    assert sec.get(url).status_code == 404
    person_url = f"/assessment/people/{world.secretary_a1.pk}/"
    assert url not in sec.get(person_url).content.decode()
    staff_page = client_for(world.staff_a).get(url).content.decode()
    assert 'data-testid="draft"' in staff_page
    cycle_publish(cycle=cycle, by=world.staff_a)
    r = sec.get(url)
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-testid="draft"' not in page and "@media print" in page
    assert row.get_tier_display() in page and str(row.composite_score) in page
    assert "修通产业路3公里" in page and "秦秀英" in page
    assert 'data-testid="evaluation-hidden"' in page  # 4 answers: no aggregate, the reason shown
    assert 'data-testid="explanation"' in page and "≥ 90" in page
    # the term file (任期履职档案) lists it, for the secretary and for staff
    assert url in sec.get(person_url).content.decode()
    assert url in client_for(world.staff_a).get(person_url).content.decode()
    assert url in sec.get("/assessment/classifications/?year=2025").content.decode()


def test_reports_are_scoped(world):
    cycle, row = _world_reviewed(world)
    cycle_publish(cycle=cycle, by=world.staff_a)
    url = f"/assessment/reports/{row.pk}/"
    assert client_for(world.outsider).get(url).status_code == 404
    other = make_user(unit=world.village_a2, role=Role.SECRETARY)
    assert client_for(other).get(url).status_code == 404
    assert client_for(world.supervisor_a).get(url).status_code == 200
    assert client_for(world.township_staff).get(url).status_code == 200
    a2 = Classification.objects.get(unit=world.village_a2, year=2025)
    assert client_for(world.secretary_user).get(f"/assessment/reports/{a2.pk}/").status_code == 404


def test_assessment_hub_links_by_role(world):
    staff_page = client_for(world.staff_a).get("/assessment/").content.decode()
    for name in ("evaluations", "indicator-templates", "scores", "listings", "classifications", "honours",
                 "calibration", "upgrade-targets", "duty-reports"):
        assert f'href="/assessment/{name}/"' in staff_page, name
    sec_page = client_for(world.secretary_user).get("/assessment/").content.decode()
    assert 'href="/assessment/classifications/"' in sec_page
    assert f'href="/assessment/people/{world.secretary_a1.pk}/"' in sec_page
    for name in ("scores", "listings", "honours", "calibration"):
        assert f'href="/assessment/{name}/"' not in sec_page, name


def test_pages_require_login(client, world):
    for url in ("/assessment/evaluations/", "/assessment/indicator-templates/", "/assessment/scores/",
                "/assessment/listings/", "/assessment/classifications/", "/assessment/honours/",
                "/assessment/reports/1/", "/assessment/evaluations/1/"):
        r = client.get(url)
        assert r.status_code == 302 and "login" in r.url, url
