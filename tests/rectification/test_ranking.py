"""R-RCT-1: the bottom ranking of a city-managed committee, its candidates and their decisions."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessment.choices import ListingKind
from assessment.models import BranchListing, Classification
from core.models import Policy
from rectification.choices import CandidateState, CaseOrigin
from rectification.models import RectificationCase, WeakCandidate
from rectification.selectors_ranking import bottom_ranking
from rectification.services.ranking import (
    ERR_NO_COMMITTEE,
    ERR_NOT_PROPOSED,
    ERR_REASON,
    candidate_confirm,
    candidate_quota,
    candidate_reject,
    committee_of,
    ranking_compute,
    ranking_propose,
)
from tests.assessment.helpers import make_branches

D = Decimal


def score(units, start=50, year=2025):
    """Composite scores start, start+1, … in the order given (the first is the lowest)."""
    Classification.objects.bulk_create([
        Classification(unit=u, year=year, composite_score=D(start + i), tier="average", computed_tier="average")
        for i, u in enumerate(units)])


@pytest.fixture
def forty(world):
    """38 more branches in township A: with village A1 and A2, county A has 40 active branches, all scored."""
    extra = make_branches(parent=world.township_a, count=38)
    units = [world.village_a1, world.village_a2, *extra]
    score(units)
    return units


@pytest.mark.parametrize("branches,share,quota", [
    (40, "0.05", 2), (41, "0.05", 3), (39, "0.05", 2), (20, "0.05", 1), (40, "0.10", 4), (1, "0.05", 1),
    (0, "0.05", 0), (40, "0", 0)])
def test_quota_is_the_share_rounded_up(branches, share, quota):
    """R-RCT-1: 40 × 0.05 = 2 exactly stays 2; 41 × 0.05 = 2.05 rounds up to 3."""
    assert candidate_quota(branches=branches, share=D(share)) == quota


def test_committee_is_the_ancestor_directly_under_the_city(world):
    assert committee_of(unit=world.village_a1) == world.county_a
    assert committee_of(unit=world.township_a) == world.county_a
    assert committee_of(unit=world.county_b) == world.county_b
    assert committee_of(unit=world.city) is None


def test_forty_branches_at_the_default_share_propose_exactly_two(world, forty):
    result = ranking_propose(committee=world.county_a, year=2025, by=world.staff_a)
    assert result["proposed"] == 2 and result["quota"] == 2 and result["branches"] == 40
    rows = list(WeakCandidate.objects.order_by("rank").values_list("unit_id", "rank", "composite_score", "state"))
    assert rows == [(forty[0].pk, 1, D("50.00"), "proposed"), (forty[1].pk, 2, D("51.00"), "proposed")]
    c = WeakCandidate.objects.get(rank=1)
    assert c.committee == world.county_a
    assert c.explanation["policy"]["weak_candidate_share"]["value"] == "0.05"
    assert c.explanation["policy"]["weak_candidate_share"]["default"] is True


def test_a_county_policy_of_ten_percent_proposes_four(world, forty):
    """R-POL-1/2: the committee's own policy moves the share, and the explanation says whose it is."""
    Policy.objects.create(unit=world.county_a, year=2025, weak_candidate_share=D("0.10"))
    assert ranking_propose(committee=world.county_a, year=2025)["proposed"] == 4
    policy = WeakCandidate.objects.get(rank=4).explanation["policy"]["weak_candidate_share"]
    assert (policy["value"], policy["unit_id"], policy["default"]) == ("0.1000", world.county_a.pk, False)


def test_a_city_policy_is_inherited_and_the_county_one_wins(world, forty):
    Policy.objects.create(unit=world.city, year=2025, weak_candidate_share=D("0.10"))
    assert ranking_compute(committee=world.county_a, year=2025)["quota"] == 4
    Policy.objects.create(unit=world.county_a, year=2025, weak_candidate_share=D("0.025"))
    assert ranking_compute(committee=world.county_a, year=2025)["quota"] == 1


