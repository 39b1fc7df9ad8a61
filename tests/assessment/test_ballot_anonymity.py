"""R-ASM-3, issue 7 items 8–10: ballots stay anonymous.

Nothing stored or shown carries counts, shares or a member score of a sample below the
policy's minimum of answers; aggregates appear only once the sample is closed (its cycle's
evaluations-due date passed, or staff closed it), so ballots entered one by one cannot be
watched; the seed and the drawn list are for staff only.
"""
import datetime as dt
import io
import json
from decimal import Decimal as D

from django.apps import apps
from django.utils import timezone
from openpyxl import Workbook

from assessment.models import AssessmentCycle, Classification, EvaluationRating, EvaluationSample
from assessment.services.classification import annual_review_run
from assessment.services.cycles import cycle_publish
from assessment.services.evaluations import ERR_ALREADY_CLOSED, ERR_CLOSED, evaluation_close
from core.models import OrgUnit
from tests.factories import make_user

from .helpers import add_ballots, make_cycle, make_template, set_scores
from .test_pages import client_for

BALLOT_WORDS = ("rating_counts", "answers")


def _xlsx(*values) -> io.BytesIO:
    wb = Workbook()
    for v in values:
        wb.active.append([v])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "ballots.xlsx"
    return out


def _open_cycle(unit, year):
    """A cycle whose evaluations are due in ten days: its samples stay open."""
    due = timezone.localdate() + dt.timedelta(days=10)
    return AssessmentCycle.objects.create(unit=unit, year=year, reports_due=due, evaluations_due=due,
                                          classification_date=due + dt.timedelta(days=10),
                                          publication_date=due + dt.timedelta(days=20))


def _walk(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


def test_r_asm_3_explanation_below_the_minimum_keeps_no_count_nor_score(world, api):
    """Item 8: one ballot in a closed sample — the stored explanation, its history, the API, the
    admin and the report page hold no rating count, no member score, not even the number of answers."""
    cycle = make_cycle(unit=world.county_a)  # evaluations due 2025-12-20: closed by date
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1, world.village_a2], score="85", template=template)
    add_ballots(unit=world.village_a1, ratings=["poor"])
    annual_review_run(cycle_id=cycle.pk)
    c = Classification.objects.get(unit=world.village_a1, year=2025)
    # The composite falls back to the superior score, as without a sample.
    assert (c.member_score, c.composite_score) == (None, D("85.00"))
    assert c.explanation["member_evaluation"] == {"rule": "R-ASM-3", "used": False, "min_answers": 5,
                                                  "reason": "too_few_answers"}
    for row in [c, *c.history.all()]:
        assert row.member_score is None
        assert not set(BALLOT_WORDS) & set(_walk(row.explanation)), row.explanation
        assert row.explanation["member_score"] is None
    cycle_publish(cycle=cycle, by=world.staff_a)
    for user in (world.secretary_user, world.supervisor_a, world.staff_a):
        body = api(user).get(f"/api/v1/classifications/{c.pk}/").json()
        assert body["member_score"] is None and not set(BALLOT_WORDS) & set(_walk(body))
    report = client_for(world.secretary_user).get(f"/assessment/reports/{c.pk}/").content.decode()
    assert 'data-testid="evaluation-hidden"' in report and "最低要求 5 份" in report
    assert "仅有" not in report and "1 份" not in report
    root = make_user(unit=None, username="root", is_superuser=True, is_staff=True)
    admin = client_for(root).get(f"/admin/assessment/classification/{c.pk}/change/").content.decode()
    assert "rating_counts" not in admin and "&quot;answers&quot;" not in admin
    history = client_for(root).get(f"/admin/assessment/classification/{c.pk}/history/")
    assert history.status_code == 200 and "rating_counts" not in history.content.decode()


def test_r_asm_3_explanation_of_a_closed_sample_at_the_minimum_keeps_its_aggregate(world):
    cycle = make_cycle(unit=world.county_a)
    template = make_template(unit=world.county_a)
    set_scores(units=[world.village_a1], score="95", template=template)
    add_ballots(unit=world.village_a1, ratings=["good", "good", "good", "fairly_good", "poor"])
    annual_review_run(cycle_id=cycle.pk)
    c = Classification.objects.get(unit=world.village_a1, year=2025)
    assert (c.member_score, c.composite_score) == (D("76.00"), D("89.30"))
    assert c.explanation["member_evaluation"] == {
        "rule": "R-ASM-3", "used": True, "min_answers": 5, "answers": 5,
        "rating_counts": {"fairly_good": 1, "good": 3, "poor": 1}}
    assert c.explained()["policy"]["evaluation_min_answers"]["value"] == 5


