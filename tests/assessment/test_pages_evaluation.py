"""Pages of the democratic evaluation (R-ASM-3): draw, ballots, import, aggregates — scoped (R-ORG-2)."""
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from assessment.models import EvaluationRating, EvaluationSample
from assessment.services.evaluations import ERR_RATING, ERR_SAMPLE_EXISTS
from assessment.views import ERR_NO_BRANCH
from core.choices import Role
from tests.factories import make_user

from .helpers import add_ballots
from .test_pages import client_for


def _xlsx(values) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for v in values:
        ws.append([v])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "ballots.xlsx"
    return out


def _draw(world, seed=42):
    world.village_a1.members = 30
    world.village_a1.save(update_fields=["members"])
    return client_for(world.staff_a).post("/assessment/evaluations/draw/",
                                          {"code": world.village_a1.code, "year": 2025, "seed": seed})


def test_it_draws_a_reproducible_sample_shown_to_staff_only(world):
    """R-ASM-3: 30% of 30 members = 9 (≥ minimum 5); seed and numbers recorded, visible to staff only."""
    r = _draw(world)
    sample = EvaluationSample.objects.get()
    assert r.status_code == 302 and r.url == f"/assessment/evaluations/{sample.pk}/"
    assert (sample.seed, sample.sample_size, len(sample.drawn)) == (42, 9, 9)
    page = client_for(world.staff_a).get(r.url).content.decode()
    assert 'data-testid="seed"' in page and 'data-testid="drawn"' in page
    assert ", ".join(str(n) for n in sample.drawn) in page
    assert 'data-testid="share">30%' in page and 'data-testid="minimum">5' in page
    for user in (world.supervisor_a, world.secretary_user):
        page = client_for(user).get(r.url).content.decode()
        assert 'data-testid="drawn"' not in page and 'data-testid="seed"' not in page
    # drawing twice is refused; the message is shown on the list
    r = client_for(world.staff_a).post("/assessment/evaluations/draw/", {"code": world.village_a1.code,
                                                                          "year": 2025}, follow=True)
    assert str(ERR_SAMPLE_EXISTS) in r.content.decode()


def test_it_requires_staff_to_draw(world):
    world.village_a2.members = 30
    world.village_a2.save(update_fields=["members"])
    for user in (world.supervisor_a, world.secretary_user):
        r = client_for(user).post("/assessment/evaluations/draw/", {"code": world.village_a2.code, "year": 2025})
        assert r.status_code == 403
    r = client_for(world.outsider).post("/assessment/evaluations/draw/",
                                        {"code": world.village_a2.code, "year": 2025}, follow=True)
    assert str(ERR_NO_BRANCH) in r.content.decode()
    assert not EvaluationSample.objects.exists()
    assert client_for(world.staff_a).get("/assessment/evaluations/draw/").status_code == 405


def test_ballots_are_entered_anonymously_and_aggregates_respect_the_minimum(world):
    """R-ASM-3: nothing shows while the sample is open; once staff close it, 5 answers give 60.0%."""
    _draw(world)
    sample = EvaluationSample.objects.get()
    staff = client_for(world.staff_a)
    staff.post(f"/assessment/evaluations/{sample.pk}/ballots/",
               {"rating": ["good", "good", "fairly_good", "average", ""]})
    assert EvaluationRating.objects.filter(sample=sample).count() == 4
    listing = staff.get("/assessment/evaluations/?year=2025").content.decode()
    assert 'data-testid="hidden-aggregate"' in listing and "评议截止前不予显示" in listing  # in the default language
    sec_page = client_for(world.secretary_user).get(f"/assessment/evaluations/{sample.pk}/").content.decode()
    assert 'data-testid="hidden-aggregate"' in sec_page and 'data-testid="satisfaction"' not in sec_page
    assert 'name="rating"' not in sec_page  # no entry form, nothing about single ballots
    client_for(world.supervisor_a).post(f"/assessment/evaluations/{sample.pk}/ballots/", {"rating": ["poor"]})
    assert EvaluationRating.objects.filter(sample=sample).count() == 5
    page = staff.get(f"/assessment/evaluations/{sample.pk}/").content.decode()
    assert 'data-testid="satisfaction"' not in page and 'data-testid="close"' in page  # open: not even staff
    assert client_for(world.supervisor_a).post(f"/assessment/evaluations/{sample.pk}/close/").status_code == 403
    staff.post(f"/assessment/evaluations/{sample.pk}/close/")
    page = staff.get(f"/assessment/evaluations/{sample.pk}/").content.decode()
    assert 'data-testid="satisfaction">60.0%' in page and 'data-testid="close"' not in page
    assert 'name="rating"' not in page  # closed: no more entry
    listing = staff.get("/assessment/evaluations/?year=2025").content.decode()
    assert 'data-testid="jurisdiction-satisfaction">60.0%' in listing
    sec_page = client_for(world.secretary_user).get(f"/assessment/evaluations/{sample.pk}/").content.decode()
    assert "60.0%" in sec_page


def test_ballots_import_from_excel_all_or_nothing(world):
    _draw(world)
    sample = EvaluationSample.objects.get()
    staff = client_for(world.staff_a)
    r = staff.post(f"/assessment/evaluations/{sample.pk}/import/", {"file": _xlsx(["评价", "好", "差评", "一般"])},
                   follow=True)
    assert str(ERR_RATING.format(row=3, value="差评")) in r.content.decode()
    assert sample.ratings.count() == 0
    staff.post(f"/assessment/evaluations/{sample.pk}/import/", {"file": _xlsx(["评价", "好", "较好", "一般"])})
    assert sorted(sample.ratings.values_list("rating", flat=True)) == ["average", "fairly_good", "good"]
    assert client_for(world.secretary_user).post(f"/assessment/evaluations/{sample.pk}/import/",
                                                 {"file": _xlsx(["好"])}).status_code == 403


def test_outsider_and_other_secretaries_see_nothing(world):
    sample = add_ballots(unit=world.village_a1, ratings=["good"] * 5)
    outsider = client_for(world.outsider)
    assert outsider.get(f"/assessment/evaluations/{sample.pk}/").status_code == 404
    assert outsider.post(f"/assessment/evaluations/{sample.pk}/ballots/", {"rating": ["poor"]}).status_code == 404
    assert outsider.post(f"/assessment/evaluations/{sample.pk}/import/", {"file": _xlsx(["差"])}).status_code == 404
    assert "东风村" not in outsider.get("/assessment/evaluations/?year=2025").content.decode()
    other = make_user(unit=world.village_a2, role=Role.SECRETARY)
    assert client_for(other).get(f"/assessment/evaluations/{sample.pk}/").status_code == 404
    assert "东风村" not in client_for(other).get("/assessment/evaluations/?year=2025").content.decode()
    assert sample.ratings.count() == 5


def test_evaluation_list_queries_do_not_grow_with_rows(world):
    staff = client_for(world.staff_a)
    add_ballots(unit=world.village_a1, ratings=["good"] * 5)
    staff.get("/assessment/evaluations/?year=2025")
    with CaptureQueriesContext(connection) as one:
        staff.get("/assessment/evaluations/?year=2025")
    add_ballots(unit=world.village_a2, ratings=["poor"] * 6)
    with CaptureQueriesContext(connection) as two:
        staff.get("/assessment/evaluations/?year=2025")
    assert len(two.captured_queries) == len(one.captured_queries)
