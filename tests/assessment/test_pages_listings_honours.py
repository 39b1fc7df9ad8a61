"""Pages of the lists (R-CLS-2), stars (R-CLS-3) and honours (R-HON-1..3) — scoped (R-ORG-2)."""
from assessment.choices import HonourKind, HonourLevel, HonourStage, ListingKind, Tier
from assessment.models import BranchListing, Classification, ClassificationChange, Honour
from assessment.services.classification import ERR_REASON_REQUIRED, ERR_STARS, annual_review_run
from assessment.services.honours import ERR_NOT_DIFFERENTIAL, ERR_NOT_GOOD
from assessment.services.listings import ERR_REMOVAL_REASON
from assessment.views import ERR_CONFIRM, ERR_NO_BRANCH, ERR_UNKNOWN_CANDIDATES
from core.choices import Role
from tests.factories import make_user

from .helpers import make_branches, make_cycle, make_template, set_scores
from .test_pages import client_for


def _reviewed(world, extra_good=0):
    """village_a1 scores 85 (较好), village_a2 95 (好), plus ``extra_good`` more 好 branches."""
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1], score="85", template=template)
    set_scores(units=[world.village_a2], score="95", template=template)
    extra = make_branches(parent=world.township_a, count=extra_good) if extra_good else []
    set_scores(units=extra, score="95", template=template)
    cycle = make_cycle(unit=world.county_a)
    annual_review_run(cycle_id=cycle.pk)
    return cycle, extra


def test_listing_add_and_remove_with_reason_and_confirmation(world):
    _reviewed(world)
    staff = client_for(world.staff_a)
    staff.post("/assessment/listings/add/", {"year": 2025, "code": world.village_a2.code,
                                             "kind": ListingKind.NEGATIVE_LIST, "reason": "违规发放补贴"})
    listing = BranchListing.objects.get()
    assert "违规发放补贴" in staff.get("/assessment/listings/?year=2025").content.decode()
    url = f"/assessment/listings/{listing.pk}/remove/"
    assert "违规发放补贴" in staff.get(url).content.decode()  # the confirmation page
    r = staff.post(url, {"reason": "经复核不属实"})
    assert r.status_code == 400 and str(ERR_CONFIRM) in r.content.decode()
    r = staff.post(url, {"reason": "", "confirm": "yes"})
    assert r.status_code == 400 and str(ERR_REMOVAL_REASON) in r.content.decode()
    assert BranchListing.objects.exists()
    assert staff.post(url, {"reason": "经复核不属实", "confirm": "yes"}).status_code == 302
    assert not BranchListing.objects.exists()
    change = ClassificationChange.objects.get(field="listing")
    assert (change.old_value, change.reason, change.by) == (ListingKind.NEGATIVE_LIST, "经复核不属实", world.staff_a)


def test_listings_are_staff_only_and_scoped(world):
    listing = BranchListing.objects.create(unit=world.village_a1, year=2025, kind=ListingKind.WEAK_AND_LAX,
                                           reason="班子不团结")
    outsider = client_for(world.outsider)
    r = outsider.post("/assessment/listings/add/", {"year": 2025, "code": world.village_a2.code,
                                                    "kind": ListingKind.WEAK_AND_LAX, "reason": "x"}, follow=True)
    assert str(ERR_NO_BRANCH) in r.content.decode()
    assert outsider.get(f"/assessment/listings/{listing.pk}/remove/").status_code == 404
    assert outsider.post(f"/assessment/listings/{listing.pk}/remove/",
                         {"reason": "x", "confirm": "yes"}).status_code == 404
    assert "班子不团结" not in outsider.get("/assessment/listings/?year=2025").content.decode()
    for user in (world.supervisor_a, world.secretary_user):
        assert client_for(user).post(f"/assessment/listings/{listing.pk}/remove/",
                                     {"reason": "x", "confirm": "yes"}).status_code == 403
        assert client_for(user).post("/assessment/listings/add/", {"year": 2025, "code": world.village_a2.code,
                                                                  "kind": ListingKind.WEAK_AND_LAX,
                                                                  "reason": "x"}).status_code == 403
    other = make_user(unit=world.village_a2, role=Role.SECRETARY)
    assert "班子不团结" not in client_for(other).get("/assessment/listings/?year=2025").content.decode()
    assert BranchListing.objects.count() == 1


def test_stars_on_the_classification_row(world):
    """R-CLS-3: 1–5 stars, each change with a reason."""
    _reviewed(world)
    row = Classification.objects.get(unit=world.village_a2, year=2025)
    staff = client_for(world.staff_a)
    assert f'/assessment/classifications/{row.pk}/stars/' in staff.get(
        "/assessment/classifications/?year=2025").content.decode()
    r = staff.post(f"/assessment/classifications/{row.pk}/stars/", {"stars": "4", "reason": ""}, follow=True)
    assert str(ERR_REASON_REQUIRED) in r.content.decode()
    r = staff.post(f"/assessment/classifications/{row.pk}/stars/", {"stars": "6", "reason": "评星"}, follow=True)
    assert str(ERR_STARS) in r.content.decode()
    staff.post(f"/assessment/classifications/{row.pk}/stars/", {"stars": "4", "reason": "评星挂牌"})
    row.refresh_from_db()
    assert row.stars == 4 and row.changes.get().reason == "评星挂牌"
    for user, status in ((world.outsider, 404), (world.supervisor_a, 403), (world.secretary_user, 403)):
        assert client_for(user).post(f"/assessment/classifications/{row.pk}/stars/",
                                     {"stars": "1", "reason": "x"}).status_code == status
    row.refresh_from_db()
    assert row.stars == 4
    assert "新华村" not in client_for(world.outsider).get("/assessment/classifications/?year=2025").content.decode()
    # before publication a secretary sees no classification at all
    own = Classification.objects.get(unit=world.village_a1, year=2025)
    page = client_for(world.secretary_user).get("/assessment/classifications/?year=2025").content.decode()
    assert f"/assessment/reports/{own.pk}/" not in page and "table-empty" in page