def test_r_asm_3_the_review_uses_only_closed_samples(world):
    """The annual review before the due date leaves an open sample out; once closed, it counts."""
    year = timezone.localdate().year
    cycle = _open_cycle(world.county_a, year)
    template = make_template(unit=world.county_a, year=year)
    set_scores(units=[world.village_a1], year=year, score="80", template=template)
    sample = add_ballots(unit=world.village_a1, year=year, ratings=["good"] * 6)
    annual_review_run(cycle_id=cycle.pk)
    c = Classification.objects.get(unit=world.village_a1, year=year)
    assert (c.member_score, c.composite_score) == (None, D("80.00"))
    assert c.explanation["member_evaluation"]["reason"] == "not_closed"
    assert not set(BALLOT_WORDS) & set(_walk(c.explanation))
    evaluation_close(evaluation=sample, user=world.staff_a)
    annual_review_run(cycle_id=cycle.pk)
    c.refresh_from_db()
    assert (c.member_score, c.composite_score) == (D("100.00"), D("86.00"))  # 0.7 × 80 + 0.3 × 100


def test_r_asm_3_ballots_entered_one_by_one_cannot_be_watched(world, api):
    """Item 9: while open, no one — staff included — reads a count, a share or a score, through the
    sample, the list or the satisfaction report; once closed, no ballot is added (400, field named)."""
    OrgUnit.objects.filter(pk=world.village_a1.pk).update(members=30)  # a sample of 9
    _open_cycle(world.county_a, 2025)
    staff = api(world.staff_a)
    sid = staff.post("/api/v1/evaluations/", {"unit": world.village_a1.pk, "year": 2025}, format="json").json()["id"]
    readers = [api(u) for u in (world.staff_a, world.supervisor_a, world.secretary_user)]
    seen = []
    for n, rating in enumerate(["好", "好", "较好", "差", "一般", "差", "好"], start=1):
        assert staff.post(f"/api/v1/evaluations/{sid}/ratings/", {"ratings": [rating]},
                          format="json").status_code == 200
        for reader in readers:
            agg = reader.get(f"/api/v1/evaluations/{sid}/").json()["aggregate"]
            listed = reader.get("/api/v1/evaluations/?year=2025").json()
            listed = listed["results"] if isinstance(listed, dict) else listed
            sat = reader.get("/api/v1/evaluations/satisfaction/?year=2025").json()
            seen.append((agg, [row["aggregate"] for row in listed], sat))
            assert agg["shown"] is False and agg["closed"] is False and agg["reason"] == "not_closed"
            assert {agg[k] for k in ("answers", "rating_counts", "member_score", "satisfaction")} == {None}
            assert sat["answers"] == 0 and sat["satisfaction"] is None and sat["branches"] == 0
        page = client_for(world.supervisor_a).get(f"/assessment/evaluations/{sid}/").content.decode()
        assert 'data-testid="satisfaction"' not in page
    # Nothing a reader got changed from one ballot to the next, apart from the ballot count the
    # staff entering them see on the page.
    assert all(json.dumps(s, sort_keys=True, default=str) == json.dumps(seen[i % 3], sort_keys=True, default=str)
               for i, s in enumerate(seen))
    assert staff.post(f"/api/v1/evaluations/{sid}/close/").status_code == 200
    agg = api(world.secretary_user).get(f"/api/v1/evaluations/{sid}/").json()["aggregate"]
    assert (agg["shown"], agg["answers"], agg["satisfaction"]) == (True, 7, "57.1")
    r = staff.post(f"/api/v1/evaluations/{sid}/ratings/", {"ratings": ["好"]}, format="json")
    assert r.status_code == 400 and r.json() == {"ratings": [str(ERR_CLOSED)]}
    r = staff.post(f"/api/v1/evaluations/{sid}/import/", {"file": _xlsx("好")}, format="multipart")
    assert r.status_code == 400 and r.json() == {"file": [str(ERR_CLOSED)]}
    r = client_for(world.staff_a).post(f"/assessment/evaluations/{sid}/ballots/", {"rating": ["good"]}, follow=True)
    assert "评议已截止，不能再录入评价票。" in r.content.decode()
    assert EvaluationRating.objects.filter(sample_id=sid).count() == 7


