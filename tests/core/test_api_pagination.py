"""Issue 12: the list endpoints at city scale — a page costs the token lookup (user and unit joined), the count
and the page, whatever the rows and however deep (keyset cursor); the count above the exact limit is the
planner's estimate and says so; the cursor walks every row once, in order, within the caller's subtree (R-ORG-2);
``?page=`` and ``?page_size=`` still work."""
import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from assessment.choices import Tier
from cadres.choices import AppointmentRole
from core.api import pagination
from core.services.tokens import token_create
from rectification.choices import CaseOrigin
from rectification.services.opening import case_open
from stipends.services.sheets import sheet_build
from tests.factories import AppointmentFactory, PersonFactory, make_unit
from tests.stipends.helpers import classify, secretary, set_policy

QUERIES = 3  # the token with its user and unit, the count, the page


def token_client(user) -> APIClient:
    _token, key = token_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _people(world, n):
    for i in range(n):
        PersonFactory(unit=world.village_a1 if i % 2 else world.village_a2, name=f"李{i % 7}")
    return "/api/v1/people/"


def _appointments(world, n):
    for i in range(n):
        AppointmentFactory(person=PersonFactory(unit=world.village_a1), unit=world.village_a1,
                           role=AppointmentRole.COMMITTEE_MEMBER,
                           start_date=dt.date(2020, 1, 1) + dt.timedelta(days=i % 5),
                           end_date=None if i % 3 else dt.date(2025, 1, 1) + dt.timedelta(days=i % 4))
    return "/api/v1/appointments/"


def _classifications(world, n):
    classify(unit=world.village_a1, year=2025, tier=Tier.GOOD)
    classify(unit=world.village_a2, year=2025, tier=Tier.POOR)
    classify(unit=world.village_b1, year=2025, tier=Tier.GOOD)  # another county's: never listed for staff_a
    for i in range(n):
        classify(unit=make_unit(parent=world.township_a, name=f"村{i}"), year=2025, tier=Tier.GOOD)
    return "/api/v1/classifications/"