def test_one_more_branch_rounds_up(world, forty):
    """41 branches × 0.05 = 2.05 → 3 proposed."""
    extra = make_branches(parent=world.township_a, count=1, prefix="X")
    score(extra, start=99)
    assert ranking_propose(committee=world.county_a, year=2025)["proposed"] == 3


def test_unscored_branches_count_in_the_share_but_are_listed_after_and_not_proposed(world):
    """Two scored of 40: the quota (2) needs only the two scored ones; the unscored follow without a rank."""
    extra = make_branches(parent=world.township_a, count=38)
    score([extra[5], extra[3]], start=70)
    ranking = ranking_compute(committee=world.county_a, year=2025)
    assert ranking["branches"] == 40 and ranking["scored"] == 2 and ranking["quota"] == 2
    assert [r["id"] for r in ranking["rows"][:2]] == [extra[5].pk, extra[3].pk]
    assert all(r["rank"] is None for r in ranking["rows"][2:]) and len(ranking["rows"]) == 40
    Policy.objects.create(unit=world.county_a, year=2025, weak_candidate_share=D("0.10"))
    # 4 wanted, 2 scored: only the scored can be proposed
    assert ranking_propose(committee=world.county_a, year=2025)["proposed"] == 2


def test_inactive_branches_and_other_committees_are_left_out(world, forty):
    forty[0].is_active = False
    forty[0].save()
    score([world.village_b1], start=1)
    ranking = ranking_compute(committee=world.county_a, year=2025)
    assert ranking["branches"] == 39 and ranking["proposed_ids"] == [forty[1].pk, forty[2].pk]


def test_reproposing_keeps_decisions(world, forty):
    ranking_propose(committee=world.county_a, year=2025)
    first, second = WeakCandidate.objects.order_by("rank")
    candidate_confirm(candidate=first, reason="倒排末位，组织涣散", by=world.staff_a)
    candidate_reject(candidate=second, reason="换届刚完成", by=world.staff_a)
    result = ranking_propose(committee=world.county_a, year=2025)
    assert (result["proposed"], result["kept"]) == (0, 2)
    states = dict(WeakCandidate.objects.values_list("unit_id", "state"))
    assert states == {forty[0].pk: CandidateState.CONFIRMED, forty[1].pk: CandidateState.REJECTED}
    assert WeakCandidate.objects.get(unit=forty[1]).reason == "换届刚完成"


def test_a_proposal_that_left_the_bottom_is_withdrawn_on_reproposal(world, forty):
    ranking_propose(committee=world.county_a, year=2025)
    Classification.objects.filter(unit=forty[1], year=2025).update(composite_score=D("99"))
    result = ranking_propose(committee=world.county_a, year=2025)
    assert result["withdrawn"] == 1 and result["proposed"] == 1
    assert set(WeakCandidate.objects.values_list("unit_id", flat=True)) == {forty[0].pk, forty[2].pk}


def test_confirm_lists_the_branch_and_opens_its_case_once(world, forty):
    ranking_propose(committee=world.county_a, year=2025)
    candidate = WeakCandidate.objects.get(rank=1)
    candidate_confirm(candidate=candidate, reason="倒排末位", by=world.staff_a)
    candidate.refresh_from_db()
    listing = BranchListing.objects.get(unit=forty[0], year=2025)
    assert (listing.kind, listing.reason, candidate.listing) == (ListingKind.WEAK_AND_LAX, "倒排末位", listing)
    assert (candidate.decided_by, candidate.state) == (world.staff_a, CandidateState.CONFIRMED)
    case = RectificationCase.objects.get(unit=forty[0], year=2025)
    assert case.origins == [CaseOrigin.WEAK_AND_LAX]
    exp = case.explanation[CaseOrigin.WEAK_AND_LAX]
    assert (exp["rank"], exp["listing_reason"], exp["policy"]["weak_candidate_share"]["value"]) == (1, "倒排末位",
                                                                                                    "0.05")