def test_r_asm_3_a_closed_sample_below_the_minimum_says_only_that(world, api):
    sample = add_ballots(unit=world.village_a1, ratings=["good"])
    evaluation_close(evaluation=sample, user=world.staff_a)
    for user in (world.staff_a, world.secretary_user):
        agg = api(user).get(f"/api/v1/evaluations/{sample.pk}/").json()["aggregate"]
        assert (agg["shown"], agg["closed"], agg["reason"], agg["answers"], agg["min_answers"]) == (
            False, True, "too_few_answers", None, 5)
    page = client_for(world.secretary_user).get(f"/assessment/evaluations/{sample.pk}/").content.decode()
    assert "少于政策要求的最低 5 份" in page and "1 份" not in page and "仅有" not in page
    listing = client_for(world.staff_a).get("/assessment/evaluations/?year=2025").content.decode()
    assert "少于最低要求 5 份" in listing and "仅有" not in listing


def test_r_asm_3_staff_close_once_and_only_staff(world, api):
    OrgUnit.objects.filter(pk=world.village_a1.pk).update(members=20)
    sid = api(world.staff_a).post("/api/v1/evaluations/", {"unit": world.village_a1.pk, "year": 2025},
                                  format="json").json()["id"]
    assert api(world.supervisor_a).post(f"/api/v1/evaluations/{sid}/close/").status_code == 403
    assert api(world.secretary_user).post(f"/api/v1/evaluations/{sid}/close/").status_code == 403
    assert api(world.outsider).post(f"/api/v1/evaluations/{sid}/close/").status_code == 404
    assert client_for(world.secretary_user).post(f"/assessment/evaluations/{sid}/close/").status_code == 403
    assert client_for(world.outsider).post(f"/assessment/evaluations/{sid}/close/").status_code == 404
    assert EvaluationSample.objects.get(pk=sid).closed_at is None
    r = api(world.township_staff).post(f"/api/v1/evaluations/{sid}/close/")
    assert r.status_code == 200 and r.json()["closed_at"] and r.json()["aggregate"]["closed"] is True
    sample = EvaluationSample.objects.get(pk=sid)
    assert sample.closed_by == world.township_staff
    r = api(world.staff_a).post(f"/api/v1/evaluations/{sid}/close/")
    assert r.status_code == 400 and r.json() == {"closed_at": [str(ERR_ALREADY_CLOSED)]}


def test_r_asm_3_the_due_date_closes_the_sample(world, api):
    """A cycle over the branch past its evaluations-due date closes it without staff."""
    sample = add_ballots(unit=world.village_a1, ratings=["good"] * 5)
    assert api(world.staff_a).get(f"/api/v1/evaluations/{sample.pk}/").json()["aggregate"]["shown"] is False
    make_cycle(unit=world.township_a)  # evaluations due 2025-12-20, passed
    agg = api(world.staff_a).get(f"/api/v1/evaluations/{sample.pk}/").json()["aggregate"]
    assert (agg["shown"], agg["closed"], agg["satisfaction"]) == (True, True, "100.0")
    r = api(world.staff_a).post(f"/api/v1/evaluations/{sample.pk}/ratings/", {"ratings": ["差"]}, format="json")
    assert r.status_code == 400 and "ratings" in r.json()
    # a cycle of another county, or of another year, closes nothing here
    other = add_ballots(unit=world.village_b1, ratings=["good"] * 5)
    make_cycle(unit=world.county_a, year=2024)
    assert api(world.outsider).get(f"/api/v1/evaluations/{other.pk}/").json()["aggregate"]["closed"] is False


def test_r_asm_3_seed_and_draw_are_for_staff_only(world, api):
    """Item 10: supervisors and secretaries get neither the seed nor the drawn roster numbers, and
    cannot draw (who picks the seed knows the draw) nor audit a draw."""
    OrgUnit.objects.filter(pk=world.village_a1.pk).update(members=20)
    OrgUnit.objects.filter(pk=world.village_a2.pk).update(members=20)
    r = api(world.supervisor_a).post("/api/v1/evaluations/", {"unit": world.village_a2.pk, "year": 2025,
                                                              "seed": 1}, format="json")
    assert r.status_code == 403 and not EvaluationSample.objects.exists()
    sid = api(world.staff_a).post("/api/v1/evaluations/", {"unit": world.village_a1.pk, "year": 2025},
                                  format="json").json()["id"]
    staff_view = api(world.staff_a).get(f"/api/v1/evaluations/{sid}/").json()
    assert "seed" in staff_view and "drawn" in staff_view
    for user in (world.supervisor_a, world.secretary_user):
        client = api(user)
        detail = client.get(f"/api/v1/evaluations/{sid}/").json()
        listed = client.get("/api/v1/evaluations/?year=2025").json()
        listed = listed["results"] if isinstance(listed, dict) else listed
        for body in (detail, *listed):
            assert "seed" not in body and "drawn" not in body
            assert str(staff_view["seed"]) not in json.dumps(body)
        assert client.get(f"/api/v1/evaluations/{sid}/verify/").status_code == 403
        html = client.get(f"/api/v1/evaluations/{sid}/", HTTP_ACCEPT="text/html").content.decode()
        assert str(staff_view["seed"]) not in html
        page = client_for(user).get(f"/assessment/evaluations/{sid}/").content.decode()
        assert str(staff_view["seed"]) not in page