def test_outstanding_secretary_only_from_a_good_branch(world):
    """R-HON-1: a 较好 branch's secretary is refused in place; a 好 branch's gets the recuperation days."""
    _reviewed(world)
    staff = client_for(world.staff_a)
    r = staff.post("/assessment/honours/nominate/", {"year": 2025, "kind": HonourKind.OUTSTANDING_SECRETARY,
                                                     "code": world.village_a1.code, "level": "district"})
    assert r.status_code == 400
    message = str(ERR_NOT_GOOD.format(year=2025, unit="东风村党支部", tier=Tier.FAIRLY_GOOD.label))
    page = r.content.decode()
    assert 'data-testid="nominate-errors"' in page and message.replace("'", "&#x27;") in page
    # what was chosen is kept: the picker renders the branch again, the only option besides the empty one
    assert f'<option value="{world.village_a1.pk}" selected>东风村党支部（{world.village_a1.code}）</option>' in page
    staff.post("/assessment/honours/nominate/", {"year": 2025, "kind": HonourKind.OUTSTANDING_WORKER,
                                                 "code": world.village_a2.code, "level": "district"})
    honour = Honour.objects.get()
    assert (honour.person, honour.recuperation_days) == (world.person_a2, 3)
    page = staff.get("/assessment/honours/?year=2025").content.decode()
    assert "杨志强" in page and 'data-testid="promotion-candidate"' not in page
    for year in (2023, 2024):  # three honours at district level or above → promotion candidate (R-HON-3)
        Honour.objects.create(kind=HonourKind.OUTSTANDING_SECRETARY, year=year, unit=world.village_a2,
                              person=world.person_a2, level=HonourLevel.CITY, stage=HonourStage.NAMED)
    assert 'data-testid="promotion-candidate"' in staff.get("/assessment/honours/?year=2025").content.decode()


def test_red_flag_differential_stages_and_withdrawal(world):
    """R-HON-2: three base candidates; two pass on; both cannot pass on together; the negative list withdraws."""
    _cycle, extra = _reviewed(world, extra_good=2)
    staff = client_for(world.staff_a)
    for unit in (world.village_a2, *extra):
        staff.post("/assessment/honours/nominate/", {"year": 2025, "kind": HonourKind.RED_FLAG, "code": unit.code})
    assert Honour.objects.filter(stage=HonourStage.BASE).count() == 3
    page = staff.get("/assessment/honours/?year=2025").content.decode()
    assert f"{HonourStage.BASE.label}: 3" in page and "100" in page
    ids = list(Honour.objects.filter(unit__in=extra).values_list("pk", flat=True))
    staff.post("/assessment/honours/advance/", {"year": 2025, "ids": ids})
    assert Honour.objects.filter(stage=HonourStage.CITY_MANAGED).count() == 2
    r = staff.post("/assessment/honours/advance/", {"year": 2025, "ids": ids}, follow=True)
    assert str(ERR_NOT_DIFFERENTIAL.format(pool=2)) in r.content.decode()
    assert Honour.objects.filter(stage=HonourStage.CITY_MANAGED).count() == 2
    staff.post("/assessment/listings/add/", {"year": 2025, "code": extra[0].code,
                                             "kind": ListingKind.NEGATIVE_LIST, "reason": "发生违纪"})
    page = staff.get("/assessment/honours/?year=2025").content.decode()
    assert 'data-testid="withdrawn"' in page and "发生违纪" in page
    for user, status in ((world.supervisor_a, 403), (world.secretary_user, 403)):
        assert client_for(user).post("/assessment/honours/advance/", {"year": 2025, "ids": ids[1:]}
                                     ).status_code == status
    r = client_for(world.outsider).post("/assessment/honours/advance/", {"year": 2025, "ids": ids[1:]}, follow=True)
    assert str(ERR_UNKNOWN_CANDIDATES) in r.content.decode()
    assert Honour.objects.get(pk=ids[1]).stage == HonourStage.CITY_MANAGED
    outsider_page = client_for(world.outsider).get("/assessment/honours/?year=2025").content.decode()
    assert "新华村" not in outsider_page
    r = client_for(world.outsider).post("/assessment/honours/nominate/", {
        "year": 2025, "kind": HonourKind.RED_FLAG, "code": world.village_a1.code})
    assert r.status_code == 400 and str(ERR_NO_BRANCH) in r.content.decode()