def test_confirm_links_a_listing_made_by_hand(world, forty):
    ranking_propose(committee=world.county_a, year=2025)
    hand = BranchListing.objects.create(unit=forty[0], year=2025, kind=ListingKind.WEAK_AND_LAX, reason="手工")
    candidate = candidate_confirm(candidate=WeakCandidate.objects.get(rank=1), reason="确认", by=world.staff_a)
    assert candidate.listing == hand and BranchListing.objects.filter(unit=forty[0]).count() == 1


def test_a_decision_needs_a_reason_and_is_made_once(world, forty):
    ranking_propose(committee=world.county_a, year=2025)
    candidate = WeakCandidate.objects.get(rank=1)
    for func in (candidate_confirm, candidate_reject):
        with pytest.raises(ValidationError) as err:
            func(candidate=candidate, reason="  ", by=world.staff_a)
        assert err.value.message_dict == {"reason": [str(ERR_REASON)]}
    candidate_reject(candidate=candidate, reason="不属实", by=world.staff_a)
    with pytest.raises(ValidationError) as err:
        candidate_confirm(candidate=candidate, reason="再议", by=world.staff_a)
    assert err.value.message_dict["state"] == [ERR_NOT_PROPOSED.format(state=CandidateState.REJECTED.label)]
    assert not BranchListing.objects.exists() and not RectificationCase.objects.exists()


def test_the_city_is_not_a_committee(world):
    with pytest.raises(ValidationError) as err:
        ranking_propose(committee=world.city, year=2025)
    assert err.value.message_dict["unit"] == [ERR_NO_COMMITTEE.format(unit=world.city.name)]


def test_the_report_of_a_township_shows_its_rows_with_committee_wide_ranks(world, forty):
    from core.choices import Level, Role
    from tests.factories import make_unit, make_user

    other = make_unit(parent=world.county_a, code="430721009", name="丙镇党委", level=Level.TOWNSHIP)
    low = make_branches(parent=other, count=1, prefix="L")
    score(low, start=10)
    sup = make_user(unit=other, role=Role.SUPERVISOR)
    data = bottom_ranking(user=sup, year=2025)
    assert data["committee"] == world.county_a and data["branches"] == 41 and data["quota"] == 3
    assert [(r["id"], r["rank"], r["township"], r["in_quota"]) for r in data["rows"]] == [
        (low[0].pk, 1, "丙镇党委", True)]
    county = bottom_ranking(user=world.staff_a, year=2025)
    assert len(county["rows"]) == 41 and county["rows"][1]["township"] == "甲镇党委"


# --- the API and the page (R-ORG-2) ---

def test_the_api_report_is_scoped_and_refuses_invisible_units(world, forty, api):
    ranking_propose(committee=world.county_a, year=2025)
    body = api(world.staff_a).get("/api/v1/reports/bottom-ranking/?year=2025").json()
    assert (body["committee_name"], body["quota"], body["share"], len(body["rows"])) == ("甲县委", 2, "0.05", 40)
    assert body["rows"][0]["candidate_state"] == "proposed" and body["policy"]["weak_candidate_share"]["default"]
    township = api(world.township_staff).get("/api/v1/reports/bottom-ranking/?year=2025").json()
    assert len(township["rows"]) == 40  # township A holds all 40
    refused = api(world.outsider).get(f"/api/v1/reports/bottom-ranking/?year=2025&unit={world.county_a.pk}")
    assert refused.status_code == 400 and "unit" in refused.json()
    city = api(world.staff_a).get(f"/api/v1/reports/bottom-ranking/?year=2025&unit={world.city.pk}")
    assert city.status_code == 400
    assert api(world.secretary_user).get("/api/v1/reports/bottom-ranking/").status_code == 403


