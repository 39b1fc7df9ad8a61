"""Issue 8 items 5, 8 and 9: what a clerk reads on the assessment page of a person, the error pages and imports."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.choices import SanctionReason
from assessment.models import Sanction
from cadres.imports.roster import ERR_HAS_ERRORS
from cadres.views_import import _summary
from core.choices import JobState
from core.models import Job
from tests.cadres.test_import import roster_row, roster_xlsx
from tests.factories import make_unit


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, content: bytes, *, name="roster.xlsx", kind="roster"):
    return client.post(reverse("cadres:import-upload"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


# --- item 5 ---------------------------------------------------------------------------------------

def test_the_assessment_page_of_a_person_names_tiers_and_has_a_plain_title(world, login):
    Sanction.objects.create(person=world.secretary_a1, unit=world.village_a1, year=2025, applies_to_year=2026,
                            reason=SanctionReason.choices[0][0], computed_at=timezone.now(),
                            explanation={"year": 2025, "previous_tier": "average", "tier": "average"})
    page = login(world.staff_a).get(reverse("assessment:person", args=[world.secretary_a1.pk])).content.decode()
    assert "2025：一般 → 一般" in page
    assert "average" not in page.split("<body", 1)[1]
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and title.startswith("秦秀英 · ")


# --- item 8 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/cadres/people/new/", "/cadres/import/", "/policies/new/", "/assessment/scores/"])
def test_a_secretary_on_a_staff_page_gets_the_chinese_403(world, login, path):
    response = login(world.secretary_user).get(path)
    assert response.status_code == 403
    page = response.content.decode()
    assert "<title>无权访问" in page and "403 · 无权访问" in page and "Forbidden" not in page


def test_a_refused_csrf_token_is_the_chinese_403_too(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.secretary_user)
    response = client.post("/notices/read-all/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Forbidden" not in page and "CSRF verification failed" not in page
    assert "403 · 无权访问" in page and "请刷新页面后重试" in page


def test_a_missing_page_is_the_chinese_404(world, login):
    response = login(world.secretary_user).get("/no/such/page/")
    assert response.status_code == 404 and "404 · 页面不存在" in response.content.decode()


# --- item 9 ---------------------------------------------------------------------------------------

def test_a_roster_refused_at_its_check_ends_failed_without_being_confirmed(world, login):
    client = login(world.staff_a)
    response = upload(client, roster_xlsx([roster_row(unit_code="999")]))
    job = Job.objects.get(created_by=world.staff_a)
    page = client.get(response["Location"]).content.decode()
    assert "组织代码" in page  # the errors are still shown by row and column
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == str(ERR_HAS_ERRORS)
    jobs = client.get(reverse("jobs")).content.decode()
    assert "待处理" not in jobs and "失败" in jobs


def test_a_training_import_refused_at_its_check_ends_failed(world, login):
    from tests.training.test_import import HEADERS, workbook

    client = login(world.staff_a)
    response = client.post(reverse("training:import"), {"file": SimpleUploadedFile(
        "a.xlsx", workbook([["秦秀英", "110105195001011234"] + [""] * (len(HEADERS) - 2)]).getvalue())})
    job = Job.objects.get(created_by=world.staff_a)
    assert job.state == JobState.FAILED and job.error
    page = client.get(response["Location"]).content.decode()
    assert "import-errors" in page and "import-failed" in page and "import-confirm" not in page


def test_the_roster_preview_shows_chinese_dates(world, login):
    make_unit(parent=world.township_a, code="430721001003", name="红星村党支部")
    client = login(world.staff_a)
    response = upload(client, roster_xlsx([roster_row(unit_code="430721001003", start="2025.01")]))
    page = client.get(response["Location"]).content.decode()
    assert "2025年1月1日" in page and "2025-01-01" not in page


def test_the_unit_import_preview_names_the_unit_column(world, login):
    csv = "组织代码,组织名称,层级,上级组织代码,领域\n430721001009,前进村党支部,branch,430721001,农村\n"
    client = login(world.staff_a)
    response = upload(client, ("\ufeff" + csv).encode(), name="units.csv", kind="units")
    page = client.get(response["Location"]).content.decode()
    assert "前进村党支部" in page
    head = page[page.index("前进村党支部") - 2000:page.index("前进村党支部")]
    assert "<th>组织名称</th>" in head and "<th>姓名</th>" not in head


def test_a_second_secretary_is_named_with_a_chinese_date(world, login):
    response = login(world.staff_a).post(reverse("cadres:appointment_create"), {
        "person": world.person_a2.pk, "unit": world.village_a1.pk, "role": "secretary",
        "selection_method": "election", "start_date": "2026-01-01"})
    assert "自 2024年3月1日 起任职" in response.content.decode()


def test_the_import_summary_reads_as_a_chinese_sentence():
    assert _summary({"people_created": 2, "people_updated": 1}) == "新建人员 2，更新人员 1"
