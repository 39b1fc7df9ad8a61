"""Issue 8 item 3: calibration, evaluation sampling, listings, honour nomination and indicator templates
choose their branch with the unit picker (``unit``, an id) — the code typed before still works — and
never accept a branch outside the user's subtree (R-ORG-2)."""
import re

import pytest

from assessment.choices import HonourKind, ListingKind, Tier
from assessment.models import BranchListing, Classification, EvaluationSample, Honour, IndicatorTemplate
from assessment.views import ERR_CHOOSE_BRANCH, ERR_CHOOSE_UNIT

from .test_pages import client_for
from .test_pages_listings_honours import _reviewed

OPTION = re.compile(r"<option\b")
PAGES = ["/assessment/calibration/?year=2025", "/assessment/evaluations/?year=2025", "/assessment/listings/?year=2025",
         "/assessment/honours/?year=2025", "/assessment/indicator-templates/new/?year=2025"]


@pytest.mark.parametrize("url", PAGES)
def test_the_branch_is_chosen_with_a_picker_not_a_typed_code(world, url):
    _reviewed(world)
    page = client_for(world.staff_a).get(url).content.decode()
    assert 'name="code"' not in page.replace('type="hidden" name="code"', "")
    match = re.search(r'<select name="unit"[^>]*data-picker-url="([^"]+)"[^>]*>(.*?)</select>', page, re.S)
    assert match, url
    picker_url, options = match.groups()
    assert picker_url.startswith("/api/v1/org-units/?")
    if "templates" not in url:
        assert "branch=1" in picker_url
    # at most the empty option and the user's own unit (a template's default jurisdiction)
    assert len(OPTION.findall(options)) <= 2


def test_evaluation_draw_by_picked_unit(world):
    world.village_a1.members = 30
    world.village_a1.save(update_fields=["members"])
    staff = client_for(world.staff_a)
    r = staff.post("/assessment/evaluations/draw/", {"unit": world.village_a1.pk, "year": 2025, "seed": 42})
    assert r.status_code == 302 and EvaluationSample.objects.get().unit == world.village_a1


def test_a_picked_unit_outside_the_subtree_or_not_a_branch_is_refused(world):
    world.village_b1.members = world.township_a.members = 30
    world.village_b1.save(update_fields=["members"])
    world.township_a.save(update_fields=["members"])
    for unit in (world.village_b1, world.township_a):
        r = client_for(world.staff_a).post("/assessment/evaluations/draw/", {"unit": unit.pk, "year": 2025},
                                           follow=True)
        assert str(ERR_CHOOSE_BRANCH) in r.content.decode()
    r = client_for(world.staff_a).post("/assessment/evaluations/draw/", {"unit": "9" * 30, "year": 2025}, follow=True)
    assert r.status_code == 200 and str(ERR_CHOOSE_BRANCH) in r.content.decode()
    assert not EvaluationSample.objects.exists()


def test_listing_and_calibration_by_picked_unit(world):
    _reviewed(world)
    staff = client_for(world.staff_a)
    staff.post("/assessment/listings/add/", {"year": 2025, "unit": world.village_a2.pk,
                                             "kind": ListingKind.WEAK_AND_LAX, "reason": "班子不团结"})
    assert BranchListing.objects.get().unit == world.village_a2
    staff.post("/assessment/calibration/", {"action": "override", "year": 2025, "unit": world.village_a1.pk,
                                            "tier": Tier.GOOD, "reason": "年终复核"})
    assert Classification.objects.get(unit=world.village_a1, year=2025).tier == Tier.GOOD
    client_for(world.outsider).post("/assessment/listings/add/", {"year": 2025, "unit": world.village_a1.pk,
                                                                  "kind": ListingKind.WEAK_AND_LAX, "reason": "x"})
    assert BranchListing.objects.count() == 1


def test_honour_nomination_by_picked_unit_and_person(world):
    _reviewed(world)
    staff = client_for(world.staff_a)
    r = staff.post("/assessment/honours/nominate/", {"year": 2025, "kind": HonourKind.OUTSTANDING_WORKER,
                                                     "unit": world.village_a2.pk, "person": world.person_a2.pk,
                                                     "level": "district"})
    assert r.status_code == 302
    assert (Honour.objects.get().unit, Honour.objects.get().person) == (world.village_a2, world.person_a2)
    r = staff.post("/assessment/honours/nominate/", {"year": 2025, "kind": HonourKind.OUTSTANDING_SECRETARY,
                                                     "unit": world.village_a2.pk, "person": world.person_b1.pk,
                                                     "level": "district"})
    assert r.status_code == 400 and "吴国庆" not in r.content.decode()
    assert Honour.objects.count() == 1


def test_indicator_template_by_picked_jurisdiction(world):
    staff = client_for(world.staff_a)
    body = {"name": "乡镇考核", "year": 2025, "form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 0,
            "form-0-name": "组织建设", "form-0-weight": "100", "form-0-max_score": "100"}
    r = staff.post("/assessment/indicator-templates/new/", {**body, "unit": world.township_a.pk})
    assert r.status_code == 302 and IndicatorTemplate.objects.get().unit == world.township_a
    r = staff.post("/assessment/indicator-templates/new/", {**body, "unit": world.county_b.pk, "year": 2026})
    assert r.status_code == 400
    r = staff.post("/assessment/indicator-templates/new/", {**body, "year": 2026})
    assert r.status_code == 400 and str(ERR_CHOOSE_UNIT) in r.content.decode()
    r = staff.post("/assessment/indicator-templates/new/", {**body, "code": world.county_a.code, "year": 2026})
    assert r.status_code == 302 and IndicatorTemplate.objects.filter(unit=world.county_a, year=2026).exists()
