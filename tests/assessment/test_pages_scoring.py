"""Pages of the indicator templates and the superior's scoring (R-ASM-4) — scoped (R-ORG-2)."""
from decimal import Decimal

from django.utils import timezone

from assessment.models import AssessmentCycle, BranchScore, IndicatorTemplate
from assessment.services.scores import ERR_POINTS_RANGE
from assessment.services.scoring import ERR_TEMPLATE_PUBLISHED
from core.choices import Role
from tests.factories import make_user

from .helpers import make_cycle, make_template
from .test_pages import client_for


def _template_post(name, rows, **extra):
    data = {"name": name, "form-TOTAL_FORMS": len(rows) + 1, "form-INITIAL_FORMS": 0, **extra}
    for i, (n, w, m) in enumerate(rows):
        data.update({f"form-{i}-name": n, f"form-{i}-weight": w, f"form-{i}-max_score": m})
    return data


def test_staff_create_and_edit_a_template_while_the_year_is_open(world):
    staff = client_for(world.staff_a)
    assert staff.get("/assessment/indicator-templates/new/?year=2025").status_code == 200
    r = staff.post("/assessment/indicator-templates/new/", _template_post(
        "2025年量化考核", [("组织建设", "60", "50"), ("作用发挥", "40", "50")], code=world.county_a.code, year=2025))
    assert r.status_code == 302
    template = IndicatorTemplate.objects.get()
    assert [(i.name, i.weight, i.max_score) for i in template.indicators.all()] == [
        ("组织建设", Decimal("60.00"), Decimal("50.00")), ("作用发挥", Decimal("40.00"), Decimal("50.00"))]
    assert "组织建设" in staff.get("/assessment/indicator-templates/?year=2025").content.decode()
    # a secretary reads the templates that apply to their branch
    assert "组织建设" in client_for(world.secretary_user).get(
        "/assessment/indicator-templates/?year=2025").content.decode()
    r = staff.post(f"/assessment/indicator-templates/{template.pk}/edit/",
                   _template_post("2025年考核", [("组织建设", "50", "50"), ("作用发挥", "50", "100")]))
    assert r.status_code == 302
    template.refresh_from_db()
    assert template.name == "2025年考核" and template.indicators.last().max_score == Decimal("100")
    # a max score of 0 is refused on the form, not by the database
    r = staff.post(f"/assessment/indicator-templates/{template.pk}/edit/",
                   _template_post("2025年考核", [("组织建设", "50", "0")]))
    assert r.status_code == 400
    cycle = make_cycle(unit=world.county_a)
    AssessmentCycle.objects.filter(pk=cycle.pk).update(published_at=timezone.now())
    r = staff.post(f"/assessment/indicator-templates/{template.pk}/edit/",
                   _template_post("改", [("组织建设", "50", "50")]))
    assert r.status_code == 400 and str(ERR_TEMPLATE_PUBLISHED.format(year=2025)) in r.content.decode()
    assert IndicatorTemplate.objects.get().name == "2025年考核"


def test_templates_are_staff_only_and_scoped(world):
    template = make_template(unit=world.county_a)
    for user in (world.supervisor_a, world.secretary_user):
        assert client_for(user).get("/assessment/indicator-templates/new/").status_code == 403
        assert client_for(user).post(f"/assessment/indicator-templates/{template.pk}/edit/",
                                     _template_post("x", [("a", "1", "1")])).status_code == 403
    outsider = client_for(world.outsider)
    assert outsider.get(f"/assessment/indicator-templates/{template.pk}/edit/").status_code == 404
    assert outsider.post(f"/assessment/indicator-templates/{template.pk}/edit/",
                         _template_post("x", [("a", "1", "1")])).status_code == 404
    assert "组织建设" not in outsider.get("/assessment/indicator-templates/?year=2025").content.decode()
    r = outsider.post("/assessment/indicator-templates/new/", _template_post(
        "x", [("a", "1", "1")], code=world.county_a.code, year=2026))
    assert r.status_code == 400 and not IndicatorTemplate.objects.filter(year=2026).exists()


def test_superior_scores_a_branch_one_input_per_indicator(world):
    """R-ASM-4: 45/50 and 40/50 at equal weights → 85.00."""
    template = make_template(unit=world.county_a)
    first, second = template.indicators.all()
    url = f"/assessment/scores/{world.village_a1.pk}/?year=2025"
    staff = client_for(world.staff_a)
    page = staff.get(url).content.decode()
    assert f'name="points_{first.pk}"' in page and f'name="points_{second.pk}"' in page
    r = staff.post(url, {"year": 2025, f"points_{first.pk}": "45", f"points_{second.pk}": "40"})
    assert r.status_code == 302
    assert BranchScore.objects.get(unit=world.village_a1, year=2025).superior_score == Decimal("85.00")
    assert 'data-testid="superior-score">85.00' in staff.get(url).content.decode()
    r = staff.post(url, {"year": 2025, f"points_{first.pk}": "51", f"points_{second.pk}": "40"})
    assert r.status_code == 400
    assert str(ERR_POINTS_RANGE.format(indicator="组织建设", max_score=first.max_score)) in r.content.decode()
    # supervisors score too (as in the API); the list shows the score
    client_for(world.supervisor_a).post(url, {"year": 2025, f"points_{first.pk}": "50", f"points_{second.pk}": "50"})
    assert BranchScore.objects.get(unit=world.village_a1).superior_score == Decimal("100.00")
    assert "100.00" in staff.get("/assessment/scores/?year=2025").content.decode()


def test_scoring_is_scoped(world):
    template = make_template(unit=world.county_a)
    first, second = template.indicators.all()
    url = f"/assessment/scores/{world.village_a1.pk}/?year=2025"
    data = {"year": 2025, f"points_{first.pk}": "1", f"points_{second.pk}": "1"}
    outsider = client_for(world.outsider)
    assert outsider.get(url).status_code == 404 and outsider.post(url, data).status_code == 404
    assert "东风村" not in outsider.get("/assessment/scores/?year=2025").content.decode()
    assert client_for(world.secretary_user).get(url).status_code == 403
    assert client_for(world.secretary_user).post(url, data).status_code == 403
    other = make_user(unit=world.village_a2, role=Role.SECRETARY)
    assert client_for(other).get("/assessment/scores/").status_code == 403
    assert not BranchScore.objects.exists()