def _classifications_of_years(world, n):
    _classifications(world, 0)
    for i in range(n):
        classify(unit=world.village_a1 if i % 2 else world.village_a2, year=2000 + i // 2, tier=Tier.GOOD)
    return "/api/v1/classifications/"


def _cases(world, n):
    case_open(unit=world.village_a1, year=2025, origin=CaseOrigin.POOR_TIER)
    case_open(unit=world.village_a2, year=2025, origin=CaseOrigin.WEAK_AND_LAX)
    case_open(unit=world.village_b1, year=2025, origin=CaseOrigin.WEAK_AND_LAX)
    for i in range(n):
        case_open(unit=world.village_a1 if i % 2 else world.village_a2, year=2000 + i // 2,
                  origin=CaseOrigin.WEAK_AND_LAX)
    return "/api/v1/rectification-cases/"


def _lines(world, n):
    set_policy(unit=world.county_a, stipend_base_village=Decimal("24000"), rural_average_income=Decimal("30000"))
    for i in range(n):
        secretary(unit=make_unit(parent=world.township_a, name=f"村{i}"), name=f"书记{i % 4}")
    sheet = sheet_build(unit=world.county_a, year=2025, user=world.staff_a)
    return f"/api/v1/stipend-sheets/{sheet.pk}/lines/"


LISTS = {"people": _people, "appointments": _appointments, "classifications": _classifications,
         "rectification-cases": _cases, "stipend-lines": _lines}


def walk(client, url, **params):
    """Follow ``next`` from the first page; every page's ids."""
    pages = []
    body = client.get(url, params).json()
    while True:
        pages.append([row["id"] for row in body["results"]])
        if not body["next"]:
            return pages, body
        body = client.get(body["next"]).json()


@pytest.mark.parametrize("name", LISTS)
def test_a_page_costs_the_same_queries_with_2_and_with_many_rows_at_page_1_and_by_cursor(
        world, name, django_assert_num_queries):
    """Issue 12, R-ORG-2: token, count, page — nothing on ``user.unit``, nothing per row."""
    client = token_client(world.staff_a)
    url = LISTS[name](world, 0)
    with django_assert_num_queries(QUERIES):
        few = client.get(url)
    assert few.status_code == 200 and few.json()["count"] == 2 and few.json()["count_is_estimate"] is False
    url = LISTS[name](world, 24)
    with django_assert_num_queries(QUERIES):
        first = client.get(url, {"page_size": 5}).json()
    assert first["count"] == 26 and "cursor=" in first["next"] and first["previous"] is None
    with django_assert_num_queries(QUERIES):
        second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and "cursor=" in second["previous"]
    with django_assert_num_queries(QUERIES):
        last = client.get(url, {"page_size": 5, "page": "last"}).json()
    # the last page_size rows, read backwards from the end
    assert len(last["results"]) == 5 and last["next"] is None and "cursor=" in last["previous"]


@pytest.mark.parametrize("name", LISTS)
def test_the_cursor_walks_every_row_once_in_order_and_back(world, name):
    """Issue 12: the keyset walk gives the rows of the one-page list, in its order, each once; ``previous``
    walks back the same pages."""
    client = token_client(world.staff_a)
    url = LISTS[name](world, 21)
    everything = [row["id"] for row in client.get(url, {"page_size": 500}).json()["results"]]
    assert len(everything) == len(set(everything)) == 23
    pages, last = walk(client, url, page_size=4)
    assert [i for page in pages for i in page] == everything and len(pages) == 6
    back = [[row["id"] for row in last["results"]]]
    body = last
    while body["previous"]:
        body = client.get(body["previous"]).json()
        back.append([row["id"] for row in body["results"]])
    assert back[::-1] == pages


@pytest.mark.parametrize("ordering", ["name", "-birth_date", "-unit__path"])
def test_the_cursor_follows_the_ordering_asked_for(world, ordering):
    client = token_client(world.staff_a)
    _people(world, 17)
    everything = [row["id"] for row in client.get("/api/v1/people/", {"page_size": 500, "ordering": ordering})
                  .json()["results"]]
    pages, _last = walk(client, "/api/v1/people/", page_size=3, ordering=ordering)
    assert [i for page in pages for i in page] == everything


def test_an_appointment_walk_keeps_the_current_ones_whose_end_date_is_empty(world):
    """Nullable ordering columns (NULLS LAST ascending, FIRST descending) are walked in PostgreSQL's order."""
    client = token_client(world.staff_a)
    _appointments(world, 9)
    AppointmentFactory(person=PersonFactory(unit=world.village_a2), unit=world.village_a2,
                       role=AppointmentRole.COMMITTEE_MEMBER, start_date=dt.date(2019, 1, 1), end_date=dt.date(2019, 12, 31))
    for ordering in ("end_date", "-end_date"):
        everything = [r["id"] for r in client.get("/api/v1/appointments/", {"page_size": 500, "ordering": ordering})
                      .json()["results"]]
        pages, _last = walk(client, "/api/v1/appointments/", page_size=2, ordering=ordering)
        assert [i for page in pages for i in page] == everything and len(everything) == 12


@pytest.mark.parametrize("name", LISTS)
def test_a_cursor_never_reaches_past_the_callers_subtree(world, name):
    """R-ORG-2: a cursor is a position, not a permission — another county's staff following county A's
    cursor still see only their own rows."""
    url = LISTS[name](world, 6)
    ours = token_client(world.staff_a).get(url, {"page_size": 2}).json()
    outsider = token_client(world.outsider)
    theirs = outsider.get(ours["next"])
    listing = outsider.get(url, {"page_size": 500})
    if listing.status_code == 404:  # county A's stipend sheet: not theirs at all
        assert theirs.status_code == 404
        return
    visible_to_them = {r["id"] for r in listing.json()["results"]}
    assert theirs.status_code == 200
    assert {r["id"] for r in theirs.json()["results"]} <= visible_to_them


def test_above_the_exact_limit_the_count_is_the_planners_estimate(world, monkeypatch, django_assert_num_queries):
    """Issue 12: no exact count(*) over a city's rows — above EXACT_COUNT_LIMIT the planner's estimate, marked."""
    client = token_client(world.staff_a)
    _people(world, 30)
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 10)
    with django_assert_num_queries(QUERIES):
        body = client.get("/api/v1/people/", {"page_size": 5}).json()
    assert body["count_is_estimate"] is True and body["count"] >= 11
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 1000)
    assert client.get("/api/v1/people/").json() | {"results": None, "next": None} == {
        "count": 32, "count_is_estimate": False, "next": None, "previous": None, "results": None}