def test_r_asm_3_ballots_link_to_no_one(world):
    """A ballot is its sample and its answer: no evaluator, no roster number, no author, no time,
    and no history table that would record who entered it."""
    assert [f.name for f in EvaluationRating._meta.concrete_fields] == ["id", "sample", "rating"]
    historical = {m.__name__ for m in apps.get_app_config("assessment").get_models()}
    assert "HistoricalEvaluationRating" not in historical and "HistoricalEvaluationSample" not in historical
    assert not hasattr(EvaluationRating, "history")


def test_r_asm_3_the_migration_strips_counts_stored_before_the_rule(world):
    """Explanations written by the old review kept counts whatever the answers: the migration
    removes them from the rows and from their history; below the minimum the member score goes,
    and the composite falls back to the superior score (else the weights would give it back)."""
    import importlib

    redact = importlib.import_module("assessment.migrations.0003_evaluation_sample_closed").redact
    old = {"rule": "R-CLS-1", "superior_score": "85.00", "member_score": "0.00", "answers": 1,
           "rating_counts": {"poor": 1}, "composite_score": "59.50", "policy": {}}
    few = Classification.objects.create(unit=world.village_a1, year=2025, superior_score=D("85"),
                                        member_score=D("0"), composite_score=D("59.50"), explanation=old)
    many = Classification.objects.create(
        unit=world.village_a2, year=2025, superior_score=D("95"), member_score=D("76"), composite_score=D("89.30"),
        explanation={**old, "member_score": "76.00", "answers": 5, "composite_score": "89.30",
                     "rating_counts": {"good": 3, "fairly_good": 1, "poor": 1}})
    redact(apps, None)
    for row in (few, many):
        row.refresh_from_db()
        for stored in [row, *row.history.all()]:
            assert not set(BALLOT_WORDS) & set(_walk(stored.explanation)), stored.explanation
    assert (few.member_score, few.composite_score, few.explanation["member_score"]) == (None, D("85.00"), None)
    assert [h.member_score for h in few.history.all()] == [None]
    assert (many.member_score, many.composite_score) == (D("76.00"), D("89.30"))


def test_r_asm_3_moving_or_deleting_the_cycle_does_not_reopen_a_sample(world, api):
    """Once the due date has closed a sample, moving the date later or deleting the cycle keeps
    it closed — else ballots could follow an aggregate already read."""
    from assessment.services.cycles import cycle_update

    sample = add_ballots(unit=world.village_a1, ratings=["good"] * 5)
    cycle = make_cycle(unit=world.county_a)  # due 2025-12-20: passed
    later = timezone.localdate() + dt.timedelta(days=30)
    cycle_update(cycle=cycle, data={"evaluations_due": later, "classification_date": later,
                                    "publication_date": later})
    sample.refresh_from_db()
    assert sample.closed_at is not None
    assert api(world.staff_a).post(f"/api/v1/evaluations/{sample.pk}/ratings/", {"ratings": ["差"]},
                                   format="json").status_code == 400
    other = add_ballots(unit=world.village_a2, ratings=["good"] * 5)
    AssessmentCycle.objects.filter(pk=cycle.pk).update(evaluations_due=dt.date(2025, 12, 20))
    AssessmentCycle.objects.get(pk=cycle.pk).delete()
    other.refresh_from_db()
    assert other.closed_at is not None
    # a cycle whose date has not come closes nothing when it changes
    third = add_ballots(unit=world.village_b1, year=2026, ratings=["good"])
    open_cycle = _open_cycle(world.county_b, 2026)
    open_cycle.save()
    third.refresh_from_db()
    assert third.closed_at is None