def test_the_api_confirms_and_rejects_for_staff_only(world, forty, api):
    ranking_propose(committee=world.county_a, year=2025)
    first, second = WeakCandidate.objects.order_by("rank")
    url = f"/api/v1/weak-candidates/{first.pk}/confirm/"
    assert api(world.supervisor_a).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api(world.outsider).post(url, {"reason": "x"}, format="json").status_code == 404
    blank = api(world.staff_a).post(url, {"reason": ""}, format="json")
    assert blank.status_code == 400 and blank.json()["reason"] == [str(ERR_REASON)]
    ok = api(world.staff_a).post(url, {"reason": "末位"}, format="json")
    assert ok.status_code == 200 and ok.json()["state"] == "confirmed"
    rej = api(world.staff_a).post(f"/api/v1/weak-candidates/{second.pk}/reject/", {"reason": "否"}, format="json")
    assert rej.json()["state"] == "rejected"
    assert api(world.outsider).get("/api/v1/weak-candidates/").json()["count"] == 0


def test_the_api_proposes_only_for_staff_who_see_the_committee(world, forty, api):
    body = {"committee": world.county_a.pk, "year": 2025}
    assert api(world.township_staff).post("/api/v1/weak-candidates/propose/", body,
                                          format="json").status_code == 400
    ok = api(world.staff_a).post("/api/v1/weak-candidates/propose/", body, format="json")
    assert ok.status_code == 200 and ok.json()["proposed"] == 2


def test_the_page_shows_the_ranking_and_staff_decide(world, forty, login):
    client = login(world.staff_a)
    client.post("/rectification/ranking/", {"action": "propose", "year": 2025, "unit": world.county_a.pk})
    page = client.get("/rectification/ranking/?year=2025")
    html = page.content.decode()
    assert page.status_code == 200 and "甲县委" in html and "R-POL-2" in html and 'data-testid="propose"' in html
    candidate = WeakCandidate.objects.get(rank=1)
    client.post("/rectification/ranking/", {"action": "confirm", "candidate": candidate.pk, "year": 2025,
                                            "reason": "末位"})
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.CONFIRMED
    export = client.get("/exports/bottom-ranking.csv?year=2025")
    assert export.status_code == 200 and "东风村党支部" in export.content.decode("utf-8-sig")


def test_supervisors_read_the_page_without_forms(world, forty, login):
    ranking_propose(committee=world.county_a, year=2025)
    page = login(world.supervisor_a).get("/rectification/ranking/?year=2025")
    assert page.status_code == 200 and 'name="reason"' not in page.content.decode()
    assert login(world.supervisor_a).post("/rectification/ranking/", {"action": "propose"}).status_code == 403


def test_the_report_and_the_candidate_list_cost_the_same_queries_for_more_branches(world, api):
    """Set-based: 2 branches or 42, proposed or not, the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(world.staff_a)
    score([world.village_a1, world.village_a2])
    ranking_propose(committee=world.county_a, year=2025)

    def count():
        counts = []
        for url in ("/api/v1/reports/bottom-ranking/?year=2025", "/api/v1/weak-candidates/?year=2025"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    few = count()
    score(make_branches(parent=world.township_a, count=40), start=10)
    Policy.objects.create(unit=world.county_a, year=2025, weak_candidate_share=D("0.25"))
    ranking_propose(committee=world.county_a, year=2025)
    assert WeakCandidate.objects.count() == 11
    assert count() == few


def test_above_the_committees_the_page_lists_them_to_choose_from(world, client):
    """R-RCT-1: the city has no ranking of its own (倒排以市管党委为单位); its staff pick a committee."""
    from django.urls import reverse

    from tests.factories import make_user
    from core.choices import Role

    city_staff = make_user(unit=world.city, role=Role.STAFF)
    client.force_login(city_staff)
    page = client.get(reverse("rectification:ranking")).content.decode()
    assert 'data-testid="ranking-committees"' in page
    assert f"unit={world.county_a.pk}" in page and f"unit={world.county_b.pk}" in page
    client.force_login(world.staff_a)
    page = client.get(reverse("rectification:ranking")).content.decode()
    assert 'data-testid="ranking-committees"' not in page