def test_page_numbers_still_work_for_the_pages_and_pickers(world):
    """Backwards compatibility: ``?page=N&page_size=M`` answers page N, with page-number links."""
    client = token_client(world.staff_a)
    _people(world, 10)
    everything = [r["id"] for r in client.get("/api/v1/people/", {"page_size": 500}).json()["results"]]
    second = client.get("/api/v1/people/", {"page": 2, "page_size": 5}).json()
    assert [r["id"] for r in second["results"]] == everything[5:10]
    assert "page=3" in second["next"] and "page=" not in second["previous"] and second["count"] == 12
    third = client.get(second["next"]).json()
    assert [r["id"] for r in third["results"]] == everything[10:] and third["next"] is None
    assert client.get("/api/v1/people/", {"page": 9, "page_size": 5}).status_code == 404
    assert client.get("/api/v1/people/", {"page": "x"}).status_code == 404


def test_a_broken_or_foreign_cursor_is_a_404(world):
    client = token_client(world.staff_a)
    _people(world, 6)
    assert client.get("/api/v1/people/", {"cursor": "not-a-cursor"}).status_code == 404
    cursor_by_name = client.get("/api/v1/people/", {"page_size": 2, "ordering": "name"}).json()["next"]
    token = cursor_by_name.split("cursor=")[1].split("&")[0]
    # the cursor of another ordering does not position this one
    assert client.get("/api/v1/people/", {"page_size": 2, "cursor": token}).status_code == 404
    forged = pagination._encode({"k": ["unit__path", "name", "pk"], "v": ["x", "y", "not-a-number"]})
    assert client.get("/api/v1/people/", {"cursor": forged}).status_code == 404


def test_a_session_login_reads_the_user_with_the_unit(world, client, django_assert_num_queries):
    """Issue 12: the session's user comes with the unit (core.auth_backends.UnitModelBackend)."""
    client.force_login(world.staff_a, backend="core.auth_backends.UnitModelBackend")
    with django_assert_num_queries(QUERIES + 1):  # the session, the user with the unit, the count, the page
        assert client.get("/api/v1/people/").status_code == 200


def test_classifications_are_read_one_year_at_a_time(world, django_assert_num_queries):
    """Issue 12: the classifications' order (-year, unit path) is read a year at a time along the path index
    (a page that reaches into another year costs one more query for that year); the walk visits every row once,
    in order, forwards and back."""
    client = token_client(world.staff_a)
    url = _classifications_of_years(world, 9)  # 2025: 2 rows; 2004..2000: 1, 2, 2, 2, 2
    everything = [r["id"] for r in client.get(url, {"page_size": 500}).json()["results"]]
    assert len(everything) == 11
    years = [r["year"] for r in client.get(url, {"page_size": 500}).json()["results"]]
    assert years == sorted(years, reverse=True)
    pages, last = walk(client, url, page_size=3)
    assert [i for page in pages for i in page] == everything and [len(p) for p in pages] == [3, 3, 3, 2]
    back, body = [[r["id"] for r in last["results"]]], last
    while body["previous"]:
        body = client.get(body["previous"]).json()
        back.append([r["id"] for r in body["results"]])
    assert [i for page in back[::-1] for i in page] == everything
    with django_assert_num_queries(QUERIES):  # inside one year: token, count, page
        client.get(url, {"page_size": 1})
